"""Rule profiles: bundled defaults, local variants, and a clear Chinese error for each kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.common.resources import rules_dir
from evaluator.config.profiles import DEFAULT_PROFILE, bundled_profiles, load_profile
from evaluator.errors import EvaluatorError
from evaluator.models import Tier


def test_default_profile_restates_the_spec() -> None:
    profile = load_profile()
    assert profile.name == DEFAULT_PROFILE == "mof2020"
    assert Path(profile.path) == rules_dir() / "mof2020.toml"
    assert (profile.budget_points, profile.points.output, profile.points.benefit, profile.points.satisfaction) == (
        10,
        50,
        30,
        10,
    )
    assert profile.level1_points("产出指标") == 50 and profile.level1_points("成本指标") == 0
    pol = profile.policies
    assert (pol.cost_points, pol.allocation, pol.missing_category, pol.reverse) == (
        "proportional",
        "equal_leaf",
        "rescale",
        "linear_to_zero",
    )
    assert (pol.late_days_to_zero, pol.overachieve_flag_ratio, pol.overachieve_deduction) == (90, 1.3, "none")
    assert pol.overachieve_cause_marker == "指标值设定偏低"
    assert profile.tier_rule(Tier.ACHIEVED).band == (0.8, 1.0) and profile.tier_rule(Tier.ACHIEVED).points == 1.0
    assert profile.tier_rule(Tier.PARTIAL).band == (0.6, 0.8) and profile.tier_rule(Tier.PARTIAL).points == 0.7
    assert profile.tier_rule(Tier.NOT_ACHIEVED).band == (0.0, 0.6)
    assert profile.tier_rule(Tier.NOT_ACHIEVED).points == 0.3
    assert profile.tier_rule(Tier.PARTIAL).label == "部分达成年度指标并具有一定效果"
    assert [(g.name, g.min) for g in profile.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    flags = profile.flags
    assert (flags.red_below, flags.yellow_below, flags.budget_low_below, flags.budget_high_above) == (
        0.6,
        1.0,
        0.9,
        1.0,
    )
    assert flags.reason_required == ("shortfall", "overachievement")
    assert flags.grades_flagged == ("中", "差")


def test_every_policy_is_documented_in_the_default_file() -> None:
    text = (rules_dir() / "mof2020.toml").read_text(encoding="utf-8")
    assert "财预〔2020〕10号" in text and "财预〔2021〕101号" in text
    for key in type(load_profile().policies).model_fields:
        assert f"# {key} —" in text, key  # each policy carries its own comment block


def test_bundled_profiles_and_hubei_variant() -> None:
    assert bundled_profiles() == ["hubei", "mof2020"]  # taxonomy.toml is data, not a profile
    hubei = load_profile("hubei")
    assert hubei.name == "hubei" and hubei.base == "mof2020"
    assert (hubei.budget_points, hubei.points.output, hubei.points.benefit, hubei.points.satisfaction) == (
        20,
        40,
        30,
        10,
    )
    assert hubei.policies == load_profile().policies  # everything else inherited
    assert hubei.grades == load_profile().grades


@pytest.mark.parametrize(
    ("total", "grade"),
    [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")],
)
def test_grade_band_edges(total: float, grade: str) -> None:
    assert load_profile().grade_for(total) == grade


@pytest.mark.parametrize(
    ("share", "tier"),
    [
        (1.0, Tier.ACHIEVED),
        (0.8, Tier.ACHIEVED),
        (0.7999, Tier.PARTIAL),
        (0.6, Tier.PARTIAL),
        (0.5999, Tier.NOT_ACHIEVED),
        (0.0, Tier.NOT_ACHIEVED),
    ],
)
def test_tier_band_edges(share: float, tier: Tier) -> None:
    assert load_profile().tiers.tier_of_share(share) == tier


def test_profile_by_path_with_base_and_override(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('base = "mof2020"\nname = "mine"\n[policies]\nallocation = "equal_branch"\n', encoding="utf-8")
    profile = load_profile(str(path))
    assert profile.name == "mine" and profile.path == str(path)
    assert profile.policies.allocation == "equal_branch"
    assert profile.policies.reverse == "linear_to_zero"  # untouched keys come from the base


def test_standalone_copy_loads(tmp_path: Path) -> None:
    text = (rules_dir() / "mof2020.toml").read_text(encoding="utf-8").replace('name = "mof2020"', 'name = "copy"')
    path = tmp_path / "copy.toml"
    path.write_text(text.replace('cost_points = "proportional"', "cost_points = 12.5"), encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "copy" and profile.policies.cost_points == 12.5


BAD = [
    ('[policies]\nallocaton = "equal_leaf"', ["policies.allocaton", "未知的键"]),
    ('colour = "red"', ["colour", "未知的键"]),
    ('[policies]\nallocation = "by_magic"', ["policies.allocation", "取值无效", "equal_leaf", "equal_branch"]),
    ('[policies]\nmissing_category = "ignore"', ["policies.missing_category", "rescale"]),
    ('[policies]\nreverse = "log"', ["policies.reverse", "linear_to_zero"]),
    ("[policies]\novereachieve = 1", ["未知的键"]),
    ('[policies]\noverachieve_deduction = "half"', ["policies.overachieve_deduction", "deviation"]),
    ('[policies]\ncost_points = "lots"', ["policies.cost_points", "proportional"]),
    ('[policies]\ncost_default_op = "lt"', ["policies.cost_default_op", "取值无效", "le", "ge"]),
    ("[policies]\ncost_points = 60", ["cost_points", "超过产出指标分值"]),
    ("[policies]\nlate_days_to_zero = 0", ["policies.late_days_to_zero", "超出范围"]),
    ("[policies]\noverachieve_flag_ratio = 0.9", ["policies.overachieve_flag_ratio", "超出范围"]),
    ('[points]\n"预算执行率" = 20', ["points", "= 110", "合计应为100"]),
    ('[points]\n"产出指标" = 45', ["合计应为100"]),
    ('[points]\n"成本指标" = 10', ["points.成本指标", "未知的键"]),
    ('[tiers."部分达成"]\nband = [0.5, 0.8]', ["tiers", "重叠"]),
    ('[tiers."部分达成"]\nband = [0.65, 0.8]\npoints = 0.7', ["tiers", "有空档"]),
    ('[tiers."达成"]\nband = [0.8, 1.2]', ["tiers.达成.band", "超出 0–1"]),
    ('[tiers."达成"]\nband = [0.8, 0.8]', ["tiers.达成.band", "下限应小于上限"]),
    ('[tiers."部分达成"]\npoints = 0.8', ["tiers.部分达成.points", "不在该档次区间"]),
    ('[tiers."未达成"]\nband = [0.1, 0.6]', ["覆盖 0–1"]),
    ('[[grades]]\nname = "A"\nmin = 50\n[[grades]]\nname = "B"\nmin = 70', ["grades", "严格递减"]),
    ('[[grades]]\nname = "A"\nmin = 90\n[[grades]]\nname = "B"\nmin = 10', ["最后一个等级的下限应为0"]),
    ('[[grades]]\nname = "A"\nmin = 120\n[[grades]]\nname = "B"\nmin = 0', ["grades[第1项].min", "超出范围"]),
    ("[flags]\nred_below = 0.9\nyellow_below = 0.8", ["red_below", "yellow_below"]),
    ("[flags]\nbudget_high_above = 0.95", ["flags.budget_high_above"]),
    ("[flags]\nbudget_low_below = 1.5", ["flags.budget_low_below"]),
    ('[flags]\nreason_required = ["shortfal"]', ["flags.reason_required", "shortfal"]),
    ('[flags]\ngrades_flagged = ["丙"]', ["grades_flagged", "丙"]),
    ('path = "/etc"', ["path", "不能出现"]),
]


@pytest.mark.parametrize(("body", "expected"), BAD, ids=[b[0][:30] for b in BAD])
def test_invalid_profiles_name_file_and_key(tmp_path: Path, body: str, expected: list[str]) -> None:
    path = tmp_path / "bad_rules.toml"
    path.write_text('base = "mof2020"\n' + body + "\n", encoding="utf-8")
    with pytest.raises(EvaluatorError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert "bad_rules.toml" in message
    for part in expected:
        assert part in message, (part, message)


def test_missing_table_and_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text('name = "bare"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="键「points」缺少必要的键"):
        load_profile(path)
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(EvaluatorError, match="不是有效的 TOML"):
        load_profile(path)
    path.write_text("[points]\n预算执行率 = 10\n", encoding="utf-8")  # bare CJK keys are not TOML
    with pytest.raises(EvaluatorError, match=r"bare\.toml"):
        load_profile(path)


def test_unknown_profile_and_base_cycle(tmp_path: Path) -> None:
    with pytest.raises(EvaluatorError, match=r"未找到评分规则「hunan」.*mof2020"):
        load_profile("hunan")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('base = "b.toml"\n', encoding="utf-8")
    b.write_text('base = "a.toml"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="循环"):
        load_profile(a)
