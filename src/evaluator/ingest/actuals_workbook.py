"""The year-end actuals workbook: its sheets and columns, and the reader for what comes back filled in.

The template a unit fills in is written by `actuals_template`, from the layout defined here.

The reader is written for workbooks that have passed through a person's hands: rows reordered or
padded with blank lines, columns moved, numbers typed as text, percentages stored as fractions,
dates stored as dates, merged name cells, formulas never recalculated. Whatever it cannot take at
face value it records as a Repair; whatever it cannot trust at all it refuses with a Chinese error
that names the file, sheet, row and value.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from evaluator.common.numbers import round_half_up
from evaluator.common.records import record_maker
from evaluator.common.text import fold_key
from evaluator.errors import InputError
from evaluator.ingest import xlsx_fast
from evaluator.ingest.cells import UncalculatedFormula, cell_text, column_texts
from evaluator.ingest.workbook_open import (
    Book,
    OpenpyxlBook,
    SheetValues,
    give_back_memory,
    open_xlsx,
    row_refs,
)
from evaluator.models import ActualRow, Actuals, BudgetPart, BudgetRow, Repair, SourceRef

ACTUALS_SHEET = "实际完成"
BUDGET_SHEET = "预算执行"
GUIDE_SHEET = "填写说明"

TIER_CHOICES = ("达成", "部分达成", "未达成")
OVERACHIEVE_CHOICES = ("指标值设定偏低", "实际工作需要", "政策调整", "其他")

# Canonical header → accepted spellings (compared after _header_key). First entry is what the template writes.
ACTUALS_HEADERS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称", "项目"),
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "target": ("年度指标值", "年度(/项目)指标值", "年度/项目指标值", "指标值", "年度目标值"),
    "actual": ("实际完成值", "实际值", "全年实际完成值", "完成值"),
    "last_year": ("上年实际值", "上年实际完成值", "上年值", "上年度实际值"),
    "tier": ("完成档次", "档次"),
    "points": ("评定得分", "得分"),
    "deviation": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "偏差原因及改进措施"),
    "overachieve": ("超额原因", "超额完成原因"),
}
ACTUALS_REQUIRED = ("project", "level3", "actual")
REFERENCE_FIELDS = ("project", "level1", "level2", "level3", "target")
INPUT_FIELDS = ("actual", "last_year", "tier", "points", "deviation", "overachieve")

BUDGET_HEADERS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称", "项目"),
    "fund": ("资金来源", "资金性质", "项目资金", "资金类别"),
    "initial": ("年初预算数", "年初预算"),
    "adjusted": ("全年预算数", "全年预算", "调整后预算数"),
    "executed": ("全年执行数", "全年执行", "实际执行数", "执行数"),
}
BUDGET_AMOUNTS = ("initial", "adjusted", "executed")
FUND_TOTAL = "年度资金总额"
FUND_PARTS = ("当年财政拨款", "上年结转资金", "其他资金")
# What people write in the 资金来源 column → canonical label ("" = the 年度资金总额 row).
_FUND_ALIASES = {
    "": "",
    "年度资金总额": "",
    "资金总额": "",
    "合计": "",
    "小计": "",
    "总计": "",
    "当年财政拨款": "当年财政拨款",
    "财政拨款": "当年财政拨款",
    "本年财政拨款": "当年财政拨款",
    "上年结转资金": "上年结转资金",
    "上年结转": "上年结转资金",
    "结转资金": "上年结转资金",
    "其他资金": "其他资金",
    "其他": "其他资金",
}


_UNIT_SUFFIX = re.compile(r"[(\[]([^()\[\]]*)[)\]]$")
_HEADER_SCAN_ROWS = 15


def _header_key(text: object) -> tuple[str, str]:
    """A header cell as (name, unit suffix): ' 全年预算数（万元）' → ('全年预算数', '万元')."""
    if text is None:
        return "", ""
    name = fold_key(str(text)).rstrip("*")
    unit = ""
    match = _UNIT_SUFFIX.search(name)
    if match and match.start() > 0:
        unit = match.group(1)
        name = name[: match.start()]
    return name, unit


def _accepted(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for field, names in aliases.items():
        for alias in names:
            table.setdefault(_header_key(alias)[0], field)
    return table


_ACTUALS_ACCEPTED = _accepted(ACTUALS_HEADERS)
_BUDGET_ACCEPTED = _accepted(BUDGET_HEADERS)


@dataclass(frozen=True, slots=True)
class _Cell:
    value: object
    number_format: str


class _Grid:
    """A sheet's values with merged ranges resolved to their top-left value.

    Rows are read two ways with the same result: a row that a merged range or a formula touches cell
    by cell (`cell`, `own`, `uncalculated_formula`), every other row from whole columns converted
    once per distinct value (`texts`).
    """

    def __init__(self, sheet: SheetValues) -> None:
        self.sheet = sheet
        self.rows = sheet.rows  # rows holding content: the real extent, not openpyxl's max_row
        self.max_column = sheet.width
        last_row = self.rows[-1] if self.rows else 0
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        special: set[int] = {row for row, _col in sheet.formulas}
        for min_row, min_col, max_row, max_col in sheet.merged:
            for row in range(min_row, min(max_row, last_row) + 1):
                special.add(row)
                for col in range(min_col, min(max_col, self.max_column) + 1):
                    origin[(row, col)] = (min_row, min_col)
        self.merged_origin = origin
        self.special = special
        self._percent: dict[int, list[tuple[int, str]]] = {}  # column → its percent-formatted cells
        for (row, col), fmt in sheet.percent.items():
            self._percent.setdefault(col, []).append((row, fmt))

    def origin(self, row: int, col: int) -> tuple[int, int]:
        return self.merged_origin.get((row, col), (row, col))

    def own(self, row: int, col: int) -> bool:
        """False for a cell that only inherits a merged range's value."""
        return self.origin(row, col) == (row, col)

    def value(self, row: int, col: int) -> object:
        """The cell's own value (a merged range's other cells hold none)."""
        return self.sheet.value(row, col)

    def cell(self, row: int, col: int) -> _Cell:
        r, c = self.origin(row, col)
        return _Cell(self.sheet.value(r, c), self.sheet.number_format(r, c))

    def rows_after(self, row: int) -> list[int]:
        return [r for r in self.rows if r > row]

    def uncalculated_formula(self, row: int, col: int) -> str | None:
        """The formula text when the cell is a formula whose result was never cached."""
        r, c = self.origin(row, col)
        formula = self.sheet.formulas.get((r, c)) if self.sheet.formulas else None
        if formula is None or self.sheet.value(r, c) is not None:
            return None
        return formula if formula.startswith("=") else None

    def texts(self, col: int | None, after: int, *, shared: bool = False) -> tuple[list[str], list[object]]:
        """(texts, raw values) of column `col` on the rows below row `after`, as `cell_text` reads them
        (percent-formatted cells as 98.5%); rows in `special` are read again cell by cell. `shared`
        as in `column_texts`: names the targets workbook holds too."""
        sheet = self.sheet
        skip = sum(1 for row in self.rows if row <= after)
        if col is None:
            blank = [""] * (len(self.rows) - skip)
            return blank, [None] * len(blank)
        values = sheet.column(col)
        values = values[skip:] if skip else values
        texts = column_texts(values, shared=shared)
        for row, fmt in self._percent.get(col, ()):
            index = sheet.index_of(row) if row > after else None
            if index is not None:
                texts[index - skip] = cell_text(values[index - skip], fmt)
        return texts, values


