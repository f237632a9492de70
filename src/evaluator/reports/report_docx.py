"""The draft 自评报告 in Word, the format units edit and submit.

Word picks the font for Chinese characters from the East Asian slot of a run's fonts (w:eastAsia),
not from the Latin name python-docx sets, and the default template's headings use theme fonts that
override both; so every style used here gets explicit Latin and East Asian fonts.

Speed (issue 15): building each document through python-docx's object model cost 0.11 CPU s a
project (style look-ups by name, `table.cell()` walking the whole table, lxml element by element).
So python-docx is used once per process, to prepare the package (its default template with the
styles and the page set up by `_setup`), and each report's body is written as WordprocessingML
text into a copy of that package: the same paragraphs, styles, tables, merges and pictures as
python-docx wrote, read back by python-docx in the tests.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from evaluator.common.files import write_atomically
from evaluator.common.numbers import format_percent
from evaluator.models import ProjectScore, ReportRules, Severity
from evaluator.reports.office_zip import StampedZip
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
FACT_WIDTHS_CM = (4.5, 12.1)
FILL = {Severity.RED: "F4CCCC", Severity.YELLOW: "FFF2CC"}
HEAD_FILL = "E7EEF7"
CN_NUMBERS = "一二三四五六七八九十"
PICTURE_WIDTH_CM = 15.5
RED_TEXT = "C00000"
EMU_PER_CM = 360_000
STYLE_IDS = {"Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Caption": "Caption"}

# ---------------------------------------------------------------------------------------------
# The package, prepared once per process with python-docx
# ---------------------------------------------------------------------------------------------


def _set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on a style's or run's rPr; theme attributes removed so they cannot override."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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


def _setup(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

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


@dataclass(frozen=True)
class _Package:
    """python-docx's default package with our styles: every part but the body, and the body's frame."""

    parts: tuple[tuple[str, bytes], ...]  # in the order python-docx wrote them
    body_start: str  # <?xml …?><w:document …><w:body>
    body_end: str  # <w:sectPr …>…</w:sectPr></w:body></w:document>
    content_types: str
    relationships: str


DOCUMENT, DOCUMENT_RELS, CONTENT_TYPES = "word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


@lru_cache(maxsize=1)
def _package() -> _Package:
    from docx import Document

    document = Document()
    _setup(document)
    buffer = BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    texts = {name: data.decode("utf-8") for name, data in parts if name in (DOCUMENT, DOCUMENT_RELS, CONTENT_TYPES)}
    body = texts[DOCUMENT]
    start = body.index("<w:body>") + len("<w:body>")
    section = body.index("<w:sectPr")
    types = texts[CONTENT_TYPES]
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
    return _Package(tuple(parts), body[:start], body[section:], types, texts[DOCUMENT_RELS])


# ---------------------------------------------------------------------------------------------
# WordprocessingML text
# ---------------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile(r"([\t\n\r])")


def _twips(cm: float) -> int:
    return round(int(cm * EMU_PER_CM) / 635)


def _text(text: str) -> str:
    """A run's content as python-docx writes it: tabs as <w:tab/>, line ends as <w:br/>."""
    out = []
    for piece in _BREAKS.split(_NOT_XML.sub("", text)):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            out.append("<w:br/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def _run(text: str, *, bold: bool = False, size: float | None = None, red: bool = False, marked: bool = False) -> str:
    """One run; `red` colours it, `marked` adds the yellow highlight a 【待填写】 carries."""
    props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{RED_TEXT}"/>' if red else "")
    props += f'<w:sz w:val="{round(size * 2)}"/>' if size else ""
    props += '<w:highlight w:val="yellow"/>' if marked else ""
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_text(text)}</w:r>"


