"""round_half_up's float fast path must return exactly what the Decimal definition returns."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from evaluator.common.numbers import round_half_up


def by_decimal(value: float, digits: int) -> float:
    """The definition: half away from zero on the shortest repr."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def same(a: float, b: float) -> bool:
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b) and type(a) is type(b)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13), st.integers(0, 8))
def test_any_float(value: float, digits: int) -> None:
    assert same(round_half_up(value, digits), by_decimal(value, digits))


@given(st.integers(-(10**9), 10**9), st.integers(0, 6))
def test_exact_ties_round_away_from_zero(units: int, digits: int) -> None:
    value = float(Decimal(units) / Decimal(10**digits) + Decimal(5) / Decimal(10 ** (digits + 1)))
    assert same(round_half_up(value, digits), by_decimal(value, digits))


@given(st.integers(-(10**6), 10**6), st.integers(0, 4))
def test_integers_come_back_as_floats(value: int, digits: int) -> None:
    assert same(round_half_up(value, digits), by_decimal(value, digits))


def test_known_cases() -> None:
    assert round_half_up(2.675) == 2.68  # stored as 2.67499999…, shown and rounded as 2.675
    assert round_half_up(0.125) == 0.13
    assert round_half_up(-0.125) == -0.13
    assert math.copysign(1.0, round_half_up(-0.0)) == -1.0
    assert round_half_up(8.335, 2) == 8.34
    assert math.isnan(round_half_up(float("nan")))


def test_the_formatting_cache_keeps_the_sign_of_zero() -> None:
    from evaluator.common.numbers import format_amount, format_number

    for first, second in ((0.0, -0.0), (-0.0, 0.0)):
        assert format_amount(first) == f"{first:,.2f}" and format_amount(second) == f"{second:,.2f}"
    assert format_number(-0.0) == format_number(0.0) == "0"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12), st.integers(0, 4))
def test_cached_formatting_equals_uncached(value: float, digits: int) -> None:
    from evaluator.common import numbers

    assert numbers.format_amount(value, digits) == numbers._format_amount(value, digits)
    assert numbers.format_number(value, digits) == numbers._format_number(value, digits)
