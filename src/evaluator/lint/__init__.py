"""绩效目标审核 (`evaluator lint`): check declared targets before the year, by the rules in the profile's [lint]."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "lint_paths": "engine",
    "lint_declarations": "engine",
    "LintResult": "engine",
    "Finding": "findings",
    "write_lint_csv": "outputs",
    "write_review_workbook": "outputs",
    "render_summary": "outputs",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
