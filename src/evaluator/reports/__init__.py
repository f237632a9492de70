"""Stage 4 — what people read: the 自评表, the 自评报告 (Word/HTML), charts, the portfolio summary
(汇总.xlsx) and index page, CSV tables. Report formats share only view, sheets, html and tables."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "write_all_reports": "bundle",
    "safe_filename": "bundle",
    "project_folders": "bundle",
    "write_self_evaluation_workbook": "self_evaluation",
    "write_report_docx": "report_docx",
    "write_report_html": "report_html",
    "write_summary_workbook": "summary",
    "write_index_html": "index_html",
    "render_parse_report": "parse_report",
    "scores_frame": "tables",
    "projects_frame": "tables",
    "unmatched_frame": "tables",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
