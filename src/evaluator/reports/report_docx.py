"""The draft 自评报告 in Word, the format units edit and submit.

Word picks the font for Chinese characters from the East Asian slot of a run's fonts (w:eastAsia),
not from the Latin name python-docx sets, and the default template's headings use theme fonts that
override both; so every style used here gets explicit Latin and East Asian fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from evaluator.common.files import write_office_atomically
from evaluator.common.numbers import format_percent
from evaluator.models import ProjectScore, ReportRules, Severity
from evaluator.reports.view import (
    INCOMPLETE,
    PLACEHOLDER,
    ChartFile,
    achievement_summary,
    budget_lines,
    conclusion_lines,
    default_rules,
    flag_text,
    grade_text,
    is_flagged,
    legend_text,
    level1_label,
    level1_points,
    ordered_rows,
    reason_text,
    spans,
    total_lines,
    two,
    visible_flags,
    worst_severity,
)

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
SECTIONS = ("一、基本情况", "二、绩效目标及完成情况", "三、得分情况", "四、偏差原因分析及改进措施", "五、结论")
SCORE_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
SCORE_WIDTHS_CM = (2.0, 2.3, 4.1, 2.6, 2.5, 1.55, 1.55)
FILL = {Severity.RED: "F4CCCC", Severity.YELLOW: "FFF2CC"}
HEAD_FILL = "E7EEF7"
CN_NUMBERS = "一二三四五六七八九十"


def _set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on a style's or run's rPr; theme attributes removed so they cannot override."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _setup(document: DocumentType) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.4)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = 1.35
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13), ("Caption", 10.5)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
        _set_fonts(style.element, HEADING_FONT if name != "Caption" else BODY_FONT)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = 10) -> None:
    cell.text = ""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = 1.1
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if text == PLACEHOLDER:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths that both Word and LibreOffice honour: grid, columns and every cell."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _repeat_header(row) -> None:
    """Repeat the header row on every page the table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _placeholder_paragraph(document: DocumentType, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    run = paragraph.add_run(text)
    if text == PLACEHOLDER:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _figure(document: DocumentType, chart: ChartFile | None, number: int) -> int:
    if chart is None:
        return number
    document.add_picture(str(chart.path), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"图{number}  {chart.title}", style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    return number + 1


def _basic_section(document: DocumentType, score: ProjectScore) -> None:
    project = score.project
    document.add_heading(SECTIONS[0], level=1)
    period = ""
    if project.start_date and project.end_date:
        period = f"{project.start_date:%Y年%m月%d日}至{project.end_date:%Y年%m月%d日}"
    total = budget_lines(score)[0]
    facts = [
        ("项目名称", project.name),
        ("主管部门", project.department),
        ("实施单位", project.implementer),
        ("项目性质", project.nature),
        ("项目类别", project.category),
        ("计划实施期", period),
        ("年度资金总额（万元）", two(total.initial)),
        ("全年预算数（万元）", two(total.adjusted)),
        ("全年执行数（万元）", two(total.executed)),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in facts:
        cells = table.add_row().cells
        _cell(cells[0], label, bold=True)
        _shade(cells[0], HEAD_FILL)
        _cell(cells[1], value or "—")
    _widths(table, (4.5, 12.1))


def _goal_section(document: DocumentType, score: ProjectScore, charts: dict[str, ChartFile], number: int) -> int:
    document.add_heading(SECTIONS[1], level=1)
    document.add_heading("（一）年度总体目标", level=2)
    document.add_paragraph(score.project.annual_goal or "（申报表未填写年度总体目标）")
    document.add_heading("（二）实际完成情况", level=2)
    document.add_paragraph(achievement_summary(score))
    b = score.budget
    total = budget_lines(score)[0]
    if b.scored:
        text = (
            f"全年预算数 {two(total.adjusted)} 万元，全年执行数 {two(total.executed)} 万元，预算执行率 "
            f"{format_percent(b.rate)}，得分 {two(b.score)} 分（满分 {two(b.points)} 分）。"
        )
    else:
        text = f"预算执行率未评分：{b.calculation}。"
    document.add_heading("（三）预算执行情况", level=2)
    document.add_paragraph(text)
    number = _figure(document, charts.get("budget"), number)
    return _figure(document, charts.get("level1"), number)


def _shade_flagged(cells, flags) -> None:
    """The value cells of a flagged row take the colour of its worst flag, as in the 自评表."""
    severity = worst_severity(flags)
    if severity:
        for cell in cells:
            _shade(cell, FILL[severity])


def _score_section(
    document: DocumentType, score: ProjectScore, charts: dict[str, ChartFile], number: int, rules: ReportRules
) -> int:
    document.add_heading(SECTIONS[2], level=1)
    document.add_paragraph(
        "项目未填报实际完成值和预算执行数，未评分、未定级。各项指标如下表（分值单位：分）。"
        if score.unreported
        else f"项目总分 {two(score.total)} 分，自评等级「{grade_text(score)}」。各项得分如下表（分值与得分单位：分）。"
    )
    rows = ordered_rows(score)
    table = document.add_table(rows=1, cols=len(SCORE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, header in zip(table.rows[0].cells, SCORE_HEADERS, strict=True):
        _cell(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEAD_FILL)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    b = score.budget
    budget = table.add_row().cells
    budget[0].merge(budget[2])
    _cell(budget[0], "预算执行率", align=centre)
    _cell(budget[3], "—", align=centre)
    _cell(budget[4], format_percent(b.rate) if b.scored else "未评分", align=centre)
    _cell(budget[5], two(b.points), align=right)
    _cell(budget[6], two(b.score), align=right)
    _shade_flagged(budget[3:], b.flags)
    first = len(table.rows)
    points = level1_points(score)
    for item in rows:
        cells = table.add_row().cells
        _cell(cells[2], item.level3)
        _cell(cells[3], item.target_text, align=centre)
        _cell(cells[4], item.actual_text or "（未填报）", align=centre)
        _cell(cells[5], two(item.weight), align=right)
        _cell(cells[6], two(item.score), align=right)
        _shade_flagged(cells[3:], item.flags)
    level1s = [r.level1 for r in rows]
    for start, end in spans(level1s):
        top = table.cell(first + start, 0)
        merged = top.merge(table.cell(first + end, 0)) if end > start else top
        _cell(merged, level1_label(level1s[start], points.get(level1s[start], 0.0)), align=centre)
    groups = [(r.level1, r.level2) for r in rows]
    for start, end in spans(groups):
        top = table.cell(first + start, 1)
        merged = top.merge(table.cell(first + end, 1)) if end > start else top
        _cell(merged, rows[start].level2, align=centre)
    for line in total_lines(score):
        total = table.add_row().cells
        total[0].merge(total[4])
        _cell(total[0], line.label, bold=True, align=centre)
        _cell(total[5], two(line.points), bold=True, align=right)
        _cell(total[6], two(line.score), bold=True, align=right)
    _widths(table, SCORE_WIDTHS_CM)
    document.add_paragraph(f"注：{legend_text(rules)}")
    if not score.complete and not score.unreported:
        document.add_paragraph(f"注：{INCOMPLETE}，尚有指标未评分，总分可能变化。")
    for note in score.notes:
        document.add_paragraph(f"注：{note}")
    return _figure(document, charts.get("indicators"), number)


def _deviation_section(document: DocumentType, score: ProjectScore) -> None:
    document.add_heading(SECTIONS[3], level=1)
    items: list[tuple[str, str, str]] = []
    if visible_flags(score.budget.flags):
        items.append(("预算执行率", flag_text(score.budget.flags), PLACEHOLDER))
    for row in ordered_rows(score):
        if is_flagged(row):
            facts = (
                f"年度指标值 {row.target_text}，实际完成值 {row.actual_text or '未填报'}，"
                f"得分 {two(row.score)} / {two(row.weight)} 分。{flag_text(row.flags)}"
            )
            items.append((row.level3, facts, reason_text(row)))
    if not items:
        document.add_paragraph("各项指标均已达成，无需说明偏差。")
        return
    for k, (title, facts, reason) in enumerate(items, start=1):
        label = f"（{CN_NUMBERS[k - 1]}）" if k <= len(CN_NUMBERS) else f"（{k}）"
        document.add_heading(f"{label}{title}", level=2)
        document.add_paragraph(facts)
        _placeholder_paragraph(document, "偏差原因分析及改进措施：", reason)


def _conclusion_section(document: DocumentType, score: ProjectScore) -> None:
    document.add_heading(SECTIONS[4], level=1)
    *findings, plan = conclusion_lines(score)
    for line in findings:
        document.add_paragraph(line)
    for flag in score.flags:
        if flag.severity is not Severity.INFO:
            document.add_paragraph(f"• {flag.message}")
    paragraph = document.add_paragraph()
    head, placeholder, tail = plan.partition(PLACEHOLDER)
    paragraph.add_run(head)
    if placeholder:
        run = paragraph.add_run(placeholder)
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    if tail:
        paragraph.add_run(tail)


def build_report_document(
    score: ProjectScore, year: int | None, charts: Sequence[ChartFile] = (), rules: ReportRules | None = None
) -> DocumentType:
    """`charts` are looked up by file stem: chart_budget / chart_level1 / chart_indicators; `rules` word the legend."""
    by_kind = {c.path.stem.removeprefix("chart_"): c for c in charts}
    document = Document()
    _setup(document)
    heading = f"{year}年度" if year else ""
    document.add_paragraph(f"{score.project.name}\n{heading}项目支出绩效自评报告", style="Title")
    _basic_section(document, score)
    number = _goal_section(document, score, by_kind, 1)
    _score_section(document, score, by_kind, number, rules or default_rules())
    _deviation_section(document, score)
    _conclusion_section(document, score)
    return document


def write_report_docx(
    score: ProjectScore,
    path: Path,
    year: int | None,
    charts: Sequence[ChartFile] = (),
    rules: ReportRules | None = None,
) -> Path:
    document = build_report_document(score, year, charts, rules)
    write_office_atomically(path, lambda temp: document.save(str(temp)), year)
    return path
