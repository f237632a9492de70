"""Stage 2 — the language of 年度指标值 and 实际完成值: lexer, units (pint), target and actual parsers."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "parse_target": "targets",
    "describe_target": "reading",
    "parse_actual": "actuals",
    "parse_actual_cell": "actuals",
    "to_base": "units",
    "conversion_factor": "units",
    "display_unit": "units",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
