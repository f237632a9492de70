"""Each finding code: a constructed table that triggers it, and one where it must not fire.

The clean project (tests/audit_fixtures.py) publishes the rule-correct figure everywhere; each test
changes one published figure the way the real tables quoted in issue 12 do and checks the finding.
"""

from __future__ import annotations

import pytest

from audit_fixtures import FILE, clean_rows, decl, ind, project, with_row
from evaluator.audit import audit_projects
from evaluator.config.audit_rules import AUDIT_CODES
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError

MOF = load_profile()


def audit(*projects, profile=MOF):
    return audit_projects(decl(*projects), profile)


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def only(result, code: str):
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, codes(result)
    return found[0]


def test_clean_table_has_no_findings_and_reconciles() -> None:
    result = audit(project())
    assert codes(result) == []
    p = result.projects[0]
    assert (p.review_total, p.published_total, p.weight_sum, p.budget_review) == (96.5, 96.5, 100, 9.5)
    assert (result.rows_in, result.rows_rescored, result.rows_unverifiable) == (5, 5, 0)
    assert result.reconciliation().startswith("指标行 5 行 = 已复核 5 行 + 无法复核 0 行")


def test_every_code_is_described_by_the_default_profile() -> None:
    assert set(MOF.audit.codes) == set(AUDIT_CODES)
    for code in AUDIT_CODES:
        rule = MOF.audit.code(code)
        assert rule.label and rule.rule and rule.key and rule.severity in ("P0", "P1", "P2")


def test_missed_scored_full_fires_on_a_missed_target_scored_full() -> None:
    # A real row (issue 12): `>=4754人` with 4604人 scored 5/5.
    rows = [*clean_rows(), ind("帮扶人数", ">=4754人", "4604人", 5, 5, reason="部分对象迁出")]
    rows = with_row(rows, "培训人数", weight=15, published_score=15)
    f = only(audit(project(rows)), "missed_scored_full")
    assert (f.severity, f.level3, f.published, f.recomputed) == ("P0", "帮扶人数", "5.00", "4.84")
    assert f.difference == pytest.approx(0.16) and "4604" in f.note and f.file == FILE


def test_missed_scored_full_on_an_exceeded_ceiling() -> None:
    rows = [*clean_rows(), ind("人均培训成本", "≤500元", "650元", 5, 5, "成本指标", "经济成本指标", "物价上涨")]
    rows = with_row(rows, "培训人数", weight=15, published_score=15)
    f = only(audit(project(rows)), "missed_scored_full")
    assert f.recomputed == "3.50"  # 5 × (1 − 150/500), linear_to_zero


def test_missed_scored_full_does_not_fire_on_a_met_target_scored_full() -> None:
    assert "missed_scored_full" not in codes(audit(project()))


@pytest.mark.parametrize(("published", "weight"), [(7, 10), (9, 10), (19, 20), (27, 30)])
def test_met_docked_fires_when_actual_equals_target_and_points_are_taken(published: float, weight: float) -> None:
    rows = with_row(
        clean_rows(),
        "培训人数",
        target_text="≥100人",
        published_actual="100人",
        weight=weight,
        published_score=published,
        deviation_reason="",
    )
    rows = with_row(rows, "培训合格率", weight=35 - weight, published_score=35 - weight)  # 100 points in all
    result = audit(project(rows))
    f = only(result, "met_docked")
    assert (f.severity, f.published, f.recomputed) == ("P1", f"{published:.2f}", f"{weight:.2f}")
    assert "missing_reason" in codes(result)  # a docked row without a reason also lacks its 偏差原因


def test_met_docked_does_not_fire_on_a_shortfall_scored_by_ratio() -> None:
    assert "met_docked" not in codes(audit(project()))  # 受益人次 900/1000 scored 27/30


def test_score_above_weight() -> None:
    rows = with_row(clean_rows(), "培训人数", published_score=22)
    result = audit(project(rows))
    f = only(result, "score_above_weight")
    assert (f.severity, f.published, f.recomputed) == ("P0", "22.00", "20.00")
    assert "score_above_weight" not in codes(audit(project()))


def test_score_deviation_for_a_wrong_ratio() -> None:
    rows = with_row(clean_rows(), "受益人次", published_score=24)
    f = only(audit(project(rows)), "score_deviation")
    assert (f.severity, f.published, f.recomputed, f.difference) == ("P1", "24.00", "27.00", -3)
    assert "900" in f.note  # the re-computation is shown


def test_score_deviation_does_not_fire_within_tolerance() -> None:
    rows = with_row(clean_rows(), "受益人次", published_score=27.005)
    assert "score_deviation" not in codes(audit(project(rows, total_score=96.5)))


def test_rounding_convention_for_98_percent_scored_9_of_10() -> None:
    rows = with_row(
        clean_rows(),
        "参训人员满意度",
        target_text="≥100%",
        published_actual="98%",
        published_score=9,
        deviation_reason="个别学员未反馈",
    )
    result = audit(project(rows))
    f = only(result, "rounding_convention")
    assert (f.severity, f.published, f.recomputed) == ("P2", "9.00", "9.80") and "向下取整" in f.note
    assert "score_deviation" not in codes(result)


