"""evaluate_in_parts: a portfolio scored a part of whole projects at a time adds up to evaluate().

The command line writes each part and drops it (issue 15: a million rows within 1.5 GB), so the
parts must be the whole run cut at project boundaries: the same projects and rows, the same repairs
in the same order, the same counts and unmatched rows. RunResult is a tree of frozen dataclasses,
so `==` compares every row's text, flags, weights and scores and every project total.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from evaluator.api import load_inputs
from evaluator.common.resources import sample_inputs_dir
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError
from evaluator.ingest.self_evaluation import actuals_of
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Indicator, Project, RunResult
from evaluator.pipeline import evaluate, evaluate_in_parts, join_parts, part_bounds

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from portfolio_gen import generate, write_actuals, write_targets  # noqa: E402

from audit_corpus import CORPUS, corpus_declarations  # noqa: E402

SIZES = (1, 9, 40, 333, 10**9)


def _check_parts(decl: Declarations, actuals: Actuals, profile_name: str | None = None) -> RunResult | None:
    profile = load_profile(profile_name)
    try:
        whole = evaluate(decl, actuals, profile)
    except EvaluatorError as refused:  # a row whose levels name no category: the parts refuse alike
        with pytest.raises(EvaluatorError) as again:
            list(evaluate_in_parts(decl, actuals, profile, part_rows=SIZES[0]))
        assert str(again.value) == str(refused)
        return None
    for size in SIZES:
        parts = list(evaluate_in_parts(decl, actuals, profile, part_rows=size))
        assert len(parts) == len(part_bounds(decl, size))
        joined = join_parts(parts)
        assert joined.projects == whole.projects, size
        assert joined.repairs == whole.repairs, size
        assert joined == whole, size
        for part in parts:
            rows = sum(len(p.rows) for p in part.projects)
            assert part.rows_in == rows
            assert rows <= size or len(part.projects) == 1, (size, rows)
            assert part.year == whole.year and part.profile_name == whole.profile_name
        for later in parts[1:]:  # only the first part carries the readers' repairs and the unmatched rows
            assert not later.unmatched_actuals and not later.unmatched_budgets
            assert all(r.kind == "assumption" or "显示为" in r.decision for r in later.repairs)
    return whole


@pytest.fixture(scope="module")
def sample() -> tuple[Declarations, Actuals]:
    base = sample_inputs_dir()
    return load_inputs(base / "shanghai_ftu_2024_targets.txt", base / "实际完成值_样例.xlsx")


@pytest.mark.parametrize("profile", [None, "hubei"])
def test_the_sample_in_parts_is_the_whole_run(sample, profile: str | None) -> None:
    whole = _check_parts(*sample, profile)
    assert whole is not None
    assert len(whole.projects) == 12 and whole.repairs


def test_unmatched_rows_and_budgets_come_once_in_the_first_part(sample) -> None:
    decl, actuals = sample
    stray = ActualRow("没有这个项目", "产出指标", "数量指标", "某指标", "5个")
    budget = BudgetRow("也没有这个项目", 10.0, 10.0, 9.0)
    actuals = dataclasses.replace(actuals, rows=(*actuals.rows, stray), budgets=(*actuals.budgets, budget))
    whole = _check_parts(decl, actuals)
    assert whole is not None
    assert stray in whole.unmatched_actuals and budget in whole.unmatched_budgets
    parts = list(evaluate_in_parts(decl, actuals, load_profile(None), part_rows=1))
    assert stray in parts[0].unmatched_actuals and budget in parts[0].unmatched_budgets


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Declarations, Actuals]:
    """A seeded portfolio of ≈1,200 rows written as the engine's workbooks and read back."""
    folder = tmp_path_factory.mktemp("portfolio")
    projects = list(generate(1200, 5))
    write_targets(projects, folder / "targets.xlsx")
    write_actuals(projects, folder / "actuals.xlsx")
    return load_inputs(folder / "targets.xlsx", folder / "actuals.xlsx")


def test_a_generated_portfolio_in_parts_is_the_whole_run(generated) -> None:
    whole = _check_parts(*generated)
    assert whole is not None
    assert len(whole.projects) > 100 and whole.rows_scored > 1000


def _corpus_ids() -> list[str]:
    return [m.parent.name for m in sorted(CORPUS.glob("*/meta.toml")) if "[[projects.rows]]" in m.read_text("utf-8")]


def test_every_corpus_table_in_parts_is_the_whole_run() -> None:
    ids = _corpus_ids()
    scored = [_check_parts(decl, actuals_of(decl)) for decl in map(corpus_declarations, ids)]
    assert sum(run is not None for run in scored) >= len(ids) // 2  # most tables score, not only refuse


def test_the_default_year_is_the_whole_portfolios() -> None:
    """A project naming no year reads 6月30日前 in the year most projects declare, in any part."""

    def project(name: str, year: int | None) -> Project:
        rows = (Indicator("产出指标", "时效指标", "完成时间", "6月30日前"),)
        return Project(name=name, year=year, indicators=rows, total_funds=10.0)

    decl = Declarations((project("甲", 2023), project("乙", 2023), project("丙", None)))
    actuals = Actuals(tuple(ActualRow(n, "产出指标", "时效指标", "完成时间", "2023年7月10日") for n in "甲乙丙"))
    whole = _check_parts(decl, actuals)
    assert whole is not None
    assert whole.year == 2023
    last = list(evaluate_in_parts(decl, actuals, load_profile(None), part_rows=1))[-1]
    assert last.projects[0].rows == whole.projects[2].rows and last.year == 2023


def test_part_bounds_keep_projects_whole() -> None:
    def project(rows: int) -> Project:
        return Project(
            name=f"P{rows}", indicators=tuple(Indicator("产出指标", "数量指标", "x", "1") for _ in range(rows))
        )

    decl = Declarations(tuple(project(n) for n in (3, 3, 5, 1, 1)))
    assert part_bounds(decl, 6) == [(0, 2), (2, 4), (4, 5)]
    assert part_bounds(decl, 4) == [(0, 1), (1, 2), (2, 3), (3, 5)]  # the 5-row project is a part by itself
    assert part_bounds(decl, 100) == [(0, 5)]
    assert part_bounds(Declarations(()), 10) == [(0, 0)]
    with pytest.raises(ValueError):
        part_bounds(decl, 0)


def test_a_portfolio_without_projects_is_one_part_with_its_unmatched_rows() -> None:
    actuals = Actuals((ActualRow("甲", "产出指标", "数量指标", "x", "1"),))
    whole = _check_parts(Declarations(()), actuals)
    assert whole is not None
    assert len(whole.unmatched_actuals) == 1 and whole.rows_in == 0
