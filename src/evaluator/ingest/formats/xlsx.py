"""Read every visible sheet of an .xlsx/.xlsm workbook into grids, with merged cells and real extents.

Published 自评表 workbooks hold one project per sheet, a title and header block above the table and
merged 一级/二级 cells. Three things in such files go wrong with a naive reader and are handled here:
a stray cell far below the table (K1048576) would stretch the sheet to a million rows, so only
cells with content are laid out and far-apart regions become separate grids; a formula saved
without its result reads as an empty cell, so it is kept as a note on that cell; a hidden sheet
(often an old copy) would be read in place of the visible one, so hidden sheets are skipped with
a note.
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from evaluator.errors import InputError
from evaluator.ingest.cells import cell_text, is_excel_error
from evaluator.ingest.formats.build import MAX_GRID_CELLS, GridBuilder, column_letter, split_on_gaps
from evaluator.ingest.formats.sniff import check_unpacked_sizes
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef

# Sheets whose XML unpacks past this are streamed (openpyxl's read-only mode): a full load keeps
# every cell object in memory, some hundred bytes each.
STREAM_PART_BYTES = 20 * 1024 * 1024
# Content this many empty rows (columns) away from the rest of a sheet is a region of its own.
ROW_GAP = 200
COL_GAP = 50

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")
_LOAD_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, zlib.error, SyntaxError)


def read_xlsx_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Every visible sheet with content as grids; hidden sheets and chart sheets are named in the notes."""
    file = file or path.name
    where = SourceRef(file)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            check_unpacked_sizes(path, infos)
            parts = [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            stream = any(part.file_size > STREAM_PART_BYTES for part in parts)
            has_formulas = not stream and any(_FORMULA_TAG.search(archive.read(part)) for part in parts)
    except _LOAD_ERRORS:
        raise InputError("文件已损坏（压缩包结构不完整），请重新获取原文件或在 Excel/WPS 中另存", where) from None
    values = load_openpyxl(path, where, read_only=stream, data_only=True)
    formulas = load_openpyxl(path, where, read_only=False, data_only=False) if has_formulas else None
    grids: list[Grid] = []
    skipped: list[str] = []
    for ws in values.worksheets:
        if ws.sheet_state != "visible":
            skipped.append(f"已跳过隐藏的工作表「{ws.title}」（如需读取，请在 Excel/WPS 中取消隐藏）")
            continue
        formula_ws = formulas[ws.title] if formulas is not None else None
        try:
            grids.extend(_sheet_grids(path, file, ws, formula_ws, stream))
        except (ParseError, zlib.error, EOFError, zipfile.BadZipFile) as exc:
            raise InputError(
                f"文件已损坏：工作表「{ws.title}」的内容不完整（{type(exc).__name__}），请重新获取原文件", where
            ) from None
    skipped += [f"已跳过图表工作表「{sheet.title}」（其中没有表格）" for sheet in values.chartsheets]
    if not grids:
        if skipped and not any(ws.sheet_state == "visible" for ws in values.worksheets):
            raise InputError("工作簿中的工作表都已隐藏，请在 Excel/WPS 中取消隐藏后再读取", where)
        raise InputError("工作簿中没有可读取的内容（可见的工作表都是空的）", where)
    if skipped:
        first = grids[0]
        grids[0] = Grid(first.file, first.name, first.kind, first.rows, (*first.notes, *skipped))
    return grids


def load_openpyxl(path: Path, where: SourceRef, *, read_only: bool, data_only: bool) -> Any:
    """openpyxl's load with its failures turned into Chinese InputErrors naming the file (or the bad cell).

    The one place a workbook is loaded by openpyxl, shared by the grid reader and the engine's own
    workbook readers, so a damaged or unreadable file gets the same message on every route.
    """
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except _LOAD_ERRORS as exc:
        bad = _unreadable_number(path) if isinstance(exc, ValueError) else None
        if bad is not None:
            sheet, row, column, text = bad
            raise InputError(
                "单元格保存的数值无法读取（不是数字，如 NaN/INF）；请在 Excel/WPS 中改正该单元格后另存",
                SourceRef(where.file, sheet=sheet, row=row, column=column),
                text,
            ) from None
        raise InputError(
            f"文件已损坏，无法作为 .xlsx 读取（{type(exc).__name__}），请在 Excel/WPS 中打开后另存为 .xlsx", where
        ) from None


_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _unreadable_number(path: Path) -> tuple[str, int | None, str | None, str] | None:
    """The first numeric cell whose stored value is no number (a cached NaN or INF that openpyxl
    refuses with a bare ValueError), as (sheet name, row, column, stored text)."""
    from xml.etree.ElementTree import fromstring

    try:
        with zipfile.ZipFile(path) as archive:
            rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
            workbook = fromstring(archive.read("xl/workbook.xml"))
            for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
                target = targets.get(sheet.get(f"{_REL_NS}id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                with archive.open(part) as source:
                    for _, element in iterparse(source):
                        if element.tag == f"{_MAIN_NS}c" and element.get("t", "n") == "n":
                            value = element.find(f"{_MAIN_NS}v")
                            text = (value.text or "").strip() if value is not None else ""
                            if text and not _NUMBER.match(text):
                                match = _CELL_REF.match(element.get("r", ""))
                                row, column = (int(match.group(2)), match.group(1)) if match else (None, None)
                                return sheet.get("name", ""), row, column, text
                        if element.tag == f"{_MAIN_NS}row":
                            element.clear()
    except (KeyError, ParseError, zipfile.BadZipFile, OSError):
        return None
    return None


def _sheet_grids(path: Path, file: str, ws: Any, formula_ws: Any, stream: bool) -> list[Grid]:
    title = ws.title

    def ref(row: int, col: int) -> SourceRef:
        return SourceRef(file, sheet=title, row=row, column=column_letter(col))

    builder = GridBuilder(file, title, "sheet", ref)
    if stream:
        _stream_cells(builder, ws, file)
        merges = _streamed_merges(path, ws)
        builder.note(f"工作表「{title}」较大，已按流式读取；未检查没有计算结果的公式")
    else:
        _load_cells(builder, ws, formula_ws)
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    _apply_merges(builder, merges)
    boxes = split_on_gaps(builder.content_positions(), ROW_GAP, COL_GAP)
    grids = []
    for index, box in enumerate(boxes):
        extra = ()
        if index:
            extra = (
                f"工作表「{title}」第{box.top}行「{column_letter(box.left)}」列起另有内容，"
                "与其余内容相隔很远，已作为单独的表格读取",
            )
        grids.append(builder.build(box, extra_notes=extra))
    return grids


def _load_cells(builder: GridBuilder, ws: Any, formula_ws: Any) -> None:
    # openpyxl keeps a sheet's cells in `_cells`; walking it visits only cells that exist, whereas
    # iter_rows() creates every position up to max_row (a stray K1048576 cell: 11 million of them).
    cells = getattr(ws, "_cells", None)
    found = cells.values() if isinstance(cells, dict) else (c for row in ws.iter_rows() for c in row)
    formula_cells = getattr(formula_ws, "_cells", {}) if formula_ws is not None else {}
    for cell in found:
        value = cell.value
        note = ""
        if value is None:
            formula = formula_cells.get((cell.row, cell.column))
            if formula is not None and isinstance(formula.value, str) and formula.value.startswith("="):
                note = f"公式「{formula.value}」没有保存计算结果（请在 Excel/WPS 中打开、重新计算并保存）"
            else:
                continue
        _put(builder, cell.row, cell.column, value, cell.number_format, cell.data_type, note)


def _stream_cells(builder: GridBuilder, ws: Any, file: str) -> None:
    ws.reset_dimensions()  # the <dimension> tag may claim A1:XFD1048576; read the rows that are there
    count = 0
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            count += 1
            if count > MAX_GRID_CELLS:
                raise InputError(
                    f"工作表「{ws.title}」的单元格超过 {MAX_GRID_CELLS} 个，不是可读取的绩效表格；"
                    "请只保留表格内容后另存",
                    SourceRef(file, sheet=ws.title),
                )
            _put(builder, cell.row, cell.column, value, cell.number_format, cell.data_type, "")


def _put(
    builder: GridBuilder, row: int, col: int, value: object, number_format: str, data_type: str, note: str
) -> None:
    text = cell_text(value, number_format)
    if data_type == "e" or (isinstance(value, str) and is_excel_error(value)):
        note = f"公式错误：{text}"
    elif isinstance(value, float) and not math.isfinite(value):
        note = f"单元格保存的值是 {value!r}，无法显示为数字"
    typed = None if isinstance(value, str) else value
    if text or note:
        builder.put(row, col, text, value=typed, note=note)


def _apply_merges(builder: GridBuilder, merges: list[tuple[int, int, int, int]]) -> None:
    """Give each merged region's top-left cell its spans (an empty top-left still covers its region)."""
    for min_row, min_col, max_row, max_col in merges:
        builder.widen(min_row, min_col, rowspan=max_row - min_row + 1, colspan=max_col - min_col + 1)


def _streamed_merges(path: Path, ws: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a streamed sheet, read from its XML (openpyxl's read-only sheets do not keep them)."""
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return []
    merges = []
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell") or element.tag == "mergeCell":
                match = _MERGE_REF.match(element.get("ref", ""))
                if match:
                    left, top, right, bottom = match.groups()
                    merges.append((int(top), _column_index(left), int(bottom), _column_index(right)))
            element.clear()
    return merges


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index
