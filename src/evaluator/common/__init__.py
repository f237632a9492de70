"""Low-level helpers every stage shares: text normalisation, round-half-up numbers, atomic writes, resources."""

from evaluator.common.lazy import lazy_exports

_EXPORTS = {
    "normalize_text": "text",
    "label_key": "text",
    "to_simplified": "text",
    "round_half_up": "numbers",
    "format_amount": "numbers",
    "write_atomically": "files",
    "write_text_atomically": "files",
    "rules_dir": "resources",
    "sample_inputs_dir": "resources",
    "collector_paused": "collector",
    "release_cycles": "collector",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
