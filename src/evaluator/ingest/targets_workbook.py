"""The structured targets workbook (sheets 项目 and 绩效指标): written from and read into Declarations.

This is the hand-editable form of the declared targets: a finance officer can check and correct
what the text reader produced, or fill it in from scratch, and every later stage reads it back.
Texts such as `=100(%)` must stay text — a spreadsheet would otherwise take them for formulas.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import declared_year, write_office_atomically
from evaluator.common.text import label_key, normalize_text, normalized_if_changed
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import InputError
from evaluator.ingest import xlsx_fast
from evaluator.ingest.cells import cell_text, is_excel_error, put_safe_text
from evaluator.ingest.text_form import parse_date
from evaluator.ingest.weight_cell import UnreadableWeight, read_weight
from evaluator.ingest.workbook_open import open_xlsx, used_columns, used_rows
from evaluator.models import Declarations, Indicator, Project, Repair, SourceRef

PROJECT_SHEET = "项目"
INDICATOR_SHEET = "绩效指标"

# (header, Project attribute, kind); kind drives both the cell format and how a cell is read.
PROJECT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("项目名称", "name", "text"),
    ("主管部门", "department", "text"),
    ("实施单位", "implementer", "text"),
    ("项目性质", "nature", "text"),
    ("项目类别", "category", "text"),
    ("计划开始日期", "start_date", "date"),
    ("计划完成日期", "end_date", "date"),
    ("年度资金总额", "total_funds", "money"),
    ("当年财政拨款", "fiscal_funds", "money"),
    ("上年结转资金", "carryover_funds", "money"),
    ("其他资金", "other_funds", "money"),
    ("年度总体目标", "annual_goal", "text"),
)
# Written for completeness; a workbook made by hand may leave it out.
PROJECT_OPTIONAL_COLUMNS: tuple[tuple[str, str, str], ...] = (("年度", "year", "year"),)
INDICATOR_COLUMNS: tuple[str, ...] = ("项目名称", "一级指标", "二级指标", "三级指标", "年度指标值")
INDICATOR_OPTIONAL_COLUMNS: tuple[str, ...] = ("分值",)

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
WEIGHT_FORMAT = "0.00"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTHS = {"text": 22, "date": 14, "money": 18, "year": 8}


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _header(ws: Worksheet, names: list[str], widths: list[int]) -> None:
    for col, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col)
        put_safe_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _build_workbook(decl: Declarations) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = PROJECT_SHEET
    columns = PROJECT_COLUMNS + PROJECT_OPTIONAL_COLUMNS
    _header(ws, [c[0] for c in columns], [50 if c[1] == "annual_goal" else _WIDTHS[c[2]] for c in columns])
    for row, project in enumerate(decl.projects, start=2):
        for col, (_, attr, kind) in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=col)
            value = getattr(project, attr)
            if value is None:
                continue
            if kind == "money":
                cell.value = float(value)
                cell.number_format = MONEY_FORMAT
            elif kind == "date":
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif kind == "year":
                cell.value = int(value)
            else:
                put_safe_text(cell, str(value))
            if attr == "annual_goal":
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet(INDICATOR_SHEET)
    names = list(INDICATOR_COLUMNS + INDICATOR_OPTIONAL_COLUMNS)
    _header(ws, names, [28, 12, 18, 40, 20, 8])
    row = 2
    for project in decl.projects:
        for indicator in project.indicators:
            texts = (project.name, indicator.level1, indicator.level2, indicator.level3, indicator.target_text)
            for col, text in enumerate(texts, start=1):
                put_safe_text(ws.cell(row=row, column=col), text)
            if indicator.weight is not None:
                cell = ws.cell(row=row, column=len(texts) + 1, value=float(indicator.weight))
                cell.number_format = WEIGHT_FORMAT
            row += 1
    return wb


def write_targets_workbook(decl: Declarations, path: Path) -> None:
    """Write the two sheets; the file appears only once it is complete."""
    wb = _build_workbook(decl)
    write_office_atomically(Path(path), wb.save, declared_year(decl))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class _SheetReader:
    """Column lookup by header name, with Chinese messages that name file, sheet, row and column."""

    def __init__(self, file: str, ws: Worksheet, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.file = file
        self.ws = ws
        self.name = ws.title
        # The real extent: a stray cell at K1048576 must not make iter_rows() create a million rows.
        self.used = used_rows(ws)
        self.width = used_columns(ws)
        last = self.used[-1] if self.used else 0
        self.origin: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in ws.merged_cells.ranges:  # a merged 项目名称 holds its text in the top-left cell
            for r in range(merged.min_row, min(merged.max_row, last) + 1):
                for c in range(merged.min_col, min(merged.max_col, self.width) + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        self.origin[(r, c)] = (merged.min_row, merged.min_col)
        header = self._row(1)
        found: dict[str, int] = {}
        for index, cell in enumerate(header):
            if cell.value is not None:
                key = label_key(str(cell.value))
                found.setdefault(key, index)
        missing = [name for name in required if name not in found]
        if missing:
            raise InputError(
                f"缺少列：{'、'.join(missing)}（第1行应为表头：{'、'.join(required)}）",
                SourceRef(file, sheet=self.name, row=1),
            )
        self.index = {name: found[name] for name in required + optional if name in found}

    def ref(self, row: int, column: str | None = None) -> SourceRef:
        return SourceRef(self.file, sheet=self.name, row=row, column=column)

    def _row(self, row: int) -> tuple[Cell, ...]:
        cells = []
        for col in range(1, self.width + 1):
            r, c = self.origin.get((row, col), (row, col))
            cells.append(self.ws.cell(row=r, column=c))
        return tuple(cells)

    def rows(self) -> list[tuple[int, tuple[Cell, ...]]]:
        """The rows below the header with content of their own, cells of merged ranges read from their top-left."""
        return [(number, self._row(number)) for number in self.used if number >= 2]

    def cell(self, cells: tuple[Cell, ...], column: str) -> Cell | None:
        index = self.index.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def _cell_text(reader: _SheetReader, row: int, column: str, cell: Cell | None) -> str:
    """The cell as a person reads it; a failed formula (#N/A, #DIV/0!) is refused, not read as a target."""
    text = "" if cell is None else cell_text(cell.value, cell.number_format)
    if is_excel_error(text):
        raise InputError("单元格是 Excel 错误值（公式出错），请改为填写文字或数字", reader.ref(row, column), text)
    return text


def _cell_money(reader: _SheetReader, row: int, column: str, cell: Cell | None) -> float | None:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, bool):
        raise InputError("金额不是数字", reader.ref(row, column), value)
    if isinstance(value, int | float):
        return float(value)
    text = normalize_text(str(value)).replace(",", "").replace(" ", "").removesuffix("元")
    if cell.data_type == "f" or not _NUMBER.match(text):
        raise InputError("金额不是数字（应填写以元为单位的数字，不能是公式或文字）", reader.ref(row, column), value)
    return float(text)