def _open(path: Path) -> Book:
    """The workbook: calamine's reading of a large file, else openpyxl's.

    openpyxl gives a formula's cached result only in the data_only load, and whether a formula is
    there at all only in the other one; the second load is skipped for the common formula-free
    workbook.
    """
    if not path.exists():
        raise InputError("找不到实际完成值工作簿", value=str(path))

    def slow() -> Book:
        formulas = open_xlsx(path, data_only=False)
        if not _has_formulas(formulas):
            return OpenpyxlBook(formulas)
        return OpenpyxlBook(formulas, open_xlsx(path, data_only=True))

    return xlsx_fast.open_book(path, slow)


def _has_formulas(wb) -> bool:
    # `_cells` holds only the cells the file has; iter_rows() would create every one up to max_row.
    return any(cell.data_type == "f" for ws in wb.worksheets for cell in ws._cells.values())


_COPY_SUFFIX = re.compile(r"\(\d+\)$")  # Excel names a copied sheet 「实际完成 (2)」


def _find_sheet(wb: Book, name: str, file_name: str, repairs: list[Repair]) -> str | None:
    """The sheet to read as `name`: a visible one before a hidden one, a copy 「name (2)」 when it is the
    only visible candidate; refused when two visible sheets could both be it.

    A unit that copies the sheet, fills the copy and hides the original used to get the original's
    empty or stale values scored without a word.
    """
    wanted = fold_key(name)
    candidates = [t for t in wb.sheetnames if fold_key(t) == wanted or _COPY_SUFFIX.sub("", fold_key(t)) == wanted]
    if not candidates:
        return None
    visible = [t for t in candidates if wb.state(t) == "visible"]
    hidden = [t for t in candidates if t not in visible]
    if len(visible) > 1:
        raise InputError(
            f"有 {len(visible)} 个工作表都可能是「{name}」：{'、'.join(f'「{t}」' for t in visible)}，"
            "无法确定读取哪一个；请删除或重命名多余的副本后重新提交",
            SourceRef(file_name),
        )
    chosen = visible[0] if visible else candidates[0]
    if hidden and visible:
        repairs.append(
            Repair(
                SourceRef(file_name, sheet=chosen),
                "、".join(hidden),
                f"隐藏的工作表{'、'.join(f'「{t}」' for t in hidden)}未读取，按可见的工作表「{chosen}」读取",
                kind="warning",
            )
        )
    elif not visible:
        repairs.append(
            Repair(SourceRef(file_name, sheet=chosen), chosen, "该工作表已隐藏，仍按它读取；请确认", kind="warning")
        )
    return chosen


