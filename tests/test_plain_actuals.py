"""The fast path for plain 实际完成值 texts gives the full reading's Actual, or stands aside (issue 15).

`plain_actual` answers only for a sign, digits (thousands commas allowed), decimals and one whole
known unit word or scale word; `read_actual_in_full` is the reader it must equal. Both run on every
distinct actual (and 上年实际值) text of the bundled sample, of every corpus table (meta.toml and what
the layout reader makes of source.txt), of a generated portfolio read back from its workbook, and
on a hand-made list of near-plain texts. The comparison is of `repr`, so -0.0 against 0.0 or a
float one ulp off fails it.
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest

from evaluator.common.resources import sample_inputs_dir
from evaluator.errors import EvaluatorError
from evaluator.grammar.actuals import parse_actual, plain_actual, read_actual_in_full
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.ingest.formats.text import read_text_grids
from evaluator.ingest.layout import read_forms
from evaluator.models import ActualKind, Actuals

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from portfolio_gen import generate, write_actuals, write_targets  # noqa: E402

YEAR = 2024

# Plain shapes: the fast path must answer for each of these.
PLAIN = (
    "2,950人次",
    "1.26万人次",
    "98.5%",
    "3000",
    "120万元",
    "-0",
    "00012",
    "0.5万",
    "3万元",
    "45万",
    "1,000.50元",
    "5.5亩",
    "+5人",
    "-3.5%",
    "12,345,678元",
    "3亿元",
    "86.3分",
    "3天",
)
# Near-plain texts the fast path must leave to the full reader (what each one needs is in the name).
NOT_PLAIN = (
    "1,2",  # not a thousands group: two numbers
    "1,0000人",  # four digits after the comma
    "1.2.3",  # several dots
    "1e3",  # a digit in the unit
    "12 人",  # a space
    "１２人",  # full-width digits
    "约120人",  # a word before the number
    "120人次以上",  # a postfix operator
    "100%以上",
    "3000左右",  # a non-unit tail
    "2024年",  # a year, read as a date
    "11月",  # a month, read as a date
    "5个月",
    "3萬元",  # traditional 萬
    "100(%)",  # a bracketed unit
    "5篇章",  # an unknown word
    ".5",
    "5.",
    "≥90%",
    "3000。",
    "",
)


def _assert_same(text: str) -> bool:
    """True when the fast path answered (and then equals the full reading)."""
    fast = plain_actual(text)
    if fast is None:
        return False
    assert repr(fast) == repr(read_actual_in_full(text, YEAR)), text
    assert repr(fast) == repr(read_actual_in_full(text, None)), text
    return True


def _check_all(texts: set[str], least_share: float = 0.0) -> int:
    answered = sum(_assert_same(t) for t in sorted(texts))
    assert answered >= least_share * len(texts), (answered, len(texts))
    return answered


def _actual_texts(actuals: Actuals) -> set[str]:
    return {t for row in actuals.rows for t in (row.actual_text, row.last_year_text) if t}


@pytest.mark.parametrize("text", PLAIN)
def test_the_fast_path_answers_for_plain_shapes(text: str) -> None:
    assert _assert_same(text), text
    assert plain_actual(text).kind is ActualKind.NUMBER


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_near_plain_texts_go_to_the_full_reader(text: str) -> None:
    assert plain_actual(text) is None, text


def test_parse_actual_gives_the_full_reading_for_every_hand_made_text() -> None:
    for text in PLAIN + NOT_PLAIN:
        assert repr(parse_actual(text, YEAR)) == repr(read_actual_in_full(text, YEAR)), text


def test_the_sample_actuals() -> None:
    actuals = read_actuals_workbook(sample_inputs_dir() / "实际完成值_样例.xlsx")
    texts = _actual_texts(actuals)
    assert texts
    assert _check_all(texts) > 0


@cache
def _corpus_texts() -> tuple[set[str], set[str]]:
    """(actuals written in meta.toml, actuals the layout reader reads from source.txt)."""
    written: set[str] = set()
    read: set[str] = set()
    for meta in sorted(CORPUS.glob("*/meta.toml")):
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
        for project in data.get("projects", ()):
            written.update(r["actual"] for r in project.get("rows", ()) if r.get("actual"))
        source = meta.parent / "source.txt"
        if not source.exists():
            continue
        try:
            decl = read_forms(read_text_grids(source))
        except EvaluatorError:
            continue  # a refused table has no readings; test_corpus_reader says which and why
        for project in decl.projects:
            read.update(i.published_actual for i in project.indicators if i.published_actual)
    return written, read


def test_every_corpus_actual_as_written_in_meta() -> None:
    written, _ = _corpus_texts()
    assert len(written) > 50
    assert _check_all(written) > 40


def test_every_corpus_actual_as_the_reader_reads_it() -> None:
    _, read = _corpus_texts()
    assert len(read) > 50
    assert _check_all(read) > 40


def test_a_generated_portfolio_read_back_from_its_workbook(tmp_path: Path) -> None:
    projects = list(generate(3000, 5))
    write_targets(projects, tmp_path / "targets.xlsx")
    write_actuals(projects, tmp_path / "actuals.xlsx")
    texts = _actual_texts(read_actuals_workbook(tmp_path / "actuals.xlsx"))
    assert len(texts) > 500
    # Counts, money and percentages are most of what units type: the fast path must take them.
    _check_all(texts, least_share=0.8)
