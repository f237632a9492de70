"""Locate bundled data whether the package runs from a checkout or from an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # src/evaluator/common → src/evaluator
_CHECKOUT = _PACKAGE.parents[1]  # src/evaluator → repository root


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def rules_dir() -> Path:
    """`scoring_rules/` — wheel copy first, then the checkout."""
    return _first_existing(_PACKAGE / "scoring_rules", _CHECKOUT / "scoring_rules")


def sample_inputs_dir() -> Path:
    return _first_existing(_PACKAGE / "sample_inputs", _CHECKOUT / "inputs")


def package_data(name: str) -> Path:
    return _PACKAGE / name