def _cell_date(reader: _SheetReader, row: int, column: str, cell: Cell | None) -> dt.date | None:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(cell_text(value, cell.number_format), reader.ref(row, column))


def _cell_number(reader: _SheetReader, row: int, column: str, cell: Cell | None, what: str) -> float | None:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = normalize_text(str(value))
    if cell.data_type == "f" or not _NUMBER.match(text):
        raise InputError(f"{what}不是数字", reader.ref(row, column), value)
    return float(text)


def _cell_weight(reader: _SheetReader, row: int, cell: Cell | None, repairs: list[Repair]) -> float | None:
    """分值 in points; a percentage (20% typed, or 0.2 in a percent cell) is 20 of 100, logged."""
    if cell is None:
        return None
    if cell.data_type == "f":
        raise InputError("分值不是数字", reader.ref(row, "分值"), cell.value)
    try:
        points, note = read_weight(cell.value, cell.number_format)
    except UnreadableWeight as err:
        raise InputError(err.message, reader.ref(row, "分值"), err.value) from None
    if note:
        repairs.append(Repair(reader.ref(row, "分值"), cell_text(cell.value, cell.number_format), note))
    return points


def _read_projects(reader: _SheetReader, repairs: list[Repair]) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    rows_of: dict[str, int] = {}
    for row, cells in reader.rows():
        values: dict[str, Any] = {}
        for header, attr, kind in PROJECT_COLUMNS + PROJECT_OPTIONAL_COLUMNS:
            if header not in reader.index:
                continue
            cell = reader.cell(cells, header)
            if kind == "money":
                values[attr] = _cell_money(reader, row, header, cell)
            elif kind == "date":
                values[attr] = _cell_date(reader, row, header, cell)
            elif kind == "year":
                number = _cell_number(reader, row, header, cell, "年度")
                values[attr] = int(number) if number is not None else None
            else:
                values[attr] = _cell_text(reader, row, header, cell)
                _note_formula(reader, row, header, cell, repairs)
        name = values["name"]
        if not name:
            raise InputError("项目名称为空", reader.ref(row, "项目名称"))
        if name in projects:
            raise InputError(f"项目「{name}」重复（第{rows_of[name]}行已有）", reader.ref(row, "项目名称"), name)
        rows_of[name] = row
        projects[name] = Project(source=reader.ref(row), **values)
    if not projects:
        raise InputError("没有任何项目（第2行起应为项目数据）", reader.ref(2))
    return projects


def _note_formula(reader: _SheetReader, row: int, column: str, cell: Cell | None, repairs: list[Repair]) -> None:
    """A text typed as '=100(%)' without a leading apostrophe is stored as a formula: read its text."""
    if cell is not None and cell.data_type == "f":
        repairs.append(
            Repair(reader.ref(row, column), str(cell.value), "单元格被保存为公式，按文字读取（应以文本格式填写）")
        )


