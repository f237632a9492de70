"""Python's cyclic garbage collector, kept out of the way of one large run.

Reading and scoring a portfolio builds millions of small, long-lived objects (grid cells,
records, row results) and almost no cyclic garbage. Each full collection walks every one of them,
and the generation thresholds trigger dozens of such passes: at 100,000 rows the collector was a
third of the run's time while finding next to nothing to free. So the collector is switched off
for the run, the few large cyclic structures (an openpyxl workbook) are freed with one explicit
pass right after each read, and the state the caller had is restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with automatic collection off, then restore the caller's setting.

    `freeze=True` (the command line, which exits soon after) moves everything still alive into
    the permanent generation on the way out, so the writing that follows never walks it again.
    A library caller keeps the default: frozen objects that later become cyclic garbage would
    never be freed, which a notebook that scores many times would notice.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def release_cycles(generation: int = 2) -> None:
    """One full pass, for the moment a large cyclic structure (a loaded workbook) has just died.

    With automatic collection paused, nothing else would free it until the run ends.
    `generation=0` walks only what was made since the last pass: after one part of a run scored
    part by part, its few cycles (pandas frames) are freed in milliseconds, where a full pass
    would walk every survivor of the parts before again (25 ms a part at 10,000 rows).
    """
    gc.collect(generation)
