"""Rules as data: rule profiles, the indicator taxonomy and the achievement vocabulary, validated on load."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "load_profile": "profiles",
    "Profile": "profiles",
    "bundled_profiles": "profiles",
    "DEFAULT_PROFILE": "profiles",
    "default_taxonomy": "taxonomy",
    "load_taxonomy": "taxonomy",
    "Taxonomy": "taxonomy",
    "default_labels": "labels",
    "load_labels": "labels",
    "Labels": "labels",
    "default_vocabulary": "vocabulary",
    "load_vocabulary": "vocabulary",
    "load_lint_rules": "lint_rules",
    "LintRules": "lint_rules",
    "LintSettings": "lint_rules",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