def _read_indicators(
    reader: _SheetReader, projects: dict[str, Project], taxonomy: Taxonomy, repairs: list[Repair]
) -> dict[str, list[Indicator]]:
    by_project: dict[str, list[Indicator]] = {name: [] for name in projects}
    seen: dict[tuple[str, str], int] = {}
    for row, cells in reader.rows():
        text = {column: _cell_text(reader, row, column, reader.cell(cells, column)) for column in INDICATOR_COLUMNS}
        for column in INDICATOR_COLUMNS:
            _note_formula(reader, row, column, reader.cell(cells, column), repairs)
        name = text["项目名称"]
        if name not in projects:
            raise InputError(
                f"该指标所属项目「{name}」不在工作表「{PROJECT_SHEET}」中" if name else "项目名称为空",
                reader.ref(row, "项目名称"),
                name or None,
            )
        level3 = text["三级指标"]
        if not level3:
            raise InputError("三级指标为空", reader.ref(row, "三级指标"))
        key = (name, label_key(level3))
        if key in seen:
            raise InputError(
                f"项目「{name}」中三级指标「{level3}」重复（第{seen[key]}行已有），同一项目内三级指标名称必须唯一",
                reader.ref(row, "三级指标"),
                level3,
            )
        seen[key] = row
        level1, level2 = _levels(reader, row, text["一级指标"], text["二级指标"], taxonomy, repairs)
        weight = _cell_weight(reader, row, reader.cell(cells, "分值"), repairs)
        target = text["年度指标值"]
        by_project[name].append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=level3,
                target_text=target,
                weight=weight,
                source=reader.ref(row),
                target_normalized=normalized_if_changed(target),
            )
        )
    return by_project


def _levels(
    reader: _SheetReader, row: int, level1: str, level2: str, taxonomy: Taxonomy, repairs: list[Repair]
) -> tuple[str, str]:
    """Canonical level names; a known second level decides the first (and fills it when empty)."""
    canon2 = taxonomy.canonical_level2(level2) if level2 else None
    canon1 = taxonomy.canonical_level1(level1) if level1 else None
    if canon2 is None:
        if not level2:
            raise InputError("二级指标为空", reader.ref(row, "二级指标"))
        decision = "不是指标体系中的二级指标名称，按原文保留"
        repairs.append(Repair(reader.ref(row, "二级指标"), level2, decision, "warning"))
        if canon1 is None:
            raise InputError("一级指标为空或不是指标体系中的名称", reader.ref(row, "一级指标"), level1 or None)
        return canon1, level2
    expected = taxonomy.level1_of(canon2)
    assert expected is not None
    if canon1 == "成本指标" and canon2 in taxonomy.level2_by_level1.get("成本指标", ()):
        expected = "成本指标"
    if canon1 != expected:
        found = level1 or "（空）"
        repairs.append(
            Repair(
                reader.ref(row, "一级指标"),
                found,
                f"按指标体系由二级指标「{canon2}」确定一级指标为「{expected}」",
            )
        )
    elif level1 != canon1 or level2 != canon2:
        repairs.append(
            Repair(reader.ref(row), f"{level1}／{level2}", f"指标层级名称按指标体系写作「{canon1}／{canon2}」")
        )
    return expected, canon2


def read_targets_workbook(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read a targets workbook written by `write_targets_workbook` or filled in by hand."""
    path = Path(path)
    taxonomy = taxonomy or default_taxonomy()
    file = path.name
    # A large file: calamine values, formats and formulas from the sheet XML (see xlsx_fast); else openpyxl.
    # Both refuse empty, encrypted, renamed, oversized and damaged files.
    wb = xlsx_fast.open_fast(path, formulas=True) or open_xlsx(path, data_only=False)
    for sheet in (PROJECT_SHEET, INDICATOR_SHEET):
        if sheet not in wb.sheetnames:
            raise InputError(
                f"缺少工作表「{sheet}」（现有工作表：{'、'.join(wb.sheetnames)}）", SourceRef(file, sheet=sheet)
            )
    repairs: list[Repair] = []
    project_reader = _SheetReader(file, wb[PROJECT_SHEET], tuple(c[0] for c in PROJECT_COLUMNS), ("年度",))
    projects = _read_projects(project_reader, repairs)
    indicator_reader = _SheetReader(file, wb[INDICATOR_SHEET], INDICATOR_COLUMNS, INDICATOR_OPTIONAL_COLUMNS)
    indicators = _read_indicators(indicator_reader, projects, taxonomy, repairs)
    result = []
    for name, project in projects.items():
        rows = indicators[name]
        if not rows:
            decision = f"该项目在工作表「{INDICATOR_SHEET}」中没有任何指标"
            repairs.append(Repair(project.source or SourceRef(file), name, decision, "warning"))
        result.append(replace(project, indicators=tuple(rows)))
    return Declarations(projects=tuple(result), repairs=tuple(repairs), source_file=str(path))
