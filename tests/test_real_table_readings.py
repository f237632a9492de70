"""Issue 11: forms seen in published 自评表 that the engine read wrong or not at all.

Each test uses the row as it stood in the real table (target, actual, indicator name), so a
regression shows as the wrong score a real user would have got.
"""

from __future__ import annotations

import datetime as dt

import pytest

from evaluator.common.numbers import round_half_up
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError
from evaluator.grammar.actuals import in_target_unit, parse_actual
from evaluator.grammar.targets import parse_target, read_in_context
from evaluator.ingest.weight_cell import UnreadableWeight, read_weight
from evaluator.models import (
    ActualRow,
    Actuals,
    BudgetRow,
    Declarations,
    Indicator,
    Op,
    Project,
    RowStatus,
    RunResult,
    SourceRef,
    TargetKind,
    Tier,
)
from evaluator.pipeline import evaluate
from evaluator.scoring.assess import assess


def run_rows(rows: list[tuple[str, str, str, str, str]], profile: str | None = None) -> RunResult:
    """One project from (level1, level2, level3, target, actual) rows, budget fully executed."""
    indicators = tuple(
        Indicator(l1, l2, l3, target, source=SourceRef("t.xlsx", sheet="目标", row=i + 2))
        for i, (l1, l2, l3, target, _) in enumerate(rows)
    )
    actual_rows = tuple(
        ActualRow("P", l1, l2, l3, actual, source=SourceRef("a.xlsx", sheet="实际完成", row=i + 2))
        for i, (l1, l2, l3, _, actual) in enumerate(rows)
    )
    project = Project(name="P", year=2024, indicators=indicators)
    budget = (BudgetRow("P", 100.0, 100.0, 100.0),)
    return evaluate(Declarations((project,), source_file="t.xlsx"), Actuals(actual_rows, budget), load_profile(profile))


def only_row(target: str, actual: str, level1: str = "产出指标", level2: str = "数量指标", name: str = "指标"):
    run = run_rows([(level1, level2, name, target, actual)])
    return run, run.projects[0].rows[0]


# --- item 1: a bare actual beside a scaled target -----------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "met", "value"),
    [
        ("≤90万元", "90", True, 900_000),  # read as 90元 it met any ceiling
        ("≤90万元", "95", False, 950_000),  # … and 95 scored full
        ("≥20万元", "20", True, 200_000),  # read as 20元 it scored 0
        ("≥1.2万人次", "1.2", True, 12_000),
        ("1-2万人次", "1.5", True, 15_000),
    ],
)
def test_bare_actual_takes_the_unit_written_in_the_target(target: str, actual: str, met: bool, value: float) -> None:
    assessment = assess(parse_target(target), parse_actual(actual))
    assert assessment.met is met
    assert assessment.actual_value == pytest.approx(value)


def test_bare_actual_reading_is_in_the_run_log() -> None:
    run, row = only_row("≤90万元", "95", level1="成本指标", level2="经济成本指标", name="项目成本")
    assert row.score < row.weight  # 95万元 is over the 90万元 ceiling
    logged = [r for r in run.repairs if "按年度指标值的单位「万元」理解" in r.decision]
    assert len(logged) == 1
    assert logged[0].source.sheet == "实际完成" and logged[0].source.row == 2
    assert "95万元 = 950,000元" in logged[0].decision


def test_actual_with_its_own_unit_or_an_unscaled_target_is_left_alone() -> None:
    target = parse_target("≤90万元")
    typed = parse_actual("850000元")
    assert in_target_unit(typed, target) is typed
    plain = parse_actual("95")
    assert in_target_unit(plain, parse_target("≥90%")) is plain
    assert in_target_unit(plain, parse_target("≥90%")).note == ""


@pytest.mark.parametrize(
    ("target", "actual", "value"),
    [
        ("45万", "45万", 450_000),  # 历城 2019 文化馆: written 45万 both sides, was read as 45亿
        ("≤90万元", "90万", 900_000),
        ("≥1.2万人次", "1.2万", 12_000),
        ("200万", "0.02亿", 2_000_000),
    ],
)
def test_actual_with_its_own_scale_word_is_not_scaled_again(target: str, actual: str, value: float) -> None:
    typed = parse_actual(actual)
    assert in_target_unit(typed, parse_target(target)) is typed
    assessment = assess(parse_target(target), typed)
    assert assessment.actual_value == pytest.approx(value)
    assert assessment.met is True


