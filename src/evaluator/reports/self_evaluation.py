"""The official 项目支出绩效自评表 for one project (spec §10), plus a 计算过程 sheet for auditors.

Layout follows the published form so a unit can submit it as is: title, header block, the budget
block in 万元, 年度总体目标, the indicator table with merged first- and second-level cells, the
总分 row and the grade. Rows needing attention are shaded (red / yellow); every text cell is
stored as text, so a target such as `=100(%)` is never turned into a formula.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import write_atomically
from evaluator.common.numbers import round_half_up
from evaluator.models import ProjectScore, ReportRules, Severity
from evaluator.reports.office_zip import StampedZip
from evaluator.reports.sheets import (
    BORDER,
    CENTRE,
    FONT_NAME,
    HEAD_FILL,
    LINE_HEIGHT,
    NUMBER,
    RED_FILL,
    RIGHT,
    WRAP,
    YELLOW_FILL,
    fit_height,
    put_safe_text,
    wrapped_lines,
)
from evaluator.reports.view import (
    ROW_HEADERS,
    achievement_summary,
    budget_lines,
    default_rules,
    flag_text,
    grade_text,
    legend_text,
    level1_label,
    level1_points,
    ordered_rows,
    reason_text,
    spans,
    status_label,
    total_lines,
    worst_severity,
)

SHEET_FORM = "自评表"
SHEET_CALC = "计算过程"
WIDTHS = {"A": 13, "B": 14, "C": 30, "D": 17, "E": 17, "F": 9, "G": 10, "H": 36}
INDICATOR_HEADERS = (
    *ROW_HEADERS,
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
BUDGET_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")

EMPTY_PART = "—"
SIGN_LINE = "联系人：　　　　联系电话：　　　　　　填报日期：　　年　月　日"
# A4 landscape less the margins set in _print_setup, in points, with a little slack for headers.
PRINTABLE_WIDTH_PT = (11.69 - 0.8) * 72
PRINTABLE_HEIGHT_PT = (8.27 - 1.0) * 72 - 30


BODY_FONT = Font(name=FONT_NAME, size=10.5)
BOLD_FONT = Font(name=FONT_NAME, size=10.5, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=16)
CALC_TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
TOTAL_FONT = Font(name=FONT_NAME, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, color="555555")
BOTTOM_WRAP = Alignment(vertical="bottom", wrap_text=True)


class _Styles:
    """Each cell's font, alignment, fill and border, gathered while a sheet is built and applied once.

    Assigning a style in openpyxl hashes the style object (recursively: a Border hashes its four
    Sides and their Colors) to find it in the workbook's list; the 自评表 did that about 1,200
    times a workbook, half of its build time. Here every combination is registered once per
    workbook and later cells take a copy of the resulting style record (openpyxl's own way of
    copying a cell's style, `cell._style`). The styles are module constants, so their ids are keys.
    """

    def __init__(self) -> None:
        self._wanted: dict[Cell, list] = {}
        self._done: dict[tuple, object] = {}

    def _parts(self, cell: Cell) -> list:
        parts = self._wanted.get(cell)
        if parts is None:
            parts = self._wanted[cell] = [None, None, None, None]
        return parts

    def text(self, cell: Cell, value: str, alignment: Alignment = WRAP, bold: bool = False, font: Font | None = None):
        """Store a string as a string (see put_safe_text), with its font and alignment."""
        put_safe_text(cell, value)
        parts = self._parts(cell)
        parts[0] = font or (BOLD_FONT if bold else BODY_FONT)
        parts[1] = alignment
        return cell

    def number(self, cell: Cell, value: float | None, number_format: str = NUMBER, digits: int = 2, font=None):
        cell.value = None if value is None else round_half_up(value, digits)
        cell.number_format = number_format
        parts = self._parts(cell)
        parts[0] = font or BODY_FONT
        parts[1] = RIGHT
        return cell

    def font(self, cell: Cell, font: Font) -> None:
        self._parts(cell)[0] = font

    def align(self, cell: Cell, alignment: Alignment) -> None:
        self._parts(cell)[1] = alignment

    def fill(self, cell: Cell, fill: PatternFill) -> None:
        self._parts(cell)[2] = fill

    def box(self, ws: Worksheet, first_row: int, last_row: int, first_col: int = 1, last_col: int = 8) -> None:
        for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col):
            for cell in row:
                self._parts(cell)[3] = BORDER

    def apply(self) -> None:
        """Give every cell its gathered style (call once per sheet, after the sheet is built)."""
        for cell, (font, alignment, fill, border) in self._wanted.items():
            base = cell._style  # put_safe_text's number format and quote prefix are part of the key
            text_style = (base.numFmtId, base.quotePrefix) if base else (0, 0)
            key = (id(font), id(alignment), id(fill), id(border), *text_style)
            done = self._done.get(key)
            if done is not None:
                cell._style = copy(done)
                continue
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            self._done[key] = copy(cell._style)
        self._wanted.clear()


def _merge_text(
    ws: Worksheet, styles: _Styles, cells: str, value: str, alignment: Alignment = WRAP, bold: bool = False
) -> None:
    ws.merge_cells(cells)
    styles.text(ws[cells.split(":")[0]], value, alignment, bold)


def _span_width(first: str, last: str) -> float:
    return sum(WIDTHS[chr(c)] for c in range(ord(first), ord(last) + 1))


def _form_sheet(ws: Worksheet, score: ProjectScore, year: int | None, rules: ReportRules, styles: _Styles) -> None:
    project = score.project
    for column, width in WIDTHS.items():
        ws.column_dimensions[column].width = width
    title = f"项目支出绩效自评表（{year}年度）" if year else "项目支出绩效自评表"
    ws.merge_cells("A1:H1")
    styles.text(ws["A1"], title, CENTRE, font=TITLE_FONT)
    ws.row_dimensions[1].height = 32

    # Header block.
    styles.text(ws["A2"], "项目名称", CENTRE, bold=True)
    _merge_text(ws, styles, "B2:H2", project.name)
    fit_height(ws, 2, [(project.name, _span_width("B", "H"))])
    styles.text(ws["A3"], "主管部门", CENTRE, bold=True)
    _merge_text(ws, styles, "B3:D3", project.department)
    styles.text(ws["E3"], "实施单位", CENTRE, bold=True)
    _merge_text(ws, styles, "F3:H3", project.implementer)
    fit_height(ws, 3, [(project.department, _span_width("B", "D")), (project.implementer, _span_width("F", "H"))])

    # Budget block (万元).
    _merge_text(ws, styles, "A4:B4", "项目资金（万元）", CENTRE, bold=True)
    for col, header in zip("CDEFGH", BUDGET_HEADERS, strict=True):
        styles.text(ws[f"{col}4"], header, CENTRE, bold=True)
    row = 5
    for k, line in enumerate(budget_lines(score)):
        _merge_text(ws, styles, f"A{row}:B{row}", line.label, CENTRE)
        values = (line.initial, line.adjusted, line.executed, line.points, line.rate, line.score)
        for col, value in zip("CDEFGH", values, strict=True):
            if value is None and k > 0:  # a 其中 line: a dash says "nothing here", not "forgotten"
                styles.text(ws[f"{col}{row}"], EMPTY_PART, CENTRE)
            elif col == "G":
                styles.number(ws[f"G{row}"], value, "0.00%", digits=4)
            else:
                styles.number(ws[f"{col}{row}"], value)
        row += 1
    budget_severity = worst_severity(score.budget.flags)
    if budget_severity:
        for col in "GH":
            styles.fill(ws[f"{col}5"], RED_FILL if budget_severity is Severity.RED else YELLOW_FILL)
    for r in range(4, row):
        ws.row_dimensions[r].height = 20
    for col in "ABCDEFGH":
        styles.fill(ws[f"{col}4"], HEAD_FILL)

    # 年度总体目标.
    goal_row = row
    _merge_text(ws, styles, f"A{goal_row}:A{goal_row + 1}", "年度总体目标", CENTRE, bold=True)
    _merge_text(ws, styles, f"B{goal_row}:E{goal_row}", "预期目标", CENTRE, bold=True)
    _merge_text(ws, styles, f"F{goal_row}:H{goal_row}", "实际完成情况", CENTRE, bold=True)
    achieved = achievement_summary(score)
    _merge_text(ws, styles, f"B{goal_row + 1}:E{goal_row + 1}", project.annual_goal)
    _merge_text(ws, styles, f"F{goal_row + 1}:H{goal_row + 1}", achieved)
    # Long free prose: one spare line, as renderers with fallback CJK fonts set lines further apart.
    fit_height(
        ws,
        goal_row + 1,
        [(project.annual_goal, _span_width("B", "E")), (achieved, _span_width("F", "H"))],
        spare_lines=1,
    )
    for col in "ABCDEFGH":
        styles.fill(ws[f"{col}{goal_row}"], HEAD_FILL)

    # Indicator table.
    head = goal_row + 2
    for col, header in zip("ABCDEFGH", INDICATOR_HEADERS, strict=True):
        styles.fill(styles.text(ws[f"{col}{head}"], header, CENTRE, bold=True), HEAD_FILL)
    ws.row_dimensions[head].height = 22
    rows = ordered_rows(score)
    points = level1_points(score)
    first = head + 1
    for k, item in enumerate(rows):
        r = first + k
        styles.text(ws[f"C{r}"], item.level3)
        styles.text(ws[f"D{r}"], item.target_text, CENTRE)
        styles.text(ws[f"E{r}"], item.actual_text or "（未填报）", CENTRE)
        styles.number(ws[f"F{r}"], item.weight)
        styles.number(ws[f"G{r}"], item.score)
        reason = reason_text(item)
        styles.text(ws[f"H{r}"], reason)
        severity = worst_severity(item.flags)
        if severity is not None:
            fill = RED_FILL if severity is Severity.RED else YELLOW_FILL
            for col in "DEFGH":
                styles.fill(ws[f"{col}{r}"], fill)
        fit_height(
            ws,
            r,
            [
                (item.level3, WIDTHS["C"]),
                (item.target_text, WIDTHS["D"]),
                (item.actual_text, WIDTHS["E"]),
                (reason, WIDTHS["H"]),
                (item.level2, WIDTHS["B"]),
            ],
            minimum=20,
        )
    last = first + len(rows) - 1
    breaks = _page_breaks(ws, head, first, rows)
    for brk in breaks:
        ws.row_breaks.append(Break(id=brk))
    level1s = [r.level1 for r in rows]
    for start, end in _split(spans(level1s), first, breaks):
        if end > start:
            ws.merge_cells(f"A{first + start}:A{first + end}")
        label = level1_label(level1s[start], points.get(level1s[start], 0.0)).replace("（", "\n（", 1)
        styles.text(ws[f"A{first + start}"], label, CENTRE)
        height = sum(_height(ws, first + k) for k in range(start, end + 1))
        needed = wrapped_lines(label, WIDTHS["A"]) * LINE_HEIGHT + 4
        if height < needed:  # a one-row group: its two-line label sets the row height
            ws.row_dimensions[first + end].height = _height(ws, first + end) + needed - height
    groups = [f"{r.level1}\u0000{r.level2}" for r in rows]
    for start, end in _split(spans(groups), first, breaks):
        if end > start:
            ws.merge_cells(f"B{first + start}:B{first + end}")
        styles.text(ws[f"B{first + start}"], rows[start].level2, CENTRE)

    # 总分 (or 指标得分合计 and 折算总分) and grade.
    total_row = last
    for line in total_lines(score):
        total_row += 1
        _merge_text(ws, styles, f"A{total_row}:E{total_row}", line.label, CENTRE, bold=True)
        styles.number(ws[f"F{total_row}"], line.points, font=TOTAL_FONT)
        styles.number(ws[f"G{total_row}"], line.score, font=TOTAL_FONT)
        styles.text(ws[f"H{total_row}"], f"自评等级：{grade_text(score)}" if line.final else "", CENTRE, bold=True)
        if line.final and not score.complete:
            styles.fill(ws[f"H{total_row}"], YELLOW_FILL)
        fit_height(ws, total_row, [(line.label, _span_width("A", "E"))], minimum=24)
    styles.box(ws, 2, total_row)

    # Who fills it in: the lines a submitted form carries under the table (stamp, contact, date).
    sign_row = total_row + 1
    unit = project.implementer or project.department
    _merge_text(ws, styles, f"A{sign_row}:D{sign_row}", f"填报单位（盖章）：{unit}")
    _merge_text(ws, styles, f"E{sign_row}:H{sign_row}", SIGN_LINE)
    fit_height(ws, sign_row, [(f"填报单位（盖章）：{unit}", _span_width("A", "D"))], minimum=30)
    for col in "AE":
        styles.align(ws[f"{col}{sign_row}"], BOTTOM_WRAP)

    note_row = sign_row + 1
    notes = [
        *score.notes,
        legend_text(rules) + "【待填写】处请补充偏差原因分析及改进措施；每项得分的计算过程见「计算过程」工作表。",
    ]
    note = "说明：" + "\n".join(notes)
    _merge_text(ws, styles, f"A{note_row}:H{note_row}", note)
    styles.font(ws[f"A{note_row}"], NOTE_FONT)
    fit_height(ws, note_row, [(note, _span_width("A", "H") * 1.15)])

    ws.print_title_rows = f"{head}:{head}"
    ws.print_area = f"A1:H{note_row}"
    _print_setup(ws)
    styles.apply()


def _height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or LINE_HEIGHT


def _page_breaks(ws: Worksheet, head: int, first: int, rows: list) -> list[int]:
    """Rows after which to start a new printed page, so that no second-level group is cut in two.

    A merged first- or second-level cell cut by an automatic page break prints its label across the
    cut (or on neither page). We know every row height, and the page is fit to width, so the page
    height in sheet points follows (Excel's column unit ≈ 5.25 pt; LibreOffice draws columns wider
    and so shrinks more, which only leaves it more room). A group that would cross a page starts on
    the next one, unless that would leave much of the page blank: then it is split and `_split`
    repeats its label on both pages.
    """
    sheet_width_pt = sum(WIDTHS.values()) * 5.25 + 10
    scale = min(1.0, PRINTABLE_WIDTH_PT / sheet_width_pt)
    capacity = PRINTABLE_HEIGHT_PT / scale
    head_height = _height(ws, head)
    used = sum(_height(ws, r) for r in range(1, head + 1))
    breaks: list[int] = []
    keys = [(r.level1, r.level2) for r in rows]
    for start, end in spans(keys):
        group = [_height(ws, first + k) for k in range(start, end + 1)]
        if used + sum(group) <= capacity:
            used += sum(group)
            continue
        roomy = capacity - used > 0.4 * capacity  # splitting beats leaving half a page blank
        if head_height + sum(group) <= capacity and used > head_height and not roomy:
            breaks.append(first + start - 1)
            used = head_height + sum(group)
            continue
        for k, height in zip(range(start, end + 1), group, strict=True):
            if used + height > capacity and used > head_height:
                breaks.append(first + k - 1)
                used = head_height
            used += height
    closing = first + len(rows)
    if used + _height(ws, closing) > capacity:
        breaks.append(closing - 1)
    return breaks


def _split(ranges: list[tuple[int, int]], first: int, breaks: list[int]) -> list[tuple[int, int]]:
    """Cut merge ranges (indexes into the table rows) at page breaks, so each page repeats its label."""
    cuts = sorted(b - first + 1 for b in breaks)  # a break after sheet row b → table index b-first+1 starts a page
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        s = start
        for cut in cuts:
            if s < cut <= end:
                out.append((s, cut - 1))
                s = cut
        out.append((s, end))
    return out


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


CALC_HEADERS = (
    "序号",
    *ROW_HEADERS,
    "分值",
    "得分",
    "状态",
    "计算过程",
    "标记",
    "未评分原因",
    "来源",
)
CALC_WIDTHS = (6, 11, 13, 26, 14, 14, 8, 8, 10, 46, 34, 20, 30)


def _calc_sheet(ws: Worksheet, score: ProjectScore, styles: _Styles) -> None:
    for k, width in enumerate(CALC_WIDTHS):
        ws.column_dimensions[chr(ord("A") + k)].width = width
    last_col = chr(ord("A") + len(CALC_HEADERS) - 1)
    ws.merge_cells(f"A1:{last_col}1")
    styles.text(ws["A1"], f"计算过程 — {score.project.name}", WRAP, font=CALC_TITLE_FONT)
    ws.row_dimensions[1].height = 24
    for k, header in enumerate(CALC_HEADERS):
        styles.fill(styles.text(ws.cell(2, k + 1), header, CENTRE, bold=True), HEAD_FILL)
    b = score.budget
    budget_values = [
        "0",
        "预算执行率",
        "",
        "",
        "",
        "",
        b.points,
        b.score,
        "已评分" if b.scored else "未评分",
        b.calculation,
        flag_text(b.flags),
        "" if b.scored else b.calculation,
        "",
    ]
    rows = [budget_values]
    ordered = ordered_rows(score)
    row_flags = [score.budget.flags, *(item.flags for item in ordered)]
    for k, item in enumerate(ordered, start=1):
        rows.append(
            [
                str(k),
                item.level1,
                item.level2,
                item.level3,
                item.target_text,
                item.actual_text,
                item.weight,
                item.score,
                status_label(item),
                item.calculation,
                flag_text(item.flags),
                item.reason,
                item.source.describe() if item.source else "",
            ]
        )
    r = 3
    for values, flags in zip(rows, row_flags, strict=True):
        for k, value in enumerate(values):
            cell = ws.cell(r, k + 1)
            if isinstance(value, float):
                styles.number(cell, value)
            else:
                styles.text(cell, str(value), CENTRE if k in (0, 8) else WRAP)
        severity = worst_severity(flags)
        if severity is not None:
            for k in range(len(values)):
                styles.fill(ws.cell(r, k + 1), RED_FILL if severity is Severity.RED else YELLOW_FILL)
        fit_height(ws, r, [(str(v), CALC_WIDTHS[k]) for k, v in enumerate(values) if isinstance(v, str)])
        r += 1
    styles.box(ws, 2, r - 1, 1, len(CALC_HEADERS))
    row_sum = sum(round(x.score * 100) for x in score.rows) / 100
    summary = [
        f"总分计算：预算执行得分 {b.score:.2f} + 三级指标得分合计 {row_sum:.2f}"
        f" = {round_half_up(b.score + row_sum, 2):.2f}",
        *score.notes,
        f"最终总分 {score.total:.2f}，等级 {grade_text(score)}"
        if not score.unreported
        else "未填报：没有任何实际完成值和预算执行数，不评分、不定级",
    ]
    summary += [f.message for f in score.flags]
    for line in summary:
        ws.merge_cells(f"A{r}:{last_col}{r}")
        styles.text(ws[f"A{r}"], line)
        r += 1
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    _print_setup(ws)
    styles.apply()


def build_self_evaluation_workbook(score: ProjectScore, year: int | None, rules: ReportRules | None = None) -> Workbook:
    """The 自评表 and 计算过程 sheets; `rules` (the run's profile, default profile if None) words the legend."""
    wb = Workbook()
    form = wb.active
    form.title = SHEET_FORM
    styles = _Styles()  # one per workbook: style records belong to the workbook
    _form_sheet(form, score, year, rules or default_rules(), styles)
    _calc_sheet(wb.create_sheet(SHEET_CALC), score, styles)
    return wb


def write_self_evaluation_workbook(
    score: ProjectScore, path: Path, year: int | None, rules: ReportRules | None = None
) -> Path:
    workbook = build_self_evaluation_workbook(score, year, rules)
    write_atomically(path, lambda temp: save_stamped_workbook(workbook, temp, year))
    return path


def save_stamped_workbook(workbook: Workbook, path: Path, year: int | None) -> None:
    """openpyxl's own writer into a zip stamped as it is written (see office_zip): one pass, not two."""
    from openpyxl.writer.excel import ExcelWriter

    with StampedZip(path, year) as archive:
        ExcelWriter(workbook, archive).save()
