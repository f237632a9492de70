"""复核报告 (.docx and .html): a readable review opinion per project and for the batch, with a chart.

A finance bureau files the review as a Word document and reads it on screen first, so both carry
the same text, built once here: the batch overview (totals 自评 vs 复核, counts by severity), a
chart of the two totals per project, then per project its opinion and the findings with the rule
each rests on.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from matplotlib.figure import Figure

from evaluator.audit.model import SEVERITY_ORDER, AuditResult, Finding, ProjectAudit
from evaluator.common.files import write_atomically, write_office_atomically, write_text_atomically
from evaluator.reports.fonts import chart_style
from evaluator.reports.html import TEMPLATES

HERE_TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_TITLE = "各项目自评总分与复核总分"
PUBLISHED_COLOUR, REVIEW_COLOUR = "#9fb8d3", "#c8553d"
MAX_BARS = 60  # more projects than this make an unreadable chart; the lowest-deviation ones are left out
FONT = "宋体"


def _two(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _where(f: Finding) -> str:
    return " / ".join(x for x in (f.level1, f.level2, f.level3) if x) or "项目"


def project_opinion(p: ProjectAudit) -> str:
    """One paragraph of opinion: totals, deviation, what the findings mean for the submission."""
    head = (
        f"自评总分 {_two(p.published_total)} 分，复核总分 {_two(p.review_total)} 分"
        + ("（部分指标无法复核，复核未完成）" if not p.complete else "")
        + (f"，差异 {p.difference:+.2f} 分，偏离度 {_pct(p.deviation)}" if p.difference is not None else "")
        + f"；复核等级「{p.review_grade}」。"
    )
    counts = {s: p.count(s) for s in SEVERITY_ORDER}
    if counts["P0"]:
        verdict = f"发现 {counts['P0']} 项须改正的错误（P0），建议退回单位改正后重新报送。"
    elif counts["P1"]:
        verdict = f"发现 {counts['P1']} 项未按规则评分或缺少说明的问题（P1），建议单位按复核意见调整、补充说明。"
    elif counts["P2"]:
        verdict = f"自评结果与复核一致，另有 {counts['P2']} 项值得关注的口径差异或提示（P2）。"
    else:
        verdict = "自评结果与复核一致，未发现问题。"
    return head + verdict


def batch_opinion(result: AuditResult) -> str:
    projects = result.projects
    with_p0 = sum(1 for p in projects if p.count("P0"))
    with_p1 = sum(1 for p in projects if not p.count("P0") and p.count("P1"))
    counts = "，".join(f"{s} {result.count(s)} 项" for s in SEVERITY_ORDER)
    return (
        f"本次复核 {len(projects)} 个项目（{len(result.files)} 个文件），{result.reconciliation()}。"
        f"共发现问题：{counts}；其中 {with_p0} 个项目有须改正的错误，{with_p1} 个项目有未按规则评分的问题。"
    )


# ---------------------------------------------------------------------------------------------
# Chart
# ---------------------------------------------------------------------------------------------


def totals_figure(result: AuditResult) -> Figure:
    """Published and re-computed totals side by side, one pair of bars per project."""
    shown = sorted(result.projects, key=lambda p: -abs(p.difference or 0))[:MAX_BARS]
    order = [p for p in result.projects if p in shown]
    y = np.arange(len(order))[::-1]
    fig = Figure(figsize=(8.0, 0.5 * max(len(order), 1) + 1.6))
    ax = fig.add_subplot()
    published = [p.published_total or 0 for p in order]
    review = [p.review_total for p in order]
    ax.barh(y + 0.2, published, height=0.38, color=PUBLISHED_COLOUR, label="自评总分")
    ax.barh(y - 0.2, review, height=0.38, color=REVIEW_COLOUR, label="复核总分")
    for yk, a, b, p in zip(y, published, review, order, strict=True):
        ax.text(a + 0.8, yk + 0.2, "未公布" if p.published_total is None else f"{a:.2f}", va="center", fontsize=8)
        ax.text(b + 0.8, yk - 0.2, f"{b:.2f}" + ("" if p.complete else "*"), va="center", fontsize=8)
    names = [p.project.name if len(p.project.name) <= 18 else p.project.name[:17] + "…" for p in order]
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 115)
    ax.set_xlabel("总分（* 复核未完成）")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    suffix = f"（差异最大的 {MAX_BARS} 个）" if len(result.projects) > MAX_BARS else ""
    ax.set_title(CHART_TITLE + suffix, loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def write_totals_chart(result: AuditResult, path: Path) -> Path:
    with chart_style():
        fig = totals_figure(result)
        write_atomically(path, lambda temp: fig.savefig(temp, format="png", dpi=120, bbox_inches="tight"))
    return path


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------


def _fonts(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.styles["Normal"].font.size = Pt(11)


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def build_review_document(result: AuditResult, chart: Path | None = None):
    document = Document()
    _fonts(document)
    document.add_heading("项目支出绩效自评复核报告", level=0)
    document.add_paragraph(f"复核规则：{result.profile_name}")
    document.add_heading("一、复核概况", level=1)
    document.add_paragraph(batch_opinion(result))
    _table(
        document,
        ("序号", "项目名称", "自评总分", "复核总分", "差异", "偏离度", "P0", "P1", "P2"),
        [
            (
                str(k),
                p.project.name,
                _two(p.published_total),
                _two(p.review_total),
                _two(p.difference),
                _pct(p.deviation),
                *(str(p.count(s)) for s in SEVERITY_ORDER),
            )
            for k, p in enumerate(result.projects, start=1)
        ],
        (1.0, 5.6, 1.6, 1.6, 1.4, 1.6, 0.9, 0.9, 0.9),
    )
    if chart is not None:
        document.add_picture(str(chart), width=Cm(15.5))
        document.add_paragraph(f"图1 {CHART_TITLE}")
    document.add_heading("二、各项目复核意见", level=1)
    for k, p in enumerate(result.projects, start=1):
        document.add_heading(f"{k}. {p.project.name}", level=2)
        document.add_paragraph(project_opinion(p))
        if p.notes:
            document.add_paragraph("说明：" + "；".join(p.notes))
        if p.findings:
            _table(
                document,
                ("严重程度", "问题", "指标", "自评值", "复核值", "说明"),
                [(f.severity, f.label, _where(f), f.published, f.recomputed, f.note) for f in p.findings],
                (1.4, 2.6, 3.4, 1.6, 1.6, 6.0),
            )
    document.add_paragraph("P0：须改正的错误数字；P1：未按规则评分或缺少说明；P2：口径差异或值得关注。")
    return document


def write_review_docx(result: AuditResult, path: Path, chart: Path | None = None) -> Path:
    document = build_review_document(result, chart)
    write_office_atomically(path, lambda temp: document.save(str(temp)))
    return path


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chart:
    title: str
    data: str


def _environment() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(HERE_TEMPLATES)), FileSystemLoader(str(TEMPLATES))])
    return Environment(loader=loader, autoescape=select_autoescape(default=True), undefined=StrictUndefined)


def _css(findings: Sequence[Finding]) -> str:
    severities = {f.severity for f in findings}
    return "red" if "P0" in severities else "yellow" if "P1" in severities else ""


def render_review_html(result: AuditResult, chart: Path | None = None) -> str:
    projects = [
        {
            "name": p.project.name,
            "published": _two(p.published_total),
            "review": _two(p.review_total) + ("" if p.complete else "*"),
            "difference": _two(p.difference),
            "deviation": _pct(p.deviation),
            "published_grade": (p.project.published.grade if p.project.published else "") or "—",
            "review_grade": p.review_grade,
            "counts": {s: p.count(s) for s in SEVERITY_ORDER},
            "css": _css(p.findings),
            "opinion": project_opinion(p),
            "notes": "说明：" + "；".join(p.notes) if p.notes else "",
            "findings": [
                {
                    "severity": f.severity,
                    "label": f.label,
                    "where": _where(f),
                    "published": f.published,
                    "recomputed": f.recomputed,
                    "note": f.note,
                    "basis": f.basis,
                    "css": _css([f]),
                }
                for f in p.findings
            ],
        }
        for p in result.projects
    ]
    picture = _Chart(CHART_TITLE, base64.b64encode(chart.read_bytes()).decode("ascii")) if chart else None
    return (
        _environment()
        .get_template("review.html.j2")
        .render(
            profile=result.profile_name,
            reconciliation=result.reconciliation(),
            batch_opinion=batch_opinion(result),
            projects=projects,
            chart=picture,
        )
    )


def write_review_html(result: AuditResult, path: Path, chart: Path | None = None) -> Path:
    write_text_atomically(path, render_review_html(result, chart))
    return path