# --- item 6: units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("≥300头", 300, "头"),
        ("≥1.5万头", 15_000, "头"),
        ("≥100万粒", 1_000_000, "粒"),
        ("≥500元/人*月", 500, "元/人·月"),
        ("≥500元/人·月", 500, "元/人·月"),
        ("≥2倍", 2, "倍"),
        ("≥20000万美元", 2e8, "美元"),
    ],
)
def test_new_unit_forms_read(text: str, value: float, unit: str) -> None:
    target = parse_target(text)
    assert target.kind is TargetKind.COMPARISON, target.reason
    assert (target.value, target.unit) == (pytest.approx(value), unit)
    assert target.note == ""


def test_two_times_is_two_times_and_a_bare_ten_is_ten_times() -> None:
    target = parse_target("≥2倍")
    bare = assess(target, parse_actual("10"))
    assert (bare.met, bare.actual_value, bare.unit) == (True, 10, "倍")
    as_percent = assess(target, parse_actual("150%"))
    assert as_percent.met is False and as_percent.actual_value == pytest.approx(1.5)


def test_head_of_livestock_is_not_converted_to_animals_counted_by_zhi() -> None:
    _, row = only_row("≥300头", "320只", name="生猪存栏")
    assert row.status is RowStatus.NOT_SCORED
    assert any(f.code == "unit_mismatch" for f in row.flags)


def test_dollars_are_never_converted_to_yuan() -> None:
    assessment = assess(parse_target("≥20000万美元"), parse_actual("15亿元"))
    assert not assessment.decided and "unit_mismatch" in assessment.flags
    dollars = assess(parse_target("≥20000万美元"), parse_actual("2.1亿美元"))
    assert dollars.met is True


def test_monthly_amount_per_person_compares_with_the_same_compound() -> None:
    assessment = assess(parse_target("≥500元/人*月"), parse_actual("520元/人·月"))
    assert assessment.met is True and assessment.unit == "元/人·月"
    assert parse_target("≥500元/人*月").op is Op.GE


# --- item 8: not applicable (the grammar; the score is tested with the scorer) ---------------------


@pytest.mark.parametrize("text", ["无", "不适用", "本项目不适用此指标", " 不适用。"])
def test_not_applicable_targets(text: str) -> None:
    target = parse_target(text)
    assert target.kind is TargetKind.NOT_APPLICABLE
    assert "不适用" in target.note or "不计分" in target.note
    assessment = assess(target, parse_actual("无"))
    assert not assessment.decided and "not_applicable" in assessment.flags


@pytest.mark.parametrize("text", ["无投诉", "无差错", "适用", "有"])
def test_words_near_not_applicable_still_read_as_qualitative(text: str) -> None:
    assert parse_target(text).kind is TargetKind.QUALITATIVE


# --- item 10: text equal to the target --------------------------------------------------------


def test_text_equal_to_a_target_with_several_figures_is_achieved() -> None:
    target = parse_target("完成1部宣传片,2套方案")
    assert target.kind is TargetKind.UNREADABLE  # two figures: no single predicate
    same = assess(target, parse_actual("完成1部宣传片，2套方案"))
    assert (same.decided, same.tier) == (True, Tier.ACHIEVED)
    other = assess(target, parse_actual("完成1部宣传片"))
    assert not other.decided


def test_text_equal_to_the_target_scores_full_in_a_run() -> None:
    _, row = only_row("完成1部宣传片,2套方案", "完成1部宣传片,2套方案", level2="数量指标", name="宣传品制作")
    assert row.status is RowStatus.SCORED and row.score == row.weight


# --- item 11: several deadlines in one target ---------------------------------------------------

NODES = "6月份完成项目招标；9月份完成项目建设；11月完成项目验收"


def test_several_deadlines_read_with_the_last_as_target() -> None:
    target = parse_target(NODES, 2024)
    assert target.kind is TargetKind.DEADLINE
    assert target.deadline == dt.date(2024, 11, 30)
    assert target.milestones == (dt.date(2024, 6, 30), dt.date(2024, 9, 30))
    assert "以最后一个（11月30日）为年度指标值" in target.note


@pytest.mark.parametrize(
    ("actual", "met", "days_late", "said"),
    [
        ("6月20日完成招标；9月28日完成建设；11月25日完成验收", True, 0, "均按期完成"),
        ("6月20日完成招标；10月10日完成建设；11月25日完成验收", False, 10, "9月30日的节点逾期10天"),
        ("2024-11-20", True, 0, "6月30日、9月30日的节点未核对"),
        (NODES, True, 0, "与年度指标值一致"),
    ],
)
def test_each_node_is_checked_when_the_actual_gives_dates(actual: str, met: bool, days_late: int, said: str) -> None:
    assessment = assess(parse_target(NODES, 2024), parse_actual(actual, 2024))
    assert (assessment.decided, assessment.met, assessment.days_late) == (True, met, days_late)
    assert said in assessment.reason