def _paragraph(runs: str = "", style: str | None = None, align: str | None = None, line: float | None = None) -> str:
    props = f'<w:pStyle w:val="{STYLE_IDS[style]}"/>' if style else ""
    props += f'<w:spacing w:line="{round(line * 240)}" w:lineRule="auto"/>' if line else ""
    props += f'<w:jc w:val="{align}"/>' if align else ""
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


@dataclass
class _Cell:
    text: str = ""
    bold: bool = False
    align: str = "left"
    fill: str | None = None
    span: int = 1  # grid columns this cell covers
    merge: str | None = None  # "restart" (top of a vertical merge), "continue" (covered), None
    covered: bool = False  # inside a horizontal span: no <w:tc> of its own


def _cell_xml(cell: _Cell, width: int) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    props += f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
    props += {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>", None: ""}[cell.merge]
    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>' if cell.fill else ""
    props += '<w:vAlign w:val="center"/>'
    if cell.merge == "continue":
        content = "<w:p/>"
    else:
        run = _run(cell.text, bold=cell.bold, size=10, red=cell.text == PLACEHOLDER, marked=cell.text == PLACEHOLDER)
        content = _paragraph(run, align=cell.align, line=1.1)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


@dataclass
class _Table:
    """A fixed-width table with merged cells, written the way python-docx writes one."""

    widths_cm: Sequence[float]
    rows: list[list[_Cell]] = field(default_factory=list)
    header_rows: int = 0

    def add_row(self) -> list[_Cell]:
        row = [_Cell() for _ in self.widths_cm]
        self.rows.append(row)
        return row

    def merge_across(self, row: int, first: int, last: int) -> _Cell:
        cells = self.rows[row]
        cells[first].span = last - first + 1
        for k in range(first + 1, last + 1):
            cells[k].covered = True
        return cells[first]

    def merge_down(self, column: int, first: int, last: int) -> _Cell:
        if last > first:
            self.rows[first][column].merge = "restart"
            for r in range(first + 1, last + 1):
                self.rows[r][column].merge = "continue"
        return self.rows[first][column]

    def xml(self) -> str:
        widths = [_twips(w) for w in self.widths_cm]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for r, row in enumerate(self.rows):
            out.append("<w:tr>")
            if r < self.header_rows:
                out.append('<w:trPr><w:tblHeader w:val="true"/></w:trPr>')
            for c, cell in enumerate(row):
                if not cell.covered:
                    out.append(_cell_xml(cell, sum(widths[c : c + cell.span])))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        return image.size


class _Body:
    """The document body as text, and the pictures it embeds."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.images: list[tuple[str, bytes]] = []  # (media name, PNG bytes)

    def paragraph(self, text: str = "", style: str | None = None, align: str | None = None) -> None:
        self.parts.append(_paragraph(_run(text) if text else "", style, align))

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, f"Heading {level}")

    def raw(self, xml: str) -> None:
        self.parts.append(xml)

    def picture(self, path: Path, name: str) -> None:
        data = Path(path).read_bytes()
        number = len(self.images) + 1
        self.images.append((f"image{number}.png", data))
        width_px, height_px = _png_size(data)
        cx = int(PICTURE_WIDTH_CM * EMU_PER_CM)
        cy = round(cx * height_px / width_px)
        a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
        drawing = (
            f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{number}" name="Picture {number}"/><wp:cNvGraphicFramePr>'
            f'<a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{escape(name, {chr(34): "&quot;"})}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="rIdImage{number}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>'
        )
        self.parts.append(_paragraph(f"<w:r>{drawing}</w:r>", align="center"))

    def package(self) -> list[tuple[str, bytes]]:
        """Every zip entry of the finished .docx, in python-docx's order, pictures after the body."""
        base = _package()
        rels = "".join(
            f'<Relationship Id="rIdImage{k}" Type="{IMAGE_REL}" Target="media/{name}"/>'
            for k, (name, _data) in enumerate(self.images, start=1)
        )
        replaced = {
            CONTENT_TYPES: base.content_types.encode("utf-8"),
            DOCUMENT: (base.body_start + "".join(self.parts) + base.body_end).encode("utf-8"),
            DOCUMENT_RELS: base.relationships.replace("</Relationships>", rels + "</Relationships>").encode("utf-8"),
        }
        entries = [(name, replaced.get(name, data)) for name, data in base.parts]
        entries.extend((f"word/media/{name}", data) for name, data in self.images)
        return entries


# ---------------------------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------------------------


def _figure(body: _Body, chart: ChartFile | None, number: int) -> int:
    if chart is None:
        return number
    body.picture(chart.path, chart.path.name)
    body.paragraph(f"图{number}  {chart.title}", style="Caption", align="center")
    return number + 1


def _basic_section(body: _Body, score: ProjectScore) -> None:
    project = score.project
    body.heading(SECTIONS[0], 1)
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
    table = _Table(FACT_WIDTHS_CM)
    for label, value in facts:
        head, cell = table.add_row()
        head.text, head.bold, head.fill = label, True, HEAD_FILL
        cell.text = value or "—"
    body.raw(table.xml())


def _goal_section(body: _Body, score: ProjectScore, charts: dict[str, ChartFile], number: int) -> int:
    body.heading(SECTIONS[1], 1)
    body.heading("（一）年度总体目标", 2)
    body.paragraph(score.project.annual_goal or "（申报表未填写年度总体目标）")
    body.heading("（二）实际完成情况", 2)
    body.paragraph(achievement_summary(score))
    b = score.budget
    total = budget_lines(score)[0]
    if b.scored:
        text = (
            f"全年预算数 {two(total.adjusted)} 万元，全年执行数 {two(total.executed)} 万元，预算执行率 "
            f"{format_percent(b.rate)}，得分 {two(b.score)} 分（满分 {two(b.points)} 分）。"
        )
    else:
        text = f"预算执行率未评分：{b.calculation}。"
    body.heading("（三）预算执行情况", 2)
    body.paragraph(text)
    number = _figure(body, charts.get("budget"), number)
    return _figure(body, charts.get("level1"), number)


def _fill_flagged(cells: list[_Cell], flags) -> None:
    """The value cells of a flagged row take the colour of its worst flag, as in the 自评表."""
    severity = worst_severity(flags)
    if severity:
        for cell in cells:
            cell.fill = FILL[severity]


def _put(cell: _Cell, text: str, align: str = "left", bold: bool = False) -> None:
    cell.text, cell.align, cell.bold = text, align, bold


def _score_section(
    body: _Body, score: ProjectScore, charts: dict[str, ChartFile], number: int, rules: ReportRules
) -> int:
    body.heading(SECTIONS[2], 1)
    body.paragraph(
        "项目未填报实际完成值和预算执行数，未评分、未定级。各项指标如下表（分值单位：分）。"
        if score.unreported
        else f"项目总分 {two(score.total)} 分，自评等级「{grade_text(score)}」。各项得分如下表（分值与得分单位：分）。"
    )
    rows = ordered_rows(score)
    table = _Table(SCORE_WIDTHS_CM, header_rows=1)
    for cell, header in zip(table.add_row(), SCORE_HEADERS, strict=True):
        _put(cell, header, "center", bold=True)
        cell.fill = HEAD_FILL
    b = score.budget
    budget = table.add_row()
    _put(table.merge_across(1, 0, 2), "预算执行率", "center")
    _put(budget[3], "—", "center")
    _put(budget[4], format_percent(b.rate) if b.scored else "未评分", "center")
    _put(budget[5], two(b.points), "right")
    _put(budget[6], two(b.score), "right")
    _fill_flagged(budget[3:], b.flags)
    first = len(table.rows)
    points = level1_points(score)
    for item in rows:
        cells = table.add_row()
        _put(cells[2], item.level3)
        _put(cells[3], item.target_text, "center")
        _put(cells[4], item.actual_text or "（未填报）", "center")
        _put(cells[5], two(item.weight), "right")
        _put(cells[6], two(item.score), "right")
        _fill_flagged(cells[3:], item.flags)
    level1s = [r.level1 for r in rows]
    for start, end in spans(level1s):
        label = level1_label(level1s[start], points.get(level1s[start], 0.0))
        _put(table.merge_down(0, first + start, first + end), label, "center")
    groups = [(r.level1, r.level2) for r in rows]
    for start, end in spans(groups):
        _put(table.merge_down(1, first + start, first + end), rows[start].level2, "center")
    for line in total_lines(score):
        total = table.add_row()
        _put(table.merge_across(len(table.rows) - 1, 0, 4), line.label, "center", bold=True)
        _put(total[5], two(line.points), "right", bold=True)
        _put(total[6], two(line.score), "right", bold=True)
    body.raw(table.xml())
    body.paragraph(f"注：{legend_text(rules)}")
    if not score.complete and not score.unreported:
        body.paragraph(f"注：{INCOMPLETE}，尚有指标未评分，总分可能变化。")
    for note in score.notes:
        body.paragraph(f"注：{note}")
    return _figure(body, charts.get("indicators"), number)


def _deviation_section(body: _Body, score: ProjectScore) -> None:
    body.heading(SECTIONS[3], 1)
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
        body.paragraph("各项指标均已达成，无需说明偏差。")
        return
    for k, (title, facts, reason) in enumerate(items, start=1):
        label = f"（{CN_NUMBERS[k - 1]}）" if k <= len(CN_NUMBERS) else f"（{k}）"
        body.heading(f"{label}{title}", 2)
        body.paragraph(facts)
        placeholder = reason == PLACEHOLDER
        label_run = _run("偏差原因分析及改进措施：", bold=True)
        body.raw(_paragraph(label_run + _run(reason, red=placeholder, marked=placeholder)))


def _conclusion_section(body: _Body, score: ProjectScore) -> None:
    body.heading(SECTIONS[4], 1)
    *findings, plan = conclusion_lines(score)
    for line in findings:
        body.paragraph(line)
    for flag in score.flags:
        if flag.severity is not Severity.INFO:
            body.paragraph(f"• {flag.message}")
    head, placeholder, tail = plan.partition(PLACEHOLDER)
    runs = _run(head) + (_run(placeholder, bold=True, red=True) if placeholder else "") + (_run(tail) if tail else "")
    body.raw(_paragraph(runs))


def build_report_body(
    score: ProjectScore, year: int | None, charts: Sequence[ChartFile] = (), rules: ReportRules | None = None
) -> _Body:
    """`charts` are looked up by file stem: chart_budget / chart_level1 / chart_indicators; `rules` word the legend."""
    by_kind = {c.path.stem.removeprefix("chart_"): c for c in charts}
    body = _Body()
    heading = f"{year}年度" if year else ""
    body.paragraph(f"{score.project.name}\n{heading}项目支出绩效自评报告", style="Title")
    _basic_section(body, score)
    number = _goal_section(body, score, by_kind, 1)
    _score_section(body, score, by_kind, number, rules or default_rules())
    _deviation_section(body, score)
    _conclusion_section(body, score)
    return body


def _save(entries: list[tuple[str, bytes]], temp: Path, year: int | None) -> None:
    with StampedZip(temp, year) as target:
        for name, data in entries:
            # PNG pictures are compressed already: deflating them again costs time and saves nothing.
            target.writestr(name, data, zipfile.ZIP_STORED if name.endswith(".png") else None)


def write_report_docx(
    score: ProjectScore,
    path: Path,
    year: int | None,
    charts: Sequence[ChartFile] = (),
    rules: ReportRules | None = None,
) -> Path:
    entries = build_report_body(score, year, charts, rules).package()
    write_atomically(path, lambda temp: _save(entries, temp, year))
    return path
