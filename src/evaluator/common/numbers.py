"""Round half away from zero, as Excel and Oracle do, for everything shown or scored.

Python's round() and numpy round half to even (0.125 → 0.12), which makes published tables
disagree with ours by a cent. Decimal on the shortest repr avoids binary artefacts such as
2.675 being stored as 2.67499999….
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

_QUANTA = {digits: Decimal(1).scaleb(-digits) for digits in range(9)}


def round_half_up(value: float, digits: int = 2) -> float:
    if value != value or value in (float("inf"), float("-inf")):  # NaN / inf pass through
        return value
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
    arr = np.asarray(values, dtype=float)
    scale = 10.0**digits
    scaled = np.abs(arr) * scale
    rounded = np.floor(scaled + 0.5 + 1e-9 * np.maximum(1.0, scaled))
    return np.sign(arr) * rounded / scale


def format_amount(value: float, digits: int = 2) -> str:
    """Thousands separators and fixed decimals, rounded half up: 2950 → '2,950.00'."""
    return f"{round_half_up(value, digits):,.{digits}f}"