@pytest.mark.parametrize(
    ("actual", "said"), [("已按期完成", "未写各节点的完成日期"), ("6月20日；11月25日", "无法逐一对应")]
)
def test_several_deadlines_without_a_date_for_each_need_judgment(actual: str, said: str) -> None:
    assessment = assess(parse_target(NODES, 2024), parse_actual(actual, 2024))
    assert not assessment.decided and said in assessment.reason


def test_a_late_node_docks_the_row_in_a_run() -> None:
    _, row = only_row(NODES, "6月20日完成招标；10月10日完成建设；11月25日完成验收", level2="时效指标", name="项目进度")
    assert row.status is RowStatus.SCORED
    assert row.score == round_half_up(row.weight * (1 - 10 / 90))


# --- item 2: cost targets without a comparator ----------------------------------------------------


@pytest.mark.parametrize(
    ("target", "level1", "level2", "name"),
    [
        ("200万", "成本指标", "经济成本指标", "项目成本"),
        ("2万元", "产出指标", "成本指标", "设备购置"),  # the older layout: 成本指标 under 产出指标
        ("15万元", "产出指标", "数量指标", "培训费"),
        ("100万元", "产出指标", "数量指标", "项目总投资"),
    ],
)
def test_cost_figure_without_comparator_is_a_ceiling(target: str, level1: str, level2: str, name: str) -> None:
    reading = read_in_context(target, 2024, level1, level2, name)
    assert reading.op is Op.LE
    assert "成本指标未写比较符，按「不高于」理解" in reading.note
    assert '按"不低于"理解' not in reading.note
    assert parse_target(target).op is Op.GE  # the text alone still reads as a floor


def test_cost_ceiling_scores_spending_less_full_and_overspending_down() -> None:
    run = run_rows(
        [
            ("成本指标", "经济成本指标", "项目成本", "200万", "180"),  # bare actual: 180万
            ("成本指标", "经济成本指标", "培训费", "15万元", "18万元"),
        ]
    )
    under, over = run.projects[0].rows
    assert under.score == under.weight
    assert over.score < over.weight
    assert any("按「不高于」理解" in r.decision for r in run.repairs)


def test_cost_default_op_policy_can_keep_the_floor(tmp_path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('base = "mof2020"\nname = "mine"\n[policies]\ncost_default_op = "ge"\n', encoding="utf-8")
    assert load_profile().policies.cost_default_op == "le"
    assert load_profile(mine).policies.cost_default_op == "ge"
    run = run_rows([("成本指标", "经济成本指标", "项目成本", "200万", "180")], profile=str(mine))
    row = run.projects[0].rows[0]
    assert row.score < row.weight  # read as ≥200万, 180万 falls short


@pytest.mark.parametrize(
    ("target", "name"),
    [("≥15万元", "培训费"), ("15万元", "培训人次补贴标准"), ("90%", "成本控制率"), ("30", "项目成本")],
)
def test_explicit_comparators_and_non_cost_rows_keep_their_reading(target: str, name: str) -> None:
    level1 = "成本指标" if name in ("成本控制率", "项目成本") else "产出指标"
    reading = read_in_context(target, 2024, level1, "数量指标", name)
    if name == "项目成本" and target == "30":
        assert reading.op is Op.LE  # a bare number on a cost row is a cost too
    else:
        assert reading.op is Op.GE


# --- item 7: unit or target in the indicator name ------------------------------------------------


@pytest.mark.parametrize("name", ["服务外包在岸(万美元)", "服务外包在岸（万美元）"])
def test_unit_in_the_indicator_name(name: str) -> None:
    reading = read_in_context("20000", 2024, "产出指标", "数量指标", name)
    assert (reading.value, reading.unit) == (2e8, "美元")
    assert "单位取自指标名称中的「(万美元)」" in reading.note
    bare = assess(reading, parse_actual("21000"))
    assert bare.met is True and bare.actual_value == pytest.approx(2.1e8)


def test_empty_target_takes_the_figure_ending_the_indicator_name() -> None:
    reading = read_in_context("", 2024, "产出指标", "质量指标", "资金使用完成率100%")
    assert (reading.kind, reading.op, reading.value, reading.unit) == (TargetKind.COMPARISON, Op.EQ, 100, "%")
    assert "按「=100%」理解" in reading.note
    _, row = only_row("", "100%", level2="质量指标", name="资金使用完成率100%")
    assert row.status is RowStatus.SCORED and row.score == row.weight
    assert any(f.code == "target_from_name" for f in row.flags)


def test_empty_target_and_a_name_without_a_figure_stays_unreadable() -> None:
    assert read_in_context("", 2024, "产出指标", "质量指标", "资金使用完成率").kind is TargetKind.UNREADABLE


def test_reading_in_the_target_unit_twice_scales_once() -> None:
    target = read_in_context("200万", 2024, "成本指标", "经济成本指标", "项目成本")
    once = in_target_unit(parse_actual("180"), target)
    assert once.value == 1_800_000 and once.read_in == "万"
    assert in_target_unit(once, target) is once


# --- item 4: weights written as percentages --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number_format", "points", "noted"),
    [
        ("20%", "General", 20.0, True),  # typed as text: was refused
        ("20％", "@", 20.0, True),
        (0.2, "0%", 20.0, True),  # percent-formatted fraction: was 0.2 points
        (0.125, "0.0%", 12.5, True),
        (10, "General", 10.0, False),
        ("10分", "General", 10.0, False),
        (" 7.5 ", "General", 7.5, False),
        (None, "General", None, False),
        ("", "General", None, False),
    ],
)
def test_read_weight(value: object, number_format: str, points: float | None, noted: bool) -> None:
    got, note = read_weight(value, number_format)
    assert got == (None if points is None else pytest.approx(points))
    assert bool(note) is noted
    if noted:
        assert "按满分100分中的" in note


