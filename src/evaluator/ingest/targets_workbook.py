"""The structured targets workbook (sheets 项目 and 绩效指标): written from and read into Declarations.

This is the hand-editable form of the declared targets: a finance officer can check and correct
what the text reader produced, or fill it in from scratch, and every later stage reads it back.
Texts such as `=100(%)` must stay text — a spreadsheet would otherwise take them for formulas.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import declared_year, write_office_atomically
from evaluator.common.records import record_maker
from evaluator.common.text import label_key, normalize_text, normalized_if_changed
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import InputError
from evaluator.ingest import xlsx_fast
from evaluator.ingest.cells import cell_text, column_texts, convert_column, is_excel_error, put_safe_text
from evaluator.ingest.text_form import parse_date
from evaluator.ingest.weight_cell import UnreadableWeight, read_weight
from evaluator.ingest.workbook_open import (
    GENERAL,
    OpenpyxlBook,
    SheetValues,
    give_back_memory,
    open_xlsx,
    row_refs,
)
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
INDICATOR_OPTIONAL_COLUMNS: tuple[str, ...] = ("分值", "行类型")
# 行类型: written only when a declaration has such rows, so that a 其中 row or a numbered parent row
# read from a published table stays unscored after `parse` → `score` (without it they came back as
# ordinary indicators and were scored). The words are the file format's, read back below.
ROW_KIND_COLUMN = "行类型"
SUB_ROW_KIND = "其中分项（不计分）"
PARENT_ROW_KIND = "分项父行（其下{parts}项之和，不计分）"
_PARENT_PARTS = re.compile(r"其下\s*(\d+)\s*项")

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
    kinds = any(not i.scored for p in decl.projects for i in p.indicators)
    names = list(INDICATOR_COLUMNS + INDICATOR_OPTIONAL_COLUMNS)
    _header(ws, names if kinds else names[:-1], [28, 12, 18, 40, 20, 8, 30] if kinds else [28, 12, 18, 40, 20, 8])
    row = 2
    for project in decl.projects:
        for indicator in project.indicators:
            texts = (project.name, indicator.level1, indicator.level2, indicator.level3, indicator.target_text)
            for col, text in enumerate(texts, start=1):
                put_safe_text(ws.cell(row=row, column=col), text)
            if indicator.weight is not None:
                cell = ws.cell(row=row, column=len(texts) + 1, value=float(indicator.weight))
                cell.number_format = WEIGHT_FORMAT
            if kinds and not indicator.scored:
                kind = SUB_ROW_KIND if indicator.sub_row else PARENT_ROW_KIND.format(parts=indicator.parts)
                put_safe_text(ws.cell(row=row, column=len(texts) + 2), kind)
            row += 1
    return wb


def write_targets_workbook(decl: Declarations, path: Path) -> None:
    """Write the two sheets; the file appears only once it is complete."""
    wb = _build_workbook(decl)
    write_office_atomically(Path(path), wb.save, declared_year(decl))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """What the cell readers ask of one cell: openpyxl's `value`, `number_format`, `data_type`."""

    value: object
    number_format: str
    data_type: str


