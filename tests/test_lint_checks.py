"""Every lint check: one declaration where it must fire, one where it must not.

The baseline project is a complete, measurable declaration that raises nothing; each test changes
one thing about it, so a finding can only come from that change.
"""

from __future__ import annotations

import datetime as dt

import pytest

from evaluator.config.lint_rules import KNOWN_CHECKS, LintSettings, load_lint_rules
from evaluator.lint.engine import lint_declarations
from evaluator.lint.findings import Finding
from evaluator.models import Declarations, Indicator, Project, SourceRef

COST = ("成本指标", "经济成本指标", "人均培训成本", "≤500元")
COUNT = ("产出指标", "数量指标", "培训人次", "≥3000人次")
QUALITY = ("产出指标", "质量指标", "培训合格率", "≥95%")
TIMING = ("产出指标", "时效指标", "培训完成时间", "2024年12月31日前完成")
BENEFIT = ("效益指标", "社会效益指标", "学员技能提升率（问卷调查）", "≥80%")
SATISFACTION = ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%")
BASE = (COST, COUNT, QUALITY, TIMING, BENEFIT, SATISFACTION)


def project(*rows: tuple[str, str, str, str], name: str = "职工技能培训项目", goal: str = "") -> Project:
    indicators = tuple(
        Indicator(level1=a, level2=b, level3=c, target_text=d, source=SourceRef("t.txt", line=10 + k))
        for k, (a, b, c, d) in enumerate(rows)
    )
    return Project(
        name=name,
        total_funds=1_000_000.0,
        annual_goal=goal,
        indicators=indicators,
        source=SourceRef("t.txt", line=1),
        year=2024,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
    )


