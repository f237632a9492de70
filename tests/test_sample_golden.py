"""Speed work must not change an output byte: the bundled sample against its golden files.

When a change of output is intended (a scoring fix), regenerate with
`python3 tests/golden/sample_outputs.py` and say so in the commit.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

from sample_outputs import GOLDEN, sample_outputs


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return sample_outputs()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_the_sample_outputs_are_byte_identical(outputs: dict[str, bytes], name: str) -> None:
    expected = GOLDEN[name].read_bytes()
    if outputs[name] != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(), outputs[name].decode("utf-8").splitlines(), lineterm="", n=0
        )
        pytest.fail(f"{GOLDEN[name].name} differs:\n" + "\n".join(list(diff)[:40]))