class _SheetReader:
    """Column lookup by header name, with Chinese messages that name file, sheet, row and column.

    Rows are read two ways, with the same result: a row with a merged, formula or percent-formatted
    cell cell by cell (`row_cells`), every other row from whole columns converted once per distinct
    value (`texts`, `values`) — the cell-by-cell readers of such a row would see plain values only.
    """

    def __init__(self, file: str, sheet: SheetValues, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.file = file
        self.sheet = sheet
        self.name = sheet.title
        # The real extent: a stray cell at K1048576 must not make the reader walk a million rows.
        self.used = [row for row in sheet.rows if row >= 2]
        self.width = sheet.width
        last = sheet.rows[-1] if sheet.rows else 0
        self.origin: dict[tuple[int, int], tuple[int, int]] = {}
        special: set[int] = {row for row, col in (*sheet.formulas, *sheet.percent) if col <= self.width}
        for min_row, min_col, max_row, max_col in sheet.merged:  # a merged 项目名称 holds its text in the top-left cell
            for r in range(min_row, min(max_row, last) + 1):
                for c in range(min_col, min(max_col, self.width) + 1):
                    if (r, c) != (min_row, min_col):
                        self.origin[(r, c)] = (min_row, min_col)
                        special.add(r)
        self.special = special
        found: dict[str, int] = {}
        for index, cell in enumerate(self.row_cells(1)):
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
        self.refs = row_refs(file, self.name)

    def ref(self, row: int, column: str | None = None) -> SourceRef:
        return self.refs(row) if column is None else SourceRef(self.file, sheet=self.name, row=row, column=column)

    def _cell(self, row: int, col: int) -> _Cell:
        sheet = self.sheet
        r, c = self.origin.get((row, col), (row, col))
        formula = sheet.formulas.get((r, c)) if sheet.formulas else None
        if formula is not None:
            return _Cell(formula, sheet.number_format(r, c), "f")
        value = sheet.value(r, c)
        return _Cell(value, sheet.number_format(r, c), "s" if isinstance(value, str) else "n")

    def row_cells(self, row: int) -> tuple[_Cell, ...]:
        """One row's cells, those of merged ranges read from their top-left."""
        return tuple(self._cell(row, col) for col in range(1, self.width + 1))

    def cell(self, cells: tuple[_Cell, ...], column: str) -> _Cell | None:
        index = self.index.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def values(self, column: str) -> list[object] | None:
        """The raw values of a column on the rows below the header; None when the column is absent."""
        index = self.index.get(column)
        if index is None:
            return None
        values = self.sheet.column(index + 1)
        skip = len(self.sheet.rows) - len(self.used)  # the header row
        return values[skip:] if skip else values

    def texts(self, column: str, *, shared: bool = False) -> list[str]:
        """`_cell_text` of every row below the header, rows with an Excel error value marked special;
        `shared` as in `column_texts` (names the actuals workbook repeats)."""
        values = self.values(column)
        if values is None:
            return [""] * len(self.used)
        texts = column_texts(values, shared=shared)
        errors = {text for text in set(texts) if is_excel_error(text)}
        if errors:
            self.special.update(row for row, text in zip(self.used, texts, strict=True) if text in errors)
        return texts


def _cell_text(reader: _SheetReader, row: int, column: str, cell: _Cell | None) -> str:
    """The cell as a person reads it; a failed formula (#N/A, #DIV/0!) is refused, not read as a target."""
    text = "" if cell is None else cell_text(cell.value, cell.number_format)
    if is_excel_error(text):
        raise InputError("单元格是 Excel 错误值（公式出错），请改为填写文字或数字", reader.ref(row, column), text)
    return text


def _cell_money(reader: _SheetReader, row: int, column: str, cell: _Cell | None) -> float | None:
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


def _cell_date(reader: _SheetReader, row: int, column: str, cell: _Cell | None) -> dt.date | None:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(cell_text(value, cell.number_format), reader.ref(row, column))


def _cell_number(reader: _SheetReader, row: int, column: str, cell: _Cell | None, what: str) -> float | None:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return None
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = normalize_text(str(value))
    if cell.data_type == "f" or not _NUMBER.match(text):
        raise InputError(f"{what}不是数字", reader.ref(row, column), value)
    return float(text)


def _cell_weight(reader: _SheetReader, row: int, cell: _Cell | None, repairs: list[Repair]) -> float | None:
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


_CELL = object()  # a value the column readers leave to the cell readers (text in a money column …)


def _blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _plain_money(value: object) -> object:
    if _blank(value):
        return None
    return float(value) if type(value) is int or type(value) is float else _CELL  # type: ignore[arg-type]


def _plain_date(value: object) -> object:
    if _blank(value):
        return None
    if type(value) is dt.datetime:
        return value.date()  # type: ignore[union-attr]
    return value if type(value) is dt.date else _CELL


def _plain_year(value: object) -> object:
    if _blank(value):
        return None
    return int(float(value)) if type(value) is int or type(value) is float else _CELL  # type: ignore[arg-type]


_PLAIN = {"money": _plain_money, "date": _plain_date, "year": _plain_year}


def _project_values(reader: _SheetReader, row: int, repairs: list[Repair]) -> dict[str, Any]:
    """One 项目 row read cell by cell (a row with a merged, formula, percent or unusual cell)."""
    cells = reader.row_cells(row)
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
    return values


def _read_projects(reader: _SheetReader, repairs: list[Repair]) -> dict[str, dict[str, Any]]:
    """name → the Project's fields (source included): the record itself is made once its indicators are read."""
    columns: list[tuple[str, list[object]]] = []
    for header, attr, kind in PROJECT_COLUMNS + PROJECT_OPTIONAL_COLUMNS:
        if header not in reader.index:
            continue
        if kind == "text":
            columns.append((attr, reader.texts(header, shared=attr == "name")))  # type: ignore[arg-type]
            continue
        converted = convert_column(reader.values(header) or [], _PLAIN[kind])
        if _CELL in converted:
            reader.special.update(row for row, value in zip(reader.used, converted, strict=True) if value is _CELL)
        columns.append((attr, converted))
    special = reader.special
    projects: dict[str, dict[str, Any]] = {}
    rows_of: dict[str, int] = {}
    for index, row in enumerate(reader.used):
        if row in special:
            values = _project_values(reader, row, repairs)
        else:
            values = {attr: column[index] for attr, column in columns}
        name = values["name"]
        if not name:
            raise InputError("项目名称为空", reader.ref(row, "项目名称"))
        if name in projects:
            raise InputError(f"项目「{name}」重复（第{rows_of[name]}行已有）", reader.ref(row, "项目名称"), name)
        rows_of[name] = row
        values["source"] = reader.ref(row)
        projects[name] = values
    if not projects:
        raise InputError("没有任何项目（第2行起应为项目数据）", reader.ref(2))
    return projects


def _note_formula(reader: _SheetReader, row: int, column: str, cell: _Cell | None, repairs: list[Repair]) -> None:
    """A text typed as '=100(%)' without a leading apostrophe is stored as a formula: read its text."""
    if cell is not None and cell.data_type == "f":
        repairs.append(
            Repair(reader.ref(row, column), str(cell.value), "单元格被保存为公式，按文字读取（应以文本格式填写）")
        )


_make_indicator = record_maker(Indicator)
_SHARED_COLUMNS = ("项目名称", "三级指标")  # the actuals workbook writes them again on every row


def _read_indicators(
    reader: _SheetReader, projects: dict[str, dict[str, Any]], taxonomy: Taxonomy, repairs: list[Repair]
) -> dict[str, list[Indicator]]:
    """Every indicator row, in row order, with the checks, repairs and errors of each in turn.

    The work that depends on a value alone — its text, its label key, the cleaned target, the
    level names' canonical forms and the repairs they need, a weight — is done once per distinct
    value; each row then only looks its values up and builds its record.
    """
    names, levels1, levels2, levels3, targets = (
        reader.texts(column, shared=column in _SHARED_COLUMNS) for column in INDICATOR_COLUMNS
    )
    weights = reader.values("分值")
    kinds = reader.texts(ROW_KIND_COLUMN)
    kind_of: dict[str, tuple[bool, int, str]] = {}
    special = reader.special
    by_project: dict[str, list[Indicator]] = {name: [] for name in projects}
    seen: dict[tuple[str, str], int] = {}
    keys: dict[str, str] = {}
    cleaned: dict[str, str | None] = {}
    plans: dict[tuple[str, str], _LevelPlan] = {}
    weight_of: dict[object, tuple[float | None, str, str]] = {}
    refs = reader.refs
    weights = weights if weights is not None else [None] * len(reader.used)
    by_row = zip(reader.used, names, levels1, levels2, levels3, targets, weights, kinds, strict=True)
    for row, name, level1, level2, level3, target, weight_value, kind_text in by_row:
        weight_cell: _Cell | None = None
        if row in special:
            cells = reader.row_cells(row)
            text = {column: _cell_text(reader, row, column, reader.cell(cells, column)) for column in INDICATOR_COLUMNS}
            for column in INDICATOR_COLUMNS:
                _note_formula(reader, row, column, reader.cell(cells, column), repairs)
            name, level1, level2, level3, target = (text[column] for column in INDICATOR_COLUMNS)
            weight_cell = reader.cell(cells, "分值")
        if name not in by_project:
            raise InputError(
                f"该指标所属项目「{name}」不在工作表「{PROJECT_SHEET}」中" if name else "项目名称为空",
                reader.ref(row, "项目名称"),
                name or None,
            )
        if not level3:
            raise InputError("三级指标为空", reader.ref(row, "三级指标"))
        level_key = keys.get(level3)
        if level_key is None:
            level_key = keys[level3] = label_key(level3)
        key = (name, level_key)
        if key in seen:
            raise InputError(
                f"项目「{name}」中三级指标「{level3}」重复（第{seen[key]}行已有），同一项目内三级指标名称必须唯一",
                reader.ref(row, "三级指标"),
                level3,
            )
        seen[key] = row
        plan = plans.get((level1, level2))
        if plan is None:
            plan = _level_plan(reader, row, level1, level2, taxonomy)
            plans[(level1, level2)] = plan
        for column, found, decision, kind in plan.notes:
            repairs.append(Repair(reader.ref(row, column), found, decision, kind))
        if row in special:
            weight = _cell_weight(reader, row, weight_cell, repairs)
        elif weight_value is None:
            weight = None
        else:
            weight = _plain_weight(reader, row, weight_value, weight_of, repairs)
        normalized = cleaned.get(target, _CELL)
        if normalized is _CELL:
            normalized = cleaned[target] = normalized_if_changed(target)
        kind = kind_of.get(kind_text)
        if kind is None:
            kind = kind_of[kind_text] = _row_kind(kind_text)
        sub_row, parts, problem = kind
        if problem:
            repairs.append(Repair(reader.ref(row, ROW_KIND_COLUMN), kind_text, problem, "warning"))
        by_project[name].append(
            _make_indicator(
                plan.level1, plan.level2, level3, target, weight, refs(row), normalized, None, None, "", sub_row, parts
            )
        )
    return by_project


def _row_kind(text: str) -> tuple[bool, int, str]:
    """(sub_row, parts, warning) of a 行类型 cell; an unknown word keeps the row an ordinary indicator."""
    text = text.strip()
    if not text:
        return False, 0, ""
    if "其中" in text:
        return True, 0, ""
    found = _PARENT_PARTS.search(text)
    if found and int(found.group(1)) > 0:
        return False, int(found.group(1)), ""
    words = f"「{SUB_ROW_KIND}」或「{PARENT_ROW_KIND.format(parts='N')}」"
    return False, 0, f"行类型无法识别（应为空、{words}），按普通指标读取并计分"


def _plain_weight(
    reader: _SheetReader,
    row: int,
    value: object,
    known: dict[object, tuple[float | None, str, str]],
    repairs: list[Repair],
) -> float | None:
    """`_cell_weight` of a cell without formula or percent format, read once per distinct value."""
    if type(value) is bool:
        return _cell_weight(reader, row, _Cell(value, GENERAL, "n"), repairs)
    found = known.get(value)
    if found is None:
        try:
            points, note = read_weight(value, GENERAL)
        except UnreadableWeight as err:
            raise InputError(err.message, reader.ref(row, "分值"), err.value) from None
        found = known[value] = (points, note, cell_text(value, GENERAL) if note else "")
    points, note, shown = found
    if note:
        repairs.append(Repair(reader.ref(row, "分值"), shown, note))
    return points


@dataclass(frozen=True, slots=True)
class _LevelPlan:
    """What a (一级指标, 二级指标) pair as written becomes, and the repairs it needs on every row."""

    level1: str
    level2: str
    notes: tuple[tuple[str | None, str, str, str], ...] = ()  # (column or None for the row, found, decision, kind)


def _level_plan(reader: _SheetReader, row: int, level1: str, level2: str, taxonomy: Taxonomy) -> _LevelPlan:
    """Canonical level names; a known second level decides the first (and fills it when empty).

    Depends on the two names only, so it is worked out once per pair; `row` only names the place
    of a refusal, which stops the reading at the first row that has it.
    """
    canon2 = taxonomy.canonical_level2(level2) if level2 else None
    canon1 = taxonomy.canonical_level1(level1) if level1 else None
    if canon2 is None:
        if not level2:
            raise InputError("二级指标为空", reader.ref(row, "二级指标"))
        if canon1 is None:
            raise InputError("一级指标为空或不是指标体系中的名称", reader.ref(row, "一级指标"), level1 or None)
        return _LevelPlan(
            canon1, level2, (("二级指标", level2, "不是指标体系中的二级指标名称，按原文保留", "warning"),)
        )
    expected = taxonomy.level1_of(canon2)
    assert expected is not None
    if canon1 == "成本指标" and canon2 in taxonomy.level2_by_level1.get("成本指标", ()):
        expected = "成本指标"
    if canon1 != expected:
        found = level1 or "（空）"
        decision = f"按指标体系由二级指标「{canon2}」确定一级指标为「{expected}」"
        return _LevelPlan(expected, canon2, (("一级指标", found, decision, "repair"),))
    if level1 != canon1 or level2 != canon2:
        decision = f"指标层级名称按指标体系写作「{canon1}／{canon2}」"
        return _LevelPlan(expected, canon2, ((None, f"{level1}／{level2}", decision, "repair"),))
    return _LevelPlan(expected, canon2)


def read_targets_workbook(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read a targets workbook written by `write_targets_workbook` or filled in by hand."""
    path = Path(path)
    taxonomy = taxonomy or default_taxonomy()
    file = path.name
    # A large file: calamine values, formats and formulas from the sheet XML (see xlsx_fast); else openpyxl.
    # Both refuse empty, encrypted, renamed, oversized and damaged files.
    book = xlsx_fast.open_book(path, lambda: OpenpyxlBook(open_xlsx(path, data_only=False)))
    for sheet in (PROJECT_SHEET, INDICATOR_SHEET):
        if sheet not in book.sheetnames:
            raise InputError(
                f"缺少工作表「{sheet}」（现有工作表：{'、'.join(book.sheetnames)}）", SourceRef(file, sheet=sheet)
            )
    repairs: list[Repair] = []
    project_reader = _SheetReader(file, book.sheet(PROJECT_SHEET), tuple(c[0] for c in PROJECT_COLUMNS), ("年度",))
    projects = _read_projects(project_reader, repairs)
    del project_reader  # each sheet's values go as soon as its records exist
    give_back_memory()
    indicator_reader = _SheetReader(file, book.sheet(INDICATOR_SHEET), INDICATOR_COLUMNS, INDICATOR_OPTIONAL_COLUMNS)
    indicators = _read_indicators(indicator_reader, projects, taxonomy, repairs)
    del indicator_reader
    give_back_memory()
    result = []
    for name, values in projects.items():
        rows = indicators[name]
        if not rows:
            decision = f"该项目在工作表「{INDICATOR_SHEET}」中没有任何指标"
            repairs.append(Repair(values["source"] or SourceRef(file), name, decision, "warning"))
        result.append(Project(indicators=tuple(rows), **values))
    return Declarations(projects=tuple(result), repairs=tuple(repairs), source_file=str(path))
