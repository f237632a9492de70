"""Command line: `evaluator parse | template | score | lint | audit` (commands load only when chosen)."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "main": "app",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
