"""The engine's own 自评表.xlsx reads back, and audits clean, end to end.

`evaluator score` writes one official 项目支出绩效自评表 per project; a unit sends it on, and a
reviewer runs `evaluator audit` on it. So the reader must give back every row, 分值, 得分, 偏差原因
and the budget block the writer put there (checked against the RunResult that wrote it, not against
stored numbers), and the audit of those files must find nothing wrong with the engine's own
arithmetic: no P0, and P1 only where the sample actuals leave a shortfall unexplained on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.api import score
from evaluator.audit.engine import audit_projects
from evaluator.cli.audit import read_filled_tables
from evaluator.config.profiles import load_profile
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.self_evaluation import read_self_evaluations
from evaluator.models import ProjectScore, RowStatus, RunResult
from evaluator.reports.bundle import safe_filename
from evaluator.reports.self_evaluation import write_self_evaluation_workbook
from evaluator.reports.view import ordered_rows, wan

pytestmark = pytest.mark.slow  # end to end: the whole sample scored and every 自评表 written, then read back

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "inputs" / "shanghai_ftu_2024_targets.txt"
SAMPLE_ACTUALS = ROOT / "inputs" / "实际完成值_样例.xlsx"
TOL = 0.005


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, dict[str, Path]]:
    """The bundled sample scored, and each project's 自评表.xlsx as the engine writes it."""
    run = score(SEED, SAMPLE_ACTUALS, rules="mof2020").run
    folder = tmp_path_factory.mktemp("own_forms")
    files: dict[str, Path] = {}
    for project in run.projects:
        path = folder / f"{safe_filename(project.project.name)}.xlsx"
        write_self_evaluation_workbook(project, path, run.year)
        files[project.project.name] = path
    return run, files


def _shown_reason(row) -> str:
    """What the reader should give for a row's 偏差原因: the unit's text; the writer's 【待填写】 is no reason."""
    return row.deviation_reason.strip()


def test_every_project_reads_back_with_every_row_weight_score_reason_and_budget(written) -> None:
    run, files = written
    assert len(files) == len(run.projects) == 12
    for project in run.projects:
        decl = read_declarations(files[project.project.name])
        assert len(decl.projects) == 1, decl.repairs  # the 计算过程 sheet is no second project
        got = decl.projects[0]
        name = project.project.name
        assert got.name == name
        assert (got.department, got.implementer) == (project.project.department, project.project.implementer)
        assert got.year == run.year
        rows = ordered_rows(project)
        assert len(got.indicators) == len(rows), name
        for have, want in zip(got.indicators, rows, strict=True):
            where = (name, want.level3)
            assert (have.level1, have.level2, have.level3) == (want.level1, want.level2, want.level3), where
            assert have.target_text == want.target_text, where
            assert (have.published_actual or "") == want.actual_text, where
            assert have.weight == pytest.approx(want.weight, abs=TOL), where
            assert have.published_score == pytest.approx(want.score, abs=TOL), where
            assert have.deviation_reason == _shown_reason(want), where
            assert not have.sub_row
        _check_budget_and_totals(got, project)


def _check_budget_and_totals(got, project: ProjectScore) -> None:
    published = got.published
    budget = project.budget
    assert published is not None, project.project.name
    initial = budget.initial_budget if budget.initial_budget is not None else project.project.total_funds
    for have, want in (
        (published.initial_budget, initial),
        (published.full_year_budget, budget.adjusted_budget),
        (published.executed, budget.executed),
    ):
        if want is None:
            assert have is None
        else:  # written in 万元 with two decimals
            assert have == pytest.approx(wan(want) * 10_000, abs=0.01)
    assert published.budget_weight == pytest.approx(budget.points)
    assert published.budget_rate == pytest.approx(budget.rate, abs=5e-5)
    assert published.budget_score == pytest.approx(budget.score, abs=TOL)
    assert published.total_score == pytest.approx(project.total, abs=TOL)
    assert published.grade == project.grade
    row_points = sum(r.weight for r in project.rows) + budget.points
    assert published.total_weight == pytest.approx(row_points, abs=0.02)


def test_read_self_evaluations_gives_the_actuals_and_budgets_that_were_scored(written) -> None:
    run, files = written
    folder = next(iter(files.values())).parent
    decl, actuals = read_self_evaluations(folder)
    assert sorted(p.name for p in decl.projects) == sorted(p.project.name for p in run.projects)
    got = {(r.project, r.level3): r.actual_text for r in actuals.rows}
    want = {(p.project.name, r.level3): r.actual_text for p in run.projects for r in p.rows if r.actual_text}
    assert got == want
    budgets = {b.project: (b.adjusted_budget, b.executed) for b in actuals.budgets}
    for p in run.projects:
        if p.budget.executed is not None:
            adjusted, executed = budgets[p.project.name]
            assert executed == pytest.approx(wan(p.budget.executed) * 10_000, abs=0.01)
            assert adjusted == pytest.approx(wan(p.budget.adjusted_budget) * 10_000, abs=0.01)


