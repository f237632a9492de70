"""A filled 自评表 stands in for the targets and actuals workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_layout_grids import DECLARATION_PIPE, FILLED

from evaluator.api import score
from evaluator.errors import EvaluatorError
from evaluator.ingest.self_evaluation import read_self_evaluations


def test_published_actuals_and_budget_become_actuals_records(tmp_path: Path) -> None:
    path = tmp_path / "自评表.txt"
    path.write_text(FILLED, encoding="utf-8")
    decl, actuals = read_self_evaluations(path)
    (project,) = decl.projects
    assert [i.level3 for i in project.indicators] == ["治理河道长度", "验收合格率", "群众满意度"]  # 其中 row not scored
    assert [(r.level3, r.actual_text) for r in actuals.rows] == [
        ("治理河道长度", "5公里"),
        ("验收合格率", "98%"),
        ("群众满意度", "95%"),
    ]
    assert actuals.rows[1].deviation_reason == "个别段返工"
    (budget,) = actuals.budgets
    assert (budget.initial_budget, budget.adjusted_budget, budget.executed) == (1_000_000.0, 1_000_000.0, 950_000.0)


def test_a_folder_of_filled_tables_is_scored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FILLED, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FILLED.replace("河道治理", "堤防加固"), encoding="utf-8")
    decl, actuals = read_self_evaluations(tmp_path)
    evaluation = score(decl, actuals)
    names = [p.project.name for p in evaluation.run.projects]
    assert names == ["河道治理", "堤防加固"]
    first = evaluation.run.projects[0]
    assert first.budget.rate == pytest.approx(0.95)
    assert all(row.actual_text for row in first.rows)


def test_a_declaration_is_no_filled_table(tmp_path: Path) -> None:
    path = tmp_path / "申报表.txt"
    path.write_text(DECLARATION_PIPE, encoding="utf-8")
    with pytest.raises(EvaluatorError, match="不是填好的项目支出绩效自评表"):
        read_self_evaluations(path)