@pytest.mark.parametrize("value", ["二十", "10分左右", True, "#REF!", float("nan")])
def test_unreadable_weight_is_refused_with_its_value(value: object) -> None:
    with pytest.raises(UnreadableWeight, match="分值"):
        read_weight(value)


def test_percent_weights_in_the_targets_workbook(tmp_path) -> None:
    from openpyxl import Workbook

    from evaluator.ingest.targets_workbook import INDICATOR_COLUMNS, PROJECT_COLUMNS, read_targets_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append([c[0] for c in PROJECT_COLUMNS])
    ws.append(["甲项目", "某局", "某中心", "", "", "2024-01-01", "2024-12-31", 1000, 1000, 0, 0, "完成任务"])
    ws2 = wb.create_sheet("绩效指标")
    ws2.append([*INDICATOR_COLUMNS, "分值"])
    ws2.append(["甲项目", "产出指标", "数量指标", "培训人次", "≥100人次", "20%"])
    ws2.append(["甲项目", "效益指标", "社会效益指标", "知晓率", "≥80%", 0.3])
    ws2.cell(row=3, column=len(INDICATOR_COLUMNS) + 1).number_format = "0%"
    path = tmp_path / "targets.xlsx"
    wb.save(path)
    decl = read_targets_workbook(path)
    assert [i.weight for i in decl.projects[0].indicators] == [20.0, 30.0]
    notes = [r for r in decl.repairs if "按满分100分中的" in r.decision]
    assert [(r.source.row, r.found) for r in notes] == [(2, "20%"), (3, "30%")]


# --- item 5: budget given only on the 其中 rows ------------------------------------------------


# --- item 3: points that do not sum to 100 -----------------------------------------------------


def _weighted_run(weights: list[float], shortfall: bool, policy: str | None = None, tmp_path=None) -> RunResult:
    """Indicators carrying their own 分值 (as a published table does), plus the 10-point budget."""
    names = [f"指标{i}" for i in range(len(weights))]
    levels = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标")]
    levels += [("满意度指标", "服务对象满意度指标")]
    levels = levels[: len(weights)]
    indicators = tuple(
        Indicator(l1, l2, name, "≥100人次", weight=w) for name, w, (l1, l2) in zip(names, weights, levels, strict=True)
    )
    actual = ["50人次" if shortfall and i == 0 else "100人次" for i in range(len(weights))]
    rows = tuple(ActualRow("P", "产出指标", "数量指标", name, a) for name, a in zip(names, actual, strict=True))
    profile = load_profile()
    if policy is not None:
        profile = profile.model_copy(
            update={"policies": profile.policies.model_copy(update={"weights_not_100": policy})}
        )
    project = Project(name="P", year=2024, indicators=indicators)
    return evaluate(Declarations((project,)), Actuals(rows, (BudgetRow("P", 100.0, 100.0, 100.0),)), profile)