def _unexplained_shortfalls(run: RunResult) -> set[tuple[str, str]]:
    """Rows scored below their 分值 whose 偏差原因 the sample actuals leave empty (or that have no actual)."""
    reasons = {(r.project, r.level3): r.deviation_reason.strip() for r in read_actuals_workbook(SAMPLE_ACTUALS).rows}
    return {
        (p.project.name, r.level3)
        for p in run.projects
        for r in p.rows
        if r.status is not RowStatus.NOT_APPLICABLE
        and r.score < r.weight - TOL
        and not reasons.get((p.project.name, r.level3), "")
    }


def test_auditing_the_own_forms_finds_no_p0_and_p1_only_for_unexplained_shortfalls(written) -> None:
    run, files = written
    folder = next(iter(files.values())).parent
    tables, skipped = read_filled_tables([folder])
    assert not skipped
    result = audit_projects(tables, load_profile("mof2020"))
    findings = [f for p in result.projects for f in p.findings]
    assert len(result.projects) == 12
    assert [f for f in findings if f.severity == "P0"] == []
    p1 = [f for f in findings if f.severity == "P1"]
    assert {f.code for f in p1} <= {"missing_reason"}, [(f.code, f.project, f.level3, f.note) for f in p1]
    expected = _unexplained_shortfalls(run)
    assert expected, "the sample is meant to leave some shortfalls unexplained"
    assert {(f.project, f.level3) for f in p1} == expected
    assert len(p1) == len(expected)  # one finding per row, not one per sheet or per reading


def _edit_score(path: Path, target: Path, level3: str, new_score: float) -> None:
    """Change one row's 得分 cell (the column headed 得分 in the indicator table) and save a copy."""
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    header = next(c for c in cells if c.value == "三级指标")
    score_column = next(c.column for c in cells if c.row == header.row and c.value == "得分")
    name = next(c for c in cells if c.value == level3 and c.column == header.column)
    sheet.cell(name.row, score_column).value = new_score
    workbook.save(target)


def _audit_codes(path: Path) -> tuple[set[tuple[str, str]], list]:
    project = audit_projects([read_declarations(path)], load_profile("mof2020")).projects[0]
    return {(f.code, f.level3) for f in project.findings}, list(project.findings)


def test_one_edited_score_gives_exactly_score_deviation(written, tmp_path: Path) -> None:
    """A partly met row, its 偏差原因 written, published half a point lower: the row's score_deviation,
    and the 总分 that no longer adds up; nothing else."""
    run, files = written
    profile = load_profile("mof2020")
    project, row = next(
        (p, r)
        for p in run.projects
        for r in ordered_rows(p)
        if p.complete
        and r.status is RowStatus.SCORED
        and 0.5 < r.score < r.weight - TOL
        and r.deviation_reason.strip()
        and profile.grade_for(p.total - 0.5) == p.grade
    )
    edited = tmp_path / "edited.xlsx"
    _edit_score(files[project.project.name], edited, row.level3, round(row.score - 0.5, 2))
    old, _ = _audit_codes(files[project.project.name])
    now, findings = _audit_codes(edited)
    assert now - old == {("score_deviation", row.level3), ("sum_mismatch", "总分")}, sorted(now - old)
    assert old - now == set()
    deviation = next(f for f in findings if f.code == "score_deviation")
    assert deviation.difference == pytest.approx(-0.5)
    assert deviation.project == project.project.name


def test_a_met_row_docked_gives_met_docked_and_what_it_implies(written, tmp_path: Path) -> None:
    """A met, fully scored row docked one point: met_docked (the specific form of a score deviation),
    missing_reason (below 分值 with no 偏差原因) and the 总分's sum_mismatch; nothing else."""
    run, files = written
    project = next(p for p in run.projects if p.project.name == "劳模专项补助资金")
    row = next(r for r in ordered_rows(project) if r.level3 == "发放准确率")
    assert row.status is RowStatus.SCORED and row.score == row.weight  # met, full marks as written
    edited = tmp_path / "edited.xlsx"
    _edit_score(files[project.project.name], edited, row.level3, round(row.weight - 1, 2))
    old, _ = _audit_codes(files[project.project.name])
    now, findings = _audit_codes(edited)
    assert now - old == {
        ("met_docked", row.level3),
        ("missing_reason", row.level3),
        ("sum_mismatch", "总分"),
    }, sorted(now - old)
    assert old - now <= {("all_full_marks", "")}  # no longer every row at full marks
    docked = next(f for f in findings if f.code == "met_docked")
    assert docked.difference == pytest.approx(-1.0)


def test_evaluator_audit_on_the_folder_runs_clean(written, run_cli, tmp_path: Path) -> None:
    """`evaluator audit FOLDER`: every file read, no P0, rows in = re-scored + unverifiable."""
    run, files = written
    folder = next(iter(files.values())).parent
    out = tmp_path / "audit"
    done = run_cli("audit", folder, "-o", out, "--no-reports")
    assert done.returncode == 0, done.stderr
    assert "已跳过" not in done.stdout
    assert "P0 0 条" in done.stdout
    rows = sum(len(p.rows) for p in run.projects)
    assert f"指标行 {rows} 行" in done.stdout
    assert f"（{len(files)} 个项目）" in done.stdout
    assert (out / "findings.csv").is_file() and (out / "复核底稿.xlsx").is_file()
