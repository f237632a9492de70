from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.common.numbers import format_amount, round_half_up, round_half_up_array
from evaluator.config.taxonomy import default_taxonomy, load_taxonomy
from evaluator.errors import EvaluatorError


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.125, 0.13), (2.675, 2.68), (1.005, 1.01), (-0.125, -0.13), (6.145, 6.15), (0.124999, 0.12), (7.0, 7.0)],
)
def test_round_half_up_matches_excel(value: float, expected: float) -> None:
    assert round_half_up(value) == expected
    assert round_half_up_array(np.array([value]))[0] == pytest.approx(expected, abs=1e-12)


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_round_half_up_array_agrees_with_scalar_on_cents(cents_x10: int) -> None:
    value = cents_x10 / 1000
    assert round_half_up_array(np.array([value]))[0] == pytest.approx(round_half_up(value), abs=1e-9)


def test_format_amount() -> None:
    assert format_amount(2950) == "2,950.00"
    assert format_amount(0.125) == "0.13"


def test_taxonomy_second_level_determines_first() -> None:
    tax = default_taxonomy()
    assert tax.level1_of("数量指标") == "产出指标"
    assert tax.level1_of("服务对象满意度 指标") == "满意度指标"
    assert tax.level1_of("经济成本指标") == "成本指标"
    assert tax.level1_of("可持续影响指标") == "效益指标"
    assert tax.level1_of("双星指标") is None
    assert tax.canonical_level1("效果指标") == "效益指标"


def test_taxonomy_rejects_unknown_level1(tmp_path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[level1]\norder=["产出指标"]\n[level2."效益指标"]\nnames=["社会效益指标"]\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="未定义的一级指标"):
        load_taxonomy(bad)


def test_cli_help_runs(run_cli) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "score" in result.stdout
