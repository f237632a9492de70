"""One reader per file format, each turning its file into `Grid`s (see evaluator.ingest.grid)."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "read_text_grids": "text",
    "text_grids": "text",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
