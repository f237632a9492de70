"""Stage 1 — read what people have: declarations (text forms, workbooks), filled actuals, cells, as plain records."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "read_declarations": "declarations",
    "read_declarations_text": "text_form",
    "read_forms": "layout",
    "read_self_evaluations": "self_evaluation",
    "actuals_of": "self_evaluation",
    "read_targets_workbook": "targets_workbook",
    "write_targets_workbook": "targets_workbook",
    "read_actuals_workbook": "actuals_workbook",
    "write_actuals_template": "actuals_template",
    "compares_with_last_year": "actuals_template",
    "cell_text": "cells",
    "is_excel_error": "cells",
    "put_safe_text": "cells",
    "read_weight": "weight_cell",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