def _find_header(
    grid: _Grid, accepted: dict[str, str], must: tuple[str, ...]
) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """The first row (within the top rows) that names at least the key columns; → row, field→col, field→unit."""
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for row in range(1, _HEADER_SCAN_ROWS + 1):  # at most 15 rows (those below the sheet read as empty)
        columns: dict[str, int] = {}
        units: dict[str, str] = {}
        for col in range(1, grid.max_column + 1):
            name, unit = _header_key(grid.cell(row, col).value)
            field = accepted.get(name)
            if field and field not in columns:
                columns[field] = col
                units[field] = unit
        if all(f in columns for f in must):
            return row, columns, units
        if best is None or len(columns) > len(best[1]):
            best = (row, columns, units) if columns else best
    return best


def _sheet_note_unit(grid: _Grid, header_row: int) -> str:
    """A '单位：万元' line above the table sets the default unit of its amount columns."""
    for row in range(1, header_row):
        for col in range(1, grid.max_column + 1):
            value = grid.value(row, col)
            if isinstance(value, str):
                text = fold_key(value)
                if "单位" in text and "万元" in text:
                    return "万元"
    return ""


def _headers_found(grid: _Grid, row: int) -> str:
    texts = [str(grid.value(row, c)).strip() for c in range(1, grid.max_column + 1)]
    return "、".join(t for t in texts if t and t != "None") or "（空）"


