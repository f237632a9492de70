"""复核底稿.xlsx — the reviewer's working paper: a summary sheet, then one sheet per project.

Each project sheet lists every row as published beside the re-computed score, with the problem
found, the rule it rests on and an empty 备注 column for the reviewer's own remarks; the budget
row and 总分 close the table. Rows with a P0 finding are shaded red, P1 yellow, so the working
paper reads like the checker's output a firm would print.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.audit.model import BUDGET_ROW, SEVERITY_ORDER, TOTAL_ROW, AuditResult, Finding, ProjectAudit
from evaluator.common.files import write_office_atomically
from evaluator.reports.sheets import BORDER, HEAD_FILL, RED_FILL, YELLOW_FILL, fit_height, put_number, put_text

SUMMARY_SHEET = "汇总"
ROW_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "分值",
    "自评完成值",
    "自评得分",
    "复核得分",
    "差异",
    "偏离度",
    "问题",
    "依据",
    "备注",
)
ROW_WIDTHS = (11, 13, 24, 16, 7, 16, 8, 8, 7, 8, 34, 34, 18)
SUMMARY_HEADERS = (
    "序号",
    "文件",
    "项目名称",
    "自评总分",
    "复核总分",
    "差异",
    "偏离度",
    "自评等级",
    "复核等级",
    "P0",
    "P1",
    "P2",
    "复核状态",
    "说明",
)
SUMMARY_WIDTHS = (6, 22, 34, 9, 9, 8, 9, 8, 8, 5, 5, 5, 10, 40)
_FORBIDDEN_SHEET = set("[]:*?/\\")
_HEAD = Alignment(horizontal="center", vertical="center", wrap_text=True)


def sheet_names(names: Sequence[str]) -> list[str]:
    """Excel sheet names (≤ 31 characters, no []:*?/\\, unique) for the projects, numbered in order."""
    out: list[str] = []
    for k, name in enumerate(names, start=1):
        clean = "".join("_" if ch in _FORBIDDEN_SHEET else ch for ch in name).strip("'") or "项目"
        out.append(f"{k}-{clean}"[:31])
    return out


def _header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    for k, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put_text(ws.cell(row, k), text, _HEAD, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[row].height = 30


def _put_row(ws: Worksheet, r: int, values: Sequence[object], widths: Sequence[float], fill=None) -> None:
    for k, value in enumerate(values, start=1):
        cell = ws.cell(r, k)
        if isinstance(value, tuple):  # (fraction,) → percent
            put_number(cell, value[0], "0.00%", digits=4)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            put_number(cell, float(value), "0" if isinstance(value, int) else "0.00")
        else:
            put_text(cell, "" if value is None else str(value))
        cell.border = BORDER
        if fill is not None:
            cell.fill = fill
    fit_height(ws, r, [(str(v), w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)])


def _fill(findings: Sequence[Finding]):
    severities = {f.severity for f in findings}
    return RED_FILL if "P0" in severities else YELLOW_FILL if "P1" in severities else None


def _problems(findings: Sequence[Finding]) -> tuple[str, str]:
    problems = "；".join(
        f"【{f.severity}】{f.label}：{f.note}" if f.note else f"【{f.severity}】{f.label}" for f in findings
    )
    basis = "；".join(dict.fromkeys(f.basis for f in findings))
    return problems, basis


def _f(value: float | None) -> float | None:
    """Points as floats, so they always show two decimals (a table's 96 is 96.00)."""
    return None if value is None else float(value)


def _pct(value: float | None) -> object:
    return None if value is None else (value,)


def _project_sheet(ws: Worksheet, p: ProjectAudit) -> None:
    ws.sheet_view.showGridLines = False
    last = get_column_letter(len(ROW_HEADERS))
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    put_text(ws.cell(1, 1), f"项目支出绩效自评复核底稿 — {p.project.name}", bold=True)
    put_text(ws.cell(2, 1), f"文件：{p.file}；{'；'.join(p.notes)}" if p.notes else f"文件：{p.file}")
    ws.row_dimensions[1].height = 22
    _header(ws, 3, ROW_HEADERS, ROW_WIDTHS)
    r = 4
    for row in p.rows:
        ind = row.indicator
        found = list(row.findings)
        problems, basis = _problems(found)
        if row.reason and not problems:
            problems = f"无法复核：{row.reason}"
        remark = row.note
        values = (
            ind.level1,
            ind.level2,
            ind.level3,
            ind.target_text,
            _f(row.scored.weight),
            ind.published_actual or "",
            _f(row.published_score),
            _f(row.review_score) if row.review_score is not None else "无法复核",
            _f(row.difference),
            _pct(row.deviation),
            problems,
            basis,
            remark,
        )
        _put_row(ws, r, values, ROW_WIDTHS, _fill(found))
        r += 1
    on_rows = {id(f) for row in p.rows for f in row.findings}
    budget = [f for f in p.findings if f.level3 == BUDGET_ROW and id(f) not in on_rows]
    problems, basis = _problems(budget)
    pub = p.project.published
    b = p.score.budget
    rate = f"执行率 {b.rate:.2%}" if b.rate is not None else "执行率未知"
    budget_diff = (
        round(pub.budget_score - p.budget_review, 2)
        if pub and pub.budget_score is not None and p.budget_review is not None
        else None
    )
    _put_row(
        ws,
        r,
        (
            BUDGET_ROW,
            "",
            "全年执行数 ÷ 全年预算数",
            "",
            _f(p.budget_weight),
            f"{pub.budget_rate:.2%}" if pub and pub.budget_rate is not None else rate,
            _f(pub.budget_score) if pub else None,
            _f(p.budget_review) if p.budget_review is not None else "无法复核",
            _f(budget_diff),
            None,
            problems,
            basis,
            "",
        ),
        ROW_WIDTHS,
        _fill(budget),
    )
    r += 1
    total = [f for f in p.findings if id(f) not in on_rows and f.level3 != BUDGET_ROW]
    problems, basis = _problems(total)
    _put_row(
        ws,
        r,
        (
            TOTAL_ROW,
            "",
            "",
            "",
            _f(p.weight_sum),
            pub.grade if pub else "",
            _f(p.published_total),
            _f(p.review_total),
            _f(p.difference),
            _pct(p.deviation),
            problems,
            basis,
            "",
        ),
        ROW_WIDTHS,
        _fill(total),
    )
    for k in range(1, len(ROW_HEADERS) + 1):
        font = copy(ws.cell(r, k).font)
        font.bold = True
        ws.cell(r, k).font = font
    ws.freeze_panes = "D4"
    _landscape(ws, "3:3")


def _landscape(ws: Worksheet, title_rows: str) -> None:
    """Print on A4 landscape, all columns on one page width, the header row repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def _summary_sheet(ws: Worksheet, result: AuditResult) -> None:
    _header(ws, 1, SUMMARY_HEADERS, SUMMARY_WIDTHS)
    for k, p in enumerate(result.projects, start=1):
        pub = p.project.published
        state = "已完成" if p.complete else "复核未完成"
        values = (
            k,
            p.file,
            p.project.name,
            _f(p.published_total),
            _f(p.review_total),
            _f(p.difference),
            _pct(p.deviation),
            (pub.grade if pub else "") or "",
            p.review_grade,
            *(p.count(s) for s in SEVERITY_ORDER),
            state,
            "；".join(p.notes),
        )
        _put_row(ws, k + 1, values, SUMMARY_WIDTHS, _fill(p.findings))
    last = len(result.projects) + 2
    put_text(ws.cell(last + 1, 2), result.reconciliation())
    put_text(ws.cell(last + 2, 2), "偏离度 = (自评 − 复核) ÷ 自评；P0 须改正的错误数字，P1 未按规则评分，P2 值得关注。")
    ws.freeze_panes = "D2"
    _landscape(ws, "1:1")


def build_working_paper(result: AuditResult) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    _summary_sheet(summary, result)
    for name, p in zip(sheet_names([p.project.name for p in result.projects]), result.projects, strict=True):
        _project_sheet(wb.create_sheet(name), p)
    return wb


def write_working_paper(result: AuditResult, path: Path) -> Path:
    wb = build_working_paper(result)
    write_office_atomically(path, wb.save)
    return path