def replace(old: tuple[str, str, str, str], new: tuple[str, str, str, str]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(new if row == old else row for row in BASE)


def without(old: tuple[str, str, str, str]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(row for row in BASE if row != old)


def findings(*projects: Project, settings: LintSettings | None = None) -> list[Finding]:
    decl = Declarations(projects=projects, source_file="t.txt")
    return list(lint_declarations([decl], load_lint_rules(settings)).findings)


def codes(*projects: Project, settings: LintSettings | None = None) -> list[str]:
    return [f.code for f in findings(*projects, settings=settings)]


def only(code: str, *projects: Project) -> list[Finding]:
    return [f for f in findings(*projects) if f.code == code]


def test_baseline_is_clean() -> None:
    assert findings(project(*BASE)) == []


def test_every_known_check_is_described_in_the_bundled_rules() -> None:
    rules = load_lint_rules()
    assert set(rules.checks) == set(KNOWN_CHECKS)
    assert all(rule.label and rule.source for rule in rules.checks.values())


# --- 完整性 ----------------------------------------------------------------------------------


def test_s01_missing_output_second_level() -> None:
    found = only("S01", project(*without(TIMING)))
    assert [f.message for f in found] == ["产出指标下没有时效指标"]
    assert found[0].severity == "P1" and found[0].level1 == ""


def test_s01_no_output_at_all_is_one_finding() -> None:
    rows = tuple(r for r in BASE if r[0] != "产出指标")
    assert codes(project(*rows)).count("S01") == 1


def test_s02_missing_benefit() -> None:
    assert "S02" in codes(project(*without(BENEFIT)))
    assert "S02" not in codes(project(*BASE))


def test_s03_missing_satisfaction() -> None:
    assert "S03" in codes(project(*without(SATISFACTION)))
    assert "S03" not in codes(project(*BASE))


def test_s04_missing_cost_and_switched_off_by_profile() -> None:
    assert "S04" in codes(project(*without(COST)))
    off = LintSettings.model_validate({"checks": {"S04": {"enabled": False}}})
    assert "S04" not in codes(project(*without(COST)), settings=off)


def test_s04_cost_under_output_counts_as_cost() -> None:
    old_layout = ("产出指标", "成本指标", "人均培训成本", "≤500元")
    assert "S04" not in codes(project(*replace(COST, old_layout)))


def test_s05_empty_target_is_not_also_unreadable() -> None:
    found = codes(project(*replace(COUNT, ("产出指标", "数量指标", "培训人次", " "))))
    assert "S05" in found and "M01" not in found


def test_s06_placeholder_name_and_target() -> None:
    assert "S06" in codes(project(*replace(COUNT, ("产出指标", "数量指标", "指标1", "≥3000人次"))))
    assert "S06" in codes(project(*replace(BENEFIT, ("效益指标", "社会效益指标", "群众获得感", "待定"))))
    assert "S06" not in codes(project(*BASE))


@pytest.mark.parametrize("target", ["无", "不适用", "本项目不适用此指标"])
def test_s08_not_applicable_target_is_one_p2_finding(target: str) -> None:
    found = findings(project(*BASE, ("产出指标", "数量指标", "培训课时", target)))
    assert [(f.code, f.severity) for f in found] == [("S08", "P2")]  # no S06 占位, M01 无法识别, M02 没有数字
    assert f"「{target}」" in found[0].message and "不计入" in found[0].message


def test_s08_not_on_a_target_that_is_scored() -> None:
    assert "S08" not in codes(project(*BASE))
    assert "S08" not in codes(project(*replace(COUNT, ("产出指标", "数量指标", "培训人次", "无拖欠"))))


def test_only_not_applicable_rows_leave_the_level_missing() -> None:
    rows = replace(SATISFACTION, ("满意度指标", "服务对象满意度指标", "学员满意度", "不适用"))
    found = only("S03", project(*rows))
    assert [f.message for f in found] == ["没有满意度指标（所列指标均为不适用，评分时不计入）"]
    assert "S03" not in codes(project(*BASE, ("满意度指标", "服务对象满意度指标", "家长满意度", "不适用")))


def test_f01_not_on_not_applicable_rows() -> None:
    shared = ("效益指标", "经济效益指标", "经济效益", "不适用")
    found = findings(project(*BASE, shared, name="甲项目"), project(*BASE, shared, name="乙项目"))
    assert not [f for f in found if f.code == "F01" and f.level3 == "经济效益"]
    assert [f for f in found if f.code == "F01" and f.level3 == "学员满意度"]  # the scored rows still are


def test_s07_second_level_outside_the_taxonomy() -> None:
    assert "S07" in codes(project(*BASE, ("效益指标", "其他指标", "宣传覆盖人次", "≥500人次")))
    assert "S07" not in codes(project(*BASE, ("效益指标", "社会效益指标", "宣传覆盖人次", "≥500人次")))


# --- 可衡量 ----------------------------------------------------------------------------------


def test_m01_unreadable_target() -> None:
    found = only("M01", project(*replace(COUNT, ("产出指标", "数量指标", "发表论文", "≥5(篇章)"))))
    assert len(found) == 1 and "篇章" in found[0].message
    assert "M01" not in codes(project(*replace(COUNT, ("产出指标", "数量指标", "发表论文", "≥5篇"))))


def test_m02_quantity_without_a_number() -> None:
    assert "M02" in codes(project(*replace(COUNT, ("产出指标", "数量指标", "培训人次", "大量"))))
    assert "M02" in codes(project(*replace(SATISFACTION, ("满意度指标", "服务对象满意度指标", "学员满意度", "满意"))))
    assert "M02" in codes(project(*replace(COST, ("成本指标", "经济成本指标", "教师课时费", "按实发放"))))
    assert "M02" not in codes(project(*BASE))


def test_m02_not_on_a_row_misplaced_under_satisfaction() -> None:
    found = codes(project(*BASE, ("满意度指标", "服务对象满意度指标", "文化推广机制健全性", "健全")))
    assert "P03" in found and "M02" not in found


def test_m03_vague_words_in_a_qualitative_target() -> None:
    vague = ("效益指标", "社会效益指标", "职工获得感", "进一步提高，优质、高效")
    found = only("M03", project(*BASE, vague))
    assert len(found) == 1 and "进一步" in found[0].message and "优质高效" in found[0].message


def test_m03_not_on_a_number_nor_on_a_testable_phrase() -> None:
    numeric = ("效益指标", "社会效益指标", "职工获得感（问卷调查）", "进一步提高到≥90%")
    testable = ("效益指标", "可持续影响指标", "培训制度", "制定并印发培训管理办法")
    assert "M03" not in codes(project(*BASE, numeric, testable))


def test_m04_benefit_percentage_without_basis() -> None:
    bare = ("效益指标", "社会效益指标", "群众知晓率", "≥80%")
    stated = ("效益指标", "社会效益指标", "群众知晓率（抽样调查）", "≥80%")
    assert only("M04", project(*BASE, bare))[0].severity == "P3"
    assert "M04" not in codes(project(*BASE, stated))


def test_m05_bare_word_target() -> None:
    assert "M05" in codes(project(*BASE, ("效益指标", "社会效益指标", "提升工会吸引力", "是")))
    assert "M05" not in codes(project(*BASE, ("效益指标", "社会效益指标", "示范点", "示范点建成并投入使用")))


def test_m05_yes_answers_a_fact_but_not_a_degree() -> None:
    assert "M05" not in codes(project(*BASE, ("产出指标", "质量指标", "租金不变", "是")))
    found = codes(project(*BASE, ("效益指标", "可持续影响指标", "持续提升学校办学水平", "是")))
    assert found.count("M05") == 1 and "M03" not in found  # one defect, reported once


def test_m06_timing_without_a_date_gets_the_end_date() -> None:
    found = only("M06", project(*replace(TIMING, ("产出指标", "时效指标", "发放及时性", "及时"))))
    assert len(found) == 1 and found[0].rewrite == "2024年12月31日前完成"
    assert "M05" not in codes(project(*replace(TIMING, ("产出指标", "时效指标", "发放及时性", "及时"))))
    assert "M06" not in codes(project(*BASE))


# --- 方向 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "rewrite"),
    [("≥500万元", "≤500万元"), ("不低于500元", "不高于500元"), ("≥500(元)", "≤500(元)")],
)
def test_d01_cost_with_a_lower_bound(target: str, rewrite: str) -> None:
    found = only("D01", project(*replace(COST, ("成本指标", "经济成本指标", "人均培训成本", target))))
    assert len(found) == 1 and found[0].severity == "P1" and found[0].rewrite == rewrite
    assert found[0].suggestion.startswith(f"改为「{rewrite}」")


def test_d05_cost_without_a_comparator_is_read_as_the_scorer_reads_it() -> None:
    rows = replace(COST, ("成本指标", "经济成本指标", "人均培训成本", "500元"))
    found = only("D05", project(*rows))
    assert len(found) == 1 and found[0].severity == "P3" and found[0].rewrite == "≤500元"
    assert "按「不高于」理解" in found[0].message
    assert "D01" not in codes(project(*rows))  # the score reads 500元 as a ceiling: not a lower bound
    assert "D05" not in codes(project(*BASE))  # ≤500元 says its comparator


def test_d01_on_a_bare_cost_when_the_profile_reads_it_as_a_floor() -> None:
    decl = Declarations(
        (project(*replace(COST, ("成本指标", "经济成本指标", "人均培训成本", "500元"))),), source_file="t.txt"
    )
    found = [f.code for f in lint_declarations([decl], load_lint_rules(), cost_default_op="ge").findings]
    assert "D01" in found and "D05" not in found


def test_d01_not_on_a_ceiling() -> None:
    assert "D01" not in codes(project(*BASE, ("成本指标", "经济成本指标", "场地租金", "≤5万元")))


def test_d02_rate_above_100() -> None:
    assert "D02" in codes(project(*replace(QUALITY, ("产出指标", "质量指标", "培训合格率", "≥120%"))))
    assert "D02" in codes(project(*replace(QUALITY, ("产出指标", "质量指标", "培训合格率", ">100%"))))


def test_d02_not_on_growth_nor_on_a_normal_rate() -> None:
    growth = ("效益指标", "经济效益指标", "会员人数增长率（统计数据）", "≥120%")
    assert "D02" not in codes(project(*BASE, growth))


def test_d03_equals_on_a_count() -> None:
    found = only("D03", project(*replace(COUNT, ("产出指标", "数量指标", "记账户数", "=250.00(户)"))))
    assert len(found) == 1 and found[0].rewrite == "≥250.00(户)"
    assert "D03" not in codes(project(*replace(QUALITY, ("产出指标", "质量指标", "培训合格率", "=100%"))))
    assert "D03" not in codes(project(*replace(COUNT, ("产出指标", "数量指标", "特别节目播出", "=1(场)"))))


def test_d04_strict_inequality() -> None:
    found = only("D04", project(*replace(SATISFACTION, ("满意度指标", "服务对象满意度指标", "学员满意度", ">90(%)"))))
    assert len(found) == 1 and found[0].rewrite == "≥90(%)"
    assert "D04" not in codes(project(*BASE))


# --- 归类 ------------------------------------------------------------------------------------


def test_p01_budget_execution_as_a_benefit() -> None:
    found = only("P01", project(*BASE, ("效益指标", "经济效益指标", "预算执行率", "≥90%")))
    assert len(found) == 1 and found[0].severity == "P1"
    assert "M04" not in codes(project(*BASE, ("效益指标", "经济效益指标", "预算执行率", "≥90%")))


def test_p01_finance_word_in_the_target_counts() -> None:
    assert "P01" in codes(project(*BASE, ("效益指标", "可持续影响指标", "专人负责项目实施监督", "预算执行率100%")))


def test_p01_not_under_quality() -> None:
    assert "P01" not in codes(project(*BASE, ("产出指标", "质量指标", "资金到位率", "=100%")))


def test_p02_satisfaction_outside_satisfaction() -> None:
    assert "P02" in codes(project(*BASE, ("效益指标", "社会效益指标", "设施完好，群众满意", "满意")))
    assert "P02" not in codes(project(*BASE))


def test_p03_unrelated_row_under_satisfaction() -> None:
    assert "P03" in codes(project(*BASE, ("满意度指标", "服务对象满意度指标", "文化推广机制健全性", "健全")))
    assert "P03" not in codes(project(*BASE, ("满意度指标", "服务对象满意度指标", "受益人群投诉率", "≤5%")))


def test_p04_same_indicator_under_two_first_levels() -> None:
    twice = ("效益指标", "社会效益指标", "培训人次", "≥3000人次")
    assert codes(project(*BASE, twice)).count("P04") == 2
    same_level = ("产出指标", "质量指标", "培训人次", "≥3000人次")
    assert "P04" not in codes(project(*BASE, same_level))


# --- 一致性 ----------------------------------------------------------------------------------


def test_c01_ceiling_above_the_budget() -> None:
    found = only("C01", project(*replace(COST, ("成本指标", "经济成本指标", "培训总成本", "≤200万元"))))
    assert len(found) == 1 and "1,000,000.00元" in found[0].message
    assert "C01" not in codes(project(*replace(COST, ("成本指标", "经济成本指标", "培训总成本", "≤50万元"))))


def test_c02_goal_figure_without_an_indicator() -> None:
    found = only("C02", project(*BASE, goal="培训覆盖全市16个区，完成培训3000人次。"))
    assert len(found) == 1 and "16个区" in found[0].message


def test_c02_not_for_carried_figures_years_or_dates() -> None:
    goal = "2024年1-12月完成培训3000人次，2024年6月底前完成首期培训，学员满意度90%以上。"
    assert [c for c in codes(project(*BASE, goal=goal)) if c.startswith("C")] == []


def test_c03_goal_and_indicator_disagree() -> None:
    found = only("C03", project(*BASE, goal="学员满意度达到95%。"))
    assert len(found) == 1 and "学员满意度" in found[0].message and "≥90%" in found[0].message
    assert "C02" not in codes(project(*BASE, goal="学员满意度达到95%。"))


# --- 模板与区分度 ----------------------------------------------------------------------------


def test_f01_same_indicator_and_target_in_two_projects() -> None:
    shared = ("效益指标", "可持续影响指标", "长效管理机制健全性", "健全")
    first = project(*BASE, shared, name="甲项目")
    second = project(*BASE, shared, name="乙项目")
    found = [f for f in only("F01", first, second) if f.level3 == "长效管理机制健全性"]
    assert len(found) == 2 and "「乙项目」" in found[0].message
    other = project(*BASE, ("效益指标", "可持续影响指标", "长效管理机制健全性", "制定管理办法"), name="乙项目")
    assert not [f for f in only("F01", first, other) if f.level3 == "长效管理机制健全性"]


def test_f01_only_across_projects() -> None:
    shared = ("效益指标", "可持续影响指标", "长效管理机制健全性", "健全")
    assert "F01" not in codes(project(*BASE, shared, shared, name="甲项目"))


def test_f02_all_percentages_at_100() -> None:
    rows = (*BASE, ("产出指标", "质量指标", "发放准确率", "=100%"), ("产出指标", "质量指标", "信息完整率", "=100%"))
    all_hundred = tuple(("产出指标", "质量指标", "培训合格率", "=100%") if r == QUALITY else r for r in rows)
    # the benefit row is a percentage too: make it 100 as well for the "all" case
    all_hundred = tuple(
        ("效益指标", "社会效益指标", "学员技能提升率（问卷调查）", "=100%") if r == BENEFIT else r for r in all_hundred
    )
    assert "F02" in codes(project(*all_hundred))
    assert "F02" not in codes(project(*rows))


def test_f03_same_long_qualitative_target_on_several_rows() -> None:
    copied = [("效益指标", "社会效益指标", f"效益{k}", "退休职工得益面广") for k in range(3)]
    assert codes(project(*BASE, *copied)).count("F03") == 3
    short = [("效益指标", "可持续影响指标", f"制度{k}健全性", "健全") for k in range(3)]
    assert "F03" not in codes(project(*BASE, *short))