def read_actuals_workbook(path: Path) -> Actuals:
    """Read a filled-in actuals workbook into ActualRow and BudgetRow records, listing every repair."""
    path = Path(path)
    book = _open(path)
    repairs: list[Repair] = []
    file_name = path.name

    title = _find_sheet(book, ACTUALS_SHEET, file_name, repairs)
    if title is None:
        raise InputError(
            f"缺少工作表「{ACTUALS_SHEET}」（现有工作表：{'、'.join(book.sheetnames)}）",
            SourceRef(file=file_name),
        )
    if title != ACTUALS_SHEET:
        repairs.append(
            Repair(SourceRef(file_name, sheet=title), title, f"按工作表「{ACTUALS_SHEET}」读取", kind="repair")
        )
    rows = _read_actual_rows(_Grid(book.sheet(title)), file_name, title, repairs)  # the sheet's values go here
    give_back_memory()

    budgets: tuple[BudgetRow, ...] = ()
    budget_title = _find_sheet(book, BUDGET_SHEET, file_name, repairs)
    if budget_title is None:
        repairs.append(
            Repair(
                SourceRef(file_name),
                "",
                f"缺少工作表「{BUDGET_SHEET}」，预算执行率无法评分",
                kind="warning",
            )
        )
    else:
        budgets = _read_budget_rows(_Grid(book.sheet(budget_title)), file_name, budget_title, repairs)
        give_back_memory()
    return Actuals(rows=rows, budgets=budgets, repairs=tuple(repairs), source_file=str(path))


def _grid_cell_text(
    grid: _Grid,
    row: int,
    col: int | None,
    where: SourceRef,
    header: str,
    repairs: list[Repair],
    inherit: bool = True,
) -> tuple[str, object]:
    """(text, raw value) of a cell. With `inherit` False a cell covered by a merged range above is
    empty: a 实际完成值 merged over two rows belongs to the first indicator only, not to both."""
    if col is None:
        return "", None
    if not inherit and not grid.own(row, col):
        origin_row, origin_col = grid.origin(row, col)
        shown = cell_text(grid.value(origin_row, origin_col))
        if shown and origin_row != row:
            repairs.append(
                Repair(
                    SourceRef(where.file, sheet=where.sheet, row=row, column=header),
                    shown,
                    f"单元格与第{origin_row}行合并，合并单元格的值只属于第{origin_row}行，本行按未填写处理；"
                    "每个指标请单独填写",
                    kind="warning",
                )
            )
        if origin_row != row:
            return "", None
    formula = grid.uncalculated_formula(row, col)
    if formula is not None:
        repairs.append(
            Repair(
                SourceRef(where.file, sheet=where.sheet, row=row, column=header),
                formula,
                "公式没有保存计算结果（文件未经 Excel/WPS 重新计算），本行不评分，未当作 0；"
                "请在电子表格程序中打开并保存后重新提交",
                kind="warning",
            )
        )
        return "", UncalculatedFormula(formula)
    cell = grid.cell(row, col)
    value = cell.value
    return cell_text(value, cell.number_format), value


_make_actual_row = record_maker(ActualRow)
_make_budget_part = record_maker(BudgetPart)  # 300,000 of them at a million rows, and 100,000 rows below
_make_budget_row = record_maker(BudgetRow)


