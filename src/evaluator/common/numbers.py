"""Round half away from zero, as Excel and Oracle do, for everything shown or scored.

Python's round() and numpy round half to even (0.125 → 0.12), which makes published tables
disagree with ours by a cent. Decimal on the shortest repr avoids binary artefacts such as
2.675 being stored as 2.67499999….
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is loaded only by the vectorised helper, not by `evaluator --help`
    import numpy as np

_QUANTA = {digits: Decimal(1).scaleb(-digits) for digits in range(9)}
_INFINITIES = (math.inf, -math.inf)


def round_half_up(value: float, digits: int = 2) -> float:
    if value != value or value in _INFINITIES:  # NaN / inf pass through
        return value
    if abs(value) >= 1e15:  # no cents left to round in a float this large (and Decimal would overflow)
        return float(value)
    value = float(value)
    if 0 <= digits <= 8:
        # Away from a tie, half-up and round() (correctly rounded on the exact binary value) pick the
        # same decimal and so the same float; Decimal, 20x slower, is needed only near a tie, where
        # the shortest repr and the binary value can fall on different sides of it.
        scaled = abs(value) * 10.0**digits
        if scaled < 1e9 and abs(scaled - math.floor(scaled) - 0.5) > 1e-6:
            return round(value, digits)
        quantum = _QUANTA[digits]
    else:
        quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_half_up_array(values: np.ndarray, digits: int = 2) -> np.ndarray:
    """Vectorised twin of round_half_up; a tiny epsilon absorbs binary representation error."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    scale = 10.0**digits
    scaled = np.abs(arr) * scale
    rounded = np.floor(scaled + 0.5 + 1e-9 * np.maximum(1.0, scaled))
    return np.sign(arr) * rounded / scale


# The texts of a portfolio print the same weights, scores and targets on row after row (five numbers
# a calculation text, 600,000 calls for 100,000 rows), so the common forms — amounts at 2 digits,
# numbers at the default 4, percentages at 2 — are remembered in plain dicts keyed by the value:
# one look-up on a hit, against a chain of three cached calls before. ±0 print differently and
# are never stored; NaN is never found (it equals nothing). A dict is emptied when it reaches
# _MEMO_LIMIT entries, so memory stays bounded on a million distinct values.
_MEMO_LIMIT = 1 << 18
_AMOUNT_2: dict[float, str] = {}
_NUMBER_4: dict[float, str] = {}
_PERCENT_2: dict[bool, dict[float, str]] = {False: {}, True: {}}


def _remember(memo: dict[float, str], value: float, text: str) -> str:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[value] = text
    return text


def format_amount(value: float, digits: int = 2) -> str:
    """Thousands separators and fixed decimals, rounded half up: 2950 → '2,950.00'."""
    if digits == 2:
        text = _AMOUNT_2.get(value)
        if text is not None:
            return text
        if value == 0:  # 0.0 and -0.0 are one key but print as 0.00 and -0.00
            return _format_amount(value, 2)
        return _remember(_AMOUNT_2, value, _format_amount(value, 2))
    if value == 0:
        return _format_amount(value, digits)
    return _format_amount_cached(value, digits)


def _format_amount(value: float, digits: int) -> str:
    return f"{round_half_up(value, digits):,.{digits}f}"


_format_amount_cached = lru_cache(maxsize=1 << 16)(_format_amount)


def format_number(value: float, digits: int = 4) -> str:
    """A number as people write it, rounded half up: thousands separators, no needless trailing zeros.

    1234567.5 → '1,234,567.5', 0.125 at 2 digits → '0.13', 3000.0 → '3,000'. Used for every number a
    calculation text, a target description or an assessment shows.
    """
    if digits == 4:
        text = _NUMBER_4.get(value)
        if text is not None:
            return text
        if value == 0:  # see format_amount: ±0 are never stored
            return _format_number(value, 4)
        return _remember(_NUMBER_4, value, _format_number(value, 4))
    if value == 0:
        return _format_number(value, digits)
    return _format_number_cached(value, digits)


def _format_number(value: float, digits: int) -> str:
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:.6g}"
    text = _format_amount(value, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_format_number_cached = lru_cache(maxsize=1 << 16)(_format_number)


def format_percent(ratio: float | None, digits: int = 2, *, trim: bool = False) -> str:
    """A ratio as a percentage, rounded half up exactly as the 自评表's `0.00%` cells show it.

    0.98125 → '98.13%' (Python's `f"{0.98125:.2%}"` says 98.12%). The ratio is rounded to
    `digits + 2` decimals first — what the workbook stores — so the terminal, the reports and the
    workbook agree to the cent. `trim=True` drops trailing zeros (98.5%) for running text; None → '—'.
    """
    if ratio is None or ratio != ratio:
        return "—"
    if digits != 2 or ratio == 0:
        return _format_percent(ratio, digits, trim)
    memo = _PERCENT_2[bool(trim)]
    text = memo.get(ratio)
    if text is None:
        text = _remember(memo, ratio, _format_percent(ratio, 2, trim))
    return text


def _format_percent(ratio: float, digits: int, trim: bool) -> str:
    stored = Decimal(repr(round_half_up(float(ratio), digits + 2))) * 100
    if trim or not stored.is_finite() or abs(stored) >= Decimal("1e15"):
        return f"{format_number(float(stored), digits)}%"
    return f"{stored.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)}%"


def largest_remainder(total_cents: int, shares: Sequence[int]) -> list[int]:
    """Split `total_cents` in proportion to `shares` so the parts add up exactly.

    Each part gets the floor of its quota; the cents left over go to the largest remainders, ties
    to the earlier part (declaration order), so the split is deterministic.
    """
    n = len(shares)
    whole = sum(shares)
    if n == 0:
        return []
    if whole <= 0 or total_cents <= 0:
        return [0] * n
    floors = [total_cents * s // whole for s in shares]
    remainders = [total_cents * s % whole for s in shares]
    left = total_cents - sum(floors)
    for index in sorted(range(n), key=lambda i: (-remainders[i], i))[:left]:
        floors[index] += 1
    return floors
