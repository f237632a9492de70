"""One reader per file format (xlsx/xlsm, xls, docx, pdf, csv, html), each giving `list[Grid]`, and
`read_grids` that picks the reader from the file's bytes, not its suffix."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "read_grids": "reader",
    "read_xlsx_grids": "xlsx",
    "sniff_format": "sniff",
    "require_xlsx": "sniff",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