def _read_actual_rows(grid: _Grid, file_name: str, sheet: str, repairs: list[Repair]) -> tuple[ActualRow, ...]:
    found = _find_header(grid, _ACTUALS_ACCEPTED, ACTUALS_REQUIRED)
    if found is None or not all(f in found[1] for f in ACTUALS_REQUIRED):
        header_row = found[0] if found else 1
        present = found[1] if found else {}
        missing = [ACTUALS_HEADERS[f][0] for f in ACTUALS_REQUIRED if f not in present]
        raise InputError(
            f"缺少必需的列：{'、'.join(missing)}（表头行读到：{_headers_found(grid, header_row)}）",
            SourceRef(file_name, sheet=sheet, row=header_row),
        )
    header_row, columns, _units = found
    headers = {field: ACTUALS_HEADERS[field][0] for field in ACTUALS_HEADERS}
    # Whole columns first, each distinct value read once; rows a merge or formula touches are read
    # again cell by cell below, in their turn, so their repairs come in the same order as ever.
    texts: dict[str, list[str]] = {}
    for field in ACTUALS_HEADERS:
        texts[field], raw = grid.texts(columns.get(field), header_row, shared=field in REFERENCE_FIELDS[:4])
        if field == "actual":
            actual_values = raw
    if not grid.special:  # no row is read cell by cell: the sheet's columns are done with (~80 MB at 1M)
        grid.sheet.columns.clear()
    refs = row_refs(file_name, sheet)
    header_like: dict[str, bool] = {}
    rows: list[ActualRow] = []
    special = grid.special
    project_col = columns["project"]
    fields = tuple(ACTUALS_HEADERS)
    by_row = zip(*(texts[field] for field in fields), strict=True)  # each row's texts, at C speed
    for index, (row, plain) in enumerate(zip(grid.rows_after(header_row), by_row, strict=True)):
        where = refs(row)
        if row in special:
            cell_texts: dict[str, str] = {}
            raws: dict[str, object] = {}
            for field in fields:
                cell_texts[field], raws[field] = _grid_cell_text(
                    grid, row, columns.get(field), where, headers[field], repairs, inherit=field not in INPUT_FIELDS
                )
            values = tuple(cell_texts[field] for field in fields)
            actual_value = raws["actual"]
            has_own = any(
                cell_texts[field] and grid.own(row, col) and field != "project" for field, col in columns.items()
            )
            project_own = grid.own(row, project_col)
        else:
            values = plain
            actual_value = actual_values[index]
            has_own = any(values[1:])
            project_own = True
        project, level1, level2, level3, _target, actual, last_year, tier, points, deviation, overachieve = values
        if not has_own:
            if project and project_own:
                repairs.append(Repair(where, project, "该行只有项目名称，没有指标和实际值，已跳过", kind="warning"))
            continue  # a blank line (or one only covered by a merged name cell)
        looks_like_header = header_like.get(level3)
        if looks_like_header is None:
            looks_like_header = header_like[level3] = _header_key(level3)[0] == "三级指标"
        if looks_like_header and _header_key(actual)[0] == "实际完成值":
            repairs.append(Repair(where, level3, "重复的表头行，已跳过", kind="repair"))
            continue
        if not project or not level3:
            missing = "项目名称" if not project else "三级指标"
            repairs.append(Repair(where, level3 or actual, f"该行缺少{missing}，无法对应到目标", kind="warning"))
        rows.append(
            _make_actual_row(
                project,
                level1,
                level2,
                level3,
                actual,
                last_year,
                tier,
                points,
                deviation,
                overachieve,
                where,
                actual_value,
            )
        )
    return tuple(rows)


_AMOUNT_TEXT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|万|元)?$")


