"""Opening an .xlsx for the declarations and actuals workbook readers, and finding how far its data goes.

Both readers load a whole workbook with openpyxl, so every check that must come before that load
lives here, in one place a faster reader can call as well: what the file really is (an encrypted
workbook, an .xls or .csv renamed to .xlsx and a 0-byte file all used to say 「File is not a zip
file」), how large each sheet unpacks to (a zip bomb, or a million-row sheet that needed 7.7 GB), and
a damaged file named as such instead of an XML parser's English.

`extent` gives the real extent of a sheet: one stray cell at K1048576 makes openpyxl's max_row a
million, and walking that range creates every cell in it (124 s, 4.2 GB for a 126-row file).

`SheetValues` is what both readers read instead of worksheets: a sheet as columns of values over
its real extent, with the few facts that change what a person sees — percent formats, formulas,
merged ranges — kept apart, sparse. openpyxl's workbooks are turned into it here
(`OpenpyxlBook`), calamine's in `ingest.xlsx_fast`; the readers then work a column at a time and
never ask which library read the file.
"""

from __future__ import annotations

import operator
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, count, repeat
from pathlib import Path
from typing import Any, Protocol

from evaluator.common.records import record_maker
from evaluator.errors import InputError
from evaluator.ingest.formats.sniff import require_xlsx
from evaluator.ingest.formats.xlsx import load_openpyxl
from evaluator.models import SourceRef

# One sheet of a declarations or actuals workbook is some kilobytes a project; 10,000 indicator rows
# unpack to about 10 MB. Past this the sheet is refused before it is loaded.
MAX_SHEET_XML_BYTES = 64 * 1024 * 1024


def check_sheet_sizes(path: Path, limit: int = MAX_SHEET_XML_BYTES) -> None:
    """Refuse a workbook with a sheet far larger than any real table, before loading it."""
    where = SourceRef(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InputError("文件已损坏（压缩包结构不完整，可能未下载完或被截断），请重新获取原文件", where) from None
    for part in parts:
        if part.file_size > limit:
            raise InputError(
                f"工作表数据（{part.filename}）解压后达 {part.file_size / 1024 / 1024:.0f} MB，"
                f"超过上限 {limit // 1024 // 1024} MB（约相当于数十万行）；"
                "请删除表格下方多余的行（或另存为只含所需工作表的新文件）后重试",
                where,
            )


def open_xlsx(path: Path, *, data_only: bool) -> Any:
    """The workbook, loaded whole, after every check above; Chinese errors naming the file."""
    path = Path(path)
    require_xlsx(path)
    check_sheet_sizes(path)
    return load_openpyxl(path, SourceRef(path.name), read_only=False, data_only=data_only)


def _cells(ws: Any) -> Any:
    cells = getattr(ws, "_cells", None)
    if isinstance(cells, dict):
        return cells.values()
    return (cell for row in ws.iter_rows() for cell in row)  # read-only sheets: streamed


GENERAL = "General"


@dataclass(slots=True)
class SheetValues:
    """One worksheet as columns of raw values, as openpyxl's cached-values view gives them.

    `columns[c - 1][r - 1]` is the value at row r, column c for every row up to the last used one
    (integers as `int`, dates as `datetime`, error values such as `#DIV/0!` as their text, empty as
    None). Only percent formats are kept (a fraction in a `0.0%` cell reads `98.5%`; no other format
    changes a reading), and formulas as their text (`=SUM(F1:F2)`), where the cell's cached value,
    if any, stays in `columns`.
    """

    title: str
    state: str  # visible / hidden / veryHidden
    columns: list[list[object]]
    rows: list[int]  # the rows holding content (values or formulas), ascending: the real extent
    width: int  # the last column holding content; 0 for an empty sheet
    percent: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col)

    def value(self, row: int, col: int) -> object:
        if col > len(self.columns) or row > len(self.columns[col - 1]) or row < 1 or col < 1:
            return None
        return self.columns[col - 1][row - 1]

    def number_format(self, row: int, col: int) -> str:
        return self.percent.get((row, col), GENERAL) if self.percent else GENERAL

    def column(self, col: int) -> list[object]:
        """The values of column `col` on the used rows, in row order."""
        if col < 1 or col > len(self.columns):
            return [None] * len(self.rows)
        values = self.columns[col - 1]
        if len(self.rows) == len(values):  # no blank row: the column as it is
            return values
        return [values[row - 1] for row in self.rows]

    def index_of(self, row: int) -> int | None:
        """Where `row` stands in `rows`, or None when it holds nothing."""
        at = bisect_left(self.rows, row)
        return at if at < len(self.rows) and self.rows[at] == row else None


