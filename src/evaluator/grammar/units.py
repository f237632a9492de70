"""Unit words → canonical units and conversion factors, all arithmetic from one pint registry.

pint is only ever handed a unit word (never a cell): operators, numbers and brackets are split
off by the lexer first, because pint silently drops characters it cannot tokenise (≥, ¥ …).
The registry is built from `units.txt` alone, so every unit it knows was chosen for this domain
and every counting family is its own dimension (人 can never become 人次).

Canonical names are the words users write. A unit word keeps its own unit and loses only its
large-number prefix (万人次 → 10000 × 人次, 小时 stays 小时, 公里 stays 公里); converting 小时 to
天 is `conversion_factor`'s job. Two families fold into one unit whatever the scale written,
because scoring always wants them that way: 人民币 money into 元 (万元, 千元, 角) and ratios into %
(百分比, ‰). 倍 is the one ratio kept by name: `≥2倍` means 2 times, and a bare actual beside it
must read as 10倍, not 10%. Other currencies (美元, 欧元 …) are dimensions of their own.

Everything is cached: each distinct word and each distinct pair touches pint once per process.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pint

from evaluator.errors import UnitMismatchError, UnknownUnitError  # re-exported: the grammar raises them

PERCENT = "%"
_DEFINITIONS = "units.txt"

# Dimensions whose every unit is reported in the dimension's base unit (see the module docstring).
_FOLDED = {"[currency]": "元"}
# Dimensionless units shown as themselves rather than folded into %.
_KEPT_RATIOS = frozenset({"倍"})

# A unit word: names joined by at most one "/" (元/人) and "·" (人·天). Digits, spaces and any other
# operator are refused before pint sees them, since pint would read "2人" as a quantity and "人 次"
# as a product.
_NAME = r"[A-Za-z\u4e00-\u9fff%‰]+[23]?"
_WORD = re.compile(rf"{_NAME}(?:·{_NAME})*(?:/{_NAME}(?:·{_NAME})*)?")
_CLASSIFIER = "个"  # 3个月, 10个人: the classifier before a unit word carries no meaning


@lru_cache(maxsize=1)
def get_registry() -> pint.UnitRegistry:
    """The one registry of the process, built only from the shipped definitions file."""
    registry = pint.UnitRegistry(None)
    definitions = resources.files("evaluator.grammar").joinpath(_DEFINITIONS)
    with resources.as_file(definitions) as path:
        registry.load_definitions(str(path))
    return registry


def _clean(word: str) -> str:
    # ㎡ must be replaced before NFKC (which would make it "m2" — fine here, but keep it explicit).
    word = word.replace("㎡", "平方米").replace("㎞", "公里").replace("㎏", "千克")
    return unicodedata.normalize("NFKC", word).strip().replace("*", "·").replace("×", "·")


def _pint_name(name: str) -> str:
    return "percent" if name == "%" else ("permille" if name == "‰" else name)


@lru_cache(maxsize=4096)
def _resolve_name(name: str) -> tuple[float, str] | None:
    """One name (no operators) → (factor, canonical), or None when the registry does not know it."""
    registry = get_registry()
    candidates: list[str] = [name]
    if name.startswith(_CLASSIFIER) and len(name) > 1:
        candidates.insert(0, name[len(_CLASSIFIER) :])
    for candidate in candidates:
        try:
            parsed = registry.parse_unit_name(_pint_name(candidate))
            quantity = registry.Quantity(1.0, _pint_name(candidate)) if parsed else None
        except (pint.errors.PintError, ValueError, AttributeError, TypeError):
            continue
        if not parsed or quantity is None:
            continue
        _prefix, unit_name, _suffix = parsed[0]
        if quantity.dimensionless and unit_name in _KEPT_RATIOS:
            return float(quantity.to(unit_name).magnitude), unit_name
        if quantity.dimensionless:
            return float(quantity.to("percent").magnitude), PERCENT
        dims = str(quantity.dimensionality)
        if dims in _FOLDED:
            base = _FOLDED[dims]
            return float(quantity.to(base).magnitude), base
        return float(quantity.to(unit_name).magnitude), unit_name
    return None


@lru_cache(maxsize=4096)
def to_base(word: str) -> tuple[float, str]:
    """A unit word as written → (multiplier, canonical name): value_in_canonical = value × multiplier.

    to_base("万元") == (10000.0, "元"); to_base("日") == (1.0, "天"); to_base("%") == (1.0, "%");
    to_base("公里") == (1.0, "公里") — a named scale is kept, see the module docstring.
    """
    cleaned = _clean(word)
    if not cleaned or not _WORD.fullmatch(cleaned):
        raise UnknownUnitError(word)
    if "·" in cleaned and "/" not in cleaned:
        joined = _resolve_name(cleaned.replace("·", ""))
        if joined is not None:  # 人·次 is how some forms spell 人次
            return joined
    numerator, _, denominator = cleaned.partition("/")
    factor = 1.0
    names: list[list[str]] = [[], []]
    for side, part in enumerate((numerator, denominator)):
        if not part:
            continue
        for name in part.split("·"):
            resolved = _resolve_name(name)
            if resolved is None:
                raise UnknownUnitError(name if name != cleaned else word)
            part_factor, canonical = resolved
            factor = factor * part_factor if side == 0 else factor / part_factor
            names[side].append(canonical)
    canonical = "·".join(names[0])
    if names[1]:
        canonical += "/" + "·".join(names[1])
    return factor, canonical


def _expression(canonical: str) -> str:
    """A canonical name (or any known unit word) as a pint expression."""
    factor, name = to_base(canonical)
    numerator, _, denominator = name.partition("/")
    expr = "*".join(_pint_name(n) for n in numerator.split("·"))
    if denominator:
        expr = f"({expr})/({'*'.join(_pint_name(n) for n in denominator.split('·'))})"
    return f"{factor!r}*{expr}" if factor != 1.0 else expr


@lru_cache(maxsize=4096)
def _factor(from_unit: str, to_unit: str) -> float | None:
    """The one pint call per distinct pair; None when the kinds differ."""
    registry = get_registry()
    source = registry.parse_expression(_expression(from_unit))
    target = registry.parse_expression(_expression(to_unit))
    try:
        return float(source.to(target.units).magnitude / target.magnitude)
    except pint.errors.DimensionalityError:
        return None


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """f such that value_in_to = value_in_from × f. Raises UnitMismatchError across kinds.

    Accepts canonical names and any other known unit word (万元 → 元 gives 10000).
    """
    if from_unit == to_unit:
        to_base(from_unit)  # still refuse an unknown word
        return 1.0
    factor = _factor(from_unit, to_unit)
    if factor is None:
        raise UnitMismatchError(from_unit, to_unit)
    return factor


def display_unit(canonical: str | None) -> str:
    """The label users see for a canonical unit ('' for a unitless number)."""
    if canonical is None:
        return ""
    if canonical in ("percent", PERCENT):
        return PERCENT
    return canonical
