"""evaluate() on hand-made records: deadlines, dates without a year, assumptions in the run log."""

from __future__ import annotations

import pytest

from evaluator.common.numbers import round_half_up
from evaluator.config.profiles import load_profile
from evaluator.models import (
    ActualRow,
    Actuals,
    BudgetRow,
    Declarations,
    Indicator,
    Project,
    RowStatus,
    SourceRef,
)
from evaluator.pipeline import evaluate


def _run(target: str, actual: str, level2: str = "时效指标"):
    indicators = (
        Indicator("产出指标", level2, "工作完成", target, source=SourceRef("t.txt", line=7)),
        Indicator("效益指标", "社会效益指标", "社会效益", "有效"),
        Indicator("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    )
    project = Project(name="P", year=2024, indicators=indicators, total_funds=100.0)
    rows = (
        ActualRow("P", "产出指标", level2, "工作完成", actual, source=SourceRef("a.xlsx", sheet="实际完成", row=2)),
        ActualRow("P", "效益指标", "社会效益指标", "社会效益", "有效"),
        ActualRow("P", "满意度指标", "服务对象满意度指标", "满意度", "95%"),
    )
    return evaluate(
        Declarations((project,), source_file="t.txt"),
        Actuals(rows, (BudgetRow("P", 100.0, 100.0, 100.0),)),
        load_profile(None),
    )


def test_late_by_ten_days_with_a_date_written_without_year() -> None:
    run = _run("2024年6月底前完成", "7月10日")
    row = run.projects[0].rows[0]
    assert row.status is RowStatus.SCORED
    assert row.score == round_half_up(row.weight * (1 - 10 / 90))
    assert "逾期 10天" in row.calculation


def test_on_time_date_gets_full_points() -> None:
    row = _run("12月31日前", "2024-11-30").projects[0].rows[0]
    assert row.score == row.weight


@pytest.mark.parametrize(
    ("target", "actual", "decision"),
    [
        ("3000", "3100", "不低于"),
        ("≥100个", "≥120个", "比较符"),
    ],
)
def test_non_literal_readings_are_logged_with_their_source(target: str, actual: str, decision: str) -> None:
    run = _run(target, actual, level2="数量指标")
    logged = [r for r in run.repairs if r.kind == "assumption"]
    assert any(decision in r.decision for r in logged), logged
    assert all(r.source.file in ("t.txt", "a.xlsx") for r in logged)
    assert run.rows_in == run.rows_scored + run.rows_not_scored == 3


def test_local_profile_on_the_sample_splits_eighty_points() -> None:
    from pathlib import Path

    from evaluator.api import score

    root = Path(__file__).resolve().parents[1] / "inputs"
    targets, actuals = root / "shanghai_ftu_2024_targets.txt", root / "实际完成值_样例.xlsx"
    hubei, default = score(targets, actuals, "hubei").run, score(targets, actuals).run
    for local, national in zip(hubei.projects, default.projects, strict=True):
        assert local.budget.points == 20 and national.budget.points == 10
        assert local.budget.score == round_half_up(20 * min(local.budget.rate, 1.0))
        weights = round(sum(r.weight for r in local.rows), 2)
        if local.missing_categories:  # the sample's only gap is 满意度, worth 10 of Hubei's 80
            assert local.missing_categories == ("满意度指标",) and weights == pytest.approx(70)
        else:
            assert weights == pytest.approx(80)
    assert hubei.rows_in == default.rows_in == 125
