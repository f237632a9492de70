"""The one way a spreadsheet cell becomes text, and the one way text goes into a cell.

Every reader (declarations workbook, actuals workbook, the general table readers) turns a cell into
the text a person sees in it before any grammar reads it. Copies of this used to disagree: one
formatted numbers with `:g`, so a 年度指标值 of 1234567.5 came back as `1.23457e+06` and could no
longer be read. Here numbers keep every digit they were written with and never turn scientific.

Every writer (the declarations workbook, the actuals template, the 自评表 and summaries) stores
text through `put_safe_text`, so a target such as `=100%` or `-5%` stays text and is never taken
for a formula by Excel, WPS or a CSV import. Neither function needs openpyxl: they work on values
and on anything with openpyxl's cell attributes, so this module is cheap to import.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

# What Excel and WPS show in a cell whose formula failed; openpyxl hands them over as strings.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)


@dataclass(frozen=True)
class UncalculatedFormula:
    """The raw value of a formula cell saved without its result (a file written by a program, never
    opened in Excel/WPS): not empty, not 0, and not a value anyone can score."""

    formula: str

    def __str__(self) -> str:
        return self.formula


# Openings a spreadsheet program (or a CSV import) may take for the start of a formula.
FORMULA_OPENINGS = ("=", "+", "-", "@", "\t", "\r")
# Control characters no XML file (xlsx, docx) may hold; ESC or BEL in a name made the writers crash.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
CUT_NOTE = "…（超出单元格上限，已截断）"


def without_control_characters(text: str) -> str:
    """`text` without the control characters XML cannot hold (tab and line breaks stay)."""
    return _CONTROL.sub("", text)


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def number_text(value: float | int) -> str:
    """Shortest faithful decimal, never scientific: 3050.0 → '3050', 1234567.5 → '1234567.5', 1e-7 → '0.0000001'."""
    number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def is_percent_format(number_format: str | None) -> bool:
    """True when the cell's (positive-section) number format shows the value times 100 with a % sign."""
    fmt = (number_format or "").split(";")[0]
    return "%" in fmt.replace("\\%", "").replace('"%"', "")


def is_excel_error(text: str) -> bool:
    """True for `#DIV/0!`, `#N/A` and the other failed-formula displays: a value no one wrote."""
    return text.strip().upper() in EXCEL_ERRORS


def cell_text(value: object, number_format: str | None = None) -> str:
    """How a person reads the cell: the text every value parser should see.

    Numbers as written (ints without `.0`, floats by their shortest repr), percent-formatted cells
    as `98.5%`, dates as ISO dates (a datetime with a time of day keeps `HH:MM`), booleans as Excel
    shows them (`TRUE`/`FALSE`), empty and NaN as "". Excel error values are kept as text so the
    caller can refuse them with `is_excel_error`.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return without_control_characters(value).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return ""
        if is_percent_format(number_format):
            scaled = Decimal(repr(float(value))) * 100
            return number_text(float(scaled)) + "%"
        return number_text(value)
    return str(value).strip()


class _Once(dict[object, object]):
    """value → convert(value), each distinct value converted once."""

    def __init__(self, convert: Callable[[object], object]) -> None:
        super().__init__()
        self._convert = convert

    def __missing__(self, value: object) -> object:
        result = self._convert(value)
        self[value] = result
        return result


def convert_column(values: list[object], convert: Callable[[object], object]) -> list[object]:
    """`[convert(v) for v in values]`, with `convert` called once per distinct value.

    Why: a column of a million cells holds a few thousand distinct names, targets and numbers, and
    a shared result is one object, not a million. Values are keys by equality, so a column holding
    booleans (True == 1, but `TRUE` is not `1`) converts those cells one by one; so does anything
    unhashable.
    """
    once = _Once(convert)
    try:
        if bool in set(map(type, values)):
            return [convert(v) if type(v) is bool else once[v] for v in values]
        return list(map(once.__getitem__, values))
    except TypeError:  # an unhashable value
        return [convert(v) for v in values]


def column_texts(values: list[object], *, shared: bool = False) -> list[str]:
    """`cell_text` of each value of a column whose cells have no percent format.

    With `shared`, each distinct text is the interpreter's one copy of it (`sys.intern`): a project
    name is written on every row of both workbooks, and the targets, the actuals and the budget
    rows then hold one string for it instead of three (~22 MB at a million rows). Interned strings
    are freed with the last record that holds them.
    """
    if shared:
        return convert_column(values, _shared_text)  # type: ignore[return-value]
    return convert_column(values, cell_text)  # type: ignore[return-value]


def _shared_text(value: object) -> str:
    return sys.intern(cell_text(value))


def needs_text_guard(text: str) -> bool:
    """True when a spreadsheet program could read the text as the start of a formula."""
    return text.startswith(FORMULA_OPENINGS)


def csv_safe(value: object) -> object:
    """A CSV field that no spreadsheet program opens as a formula: the xlsx writers' rule for text.

    Text opening with `= + - @`, a tab or a carriage return gets a leading apostrophe, which Excel
    and WPS show as text (`=HYPERLINK(...)` from a 偏差原因 must not become a live link). Numbers
    are left as numbers.
    """
    if isinstance(value, str):
        value = without_control_characters(value)
        if needs_text_guard(value):
            return "'" + value
    return value


_Cell = TypeVar("_Cell")


def put_safe_text(cell: _Cell, text: str) -> _Cell:
    """Store `text` as text in an openpyxl cell, whatever it starts with (`=100(%)` is a target, not a formula).

    The cell is typed as a string and formatted `@`; text opening with `= + - @`, a tab or a carriage
    return also gets Excel's quote prefix, so editing the cell in Excel or WPS keeps it text. Control
    characters are dropped (no xlsx may hold them) and a text over Excel's 32,767 characters is cut
    with a note saying so at its end.
    """
    text = without_control_characters(text)
    if len(text) > MAX_CELL_CHARS:  # Excel cuts silently; say so in the cell itself
        text = text[: MAX_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE
    target: Any = cell
    target.value = text
    target.data_type = "s"
    target.number_format = "@"
    if needs_text_guard(text):
        target.quotePrefix = True
    return cell


def display_units(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


WRAP_SLACK = 1.1  # wrapping breaks before the last character that would fit; renderers differ a little


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide: spreadsheet programs
    do not grow a row on opening, so every writer sets row heights from this."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_units(part) * WRAP_SLACK / usable)) for part in str(text).split("\n"))
