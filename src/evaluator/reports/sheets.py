"""Cells of the workbooks the reports write (自评表, 汇总): fills, borders, fonts, row heights.

The 自评表 and the summary workbook are separate report formats and import nothing from each
other; what they share — how a text or number cell is stored and styled, the red/yellow shading,
how tall a wrapped row must be — lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.numbers import round_half_up
from evaluator.ingest.cells import display_units, put_safe_text, wrapped_lines  # noqa: F401 — re-exported

RED_FILL = PatternFill("solid", fgColor="F4CCCC")
YELLOW_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="E7EEF7")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
RIGHT = Alignment(vertical="center", horizontal="right")
NUMBER = "0.00"
LINE_HEIGHT = 15.0  # points per wrapped line at 10.5 pt
FONT_NAME = "宋体"  # what official forms use; other machines substitute their CJK serif


def put_text(cell: Cell, value: str, alignment: Alignment = WRAP, bold: bool = False) -> Cell:
    """Store a string as a string, whatever it starts with (`=100(%)` is a target, not a formula), styled."""
    put_safe_text(cell, value)
    cell.alignment = alignment
    cell.font = Font(name=FONT_NAME, size=10.5, bold=bold)
    return cell


def put_number(cell: Cell, value: float | None, number_format: str = NUMBER, digits: int = 2) -> Cell:
    cell.value = None if value is None else round_half_up(value, digits)
    cell.number_format = number_format
    cell.alignment = RIGHT
    cell.font = Font(name=FONT_NAME, size=10.5)
    return cell


def fit_height(
    ws: Worksheet, row: int, texts: list[tuple[str, float]], minimum: float = 18.0, spare_lines: int = 0
) -> None:
    """Set a row's height for its wrapped texts: spreadsheet programs do not grow rows on opening."""
    lines = max((wrapped_lines(text, width) for text, width in texts if text), default=1) + spare_lines
    ws.row_dimensions[row].height = max(minimum, lines * LINE_HEIGHT + 4)


def write_row(ws: Worksheet, r: int, values: Sequence[object], fill=None) -> None:
    """One bordered table row: numbers as numbers (an int as a count, a float to the cent, (x, "percent")
    as a percentage), None as a blank cell, anything else as text; the height fits the wrapped texts.

    Shared by the 汇总 workbook and the lint workbook, so their rows look and sort the same.
    """
    for k, value in enumerate(values, start=1):
        cell = ws.cell(r, k)
        if isinstance(value, float | int) and not isinstance(value, bool):
            put_number(cell, float(value), "0" if isinstance(value, int) else "0.00")
        elif isinstance(value, tuple):  # (fraction, "percent")
            put_number(cell, value[0], "0.00%", digits=4)
        elif value is None:  # a blank cell, not an empty string: sums and filters treat it as no number
            put_number(cell, None)
        else:
            put_text(cell, "" if value is None else str(value))
        cell.border = BORDER
        if fill is not None:
            cell.fill = fill
    widths = [ws.column_dimensions[ws.cell(r, k).column_letter].width or 9 for k in range(1, len(values) + 1)]
    texts = [(str(v), w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
    fit_height(ws, r, texts)