def _amount(
    text: str,
    value: object,
    header_unit: str,
    where: SourceRef,
    header: str,
    repairs: list[Repair],
) -> float | None:
    """An amount cell in 元; the header's （万元） scales it, a '万元' typed in the cell overrides the header."""
    if value is None or text == "":
        return None
    wan = "万" in header_unit
    kind = type(value)
    if (kind is int or kind is float) and not wan:  # the common cell: a number in 元, no Decimal needed
        if value < 0:  # type: ignore[operator]
            raise InputError("金额不能为负数", _at(where, header), value=text)
        if kind is int:  # whole yuan: nothing to round
            return float(value)  # type: ignore[arg-type]
        return round_half_up(value, 2)  # type: ignore[arg-type]
    factor = Decimal(10000) if wan else Decimal(1)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError("金额不是数字", _at(where, header), value=text)
    if isinstance(value, int | float):
        number = Decimal(repr(float(value)))
    else:
        cleaned = fold_key(value).replace(",", "").replace("，", "")
        match = _AMOUNT_TEXT.match(cleaned)
        if not match:
            raise InputError("金额不是数字（只填数字，单位见列标题）", _at(where, header), value=value)
        try:
            number = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the pattern only admits decimals
            raise InputError("金额不是数字", _at(where, header), value=value) from exc
        typed_unit = match.group(2) or ""
        if typed_unit and ("万" in typed_unit) != (factor == 10000):
            factor = Decimal(10000) if "万" in typed_unit else Decimal(1)
            decision = f"单元格内写明了单位「{typed_unit}」，按该单位换算为元"
            repairs.append(Repair(_at(where, header), value, decision, kind="repair"))
    if number < 0:
        raise InputError("金额不能为负数", _at(where, header), value=text)
    return round_half_up(float(number * factor), 2)


def _at(where: SourceRef, column: str) -> SourceRef:
    return SourceRef(where.file, sheet=where.sheet, row=where.row, column=column)


def _read_budget_rows(grid: _Grid, file_name: str, sheet: str, repairs: list[Repair]) -> tuple[BudgetRow, ...]:
    found = _find_header(grid, _BUDGET_ACCEPTED, ("project",))
    if found is None or "project" not in found[1] or not any(f in found[1] for f in BUDGET_AMOUNTS):
        header_row = found[0] if found else 1
        raise InputError(
            f"缺少必需的列：项目名称，以及年初预算数、全年预算数、全年执行数中的至少一列"
            f"（表头行读到：{_headers_found(grid, header_row)}）",
            SourceRef(file_name, sheet=sheet, row=header_row),
        )
    header_row, columns, units = found
    default_unit = _sheet_note_unit(grid, header_row)
    for field in BUDGET_AMOUNTS:
        if field not in columns:
            repairs.append(
                Repair(
                    SourceRef(file_name, sheet=sheet, row=header_row),
                    "",
                    f"缺少「{BUDGET_HEADERS[field][0]}」列，该项按未填写处理",
                    kind="warning",
                )
            )
    names = grid.texts(columns["project"], header_row, shared=True)[0]
    funds = grid.texts(columns["fund"], header_row)[0] if "fund" in columns else None
    amount_columns = []
    for field in BUDGET_AMOUNTS:
        col = columns.get(field)
        unit = (units.get(field) or default_unit) if col is not None else ""
        header = BUDGET_HEADERS[field][0] + (f"（{unit}）" if unit else "")
        texts, values = grid.texts(col, header_row) if col is not None else ([], [])
        amount_columns.append((field, col, unit, header, texts, values))
    refs = row_refs(file_name, sheet)
    special = grid.special
    labels: dict[str, str] = {}
    folded: dict[str, str] = {}

    def fold(name: str) -> str:
        key = folded.get(name)
        if key is None:
            key = folded[name] = fold_key(name)
        return key

    totals: list[_BudgetDraft] = []
    current: _BudgetDraft | None = None  # the project the 其中 rows below belong to
    for index, row in enumerate(grid.rows_after(header_row)):
        where = refs(row)
        cellwise = row in special  # a merge or formula touches the row: read it cell by cell
        if cellwise:
            name, _raw = _grid_cell_text(grid, row, columns["project"], where, "项目名称", repairs)
        else:
            name = names[index]
        fund = ""
        if funds is not None:
            if cellwise:
                fund_text = _grid_cell_text(grid, row, columns["fund"], where, "资金来源", repairs)[0]
            else:
                fund_text = funds[index]
            label = labels.get(fund_text)
            if label is None:
                label = labels[fund_text] = _fund_label(fund_text, _at(where, "资金来源"))
            fund = label
        amounts: dict[str, float | None] = {}
        for field, col, unit, header, texts, values in amount_columns:
            if col is None:
                amounts[field] = None
                continue
            if cellwise:
                text, value = _grid_cell_text(grid, row, col, where, header, repairs)
            else:
                text, value = texts[index], values[index]
            amounts[field] = _amount(text, value, unit, where, header, repairs)
        if not name and all(v is None for v in amounts.values()):
            continue
        if fund and all(v is None for v in amounts.values()):
            continue  # a funding source left empty: nothing to show or check
        if fund:
            part = _make_budget_part(fund, amounts["initial"], amounts["adjusted"], amounts["executed"], where)
            owner = name or (current.name if current else "")
            if current is None or fold(owner) != fold(current.name):
                current = _BudgetDraft(owner, None, where, from_parts=True)
                totals.append(current)
                if not owner:
                    repairs.append(Repair(where, "", "预算执行行缺少项目名称，无法对应到项目", kind="warning"))
            current.parts.append(part)
            continue
        if not name:
            repairs.append(Repair(where, "", "预算执行行缺少项目名称，无法对应到项目", kind="warning"))
        current = _BudgetDraft(name, amounts, where)
        totals.append(current)
    return tuple(draft.finish(repairs) for draft in totals)


