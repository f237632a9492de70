"""What the two workbook readers share between their records, so that a million rows stay small.

Equal names and row numbers are one object across the targets and the actuals workbook; records
stay equal to what they were (the golden dump and the fast-path tests check that), this only
checks that the sharing happens, on both the calamine and the openpyxl path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from evaluator import api
from evaluator.ingest import xlsx_fast
from evaluator.ingest.workbook_open import shared_row_numbers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from portfolio_gen import generate, write_actuals, write_targets


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sharing")
    projects = list(generate(1500, 3))
    write_targets(projects, folder / "targets.xlsx")
    write_actuals(projects, folder / "actuals.xlsx")
    return folder / "targets.xlsx", folder / "actuals.xlsx"


@pytest.mark.parametrize("fast", [True, False])
def test_names_and_row_numbers_are_shared_between_the_workbooks(
    portfolio: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0 if fast else 10**15)
    decl, acts = api.load_inputs(*portfolio)
    projects = {p.name: p for p in decl.projects}
    indicators = {(p.name, i.level3): i for p in decl.projects for i in p.indicators}
    rows_by_number = {i.source.row: i.source.row for i in indicators.values()}
    assert len(acts.rows) > 1000 and max(rows_by_number) > 1000
    for row in acts.rows:
        project = projects[row.project]
        assert row.project is project.name  # one string for the name in both workbooks
        assert row.level3 is indicators[(row.project, row.level3)].level3
        if row.source.row in rows_by_number:
            assert row.source.row is rows_by_number[row.source.row]  # one int per row number, above 256 too
    for budget in acts.budgets:
        assert budget.project is projects[budget.project].name


def test_shared_row_numbers_are_the_same_numbers() -> None:
    rows = [1, 2, 300, 70_000, 70_001]
    fresh = [int(str(n)) for n in rows]
    shared = shared_row_numbers(fresh)
    assert shared == rows
    again = shared_row_numbers([int(str(n)) for n in rows])
    assert all(a is b for a, b in zip(shared, again, strict=True))
    assert shared_row_numbers([]) == []
