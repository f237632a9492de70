"""What `evaluator lint` writes: lint.csv (every finding), 目标审核意见.xlsx (per project, each row with
its findings and a suggested rewrite) and the terminal summary.

The workbook is for the unit that wrote the targets: one sheet per project laid out like the
declaration, so a person can correct the form row by row; the CSV is for a bureau's own tools.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import write_atomically, write_office_atomically
from evaluator.common.numbers import format_amount
from evaluator.config.lint_rules import SEVERITY_NAMES
from evaluator.lint.engine import LintedProject, LintResult
from evaluator.lint.findings import SEVERITY_ORDER, Finding
from evaluator.reports.sheets import (
    BORDER,
    HEAD_FILL,
    RED_FILL,
    YELLOW_FILL,
    fit_height,
    put_text,
    write_row,
)
from evaluator.reports.view import LEVEL_HEADERS

CSV_NAME = "lint.csv"
WORKBOOK_NAME = "目标审核意见.xlsx"
CSV_COLUMNS = (
    "文件",
    "项目名称",
    *LEVEL_HEADERS,
    "code",
    "问题",
    "严重程度",
    "建议",
    "审核项",
    "类别",
    "年度指标值",
    "位置",
    "依据",
)
SUMMARY_SHEET = "审核汇总"
ALL_SHEET = "全部问题"
RULES_SHEET = "审核规则"
_FILLS = {"P1": RED_FILL, "P2": YELLOW_FILL}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_LEN = 31
_HEAD = Alignment(horizontal="center", vertical="center", wrap_text=True)


def finding_record(f: Finding) -> dict[str, str]:
    return {
        "文件": f.file,
        "项目名称": f.project,
        "一级指标": f.level1,
        "二级指标": f.level2,
        "三级指标": f.level3,
        "code": f.code,
        "问题": f.message,
        "严重程度": f.severity,
        "建议": f.suggestion,
        "审核项": f.label,
        "类别": f.group,
        "年度指标值": f.target_text,
        "位置": f.where.describe() if f.where else "",
        "依据": f.rule_source,
    }


def write_lint_csv(result: LintResult, path: Path) -> Path:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens it without garbling."""

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for finding in result.findings:
                writer.writerow(finding_record(finding))

    write_atomically(path, write)
    return path


def verdict(p1: int, p2: int, p3: int) -> str:
    if p1:
        return "退回修改：有必须修改的问题"
    if p2:
        return "建议修改后报送"
    return "通过（有提示）" if p3 else "通过"


def _header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float] | None = None) -> None:
    for k, header in enumerate(headers, start=1):
        cell = put_text(ws.cell(row, k), header, _HEAD, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        if widths is not None:
            ws.column_dimensions[cell.column_letter].width = widths[k - 1]
    ws.row_dimensions[row].height = 24


def sheet_titles(projects: Sequence[LintedProject]) -> list[str]:
    """A valid, unique sheet name per project (31 characters, none of []:*?/\\)."""
    taken = {SUMMARY_SHEET, ALL_SHEET, RULES_SHEET}
    titles: list[str] = []
    for k, item in enumerate(projects, start=1):
        base = _BAD_SHEET_CHARS.sub("", item.project.name).strip("'") or f"项目{k}"
        title = base[:_SHEET_LEN]
        n = 2
        while title in taken:
            suffix = f"({n})"
            title = base[: _SHEET_LEN - len(suffix)] + suffix
            n += 1
        taken.add(title)
        titles.append(title)
    return titles


def _summary_sheet(ws: Worksheet, result: LintResult, titles: list[str]) -> None:
    headers = ("序号", "项目名称", "文件", "三级指标数", "P1 必须修改", "P2 建议修改", "P3 提示", "审核意见", "明细")
    _header(ws, 1, headers, (6, 36, 28, 10, 10, 10, 8, 26, 30))
    ws.freeze_panes = "A2"
    for k, (item, title) in enumerate(zip(result.projects, titles, strict=True), start=1):
        counts = [sum(1 for f in result.findings_of(item) if f.severity == s) for s in SEVERITY_ORDER]
        values = (k, item.project.name, item.file, len(item.rows), *counts, verdict(*counts), title)
        write_row(ws, k + 1, values, _FILLS.get("P1") if counts[0] else None)
        link = ws.cell(k + 1, len(headers))
        link.hyperlink = f"#'{title}'!A1"
        link.font = Font(color="1F4E9A", underline="single")


def _all_sheet(ws: Worksheet, result: LintResult) -> None:
    widths = (24, 28, 10, 14, 28, 7, 48, 8, 40, 20, 8, 18, 24, 30)
    _header(ws, 1, CSV_COLUMNS, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(CSV_COLUMNS)).column_letter}{len(result.findings) + 1}"
    for r, finding in enumerate(result.findings, start=2):
        record = finding_record(finding)
        write_row(ws, r, [record[c] for c in CSV_COLUMNS], _FILLS.get(finding.severity))


def _rules_sheet(ws: Worksheet, result: LintResult) -> None:
    _header(ws, 1, ("code", "审核项", "类别", "严重程度", "是否启用", "依据"), (8, 32, 10, 12, 10, 56))
    ws.freeze_panes = "A2"
    for r, (code, rule) in enumerate(sorted(result.rules.checks.items()), start=2):
        shown = f"{rule.severity} {SEVERITY_NAMES[rule.severity]}"
        write_row(ws, r, (code, rule.label, rule.group, shown, "是" if rule.enabled else "否", rule.source))
    note = len(result.rules.checks) + 3
    put_text(ws.cell(note, 1), f"规则文件：{Path(result.rules.path).name}；评分规则：{result.profile_name}")


