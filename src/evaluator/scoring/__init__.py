"""Stage 3 — match actuals to indicators, assess each against its target, score, flag and roll up.

matching → assess → core (with weights, plan, explanation, flags, budget, rollup).
"""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "match_actuals": "matching",
    "assess_many": "assess",
    "score_projects": "core",
    "largest_remainder": "weights",
    "parse_tier": "core",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
