"""Write every audit output into one folder: findings.csv, audit.json, 复核底稿.xlsx, 复核报告.docx/.html."""

from __future__ import annotations

from pathlib import Path

from evaluator.audit.model import AuditResult
from evaluator.audit.outputs import (
    CSV_NAME,
    DOCX_NAME,
    HTML_NAME,
    JSON_NAME,
    WORKBOOK_NAME,
    write_audit_json,
    write_findings_csv,
)
from evaluator.audit.paper import write_working_paper
from evaluator.audit.report import write_review_docx, write_review_html, write_totals_chart

CHART_NAME = "复核总分对比.png"


def write_audit_outputs(result: AuditResult, outdir: Path, reports: bool = True) -> list[Path]:
    """All outputs; `reports=False` leaves out the Word/HTML report and its chart (data files only)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = [
        write_findings_csv(result, outdir / CSV_NAME),
        write_audit_json(result, outdir / JSON_NAME),
        write_working_paper(result, outdir / WORKBOOK_NAME),
    ]
    if reports:
        chart = write_totals_chart(result, outdir / CHART_NAME) if result.projects else None
        written.append(write_review_docx(result, outdir / DOCX_NAME, chart))
        written.append(write_review_html(result, outdir / HTML_NAME, chart))
        if chart is not None:
            written.append(chart)
    return written
