"""A 实际完成值 as a unit typed it → models.Actual (a number in its canonical unit, a date, words).

Units fill these cells by hand: "3,050人次", "0.305万人次", "98.5%", "100%完成", an echoed
"≥266米", full-width digits, 三千人, a real date cell or 2024年11月30日, 是/及时/基本完成. The
reading never guesses: a cell with two numbers, or a unit word the registry does not know, is
UNREADABLE with the reason; anything the reader set aside (an echoed comparator, words around the
number) is said in `Actual.note`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from evaluator.common.dates import DateProblem, read_date
from evaluator.errors import EvaluatorError
from evaluator.grammar.lexer import (
    SeveralNumbers,
    display_text,
    has_digit,
    normalize,
    plain_quantity,
    read_quantity,
    scaled,
    sole_number,
)
from evaluator.ingest.cells import UncalculatedFormula, cell_text, is_excel_error
from evaluator.models import Actual, ActualKind, ActualRow, Target, TargetKind

_CONTENT = re.compile(r"[A-Za-z0-9\u4e00-\u9fff]")
_BOOLEAN_WORDS = {"TRUE": "是", "FALSE": "否"}
_PIECES = re.compile(r"[;；,，、。]")


@lru_cache(maxsize=65536)
def parse_actual(text: str, year: int | None = None) -> Actual:
    """Read one 实际完成值. `year` completes a date written without one (11月30日).

    The plain shapes (2,950人次, 1.26万人次, 98.5%, 3000) take `plain_actual`, which gives the same
    Actual as the full reading at a fraction of its cost; everything else is read in full.
    """
    raw = "" if text is None else str(text)
    return plain_actual(raw) or read_actual_in_full(raw, year)


def plain_actual(raw: str) -> Actual | None:
    """The Actual of a plain number-and-unit text, or None for any other text (read it in full).

    Kept separate so the tests can hold it against `read_actual_in_full` on every text they have.
    """
    plain = plain_quantity(raw)
    if plain is None:
        return None
    reading = plain.unit
    return Actual(
        raw=raw,
        kind=ActualKind.NUMBER,
        value=scaled(plain.number, reading.factor),
        unit=reading.unit,
        scale_word=reading.word if reading.unit is None else "",
    )


def read_actual_in_full(raw: str, year: int | None = None) -> Actual:
    """The full reading of one 实际完成值: normaliser, date reader, number and unit, notes."""
    s = normalize(raw)
    if not s:
        return Actual(raw=raw, kind=ActualKind.EMPTY)
    if is_excel_error(raw):
        return _unreadable(raw, f"单元格是 Excel 错误值「{raw.strip()}」（公式出错），不是实际完成值；请填写实际完成值")
    if not _CONTENT.search(s):
        return _unreadable(raw, f"实际完成值只有符号「{display_text(raw)}」，没有内容")
    if s.upper() in _BOOLEAN_WORDS:
        word = _BOOLEAN_WORDS[s.upper()]
        return Actual(raw=raw, kind=ActualKind.QUALITATIVE, text=word, note=f"逻辑值 {s.upper()} 按「{word}」理解")
    try:
        for reader in (_read_date, _read_number):
            actual = reader(raw, s, year)
            if actual is not None:
                return actual
    except EvaluatorError as err:
        return _unreadable(raw, err.message)
    if has_digit(s):
        return _unreadable(raw, f"无法从「{display_text(raw)}」中读出数值")
    return Actual(raw=raw, kind=ActualKind.QUALITATIVE, text=display_text(raw))


def parse_row_actual(row: ActualRow | None, year: int | None = None) -> Actual:
    """The 实际完成值 of a filled row; a formula saved without its result says so instead of 「未填写」."""
    if row is None:
        return parse_actual("", year)
    if isinstance(row.actual_value, UncalculatedFormula):
        formula = row.actual_value.formula
        return _unreadable(
            formula,
            "公式没有保存计算结果（文件未经 Excel/WPS 重新计算），无法得到实际完成值；"
            "请在 Excel/WPS 中打开、保存后重新提交",
        )
    return parse_actual(row.actual_text, year)


def parse_actual_cell(value: object, number_format: str = "General") -> Actual:
    """Read a raw workbook cell: percent-formatted fractions and date cells as a person sees them.

    The cell is rendered exactly as the actuals reader renders it (0.985 in a 0.0% cell → "98.5%",
    a date cell → 2024-11-30), so a value reads the same whether it arrives as a cell or as text.
    """
    return parse_actual(cell_text(value, number_format))


def _unreadable(raw: str, reason: str) -> Actual:
    return Actual(raw=raw, kind=ActualKind.UNREADABLE, reason=reason)


def _date_actual(raw: str, date: dt.date, *notes: str) -> Actual:
    return Actual(raw=raw, kind=ActualKind.DATE, date=date, note="；".join(n for n in notes if n))


def _words_note(pre: str, rest: str) -> str:
    words = "".join(w for w in (pre, rest) if w)
    return f"日期旁的文字「{words}」未参与比较" if words else ""


def _read_date(raw: str, s: str, year: int | None) -> Actual | None:
    try:
        reading = read_date(s, year)
    except DateProblem as err:
        message = err.message if err.message.startswith(("日期", "月份")) else f"实际完成值{err.message}"
        raise EvaluatorError(message) from err
    if reading is None:
        return None
    return _date_actual(raw, reading.date, *reading.notes, _words_note(reading.before, reading.after))


def _read_number(raw: str, s: str, year: int | None) -> Actual | None:
    try:
        found = sole_number(s)
    except SeveralNumbers as err:
        raise EvaluatorError(f"实际完成值中有多个数值（{err.shown}），无法判断以哪一个为准") from err
    if found is None:
        return None
    s, notes = found.text, list(found.notes)
    phrase = read_quantity(s, found.token)
    if phrase.op_text:
        notes.append(f"实际值中的比较符「{phrase.op_text}」已忽略")
    if phrase.label:
        notes.append(f"数值前的文字「{phrase.label}」未参与比较")
    after = phrase.postfix_text + phrase.tail
    if after:
        notes.append(f"数值后的文字「{after}」未参与比较")
    return Actual(
        raw=raw,
        kind=ActualKind.NUMBER,
        value=phrase.value,
        unit=phrase.unit,
        note="；".join(notes),
        scale_word=phrase.unit_word if phrase.unit is None else "",
    )


def _figure(value: float) -> str:
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text or "0"


@lru_cache(maxsize=65536)
def in_target_unit(actual: Actual, target: Target) -> Actual:
    """A unitless number beside a target written in a scaled unit, read in that unit.

    The 自评表 guide lets a unit leave the unit out when it is the target's, so `90` beside
    `≤90万元` means 90万元, not 90元 (which would score full against any ceiling). The reading is
    said in the actual's note, so it reaches 核对与修复记录. Anything else is returned unchanged.
    """
    if actual.kind is not ActualKind.NUMBER or actual.unit is not None or actual.value is None:
        return actual
    if actual.read_in:  # already read in a target's unit: reading twice would scale twice
        return actual
    if actual.scale_word:  # 45万 beside 45万 is already scaled by its own 万: scaling again gives 45亿
        return actual
    if target.kind not in (TargetKind.COMPARISON, TargetKind.RANGE):
        return actual
    if _looks_like_fraction(actual, target):
        hint = (
            f"实际完成值「{_figure(actual.value)}」未写单位，按年度指标值的单位读作 {_figure(actual.value)}%；"
            f"它像是以小数填写的百分比（{_figure(actual.value * 100)}%）——如是，请填写 "
            f"{_figure(actual.value * 100)}% 或把单元格设为百分比格式"
        )
        return dataclasses.replace(actual, note="；".join(n for n in (actual.note, hint) if n))
    if target.unit_scale == 1.0 or not target.unit_word:  # 200万 has a scale and no unit: still read
        return actual
    value = scaled(repr(actual.value), Decimal(repr(target.unit_scale)))
    note = (
        f"实际完成值未写单位，按年度指标值的单位「{target.unit_word}」理解："
        f"{_figure(actual.value)}{target.unit_word} = {_figure(value)}{target.unit or ''}"
    )
    notes = "；".join(n for n in (actual.note, note) if n)
    return dataclasses.replace(actual, value=value, unit=target.unit, note=notes, read_in=target.unit_word)


def _looks_like_fraction(actual: Actual, target: Target) -> bool:
    """0.985 typed in a General cell on a ≥95% row: a fraction the spreadsheet never showed as 98.5%.

    The number is still read as written (0.985%), since guessing would hide a real 0.985%; the hint
    only tells the person where the likely slip is.
    """
    if target.unit != "%" or actual.value is None or not 0 < actual.value <= 1:
        return False
    reference = target.value if target.kind is TargetKind.COMPARISON else target.low
    return reference is not None and reference > 1


def dates_in(text: str, year: int | None = None) -> tuple[dt.date, ...]:
    """Every date an actual names, piece by piece (6月20日完成招标；9月28日完成建设 …), in date order.

    A target with several deadlines is checked node by node, so the actual's dates are needed even
    though the cell as a whole (several numbers) is not one value.
    """
    dates = []
    for piece in _PIECES.split(normalize(text or "")):
        actual = parse_actual(piece, year) if piece else None
        if actual is not None and actual.kind is ActualKind.DATE and actual.date is not None:
            dates.append(actual.date)
    return tuple(sorted(dates))