def _is_content(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


_ROW_NUMBERS: list[int] = []


def shared_row_numbers(rows: list[int]) -> list[int]:
    """The same row numbers, each the one `int` object every sheet read in this process uses for it.

    Why: every record's `SourceRef` holds its row number, and a number above 256 is an object of its
    own (28 bytes); the 绩效指标 sheet, the 实际完成 sheet and the 预算执行 sheet of a million-row
    portfolio made 2.5 million of them for ~1 million distinct numbers. The table grows to the
    longest sheet read and stays (8 bytes a row beside the numbers themselves).
    """
    if not rows:
        return rows
    table = _ROW_NUMBERS
    if rows[-1] >= len(table):
        table.extend(range(len(table), rows[-1] + 1))
    return list(map(table.__getitem__, rows))


def extent(columns: list[list[object]], extra: dict[tuple[int, int], str]) -> tuple[list[list[object]], list[int], int]:
    """(columns cut to the last used row and column and made equally long, used rows, width); cells
    in `extra` (formulas) count as content. A stray blank cell far below costs nothing later."""
    filled: dict[object, bool] = {}  # value → content or not, once per distinct value (True and 1 alike: both are)
    used: list[bool] = []
    width = max((col for _row, col in extra), default=0)
    for index, values in enumerate(columns, start=1):
        distinct = set(values)
        for value in distinct.difference(filled):  # looks up the new ones only, not all of `filled`
            filled[value] = _is_content(value)
        blank = [value for value in distinct if not filled[value]]
        if len(blank) == len(distinct):
            continue  # nothing in this column
        if not blank:  # every cell holds something (a name column): no mask to build cell by cell
            mask: list[bool] = [True] * len(values)
        elif blank == [None]:
            mask = list(map(operator.is_not, values, repeat(None)))  # only empty cells are blank
        else:
            mask = list(map(filled.__getitem__, values))
        width = max(width, index)
        if len(mask) > len(used):
            used.extend([False] * (len(mask) - len(used)))
        used[: len(mask)] = map(operator.or_, used, mask)
    rows = set(compress(count(1), used))
    rows.update(row for row, _col in extra)
    ordered = shared_row_numbers(sorted(rows))
    last = ordered[-1] if ordered else 0
    cut = [values[:last] if len(values) > last else values for values in columns[:width]]
    for values in cut:
        if len(values) < last:
            values.extend([None] * (last - len(values)))
    while len(cut) < width:
        cut.append([None] * last)
    return cut, ordered, width


class Book(Protocol):
    """A workbook as the two readers see it, whichever library read it."""

    sheetnames: list[str]

    def state(self, title: str) -> str: ...

    def sheet(self, title: str) -> SheetValues: ...


def sheet_values_of(formulas_ws: Any, values_ws: Any | None = None) -> SheetValues:
    """An openpyxl sheet loaded with formulas (and, when given, the same sheet's cached values)."""
    formulas: dict[tuple[int, int], str] = {}
    percent: dict[tuple[int, int], str] = {}
    for cell in _cells(formulas_ws):
        if cell.data_type == "f":
            raw = cell.value
            formulas[(cell.row, cell.column)] = str(getattr(raw, "text", raw))  # ArrayFormula keeps .text
    source = formulas_ws if values_ws is None else values_ws
    columns: list[list[object]] = []
    for cell in _cells(source):
        value = cell.value
        if value is None:
            continue
        key = (cell.row, cell.column)
        if values_ws is None and key in formulas:
            continue  # the formulas view holds no cached value
        while len(columns) < cell.column:
            columns.append([])
        values = columns[cell.column - 1]
        if len(values) < cell.row:
            values.extend([None] * (cell.row - len(values)))
        values[cell.row - 1] = value
        fmt = cell.number_format
        if fmt and "%" in fmt:
            from evaluator.ingest.cells import is_percent_format

            if is_percent_format(fmt):
                percent[key] = fmt
    columns, rows, width = extent(columns, formulas)
    last = rows[-1] if rows else 0
    percent = {key: fmt for key, fmt in percent.items() if key[0] <= last and key[1] <= width}
    merged = tuple((r.min_row, r.min_col, r.max_row, r.max_col) for r in formulas_ws.merged_cells.ranges)
    return SheetValues(formulas_ws.title, formulas_ws.sheet_state, columns, rows, width, percent, formulas, merged)


class OpenpyxlBook:
    """One or two openpyxl loads of a workbook (formulas; cached values when the file has formulas)."""

    def __init__(self, formulas_wb: Any, values_wb: Any | None = None) -> None:
        self._formulas = formulas_wb
        self._values = values_wb
        self.sheetnames: list[str] = list(formulas_wb.sheetnames)

    def state(self, title: str) -> str:
        return self._formulas[title].sheet_state

    def sheet(self, title: str) -> SheetValues:
        values = self._values[title] if self._values is not None else None
        return sheet_values_of(self._formulas[title], values)


_SOURCE_REF = record_maker(SourceRef)


def row_refs(file: str, sheet: str) -> Callable[[int], SourceRef]:
    """row → `SourceRef(file, sheet=sheet, row=row)`, cheaply (one per record of a million-row sheet)."""

    def ref(row: int) -> SourceRef:
        return _SOURCE_REF(file, None, sheet, row, None, "sheet")

    return ref


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        return None


def give_back_memory() -> None:
    """Hand the heap's free pages back to the system once a sheet's values are gone.

    Why: glibc keeps freed heap memory for reuse, so a million-row sheet read and dropped left its
    peak in the process's RSS for the rest of the run (at 100,000 rows, 50 MB of 151 after the
    targets workbook). `malloc_trim` costs milliseconds; elsewhere this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
