"""One reader per file format (xlsx/xlsm, xls, docx, pdf, csv, html, text), each turning its file into
`Grid`s (see evaluator.ingest.grid), and `read_grids` that picks the reader from the file's bytes."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "read_grids": "reader",
    "read_xlsx_grids": "xlsx",
    "read_xls_grids": "xls",
    "read_docx_grids": "word",
    "read_pdf_grids": "pdf",
    "read_csv_grids": "delimited",
    "read_html_grids": "web",
    "decode_table_text": "sniff",
    "sniff_format": "sniff",
    "require_xlsx": "sniff",
    "read_text_grids": "text",
    "text_grids": "text",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
