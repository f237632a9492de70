"""Matching actual rows to declared indicators: tolerant names, repeated names, nothing lost."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.ingest.actuals_template import write_actuals_template
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Indicator, Project, SourceRef
from evaluator.scoring.matching import match_actuals, name_key

P1 = "上海市总工会专项业务经费"
P2 = "“五一”专项工作经费"
P3 = "困难职工帮扶专项资金"

DECL = Declarations(
    projects=(
        Project(
            name=P1,
            indicators=(
                Indicator("产出指标", "数量指标", "服务对象人数", "≥550(人)"),  # 0
                Indicator("产出指标", "数量指标", "资金到位率", "=100(%)"),  # 1
                Indicator("产出指标", "时效指标", "修理、维护及时性", "及时"),  # 2
                Indicator("产出指标", "时效指标", "资金到位及时性", "及时"),  # 3
                Indicator("效益指标", "社会效益指标", "资金到位及时性", "及时"),  # 4 (same 三级, other levels)
                Indicator("满意度指标", "服务对象满意度指标", "家长测评满意度", ">90(%)"),  # 5
            ),
        ),
        Project(
            name=P2,
            indicators=(
                Indicator("产出指标", "质量指标", "预算执行率", "≥90(%)"),  # 0
                Indicator("效益指标", "经济效益指标", "预算执行率", "=100(%)"),  # 1
                Indicator("效益指标", "可持续影响指标", "参与人次较上年度有增长", "增长1%"),  # 2
                Indicator("产出指标", "数量指标", "ABC培训(人次)", "≥3000(人次)"),  # 3
            ),
        ),
        Project(
            name=P3,
            indicators=(
                Indicator("产出指标", "时效指标", "资金发放及时性", "及时"),  # 0
                Indicator("产出指标", "时效指标", "资金发放及时性", "及时"),  # 1 (identical row, declared twice)
            ),
        ),
    )
)


def row(project: str, level3: str, actual: str = "1", level1: str = "", level2: str = "", at: int = 0) -> ActualRow:
    return ActualRow(project, level1, level2, level3, actual, source=SourceRef("a.xlsx", sheet="实际完成", row=at))


def test_name_key_folds_width_space_and_punctuation() -> None:
    assert name_key(" “五一” 专项\u3000工作经费 ") == name_key('"五一"专项工作经费') == name_key("五一专项工作经费")
    assert name_key("修理,维护及时性") == name_key("修理、维护及时性") == name_key("修理，维护 及时性")
    assert name_key("ＡＢＣ培训（人次）") == name_key("abc培训(人次)")
    assert name_key("预算执行率") != name_key("预算执行")


def test_tolerant_names_match_exactly() -> None:
    rows = (
        row(' "五一"专项工作经费 ', "ＡＢＣ培训（人次）", "3050", at=2),
        row(P1 + " ", "修理，维护 及时性", "及时", at=3),
        row("上海市总工会专项业务经费", "资 金 到 位 率", "100%", at=4),
    )
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(1, 3): rows[0], (0, 2): rows[1], (0, 1): rows[2]}
    assert result.unmatched == ()
    assert result.repairs == ()  # differences that normalisation absorbs are not worth a note


def test_repeated_level3_uses_level2_then_level1() -> None:
    rows = (
        row(P2, "预算执行率", "100%", "效益指标", "经济效益指标", at=2),
        row(P2, "预算执行率", "95%", "产出指标（50分）", "质量", at=3),
        row(P1, "资金到位及时性", "及时", "效益指标", "", at=4),  # only 一级 given
        row(P1, "资金到位及时性", "不及时", "产出指标", "时效指标", at=5),
    )
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(1, 1): rows[0], (1, 0): rows[1], (0, 4): rows[2], (0, 3): rows[3]}
    assert result.unmatched == ()


def test_identical_declared_rows_are_taken_in_order_and_noted() -> None:
    rows = (row(P3, "资金发放及时性", "及时", at=2), row(P3, "资金发放及时性", "不及时", at=3))
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(2, 0): rows[0], (2, 1): rows[1]}
    assert any("按行序对应" in r.decision for r in result.repairs)


def test_duplicate_actual_for_one_target_is_listed_not_dropped() -> None:
    rows = (row(P1, "服务对象人数", "560", at=2), row(P1, "服务对象人数 ", "600", at=9))
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(0, 0): rows[0]}
    assert result.unmatched == (rows[1],)
    assert "重复" in result.unmatched_reasons[0] and "第2行" in result.unmatched_reasons[0]
    unplaced = [r for r in result.repairs if r.kind == "unplaced"]
    assert [r.source.row for r in unplaced] == [9]


def test_unknown_project_and_unknown_indicator_are_listed_with_reasons() -> None:
    rows = (
        row("不存在的项目", "服务对象人数", "1", at=2),
        row(P1, "完全不同的指标名称", "2", at=3),
        row("", "服务对象人数", "3", at=4),
        row(P1, "", "4", at=5),
        row(P1, "家长测评满意度", "95%", at=6),
    )
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(0, 5): rows[4]}
    assert result.unmatched == rows[:4]
    reasons = result.unmatched_reasons
    assert "没有名为「不存在的项目」的项目" in reasons[0]
    assert f"项目「{P1}」中没有三级指标「完全不同的指标名称」" in reasons[1]
    assert reasons[2] == "缺少项目名称"
    assert reasons[3] == "缺少三级指标名称"
    assert [r.source.row for r in result.repairs if r.kind == "unplaced"] == [2, 3, 4, 5]
    assert result.unmatched_with_reasons()[0] == (rows[0], reasons[0])


def test_near_miss_names_match_with_a_repair() -> None:
    rows = (
        row("上海市总工会专项业务经费项目", "服务对象人数（人）", "560", at=2),
        row(P1, "家长测评满意度调查", "95%", at=3),
    )
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(0, 0): rows[0], (0, 5): rows[1]}
    decisions = [r.decision for r in result.repairs]
    assert any("近似名称对应到「上海市总工会专项业务经费」" in d for d in decisions)
    assert any("近似名称对应到「服务对象人数」" in d for d in decisions)
    assert any("近似名称对应到「家长测评满意度」" in d for d in decisions)
    assert all(r.kind == "repair" for r in result.repairs)


def test_a_different_name_is_not_forced_onto_a_free_target() -> None:
    rows = (
        row(P1, "资金到位情况", "良好", at=2),
        row(P2, "ABC培训场次", "12", at=3),  # 场次 is not 人次
        row(P1, "家长测评满意率", "95%", at=4),  # 满意率 is not 满意度
    )
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {}
    assert result.unmatched == rows


def test_near_miss_never_steals_a_target_matched_exactly() -> None:
    rows = (row(P1, "家长测评满意度调查", "80%", at=2), row(P1, "家长测评满意度", "95%", at=3))
    result = match_actuals(DECL, Actuals(rows))
    assert result.rows == {(0, 5): rows[1]}
    assert result.unmatched == (rows[0],)


def test_ambiguous_near_miss_project_is_not_guessed() -> None:
    decl = Declarations(projects=(Project("职工物价监督工作经费A"), Project("职工物价监督工作经费B")))
    result = match_actuals(decl, Actuals((row("职工物价监督工作经费C", "x"),)))
    assert result.rows == {}
    assert len(result.unmatched) == 1


def test_budget_rows() -> None:
    budgets = (
        BudgetRow(
            " 上海市总工会专项业务经费", 600000.0, 600000.0, 540000.0, SourceRef("a.xlsx", sheet="预算执行", row=2)
        ),
        BudgetRow("外省项目", 1.0, 1.0, 1.0, SourceRef("a.xlsx", sheet="预算执行", row=3)),
        BudgetRow(P1, 1.0, 1.0, 1.0, SourceRef("a.xlsx", sheet="预算执行", row=4)),
        BudgetRow("困难职工帮扶专项资金项目", 5.0, 5.0, 4.0, SourceRef("a.xlsx", sheet="预算执行", row=5)),
    )
    result = match_actuals(DECL, Actuals((), budgets))
    assert result.budgets == {0: budgets[0], 2: budgets[3]}
    assert result.unmatched_budgets == (budgets[1], budgets[2])
    unplaced = {r.source.row: r.decision for r in result.repairs if r.kind == "unplaced"}
    assert "没有名为「外省项目」的项目" in unplaced[3]
    assert "重复" in unplaced[4] and "第2行" in unplaced[4]
    assert any(r.source.row == 5 and "近似名称" in r.decision for r in result.repairs)


def test_template_round_trip_matches_every_target(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_actuals_template(DECL, path)
    actuals = read_actuals_workbook(path)
    result = match_actuals(DECL, actuals)
    expected = {(p, i) for p, project in enumerate(DECL.projects) for i in range(len(project.indicators))}
    assert set(result.rows) == expected
    assert all(result.rows[(p, i)].source.row == 2 + n for n, (p, i) in enumerate(sorted(expected)))
    assert result.unmatched == ()
    assert set(result.budgets) == {0, 1, 2}


DECLARED_ROWS = tuple(
    row(project.name, ind.level3, f"{p}-{i}", ind.level1, ind.level2, at=10 * p + i)
    for p, project in enumerate(DECL.projects)
    for i, ind in enumerate(project.indicators)
)
ALL_ROWS = (*DECLARED_ROWS, row("不存在的项目", "x", at=99), row(P1, "服务对象人数", "dup", at=98))


@settings(max_examples=60, deadline=None)
@given(st.permutations(ALL_ROWS))
def test_nothing_lost_whatever_the_row_order(shuffled: list[ActualRow]) -> None:
    result = match_actuals(DECL, Actuals(tuple(shuffled)))
    assert len(result.rows) + len(result.unmatched) == len(shuffled)
    assert len(result.unmatched) == 2
    used = list(result.rows.values()) + list(result.unmatched)
    assert sorted(r.source.row for r in used) == sorted(r.source.row for r in ALL_ROWS)
    # Rows carrying distinct levels land on their own target regardless of order.
    for (p, i), actual in result.rows.items():
        if (p, i) not in ((2, 0), (2, 1), (0, 0)):
            assert actual.actual_text == f"{p}-{i}"
