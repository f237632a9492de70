"""财政项目支出绩效自评引擎 — read declarations, parse targets, score actuals, write reports.

The public API, loaded lazily: `import evaluator` costs nothing until a name is used, so the
command line (`evaluator --help`) and a notebook's first import stay fast.

    import evaluator
    result = evaluator.score("targets.txt", "actuals.xlsx", rules="mof2020")
    evaluator.parse_target("≥3000人次")

Stages below (`evaluator.ingest`, `.grammar`, `.scoring`, `.reports`, `.config`) name what they
offer in their own `__init__`.
"""

from evaluator.common.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "score": "api",
    "evaluate": "pipeline",
    "read_declarations": "ingest.declarations",
    "read_actuals_workbook": "ingest.actuals_workbook",
    "write_targets_workbook": "ingest.targets_workbook",
    "write_actuals_template": "ingest.actuals_template",
    "parse_target": "grammar.targets",
    "describe_target": "grammar.reading",
    "parse_actual": "grammar.actuals",
    "load_profile": "config.profiles",
    "write_all_reports": "reports.bundle",
    "EvaluatorError": "errors",
}
__all__ = ["__version__", *sorted(_EXPORTS)]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
