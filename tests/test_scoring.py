"""Scoring by the rules in shared/spec/scoring-rules.md, against hand-computed expectations.

Every expected number below was worked out by hand from the rule quoted next to it; none is
copied from the engine's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.config.profiles import Profile, load_profile
from evaluator.errors import EvaluatorError
from evaluator.models import (
    Assessment,
    Direction,
    Indicator,
    Op,
    ProjectInput,
    RowInput,
    RowStatus,
    ScoredRow,
    Severity,
    Target,
    TargetKind,
    Tier,
)
from evaluator.scoring.core import parse_tier, score_projects
from evaluator.scoring.weights import largest_remainder
from scoring_fixtures import deadline, project, qual, quant, ranged

PROFILES = Path(__file__).parent / "profiles"
MOF = load_profile()


def with_policies(**changes) -> Profile:
    return MOF.model_copy(update={"policies": MOF.policies.model_copy(update=changes)})


def score_one(rows: list[RowInput], profile: Profile = MOF, **kw):
    [result] = score_projects([project(rows, **kw)], profile)
    return result


def row_of(rows: list[RowInput], profile: Profile = MOF) -> ScoredRow:
    """Score a single row; the weight comes from the row itself (given), so it is known."""
    return score_one(rows, profile).rows[0]


def codes(row: ScoredRow) -> dict[str, Severity]:
    return {f.code: f.severity for f in row.flags}


# ---------------------------------------------------------------------------------------------
# §2 Weights
# ---------------------------------------------------------------------------------------------


def test_largest_remainder_fifty_over_seven() -> None:
    # 5000 cents / 7 = 714 r 2: two rows get 7.15, five get 7.14 (2×7.15 + 5×7.14 = 50.00).
    assert largest_remainder(5000, [1] * 7) == [715, 715, 714, 714, 714, 714, 714]
    # In proportion 1:2 of 50.00: quotas 1666.67 / 3333.33 → floors 1666 / 3333, the cent left goes to
    # the larger remainder (2/3 > 1/3), the first.
    assert largest_remainder(5000, [1, 2]) == [1667, 3333]
    assert largest_remainder(0, [1, 1]) == [0, 0] and largest_remainder(100, []) == []


def test_equal_leaf_weights_sum_exactly() -> None:
    rows = [quant(f"产出{i}", 1, 1) for i in range(7)]
    rows += [qual(f"效益{i}", tier=Tier.ACHIEVED) for i in range(3)]
    rows.append(qual("满意度", tier=Tier.ACHIEVED, level1="满意度指标", level2="服务对象满意度指标"))
    result = score_one(rows)
    weights = [r.weight for r in result.rows]
    assert weights == [7.15, 7.15, 7.14, 7.14, 7.14, 7.14, 7.14, 10.0, 10.0, 10.0, 10.0]
    assert not any(r.weight_given for r in result.rows)
    level1 = {lv.level1: lv.weight for lv in result.levels if lv.level2 is None}
    assert level1 == {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0}
    assert result.total == 100.0 and result.grade == "优" and result.complete


def test_equal_branch_splits_by_second_level_first() -> None:
    # 产出 50 over 3 groups: 16.67, 16.67, 16.66; 数量 16.67 over 4 rows: 4.17 ×3 + 4.16.
    rows = [quant(f"数量{i}", 1, 1) for i in range(4)]
    rows += [quant("质量", 1, 1, level2="质量指标"), quant("时效", 1, 1, level2="时效指标")]
    profile = load_profile(str(PROFILES / "forfeit_branch.toml"))
    result = score_one(rows, profile)
    assert [r.weight for r in result.rows] == [4.17, 4.17, 4.17, 4.16, 16.67, 16.66]
    level2 = {lv.level2: lv.weight for lv in result.levels if lv.level2}
    assert level2 == {"数量指标": 16.67, "质量指标": 16.67, "时效指标": 16.66}
    # same rows by equal_leaf: 50 / 6 = 8.33 r 2 → 8.34, 8.34, 8.33 ×4
    assert [r.weight for r in score_one(rows).rows] == [8.34, 8.34, 8.33, 8.33, 8.33, 8.33]


def test_given_weights_win_and_the_rest_share_what_is_left() -> None:
    rows = [quant("a", 1, 1, weight=20), quant("b", 1, 1, weight=10), quant("c", 1, 1), quant("d", 1, 1)]
    result = score_one(rows)
    assert [r.weight for r in result.rows] == [20.0, 10.0, 10.0, 10.0]
    assert [r.weight_given for r in result.rows] == [True, True, False, False]


def test_given_weights_that_do_not_sum_to_100_are_kept_and_noted() -> None:
    rows = [
        quant("a", 1, 1, weight=40),
        qual("b", tier=Tier.ACHIEVED, weight=30),
        qual("c", tier=Tier.ACHIEVED, weight=15, level1="满意度指标", level2="服务对象满意度指标"),
    ]
    result = score_one(rows)
    assert [r.weight for r in result.rows] == [40.0, 30.0, 15.0]
    assert result.total == 100.0  # 10 + 40 + 30 + 15 = 95 of 95, normalised (policy weights_not_100)
    assert any("不等于100分" in n for n in result.notes)
    as_given = MOF.model_copy(update={"policies": MOF.policies.model_copy(update={"weights_not_100": "as_given"})})
    assert score_one(rows, as_given).total == 95.0  # the plain sum, as published


def test_cost_points_proportional_and_explicit() -> None:
    # 成本 1 row, 产出 2 rows share 50: 16.67 | 16.67 + 16.66 (see largest remainder above).
    rows = [quant("成本", 1, 1, level1="成本指标", level2="经济成本指标"), quant("p1", 1, 1), quant("p2", 1, 1)]
    result = score_one(rows)
    assert [r.weight for r in result.rows] == [16.67, 16.67, 16.66]
    level1 = {lv.level1: lv.weight for lv in result.levels if lv.level2 is None}
    assert level1 == {"成本指标": 16.67, "产出指标": 33.33}
    assert next(lv.level1 for lv in result.levels if lv.level2 is None) == "成本指标"  # taxonomy order
    explicit = score_one(rows, with_policies(cost_points=10))
    assert [r.weight for r in explicit.rows] == [10.0, 20.0, 20.0]


def test_cost_as_second_level_counts_as_output() -> None:
    rows = [quant("课时费", 1, 1, level2="成本指标"), quant("p1", 1, 1)]
    result = score_one(rows)
    assert [r.level1 for r in result.rows] == ["产出指标", "产出指标"]
    assert [r.weight for r in result.rows] == [25.0, 25.0]
    assert {lv.level1 for lv in result.levels} == {"产出指标"}


def test_first_level_repaired_from_second_level_or_refused() -> None:
    rows = [
        quant("x", 1, 1, level1="", level2="经济成本指标"),
        quant("y", 1, 1, level1="效果指标", level2="社会效益指标"),
    ]
    result = score_one(rows)
    assert [r.level1 for r in result.rows] == ["成本指标", "效益指标"]
    with pytest.raises(EvaluatorError, match="无法识别"):
        score_one([quant("z", 1, 1, level1="其他", level2="奇怪指标")])


# ---------------------------------------------------------------------------------------------
# §3 Quantitative
# ---------------------------------------------------------------------------------------------


def test_higher_is_better_shortfall_by_ratio_with_calculation() -> None:
    row = row_of([quant("学员人次", 2950, 3000, weight=6.25)])
    # 6.25 × 2950 / 3000 = 6.1458… → 6.15
    assert row.score == 6.15 and row.status == RowStatus.SCORED
    assert row.calculation == "实际 2,950人次 ÷ 目标 3,000人次 × 6.25分 = 6.15分"
    assert codes(row) == {"shortfall": Severity.YELLOW, "missing_reason": Severity.YELLOW}
    assert row.completion == pytest.approx(2950 / 3000)


def test_exactly_at_target_scores_full_without_flags() -> None:
    row = row_of([quant("班级数", 100, 100, unit="个", weight=5, reason="")])
    assert row.score == 5.0 and row.flags == ()
    assert row.calculation == "实际 100个 ≥ 目标 100个，达成指标 × 5.00分 = 5.00分"


def test_an_equal_target_says_equal_not_at_least() -> None:
    # 10号 scores `=8个` as 不低于; the text keeps the declaration's own sign rather than writing ≥.
    at = row_of([quant("设备数", 8, 8, Direction.EQUAL, unit="个", op=Op.EQ, weight=5)])
    assert at.calculation == "实际 8个 = 目标 8个，达成指标 × 5.00分 = 5.00分"
    over = row_of([quant("设备数", 9, 8, Direction.EQUAL, unit="个", op=Op.EQ, weight=5, reason="多采购1台")])
    assert over.score == 5.0 and "≥" not in over.calculation
    assert over.calculation == "实际 9个 高于目标 8个（指标值为「=」，按不低于目标计分），达成指标 × 5.00分 = 5.00分"


def test_strict_greater_at_target_scores_by_ratio_and_is_flagged() -> None:
    row = row_of([quant("完成率", 100, 100, unit="%", op=Op.GT, weight=5, strict_at_target=True)])
    assert row.score == 5.0  # ratio 100/100 × 5
    assert "strict_at_target" in codes(row) and "shortfall" not in codes(row)
    assert "恰好等于指标值，未严格达到" in row.calculation
    # the scorer also notices it when the assessment did not say so
    row = row_of([quant("完成率", 100, 100, unit="%", op=Op.GT, weight=5)])
    assert "strict_at_target" in codes(row)


def test_negative_actual_counts_as_zero_and_is_red() -> None:
    row = row_of([quant("人数", -5, 100, weight=10, reason="统计口径调整")])
    assert row.score == 0.0 and codes(row) == {"shortfall": Severity.RED}
    assert "按0计" in row.calculation


def test_rounding_is_half_up() -> None:
    # 5 × 2.25 / 10 = 1.125 → 1.13 (round-half-even would give 1.12)
    assert row_of([quant("x", 2.25, 10, unit=None, weight=5)]).score == 1.13


@pytest.mark.parametrize(
    ("actual", "expected", "severity"),
    [
        (5, 10.0, None),  # at target
        (4, 10.0, None),  # better than target
        (6, 8.0, Severity.YELLOW),  # 10 × (1 − (6 − 5) / 5) = 8
        (7.5, 5.0, Severity.RED),  # 10 × (1 − 2.5 / 5) = 5, completion 50%
        (7, 6.0, Severity.YELLOW),  # 10 × 0.6 = 6: completion exactly 60% is not red
        (10, 0.0, Severity.RED),  # 2× target → 0
        (15, 0.0, Severity.RED),  # beyond 2× stays 0, never negative
    ],
)
def test_lower_is_better_linear_to_zero(actual: float, expected: float, severity: Severity | None) -> None:
    row = row_of([quant("投诉率", actual, 5, Direction.LOWER, "%", weight=10, reason="原因")])
    assert row.score == expected
    assert codes(row).get("shortfall") == severity


def test_lower_is_better_two_times_target_calculation() -> None:
    row = row_of([quant("投诉率", 10, 5, Direction.LOWER, "%", weight=10)])
    assert (
        row.calculation
        == "实际 10% 超过目标 5%：10.00分 × (1 − (10% − 5%) ÷ 5%) = 0.00分（实际达到目标的2倍及以上，不得分）"
    )


def test_lower_is_better_ratio_policy() -> None:
    profile = with_policies(reverse="ratio")
    # 10 × 5 / 8 = 6.25 ; at 2× target: 10 × 5/10 = 5.00 (not zero under this policy)
    assert row_of([quant("投诉率", 8, 5, Direction.LOWER, "%", weight=10)], profile).score == 6.25
    row = row_of([quant("投诉率", 10, 5, Direction.LOWER, "%", weight=10)], profile)
    assert row.score == 5.0 and row.calculation == "目标 5% ÷ 实际 10% × 10.00分 = 5.00分"


def test_equal_target_positive_is_higher_is_better() -> None:
    assert row_of([quant("完成率", 95, 100, Direction.EQUAL, "%", weight=10)]).score == 9.5
    above = row_of([quant("完成率", 104, 100, Direction.EQUAL, "%", weight=10)])
    assert above.score == 10.0 and "overachievement" not in codes(above)  # 104% < 130%


@pytest.mark.parametrize(
    ("direction", "actual", "expected"),
    [
        (Direction.LOWER, 0, 8.0),
        (Direction.LOWER, 1, 0.0),
        (Direction.EQUAL, 0, 8.0),
        (Direction.EQUAL, 2, 0.0),
        (Direction.HIGHER, 0, 8.0),
        (Direction.HIGHER, -1, 0.0),
    ],
)
def test_zero_target_is_all_or_nothing(direction: Direction, actual: float, expected: float) -> None:
    row = row_of([quant("安全事故", actual, 0, direction, "起", weight=8)])
    assert row.score == expected
    assert "全有或全无" in row.calculation
    if expected == 0:
        assert codes(row)["shortfall"] == Severity.RED


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (85, 10.0),  # inside 80–90
        (80, 10.0),  # lower edge
        (90, 10.0),  # upper edge
        (70, 8.75),  # below: as ≥ 80 → 10 × 70/80
        (95, 9.44),  # above: as ≤ 90, linear → 10 × (1 − 5/90) = 9.444…
        (180, 0.0),  # above, 2× upper bound
    ],
)
def test_range_targets(actual: float, expected: float) -> None:
    assert row_of([ranged("合格率", actual, 80, 90, weight=10)]).score == expected


def test_range_above_with_ratio_policy_and_exclusive_edge() -> None:
    # 10 × 90 / 95 = 9.4736… → 9.47
    assert row_of([ranged("合格率", 95, 80, 90, weight=10)], with_policies(reverse="ratio")).score == 9.47
    edge = row_of([ranged("合格率", 80, 80, 90, weight=10, low_inclusive=False)])
    assert edge.score == 10.0 and "strict_at_target" in codes(edge)


def test_change_targets_use_the_derived_target_and_missing_last_year_is_not_scored() -> None:
    # 较上年增长1%: b = 100 → target 101; actual 100 → 10 × 100/101 = 9.90099 → 9.90
    row = quant("服务人次", 100, 101, weight=10)
    change = Target(raw="较上年增长1%", kind=TargetKind.CHANGE, change_amount=0.01)
    row = RowInput(row.indicator, change, row.assessment, row.actual)
    assert row_of([row]).score == 9.9
    missing_b = Assessment(direction=Direction.HIGHER, decided=False, reason="缺少上年实际值，无法计算增长目标")
    unscored = row_of([RowInput(row.indicator, change, missing_b, row.actual)])
    assert unscored.status == RowStatus.NOT_SCORED and unscored.score == 0.0
    assert unscored.reason == "缺少上年实际值，无法计算增长目标"
    assert unscored.calculation == "缺少上年实际值，无法计算增长目标，未评分"


@pytest.mark.parametrize(("days", "expected"), [(0, 10.0), (-5, 10.0), (30, 6.67), (45, 5.0), (90, 0.0), (120, 0.0)])
def test_deadlines_lose_points_linearly_to_zero_at_90_days(days: int, expected: float) -> None:
    # 10 × (1 − 30/90) = 6.666… → 6.67
    assert row_of([deadline("按期完成", days, weight=10)]).score == expected


def test_late_days_to_zero_policy() -> None:
    assert row_of([deadline("按期完成", 30, weight=10)], with_policies(late_days_to_zero=60)).score == 5.0


def test_unit_mismatch_and_impossible_values_from_the_assessment() -> None:
    mismatch = row_of([quant("人数", 300, 100, flags=("unit_mismatch",), reason="「人」与「人次」不能换算")])
    assert mismatch.status == RowStatus.NOT_SCORED and mismatch.score == 0.0
    assert codes(mismatch) == {"unit_mismatch": Severity.YELLOW}
    assert "不能换算" in mismatch.reason
    impossible = row_of([quant("满意度", 120, 90, unit="%", weight=10, flags=("impossible_value",), reason="超过100%")])
    assert impossible.status == RowStatus.SCORED and codes(impossible)["impossible_value"] == Severity.RED


def test_missing_actual_is_listed_not_scored() -> None:
    result = score_one([quant("人数", None, 100, weight=10), quant("场次", 10, 10, weight=10)])
    missing = result.rows[0]
    assert missing.status == RowStatus.NOT_SCORED and missing.score == 0.0
    assert missing.calculation == "未填写实际完成值，未评分"
    assert codes(missing) == {"missing_actual": Severity.YELLOW}
    assert not result.complete and any(f.code == "incomplete" for f in result.flags)


def test_tier_on_a_quantitative_row_is_ignored_with_a_note() -> None:
    row = row_of([quant("人数", 50, 100, weight=10, tier_text="达成", points_text="10", reason="r")])
    assert row.score == 5.0 and "tier_ignored" in codes(row)


# ---------------------------------------------------------------------------------------------
# §4 Qualitative
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier_text", "expected", "label"),
    [
        ("达成", 5.0, "达成年度指标（100%）"),
        ("部分达成", 3.5, "部分达成年度指标并具有一定效果（70%）"),
        ("未达成", 1.5, "未达成年度指标且效果较差（30%）"),
        ("部分达成年度指标并具有一定效果", 3.5, "部分达成"),
    ],
)
def test_tier_from_the_actuals_sheet(tier_text: str, expected: float, label: str) -> None:
    row = row_of([qual("社会效益", "已开展", tier_text=tier_text, weight=5, reason="r")])
    assert row.score == expected and row.status == RowStatus.SCORED
    assert row.calculation.startswith(label)
    if tier_text == "达成":
        assert row.calculation == "达成年度指标（100%）× 5.00分 = 5.00分（依据：完成档次「达成」）"


def test_tier_from_the_assessment_and_shortfall_severity() -> None:
    partial = row_of([qual("社会效益", "基本完成", Tier.PARTIAL, weight=10)])
    assert partial.score == 7.0 and codes(partial)["shortfall"] == Severity.YELLOW
    failed = row_of([qual("社会效益", "未完成", Tier.NOT_ACHIEVED, weight=10)])
    assert failed.score == 3.0 and codes(failed)["shortfall"] == Severity.RED


def test_needs_judgment_is_never_full_marks() -> None:
    row = row_of([qual("社会效益", "退休职工得益面广", weight=10)])
    assert row.status == RowStatus.NOT_SCORED and row.score == 0.0
    assert "needs_judgment" in codes(row) and "需人工判断" in row.reason and row.calculation.endswith("未评分")
    no_row = row_of([qual("社会效益", no_actual=True, weight=10)])
    assert no_row.calculation == "未填写实际完成值，未评分"
    bad = row_of([qual("社会效益", "x", tier_text="很好", weight=10)])
    assert bad.status == RowStatus.NOT_SCORED and "无法识别" in bad.reason


@pytest.mark.parametrize(
    ("tier_text", "points", "expected"),
    [
        ("部分达成", "6", 6.0),  # 60% edge is inside 部分达成 (lower bound inclusive)
        ("部分达成", "7.99", 7.99),
        ("部分达成", "8", None),  # 80% belongs to 达成
        ("部分达成", "5.99", None),
        ("达成", "8", 8.0),
        ("达成", "10分", 10.0),
        ("达成", "7.99", None),
        ("未达成", "5.99", 5.99),
        ("未达成", "6", None),
        ("未达成", "0", 0.0),
        ("达成", "10.5", None),  # above the weight
        ("达成", "九分", None),  # not a number
        ("", "7.5", 7.5),  # no tier: the points pick the band (部分达成)
    ],
)
def test_points_must_lie_in_the_tier_band(tier_text: str, points: str, expected: float | None) -> None:
    row = row_of([qual("社会效益", "已完成", tier_text=tier_text, points_text=points, weight=10, reason="r")])
    if expected is None:
        assert row.status == RowStatus.NOT_SCORED and row.score == 0.0
        assert set(codes(row)) & {"points_out_of_band", "needs_judgment"}
    else:
        assert row.status == RowStatus.SCORED and row.score == expected
        assert "评定得分" in row.calculation


def test_points_outside_band_message_names_the_band() -> None:
    row = row_of([qual("社会效益", "已完成", tier_text="部分达成", points_text="9", weight=10)])
    assert "评定得分 9.00分 不在「部分达成年度指标并具有一定效果」档次范围 [6.00分, 8.00分) 内" in row.reason


def test_tier_points_policy(tmp_path: Path) -> None:
    path = tmp_path / "tp.toml"
    path.write_text(
        'base = "mof2020"\n[tiers."部分达成"]\npoints = 0.75\n[tiers."未达成"]\npoints = 0.5\n', encoding="utf-8"
    )
    profile = load_profile(str(path))
    assert row_of([qual("x", "y", tier_text="部分达成", weight=10)], profile).score == 7.5
    assert row_of([qual("x", "y", tier_text="未达成", weight=10)], profile).score == 5.0


def test_parse_tier_words() -> None:
    assert parse_tier(" 部分达成 ") == Tier.PARTIAL and parse_tier("未达成") == Tier.NOT_ACHIEVED
    assert parse_tier("达成年度指标") == Tier.ACHIEVED and parse_tier("达成了") is None


# ---------------------------------------------------------------------------------------------
# §5 Over-achievement
# ---------------------------------------------------------------------------------------------


def test_overachievement_flag_at_130_percent() -> None:
    at = row_of([quant("人次", 130, 100, weight=10)])
    assert at.score == 10.0 and codes(at) == {"overachievement": Severity.YELLOW, "missing_reason": Severity.YELLOW}
    below = row_of([quant("人次", 129, 100, weight=10)])
    assert below.flags == ()
    explained = row_of([quant("人次", 150, 100, weight=10, reason="参与人数超预期")])
    assert set(codes(explained)) == {"overachievement"}


@pytest.mark.parametrize(("actual", "expected"), [(150, 6.0), (120, 8.0), (135, 6.5), (300, 6.0), (100, 10.0)])
def test_overachievement_deduction_where_target_set_too_low(actual: float, expected: float) -> None:
    # w × max(0, 1 − (a/t − 1)), floored at 60% of w: 150 → 5 → floor 6; 120 → 8; 135 → 6.5
    profile = with_policies(overachieve_deduction="deviation")
    row = row_of([quant("人次", actual, 100, weight=10, cause="指标值设定偏低", reason="r")], profile)
    assert row.score == expected
    assert "shortfall" not in codes(row)
    if actual > 100:
        assert "按偏差扣分" in row.calculation


def test_no_deduction_without_the_cause_or_under_the_default_policy() -> None:
    deviation = with_policies(overachieve_deduction="deviation")
    assert row_of([quant("人次", 150, 100, weight=10, cause="政策调整")], deviation).score == 10.0
    assert row_of([quant("人次", 150, 100, weight=10, cause="指标值设定偏低")]).score == 10.0


# ---------------------------------------------------------------------------------------------
# §6 Budget execution
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("executed", "score", "flag"),
    [
        (950_000, 9.5, None),
        (900_000, 9.0, None),  # exactly 90% is not low
        (899_999, 9.0, "budget_low"),  # 8.99999 → 9.00, but the rate is below 90%
        (850_000, 8.5, "budget_low"),
        (987_654, 9.88, None),  # 9.87654 → 9.88
        (1_000_000, 10.0, None),  # exactly 100% is not high
        (1_050_000, 10.0, "budget_high"),  # capped at 100%
    ],
)
def test_budget_execution(executed: float, score: float, flag: str | None) -> None:
    budget = score_one([quant("x", 1, 1)], executed=executed, adjusted=1_000_000).budget
    assert budget.scored and budget.score == score and budget.points == 10
    assert budget.rate == pytest.approx(executed / 1_000_000)
    assert [f.code for f in budget.flags] == ([flag] if flag else [])


def test_budget_calculation_text_and_hubei_points() -> None:
    budget = score_one([quant("x", 1, 1)], executed=1_050_000, adjusted=1_000_000).budget
    assert (
        budget.calculation
        == "全年执行数 105万元 ÷ 全年预算数 100万元 = 105%，超过100%按100%计：10.00分 × 100% = 10.00分"
    )
    hubei = score_one([quant("x", 1, 1)], load_profile("hubei"), executed=850_000, adjusted=1_000_000).budget
    assert hubei.points == 20 and hubei.score == 17.0  # 20 × 85%


def test_budget_zero_or_missing_is_not_scored() -> None:
    zero = score_one([quant("x", 1, 1)], adjusted=0, executed=0)
    assert not zero.budget.scored and zero.budget.score == 0.0 and "无法计算执行率" in zero.budget.calculation
    assert not zero.complete
    none = score_one([quant("x", 1, 1)], budget=False)
    assert not none.budget.scored and "未提供预算执行数据" in none.budget.calculation
    assert any("预算执行率未评分" in f.message for f in none.flags)


# ---------------------------------------------------------------------------------------------
# §2/§8 Missing category, roll-up, total and grade
# ---------------------------------------------------------------------------------------------


def _no_satisfaction_project() -> list[RowInput]:
    # 产出 2 rows × 25: 25 + 20 (= 25 × 80/100); 效益 1 row × 30: 部分达成 → 21. Budget 9.5.
    return [quant("a", 100, 100), quant("b", 80, 100, reason="r"), qual("c", "基本", Tier.PARTIAL, reason="r")]


def test_missing_category_rescale() -> None:
    result = score_one(_no_satisfaction_project(), executed=950_000)
    assert [r.weight for r in result.rows] == [25.0, 25.0, 30.0]  # weights stay as allocated
    # (9.5 + 25 + 20 + 21) × 100 ÷ (100 − 10) = 75.5 × 100 / 90 = 83.888… → 83.89
    assert result.total == 83.89 and result.grade == "良"
    assert result.missing_categories == ("满意度指标",)
    assert any("按百分制折算" in n and "83.89" in n for n in result.notes)


def test_missing_category_forfeit() -> None:
    profile = load_profile(str(PROFILES / "forfeit_branch.toml"))
    result = score_one(_no_satisfaction_project(), profile, executed=950_000)
    assert result.total == 75.5 and result.grade == "中"
    assert result.missing_categories == ("满意度指标",)
    assert any("不得分" in n for n in result.notes)
    assert {f.code for f in result.flags} == {"grade_low", "missing_category"}


def test_roll_up_sums_to_the_cent() -> None:
    # Seven 产出 rows at 7.15/7.14 each scoring 1/3 of the way: every row score rounds, and the
    # subtotal must be the sum of the rounded scores shown, not a rounding of the exact sum.
    rows = [quant(f"p{i}", 1, 3, unit="项", reason="r", level2="数量指标" if i < 4 else "质量指标") for i in range(7)]
    rows += [
        qual("e", "好", Tier.ACHIEVED),
        qual("s", "满意", Tier.ACHIEVED, level1="满意度指标", level2="服务对象满意度指标"),
    ]
    result = score_one(rows, executed=999_999)
    # 7.15/3 = 2.3833 → 2.38 (×2); 7.14/3 = 2.38 (×5) → 产出 16.66; 数量 weights 7.15+7.15+7.14+7.14
    assert [r.score for r in result.rows[:7]] == [2.38] * 7
    level = {(lv.level1, lv.level2): lv for lv in result.levels}
    assert level[("产出指标", None)].score == 16.66
    assert level[("产出指标", "数量指标")].score == 9.52 and level[("产出指标", "质量指标")].score == 7.14
    assert level[("产出指标", "数量指标")].weight == 28.58 and level[("产出指标", "质量指标")].weight == 21.42
    # budget 10 × 0.999999 = 9.99999 → 10.00; total = 10 + 16.66 + 30 + 10
    assert result.budget.score == 10.0 and result.total == 66.66 and result.grade == "中"


@pytest.mark.parametrize(
    ("output_actual", "benefit_actual", "total", "grade"),
    [
        (5000, 3000, 90.0, "优"),
        (5000, 2999, 89.99, "良"),  # 30 × 2999/3000 = 29.99
        (5000, 0, 60.0, "中"),
        (4999, 0, 59.99, "差"),  # 50 × 4999/5000 = 49.99
    ],
)
def test_grade_edges_on_the_total(output_actual: float, benefit_actual: float, total: float, grade: str) -> None:
    rows = [
        quant("产出", output_actual, 5000, weight=50, reason="r"),
        quant("效益", benefit_actual, 3000, weight=30, level1="效益指标", level2="社会效益指标", reason="r"),
        quant("满意度", 0, 90, unit="%", weight=10, level1="满意度指标", level2="服务对象满意度指标", reason="r"),
    ]
    result = score_one(rows)
    assert result.total == total and result.grade == grade
    flagged = {f.code: f.severity for f in result.flags}
    if grade == "中":
        assert flagged["grade_low"] == Severity.YELLOW
    if grade == "差":
        assert flagged["grade_low"] == Severity.RED
    assert flagged["red_rows"] == Severity.RED  # 满意度 0% is a red shortfall


def test_no_indicators_is_incomplete_not_rescaled() -> None:
    result = score_one([], executed=950_000)
    assert not result.complete and result.total == 9.5 and result.levels == ()


def test_projects_are_independent_when_scored_together() -> None:
    a = [quant("a", 90, 100, reason="r"), qual("b", "x", Tier.PARTIAL)]
    b = [ranged("c", 95, 80, 90), deadline("d", 10), quant("e", 7, 5, Direction.LOWER, "%")]
    together = score_projects([project(a, name="A"), project(b, name="B")], MOF)
    alone = [score_one(a), score_one(b)]
    for joint, single in zip(together, alone, strict=True):
        assert [r.score for r in joint.rows] == [r.score for r in single.rows]
        assert joint.total == single.total


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_L1 = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
    ("成本指标", "经济成本指标"),
]

_row = st.builds(
    lambda kind, l12, a, t, tier: (
        quant("q", a, t, Direction.HIGHER, level1=l12[0], level2=l12[1])
        if kind == 0
        else quant("q", a, t, Direction.LOWER, level1=l12[0], level2=l12[1])
        if kind == 1
        else ranged("r", a, t, t * 1.5 + 1, level1=l12[0], level2=l12[1])
        if kind == 2
        else deadline("d", int(a) % 200 - 20, level1=l12[0], level2=l12[1])
        if kind == 3
        else qual("z", "x", tier, level1=l12[0], level2=l12[1])
    ),
    st.integers(0, 4),
    st.sampled_from(_L1),
    st.floats(-100, 10_000, allow_nan=False),
    st.floats(0, 5_000, allow_nan=False),
    st.sampled_from([Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED, None]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_row, min_size=1, max_size=18),
    st.floats(0, 3_000_000, allow_nan=False),
    st.sampled_from(["mof2020", "hubei"]),
    st.sampled_from(["equal_leaf", "equal_branch"]),
    st.sampled_from(["rescale", "forfeit"]),
)
def test_properties(rows, executed, name, allocation, missing) -> None:
    base = load_profile(name)
    profile = base.model_copy(
        update={"policies": base.policies.model_copy(update={"allocation": allocation, "missing_category": missing})}
    )
    result = score_one(rows, profile, executed=executed, adjusted=1_000_000)
    for row in result.rows:
        assert 0 <= row.score <= row.weight
        assert round(row.score * 100) == pytest.approx(row.score * 100, abs=1e-6)
    assert 0 <= result.total <= 100
    cents = lambda values: sum(round(v * 100) for v in values)  # noqa: E731
    present = {r.level1 for r in result.rows}
    configured = {l1: base.level1_points(l1) for l1 in ("产出指标", "效益指标", "满意度指标")}
    if "成本指标" in present:
        configured["产出指标"] = 0
        assert cents(r.weight for r in result.rows if r.level1 in ("成本指标", "产出指标")) == round(
            base.points.output * 100
        )
    for l1 in present - {"成本指标"}:
        if configured[l1]:
            assert cents(r.weight for r in result.rows if r.level1 == l1) == round(configured[l1] * 100)
    for lv in result.levels:
        members = [r for r in result.rows if r.level1 == lv.level1 and (lv.level2 is None or r.level2 == lv.level2)]
        assert round(lv.score * 100) == cents(r.score for r in members)
        assert round(lv.weight * 100) == cents(r.weight for r in members)
    if not result.missing_categories:
        assert round(result.total * 100) == cents([result.budget.score, *(r.score for r in result.rows)])
    assert result.grade == base.grade_for(result.total)


def test_indicator_records_pass_through() -> None:
    ind = Indicator("产出指标", "数量指标", "学员人次", "≥3000人次", None)
    row = quant("学员人次", 3000, 3000)
    result = score_one([RowInput(ind, row.target, row.assessment, row.actual)])
    assert result.rows[0].target_text == "≥3000人次" and result.rows[0].actual_text == "3000人次"
    assert isinstance(result.project, type(project([]).project)) and isinstance(project([]), ProjectInput)


def test_as_incurred_and_person_judged_unreadable_targets_score_as_qualitative() -> None:
    base = qual("教师课时费", "按实发放", Tier.ACHIEVED, weight=10)
    incurred = RowInput(
        base.indicator, Target(raw="按实发放", kind=TargetKind.AS_INCURRED), base.assessment, base.actual
    )
    assert row_of([incurred]).score == 10.0
    judged = qual("示范作用", "师生反馈好", tier_text="部分达成", weight=10, reason="r")
    unreadable = RowInput(
        judged.indicator,
        Target(raw="师生反馈评价", kind=TargetKind.UNREADABLE, reason="无法识别"),
        Assessment(direction=None, decided=False, reason="指标值无法识别"),
        judged.actual,
    )
    assert row_of([unreadable]).score == 7.0
    alone = RowInput(unreadable.indicator, unreadable.target, unreadable.assessment, qual("x", "师生反馈好").actual)
    row = row_of([alone])
    assert row.status == RowStatus.NOT_SCORED and row.reason == "指标值无法识别"
