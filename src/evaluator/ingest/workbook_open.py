"""Opening an .xlsx for the declarations and actuals workbook readers, and finding how far its data goes.

Both readers load a whole workbook with openpyxl, so every check that must come before that load
lives here, in one place a faster reader can call as well: what the file really is (an encrypted
workbook, an .xls or .csv renamed to .xlsx and a 0-byte file all used to say 「File is not a zip
file」), how large each sheet unpacks to (a zip bomb, or a million-row sheet that needed 7.7 GB), and
a damaged file named as such instead of an XML parser's English.

`used_rows` and `used_columns` give the real extent of a sheet: one stray cell at K1048576 makes
openpyxl's max_row a million, and walking that range creates every cell in it (124 s, 4.2 GB for
a 126-row file).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.ingest.formats.sniff import require_xlsx
from evaluator.ingest.formats.xlsx import _load
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
    return _load(path, SourceRef(path.name), read_only=False, data_only=data_only)


def _cells(ws: Any) -> Any:
    cells = getattr(ws, "_cells", None)
    if isinstance(cells, dict):
        return cells.values()
    return (cell for row in ws.iter_rows() for cell in row)  # read-only sheets: streamed


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def used_rows(*sheets: Any) -> list[int]:
    """Row numbers (1-based, ascending) holding content in any of `sheets` (a sheet and its formula copy)."""
    rows: set[int] = set()
    for ws in sheets:
        if ws is None:
            continue
        if hasattr(ws, "used_rows"):  # a sheet that knows its own extent (ingest.xlsx_fast)
            rows.update(ws.used_rows())
            continue
        rows.update(cell.row for cell in _cells(ws) if _filled(cell.value))
    return sorted(rows)


def used_columns(*sheets: Any) -> int:
    """The last column (1-based) holding content in any of `sheets`; 0 for empty sheets."""
    last = 0
    for ws in sheets:
        if ws is None:
            continue
        if hasattr(ws, "used_columns"):
            last = max(last, ws.used_columns())
            continue
        for cell in _cells(ws):
            if _filled(cell.value):
                last = max(last, cell.column)
    return last