def test_rounding_convention_off_reports_a_score_deviation(tmp_path) -> None:
    path = tmp_path / "strict.toml"
    path.write_text(
        'base = "mof2020"\nname = "strict"\n[audit.codes.rounding_convention]\nenabled = false\n', encoding="utf-8"
    )
    rows = with_row(
        clean_rows(),
        "参训人员满意度",
        target_text="≥100%",
        published_actual="98%",
        published_score=9,
        deviation_reason="个别学员未反馈",
    )
    result = audit(project(rows), profile=load_profile(path))
    assert "rounding_convention" not in codes(result) and "score_deviation" in codes(result)


def test_rounding_convention_does_not_fire_on_a_two_point_gap() -> None:
    rows = with_row(clean_rows(), "受益人次", published_score=25)
    assert "rounding_convention" not in codes(audit(project(rows)))


def test_sum_mismatch_rows_84_plus_budget_9_published_as_94() -> None:
    rows = [
        ind("培训人数", "≥100人", "100人", 50, 44),
        ind("受益人次", "≥1000人次", "1000人次", 30, 30, "效益指标", "社会效益指标"),
        ind("满意度", "≥90%", "90%", 10, 10, "满意度指标", "服务对象满意度指标"),
    ]
    result = audit(project(rows, budget=(1e6, 1e6, 9e5), total_score=94, grade="优"))
    f = only(result, "sum_mismatch")
    assert (f.severity, f.level3, f.published, f.recomputed) == ("P0", "总分", "94.00", "93.00")
    assert "84.00" in f.note


def test_sum_mismatch_total_above_the_visible_weights() -> None:
    rows = clean_rows()[:4]  # 80 points of rows + 10 budget = 90; no 满意度
    rows = with_row(rows, "受益人次", published_score=30, published_actual="1000人次")
    result = audit(project(rows, total_score=98, budget=(1e6, 1e6, 1e6)))
    assert "sum_mismatch" in codes(result)


def test_sum_mismatch_does_not_fire_on_a_rescaled_total_without_satisfaction() -> None:
    rows = clean_rows()[:4]  # no 满意度指标: total = (9.5 + 77) × 100 ÷ 90 = 96.11
    result = audit(project(rows, total_score=96.11, total_weight=100))
    assert "sum_mismatch" not in codes(result) and "weights_not_100" not in codes(result)
    assert result.projects[0].review_total == 96.11


def test_weights_not_100() -> None:
    rows = with_row(clean_rows(), "培训人数", weight=30, published_score=30)  # 110 points in all
    result = audit(project(rows))
    f = only(result, "weights_not_100")
    assert (f.severity, f.published, f.recomputed) == ("P1", "110.00", "100.00")
    assert result.projects[0].review_total == 106.5  # scored as given, not clamped
    assert "weights_not_100" not in codes(audit(project()))


def test_grade_mismatch() -> None:
    f = only(audit(project(grade="良")), "grade_mismatch")
    assert (f.severity, f.published, f.recomputed) == ("P0", "良", "优")
    assert "grade_mismatch" not in codes(audit(project(grade="优秀")))  # an alias of 优


def test_grade_mismatch_on_an_unknown_grade_word() -> None:
    assert "不是规则中的等级" in only(audit(project(grade="甲等")), "grade_mismatch").note


def test_budget_score_mismatch() -> None:
    result = audit(project(budget_score=8))  # 95% of 10 is 9.5
    f = only(result, "budget_score_mismatch")
    assert (f.severity, f.level3, f.published, f.recomputed) == ("P0", "预算执行率", "8.00", "9.50")
    assert "budget_score_mismatch" not in codes(audit(project()))


def test_budget_score_rounded_is_a_rounding_convention() -> None:
    result = audit(project(budget_score=9, total_score=96))
    assert "rounding_convention" in codes(result) and "budget_score_mismatch" not in codes(result)


def test_rate_mismatch_against_the_initial_budget() -> None:
    # 年初 80万, 全年 100万, 执行 95万: 95/80 would be wrong; the published rate is 95 ÷ 100 → fine.
    result = audit(project(budget=(800_000, 1_000_000, 950_000), budget_rate=1.1875, budget_score=10, total_score=97))
    f = only(result, "rate_mismatch")
    assert (f.severity, f.published, f.recomputed) == ("P0", "118.75%", "95.00%") and "年初预算数" in f.note
    assert "budget_score_mismatch" not in codes(result)  # the score follows the wrong rate: one finding
    assert "rate_mismatch" not in codes(audit(project(budget_rate=0.953)))  # shown rounded, within tolerance


def test_missing_reason() -> None:
    rows = with_row(clean_rows(), "受益人次", deviation_reason="无")
    f = only(audit(project(rows)), "missing_reason")
    assert (f.severity, f.level3) == ("P1", "受益人次")
    assert "missing_reason" not in codes(audit(project()))