def _fund_label(text: str, where: SourceRef) -> str:
    key = fold_key(text).removeprefix("其中").strip(":：")
    if key not in _FUND_ALIASES:
        choices = "、".join((FUND_TOTAL, *FUND_PARTS))
        raise InputError(f"无法识别的资金来源（应为{choices}之一）", where, value=text)
    return _FUND_ALIASES[key]


@dataclass
class _BudgetDraft:
    """A project's 年度资金总额 row and the funding-source rows that follow it, while reading."""

    name: str
    amounts: dict[str, float | None] | None
    source: SourceRef
    from_parts: bool = False
    parts: list[BudgetPart] = dataclasses.field(default_factory=list)

    def finish(self, repairs: list[Repair]) -> BudgetRow:
        amounts = self.amounts
        if amounts is None:  # only funding sources were filled in: the total is their sum
            amounts = {}
            for key, attr in zip(BUDGET_AMOUNTS, ("initial_budget", "adjusted_budget", "executed"), strict=True):
                values = [getattr(p, attr) for p in self.parts if getattr(p, attr) is not None]
                amounts[key] = round_half_up(sum(values), 2) if values else None
            if any(v is not None for v in amounts.values()):
                repairs.append(Repair(self.source, self.name, "未填写年度资金总额行，按各资金来源合计", kind="repair"))
        else:
            amounts = dict(amounts)
            for key, attr in zip(BUDGET_AMOUNTS, ("initial_budget", "adjusted_budget", "executed"), strict=True):
                values = [getattr(p, attr) for p in self.parts if getattr(p, attr) is not None]
                total = amounts[key]
                label = BUDGET_HEADERS[key][0]
                if values and (total is None or (total == 0 and any(v != 0 for v in values))):
                    # The protected template keeps the 年度资金总额 row even when only the 其中 rows are
                    # filled (left empty or at zeros); its guide promises the sum of the parts.
                    amounts[key] = round_half_up(sum(values), 2)
                    how = "未填写" if total is None else "为0"
                    repairs.append(
                        Repair(
                            self.source,
                            self.name,
                            f"年度资金总额行的{label}{how}，按各资金来源合计 {amounts[key]:,.2f} 元",
                            kind="repair",
                        )
                    )
                elif values and total is not None and abs(sum(values) - total) > 0.005:
                    repairs.append(
                        Repair(
                            self.source,
                            self.name,
                            f"各资金来源的{label}之和 {sum(values):,.2f} 元与年度资金总额 {total:,.2f} 元不一致，"
                            "评分按年度资金总额",
                            kind="warning",
                        )
                    )
        return _make_budget_row(
            self.name, amounts["initial"], amounts["adjusted"], amounts["executed"], self.source, tuple(self.parts)
        )