PROJECT_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "问题", "严重程度", "建议改写", "建议")
PROJECT_WIDTHS = (11, 14, 30, 18, 54, 9, 20, 40)


def _tagged(findings: Sequence[Finding]) -> str:
    return "\n".join(f"【{f.code} {f.label}】{f.message}" for f in findings)


def _worst(findings: Sequence[Finding]) -> str:
    return min((f.severity for f in findings), key=SEVERITY_ORDER.index, default="")


def _project_sheet(ws: Worksheet, item: LintedProject, findings: list[Finding]) -> None:
    project = item.project
    for k, width in enumerate(PROJECT_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(1, k).column_letter].width = width
    last = len(PROJECT_HEADERS)
    put_text(ws.cell(1, 1), f"绩效目标审核意见：{project.name}", bold=True).font = Font(name="宋体", size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 26
    funds = f"{format_amount(project.total_funds)} 元" if project.total_funds is not None else "（未填写）"
    facts = [
        ("文件", item.file),
        ("年度资金总额", funds),
        ("年度总体目标", project.annual_goal or "（未填写）"),
    ]
    r = 2
    for label, value in facts:
        put_text(ws.cell(r, 1), label, bold=True).border = BORDER
        put_text(ws.cell(r, 2), value).border = BORDER
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)
        fit_height(ws, r, [(value, sum(PROJECT_WIDTHS[1:]))])
        r += 1
    overall = [f for f in findings if not f.level1]
    r += 1
    put_text(ws.cell(r, 1), "项目层面的问题", bold=True)
    r += 1
    if not overall:
        put_text(ws.cell(r, 1), "无")
        r += 1
    for f in overall:
        values = ("", "", f"【{f.code}】{f.label}", "", f.message, f.severity, "", f.advice)
        write_row(ws, r, values, _FILLS.get(f.severity))
        r += 1
    r += 1
    _header(ws, r, PROJECT_HEADERS)
    ws.freeze_panes = ws.cell(r + 1, 1)
    ws.print_title_rows = f"{r}:{r}"
    r += 1
    by_row: dict[int, list[Finding]] = {}
    for f in findings:
        if f.level1:
            by_row.setdefault(_row_index(item, f), []).append(f)
    for k, row in enumerate(item.rows):
        own = by_row.get(k, [])
        i = row.indicator
        rewrite = next((f.rewrite for f in own if f.rewrite), "")
        advice = "\n".join(dict.fromkeys(f.advice for f in own if f.advice))
        worst = _worst(own)
        values = (i.level1, i.level2, i.level3, i.target_text, _tagged(own), worst, rewrite, advice)
        write_row(ws, r, values, _FILLS.get(worst))
        r += 1


def _row_index(item: LintedProject, finding: Finding) -> int:
    for k, row in enumerate(item.rows):
        i = row.indicator
        same = (i.level1, i.level2, i.level3, i.target_text) == (
            finding.level1,
            finding.level2,
            finding.level3,
            finding.target_text,
        )
        if same and (i.source or item.project.source) == finding.where:
            return k
    return -1


def _printable(ws: Worksheet, title_rows: str | None) -> None:
    """A4 landscape, one page wide: spreadsheet programs print a wide sheet over many pages otherwise."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def build_review_workbook(result: LintResult) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    titles = sheet_titles(result.projects)
    _summary_sheet(summary, result, titles)
    _all_sheet(wb.create_sheet(ALL_SHEET), result)
    for item, title in zip(result.projects, titles, strict=True):
        _project_sheet(wb.create_sheet(title), item, result.findings_of(item))
    _rules_sheet(wb.create_sheet(RULES_SHEET), result)
    for ws in wb.worksheets:
        _printable(ws, "1:1" if ws.title in (SUMMARY_SHEET, ALL_SHEET, RULES_SHEET) else ws.print_title_rows)
    return wb


def write_review_workbook(result: LintResult, path: Path) -> Path:
    workbook = build_review_workbook(result)
    write_office_atomically(path, workbook.save)
    return path


def render_summary(result: LintResult, written: Sequence[Path] = ()) -> str:
    """The terminal summary: totals, one line per project, the most frequent checks, the files."""
    rows = sum(len(p.rows) for p in result.projects)
    counts = [result.count(s) for s in SEVERITY_ORDER]
    lines = [
        f"绩效目标审核（规则：{result.profile_name or '默认'}）：{len(result.projects)} 个项目，{rows} 个三级指标；"
        + "，".join(f"{s} {SEVERITY_NAMES[s]} {n} 条" for s, n in zip(SEVERITY_ORDER, counts, strict=True))
        + "。"
    ]
    width = max((len(p.project.name) for p in result.projects), default=0)
    for item in result.projects:
        own = [sum(1 for f in result.findings_of(item) if f.severity == s) for s in SEVERITY_ORDER]
        name = item.project.name.ljust(width, "\u3000")
        lines.append(f"  {name}  P1 {own[0]:>2}  P2 {own[1]:>2}  P3 {own[2]:>2}  {verdict(*own)}")
    frequent = Counter((f.code, f.label, f.severity) for f in result.findings).most_common(8)
    if frequent:
        lines.append("最常见的问题：")
        lines.extend(f"  {code} {label}（{severity}）：{n} 条" for (code, label, severity), n in frequent)
    for skipped in result.skipped:
        lines.append(f"已跳过（无法读取）：{skipped}")
    lines.extend(f"已写出：{path}" for path in written)
    return "\n".join(lines)
