"""Stage `audit`: re-score filled 自评表 by the profile, list every discrepancy, write the reviewer's papers."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "audit_projects": "engine",
    "audit_declarations": "engine",
    "AuditResult": "model",
    "ProjectAudit": "model",
    "RowAudit": "model",
    "Finding": "model",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
