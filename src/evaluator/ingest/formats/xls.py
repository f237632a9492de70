"""Read an .xls (Excel 97-2003) workbook into grids with python-calamine.

Many units still publish .xls. python-calamine reads them (and xlsx) in Rust without a Python
dependency chain, and gives the merged ranges; it does not give number formats, so a percent
cell arrives as its stored fraction (0.985, not 98.5%) — the grid says so in a note wherever such
a number appears, for the layout and target readers to weigh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.ingest.cells import cell_text, is_excel_error
from evaluator.ingest.formats.build import GridBuilder, column_letter
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef


def read_xls_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Every visible worksheet with content as a grid; hidden ones are named in the first grid's notes."""
    import python_calamine as calamine

    file = file or path.name
    where = SourceRef(file)
    try:
        # From the bytes, not the path: calamine picks its parser from the suffix, and an .xls
        # renamed to .xlsx must still be read as what it is.
        with path.open("rb") as handle:
            workbook = calamine.CalamineWorkbook.from_filelike(handle)
    except calamine.PasswordError:
        raise InputError("文件已加密（设有打开密码），请在 Excel/WPS 中解除密码后另存为 .xlsx 再读取", where) from None
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"文件已损坏，无法作为 .xls 读取（{type(exc).__name__}），请在 Excel/WPS 中另存为 .xlsx", where
        ) from None
    grids: list[Grid] = []
    skipped: list[str] = []
    with workbook:
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                skipped.append(f"已跳过非表格工作表「{meta.name}」")
                continue
            if meta.visible != calamine.SheetVisibleEnum.Visible:
                skipped.append(f"已跳过隐藏的工作表「{meta.name}」（如需读取，请在 Excel/WPS 中取消隐藏）")
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except calamine.CalamineError as exc:
                raise InputError(f"文件已损坏：工作表「{meta.name}」无法读取（{type(exc).__name__}）", where) from None
            grid = _sheet_grid(file, sheet)
            if grid.rows:
                grids.append(grid)
    if not grids:
        raise InputError("工作簿中没有可读取的内容（可见的工作表都是空的或已隐藏）", where)
    if skipped:
        first = grids[0]
        grids[0] = Grid(first.file, first.name, first.kind, first.rows, (*first.notes, *skipped))
    return grids


def _sheet_grid(file: str, sheet: Any) -> Grid:
    title = sheet.name

    def ref(row: int, col: int) -> SourceRef:
        return SourceRef(file, sheet=title, row=row, column=column_letter(col))

    builder = GridBuilder(file, title, "sheet", ref)
    rows = sheet.to_python()
    if not rows or sheet.end is None:
        return builder.build()
    # calamine pads rows (not always columns) from A1; count back from the last used cell instead.
    first_row = sheet.end[0] + 1 - len(rows) + 1
    width = max(len(row) for row in rows)
    first_col = sheet.end[1] + 1 - width + 1
    fraction_seen = False
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            text = cell_text(value)
            if not text:
                continue
            note = f"公式错误：{text}" if isinstance(value, str) and is_excel_error(value) else ""
            typed = None if isinstance(value, str) else value
            fraction_seen |= isinstance(value, float) and 0 < abs(value) < 1
            builder.put(first_row + r, first_col + c, text, value=typed, note=note)
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        builder.widen(top + 1, left + 1, rowspan=bottom - top + 1, colspan=right - left + 1)
    if fraction_seen:
        builder.note(
            f"工作表「{title}」：.xls 文件的数字格式无法读取，0.985 这样的小数在 Excel 中可能显示为 98.5%；"
            "如有疑问请另存为 .xlsx"
        )
    return builder.build(with_spans=False)
