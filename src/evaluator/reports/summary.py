"""The portfolio workbook a finance bureau reads: 汇总.xlsx (one row per project, every flagged row, every
row not scored, every unplaced actual). The portfolio page is `index_html`.

Everything here is read off the same ProjectScores as the per-project reports, through
report_view, so a total in the summary is the total in the project's 自评表, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import write_office_atomically
from evaluator.models import RowStatus, RunResult, Severity
from evaluator.reports.sheets import (
    BORDER,
    HEAD_FILL,
    RED_FILL,
    YELLOW_FILL,
    put_text,
    write_row,
)
from evaluator.reports.tables import UNMATCHED_COLUMNS, level1_score, reconciliation_line, unmatched_frame
from evaluator.reports.view import (
    BUDGET_LABEL,
    INCOMPLETE,
    REPORT_FILES,
    ROW_HEADERS,
    flag_counts,
    flagged_lines,
    ranked,
    rules_of,
    unreported,
    wan,
)

SUMMARY_SHEETS = ("项目汇总", "标记指标", "未评分指标", "未填报项目", "未匹配的实际值", "说明")
SEVERITY_NAME = {Severity.RED: "红", Severity.YELLOW: "黄"}


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    for k, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put_text(
            ws.cell(1, k), header, Alignment(horizontal="center", vertical="center", wrap_text=True), bold=True
        )
        cell.fill = HEAD_FILL
        cell.border = BORDER
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


def project_headers(level1_order: Sequence[str]) -> tuple[str, ...]:
    """The 项目汇总 columns; one 得分 column per first-level indicator of the profile, in its order."""
    return (
        *PROJECT_HEADERS_BEFORE,
        *(f"{n}得分" for n in level1_order),
        *PROJECT_HEADERS_AFTER,
    )


PROJECT_HEADERS_BEFORE = (
    "序号",
    "项目名称",
    "主管部门",
    "年度资金总额（万元）",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "预算执行率",
    "预算执行得分",
)
PROJECT_HEADERS_AFTER = (
    "总分",
    "等级",
    "评分状态",
    "红色标记",
    "黄色标记",
    "未评分指标",
    "自评表",
)
PROJECT_WIDTHS_BEFORE = (6, 36, 16, 12, 12, 12, 10, 10)
LEVEL1_WIDTH = 9
PROJECT_WIDTHS_AFTER = (9, 8, 12, 8, 8, 9, 40)
_MARKED = ("评分状态", "红色标记", "黄色标记")  # shaded when the project is flagged


def _project_sheet(ws: Worksheet, run: RunResult, folders: Sequence[str]) -> None:
    level1_order = rules_of(run).level1_order
    headers = project_headers(level1_order)
    widths = (*PROJECT_WIDTHS_BEFORE, *(LEVEL1_WIDTH for _ in level1_order), *PROJECT_WIDTHS_AFTER)
    _header(ws, headers, widths)
    listed = [(p, folder) for p, folder in zip(run.projects, folders, strict=True) if not p.unreported]
    for k, (p, folder) in enumerate(listed, start=1):
        b = p.budget
        red, yellow = flag_counts(p)
        not_scored = sum(r.status is RowStatus.NOT_SCORED for r in p.rows)
        values: list[object] = [
            k,
            p.project.name,
            p.project.department,
            _opt(wan(b.initial_budget if b.initial_budget is not None else p.project.total_funds)),
            _opt(wan(b.adjusted_budget)),
            _opt(wan(b.executed)),
            (b.rate, "percent") if b.rate is not None else None,  # empty, not "—": the column stays numeric
            b.score if b.scored else None,
            *(level1_score(p, n) for n in level1_order),
            p.total,
            p.grade,
            "完成" if p.complete else INCOMPLETE,
            red,
            yellow,
            not_scored,
            f"{folder}/{REPORT_FILES['xlsx']}",
        ]
        severity = Severity.RED if red else (Severity.YELLOW if yellow or not p.complete else None)
        write_row(ws, k + 1, values)
        link = ws.cell(k + 1, len(values))
        link.hyperlink = quote(f"{folder}/{REPORT_FILES['xlsx']}")  # a `#` or `%` in a folder broke the link
        link.font = Font(color="1F4E9A", underline="single")
        if severity is not None:
            for col in (headers.index(name) + 1 for name in _MARKED):
                ws.cell(k + 1, col).fill = RED_FILL if severity is Severity.RED else YELLOW_FILL
    _even_heights(ws, 2, len(listed) + 1)
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(headers)).column_letter}{len(listed) + 1}"


def _opt(value: float | None, missing: object = None) -> object:
    return missing if value is None else value


def _even_heights(ws: Worksheet, first: int, last: int) -> None:
    """One height for every data row (the tallest one needs): a list of projects reads as a list."""
    heights = [ws.row_dimensions[r].height or 18.0 for r in range(first, last + 1)]
    for r in range(first, last + 1):
        ws.row_dimensions[r].height = max(heights)


FLAG_HEADERS = (
    "项目名称",
    *ROW_HEADERS,
    "分值",
    "得分",
    "失分",
    "严重程度",
    "标记",
    "偏差原因分析及改进措施",
)
FLAG_WIDTHS = (30, 11, 14, 30, 14, 14, 8, 8, 8, 8, 40, 36)


def _flag_sheet(ws: Worksheet, run: RunResult) -> None:
    _header(ws, FLAG_HEADERS, FLAG_WIDTHS)
    for k, line in enumerate(flagged_lines(run), start=2):
        fill = RED_FILL if line.severity is Severity.RED else YELLOW_FILL
        write_row(
            ws,
            k,
            [
                line.project,
                line.level1,
                line.level2,
                line.level3,
                line.target,
                line.actual,
                line.weight,
                line.score,
                line.lost,
                SEVERITY_NAME.get(line.severity, ""),
                line.flags,
                line.reason,
            ],
        )
        ws.cell(k, 10).fill = fill
    ws.auto_filter.ref = f"A1:L{max(ws.max_row, 2)}"


OPEN_HEADERS = (
    "项目名称",
    *ROW_HEADERS,
    "分值",
    "未评分原因",
    "来源",
)
OPEN_WIDTHS = (30, 11, 14, 30, 14, 14, 8, 44, 30)
UNMATCHED_WIDTHS = (30, 11, 14, 30, 16, 44, 30)


def _open_sheet(ws: Worksheet, run: RunResult) -> None:
    _header(ws, OPEN_HEADERS, OPEN_WIDTHS)
    r = 2
    for p in ranked(run.projects):  # rows of 未填报 projects are listed on their own sheet
        if not p.budget.scored:
            write_row(
                ws,
                r,
                [p.project.name, BUDGET_LABEL, "", BUDGET_LABEL, "", "", p.budget.points, p.budget.calculation, ""],
            )
            r += 1
        for row in p.rows:
            if row.status is RowStatus.NOT_SCORED:
                write_row(
                    ws,
                    r,
                    [
                        row.project,
                        row.level1,
                        row.level2,
                        row.level3,
                        row.target_text,
                        row.actual_text,
                        row.weight,
                        row.reason or row.calculation,
                        row.source.describe() if row.source else "",
                    ],
                )
                r += 1
    ws.auto_filter.ref = f"A1:I{max(r - 1, 2)}"


UNREPORTED_HEADERS = ("序号", "项目名称", "主管部门", "年度资金总额（万元）", "三级指标数", "说明", "自评表")
UNREPORTED_WIDTHS = (6, 36, 16, 12, 10, 50, 40)


def _unreported_sheet(ws: Worksheet, run: RunResult, folders: Sequence[str]) -> None:
    """Projects with nothing filled in: not graded, not ranked, listed here so none goes unseen."""
    _header(ws, UNREPORTED_HEADERS, UNREPORTED_WIDTHS)
    listed = [(p, folder) for p, folder in zip(run.projects, folders, strict=True) if p.unreported]
    for k, (p, folder) in enumerate(listed, start=1):
        link = f"{folder}/{REPORT_FILES['xlsx']}"
        why = "未填报任何实际完成值和预算执行数：不评分、不定级、不参与排名"
        values: list[object] = [
            k,
            p.project.name,
            p.project.department,
            _opt(wan(p.project.total_funds)),
            len(p.rows),
            why,
            link,
        ]
        write_row(ws, k + 1, values)
        cell = ws.cell(k + 1, len(values))
        cell.hyperlink = link
        cell.font = Font(color="1F4E9A", underline="single")
    _even_heights(ws, 2, len(listed) + 1)
    if not listed:
        put_text(ws.cell(2, 1), "（无：每个项目都填报了实际完成值或预算执行数）")
    ws.auto_filter.ref = f"A1:G{max(len(listed) + 1, 2)}"


def _unmatched_sheet(ws: Worksheet, run: RunResult) -> None:
    """Rows of the actuals workbook that reached no declared indicator: nothing is dropped unseen."""
    frame = unmatched_frame(run)
    _header(ws, tuple(UNMATCHED_COLUMNS), UNMATCHED_WIDTHS)
    for r, values in enumerate(frame.itertuples(index=False), start=2):
        write_row(ws, r, list(values))
    if frame.empty:
        put_text(ws.cell(2, 1), "（无：实际完成表中的每一行都对应到了申报表中的指标）")
    ws.auto_filter.ref = f"A1:G{max(len(frame) + 1, 2)}"


def _about_sheet(ws: Worksheet, run: RunResult) -> None:
    ws.column_dimensions["A"].width = 110
    lines = [
        f"{run.year}年度项目支出绩效自评汇总" if run.year else "项目支出绩效自评汇总",
        f"评分规则：{run.profile_name}",
        reconciliation_line(run),
        f"项目数：{len(run.projects)}；评分未完成的项目：{sum(not p.complete for p in ranked(run.projects))}；"
        f"未填报的项目：{len(unreported(run.projects))}（不定级、不参与排名和等级统计，见「未填报项目」）",
        "「标记指标」按失分从多到少排列；【待填写】表示单位尚未填写偏差原因分析及改进措施。",
        "「未评分指标」在补充实际完成值或人工评定后重新运行 evaluator score 即可计分。",
    ]
    for k, line in enumerate(lines, start=1):
        put_text(ws.cell(k, 1), line, bold=(k == 1))


def build_summary_workbook(run: RunResult, folders: Sequence[str]) -> Workbook:
    wb = Workbook()
    sheets = [wb.active, *(wb.create_sheet() for _ in SUMMARY_SHEETS[1:])]
    for ws, title in zip(sheets, SUMMARY_SHEETS, strict=True):
        ws.title = title
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
    _project_sheet(sheets[0], run, folders)
    _flag_sheet(sheets[1], run)
    _open_sheet(sheets[2], run)
    _unreported_sheet(sheets[3], run, folders)
    _unmatched_sheet(sheets[4], run)
    _about_sheet(sheets[5], run)
    return wb


def write_summary_workbook(run: RunResult, folders: Sequence[str], path: Path) -> Path:
    workbook = build_summary_workbook(run, folders)
    write_office_atomically(path, workbook.save, run.year)
    return path