def test_overachieved_unexplained() -> None:
    rows = with_row(clean_rows(), "培训人数", published_actual="150人")
    f = only(audit(project(rows)), "overachieved_unexplained")
    assert f.severity == "P1" and "150%" in f.note
    rows = with_row(clean_rows(), "培训人数", published_actual="150人", deviation_reason="年中追加培训任务")
    assert "overachieved_unexplained" not in codes(audit(project(rows)))
    assert "overachieved_unexplained" not in codes(audit(project()))  # 120% is not far enough above


def test_qualitative_in_band_is_accepted_as_the_review_score() -> None:
    rows = with_row(
        clean_rows(),
        "完成时间",
        target_text="按要求完成培训",
        published_actual="已完成",
        published_score=13,
        deviation_reason="个别课时调整",
    )
    result = audit(project(rows))
    assert codes(result) == []
    row = next(r for r in result.projects[0].rows if r.indicator.level3 == "完成时间")
    assert row.review_score == 13  # inside 达成's band [12, 15]


def test_qualitative_out_of_band() -> None:
    rows = with_row(
        clean_rows(),
        "完成时间",
        target_text="按要求完成培训",
        published_actual="已完成",
        published_score=9,
        deviation_reason="个别课时调整",
    )
    result = audit(project(rows))
    f = only(result, "qualitative_out_of_band")
    assert (f.severity, f.published, f.recomputed) == ("P1", "9.00", "15.00") and "12.00" in f.note
    assert "met_docked" not in codes(result) and "score_deviation" not in codes(result)


def test_cost_ge() -> None:
    rows = [*clean_rows(), ind("人均培训成本", "≥500元", "500元", 5, 5, "成本指标", "经济成本指标")]
    rows = with_row(rows, "培训人数", weight=15, published_score=15)
    f = only(audit(project(rows)), "cost_ge")
    assert (f.severity, f.published) == ("P2", "≥500元")
    rows = [*clean_rows(), ind("人均培训成本", "≤500元", "480元", 5, 5, "成本指标", "经济成本指标")]
    rows = with_row(rows, "培训人数", weight=15, published_score=15)
    assert "cost_ge" not in codes(audit(project(rows)))


def test_all_full_marks() -> None:
    rows = with_row(clean_rows(), "受益人次", published_actual="1000人次", published_score=30)
    f = only(audit(project(rows)), "all_full_marks")
    assert (f.severity, f.level3) == ("P2", "")
    assert "all_full_marks" not in codes(audit(project()))


def test_unverifiable_rows_are_listed_and_counted() -> None:
    rows = with_row(clean_rows(), "培训人数", published_actual="")
    rows = with_row(rows, "培训合格率", published_actual="良好")
    result = audit(project(rows))
    found = [f for f in result.findings if f.code == "unverifiable"]
    assert [f.level3 for f in found] == ["培训人数", "培训合格率"] and found[0].severity == "P2"
    assert "未填写实际完成值" in found[0].note
    assert (result.rows_in, result.rows_rescored, result.rows_unverifiable) == (5, 3, 2)
    assert not result.projects[0].complete
    assert "unverifiable" not in codes(audit(project()))


def test_unverifiable_budget() -> None:
    result = audit(project(budget=(1e6, None, 9e5), budget_rate=None, budget_score=9, total_score=96))
    f = only(result, "unverifiable")
    assert f.level3 == "预算执行率" and "缺少全年预算数" in f.note


def test_sub_rows_are_counted_apart() -> None:
    from dataclasses import replace

    rows = [*clean_rows(), replace(ind("其中：线上", "≥50人", "60人", 0, None), sub_row=True)]
    result = audit(project(rows))
    assert result.rows_in == 5 and result.sub_rows == 1 and "「其中」子行 1 行" in result.reconciliation()


def test_a_profile_without_audit_settings_says_how_to_get_them(tmp_path) -> None:
    text = tmp_path / "x.toml"
    source = (MOF.path and open(MOF.path, encoding="utf-8").read()) or ""
    text.write_text(source.split("\n# Audit (复核)")[0].replace('name = "mof2020"', 'name = "bare"'), encoding="utf-8")
    bare = load_profile(text)
    with pytest.raises(EvaluatorError, match='base = "mof2020"'):
        audit(project(with_row(clean_rows(), "受益人次", published_score=1)), profile=bare)


def test_unknown_audit_code_in_a_profile_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'base = "mof2020"\n[audit.codes.made_up]\nlabel = "x"\nseverity = "P1"\nkey = "k"\nrule = "r"\n',
        encoding="utf-8",
    )
    with pytest.raises(EvaluatorError, match="made_up"):
        load_profile(path)
    path.write_text('base = "mof2020"\n[audit.codes.cost_ge]\nseverity = "P9"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match=r"audit\.codes\.cost_ge\.severity"):
        load_profile(path)