def test_a_110_point_table_is_normalised_not_clamped() -> None:
    # 分值 50 + 30 + 10 + 10 = 100 on the indicators, and the budget's 10: 110 in all.
    full = _weighted_run([50, 30, 10, 10], shortfall=False).projects[0]
    assert full.total == 100.0
    short = _weighted_run([50, 30, 10, 10], shortfall=True).projects[0]
    assert short.rows[0].score == 25.0  # half of 50
    assert short.total == pytest.approx(round_half_up(85 * 100 / 110))  # 77.27, not a clamped 100
    assert short.grade == "中"
    assert any("按百分制折算" in n and "110.00分" in n for n in short.notes)
    assert any(f.code == "weights_not_100" for f in short.flags)


def test_weights_not_100_as_given_sums_as_published_and_flags() -> None:
    short = _weighted_run([50, 30, 10, 10], shortfall=True, policy="as_given").projects[0]
    assert short.total == 85.0
    full = _weighted_run([50, 30, 10, 10], shortfall=False, policy="as_given").projects[0]
    assert full.total == 110.0  # never clamped: the table says 110
    assert any(f.code == "weights_not_100" for f in full.flags)


def test_weights_not_100_is_a_validated_policy(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('base = "mof2020"\nname = "bad"\n[policies]\nweights_not_100 = "clamp"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="weights_not_100"):
        load_profile(bad)
    assert load_profile().policies.weights_not_100 == "normalise"


def test_a_table_that_adds_up_to_100_is_not_flagged() -> None:
    project = _weighted_run([40, 30, 10, 10], shortfall=False).projects[0]
    assert project.total == 100.0
    assert not any(f.code == "weights_not_100" for f in project.flags)


# --- item 8: not applicable rows are left out of the score ---------------------------------------


def test_not_applicable_row_is_left_out_and_its_points_go_to_the_rest() -> None:
    run = run_rows(
        [
            ("产出指标", "数量指标", "培训人次", "≥100人次", "100人次"),
            ("产出指标", "质量指标", "设备合格率", "本项目不适用此指标", "无"),
            ("效益指标", "社会效益指标", "群众知晓度", "有效", "有效"),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%"),
        ]
    )
    project = run.projects[0]
    skipped = project.rows[1]
    assert skipped.status is RowStatus.NOT_APPLICABLE and skipped.weight == 0 and skipped.score == 0
    assert project.rows[0].weight == 50.0  # 产出's 50 points all on the applicable row
    assert project.total == 100.0 and project.complete
    assert any("设备合格率" in n for n in project.notes)
    assert (run.rows_scored, run.rows_not_scored, run.rows_not_applicable) == (3, 0, 1)


def test_category_with_only_not_applicable_rows_is_missing_and_rescaled() -> None:
    run = run_rows(
        [
            ("产出指标", "数量指标", "培训人次", "≥100人次", "80人次"),
            ("效益指标", "社会效益指标", "群众知晓度", "有效", "有效"),
            ("满意度指标", "服务对象满意度指标", "满意度", "无", ""),
        ]
    )
    project = run.projects[0]
    assert project.missing_categories == ("满意度指标",)
    # (10 budget + 40 + 30) × 100 ÷ 90
    assert project.total == pytest.approx(round_half_up(80 * 100 / 90))
    assert project.complete
    assert any(f.code == "missing_category" for f in project.flags)


def test_no_as_achieved_for_a_target_of_wu() -> None:
    _, row = only_row("无", "无", level1="效益指标", level2="社会效益指标", name="生态效益")
    assert row.status is RowStatus.NOT_APPLICABLE
    assert any(f.code == "not_applicable" for f in row.flags)


# --- item 12: traditional characters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("≥20萬元", "25萬元", True),
        ("≥1.2萬人次", "1.2", True),  # a bare actual still takes the target's (traditional) 萬人次
        ("及時", "已完成", True),
        ("滿意度≥90%", "95%", True),
        ("健全", "基本達到", False),
    ],
)
def test_traditional_characters_read_as_simplified(target: str, actual: str, met: bool) -> None:
    assessment = assess(parse_target(target), parse_actual(actual))
    assert assessment.decided and assessment.met is met


def test_traditional_not_applicable_and_equal_text() -> None:
    assert parse_target("本項目不適用此指標").kind is TargetKind.NOT_APPLICABLE
    same = assess(parse_target("完成1部宣傳片,2套方案"), parse_actual("完成1部宣传片，2套方案"))
    assert same.tier is Tier.ACHIEVED
    assert parse_target("及時").raw == "及時"  # the text as written is kept
