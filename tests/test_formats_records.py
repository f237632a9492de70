"""The same 项目支出绩效自评表 as xlsx, xls, docx, pdf, csv, html and pipe text gives the same records.

test_formats_readers.py checks that every reader gives the same grid; this checks the step after it,
layout recognition, end to end: projects, header fields, indicator rows with their levels, target,
published actual, 分值, 得分 and 偏差原因, the budget block and the totals. The expected records are
built from the fixture generator's own list of projects (tests/fixtures/formats/make_fixtures.py),
not from any reader's output, so a format that loses the title, the year or a merged level cell fails.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.self_evaluation import read_self_evaluations
from evaluator.models import Project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
assert _spec is not None and _spec.loader is not None
make_fixtures = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_fixtures", make_fixtures)
_spec.loader.exec_module(make_fixtures)

FORMATS = ("xlsx", "xls", "docx", "pdf", "csv", "html", "txt")
WAN = 10000.0


EXAMPLES = Path(__file__).resolve().parents[1] / "inputs" / "examples"


def fixture(ext: str) -> Path:
    return FIXTURES / f"{make_fixtures.STEM}.{ext}"


def example(ext: str) -> Path:
    """The copy of the fixture that README shows as the example for its format."""
    return EXAMPLES / f"自评表_官方格式.{ext}"


def expected_project(source) -> dict[str, object]:
    """What a reader must give for one generated project, in the engine's units (元, fractions)."""
    budget = {label: amounts for label, *amounts in source.budget}
    total = budget["年度资金总额"]
    return {
        "name": source.name,
        "department": source.department,
        "implementer": source.unit,
        "year": 2024,
        "total_funds": total[1] * WAN,
        "fiscal_funds": budget["其中：当年财政拨款"][0] * WAN,
        "carryover_funds": budget["上年结转资金"][0] * WAN,
        "other_funds": budget["其他资金"][0] * WAN,
        "annual_goal": source.goal,
        "initial_budget": total[0] * WAN,
        "full_year_budget": total[1] * WAN,
        "executed": total[2] * WAN,
        "budget_weight": float(total[3]),
        "budget_rate": total[4],
        "budget_score": total[5],
        "total_weight": 100.0,
        "total_score": source.total,
        "indicators": [
            (l1, l2, name, target, actual, float(weight), float(score), reason, False)
            for l1, l2, name, target, actual, weight, score, reason in source.indicators
        ],
    }


def read_project(project: Project) -> dict[str, object]:
    published = project.published
    assert published is not None, f"{project.name}: 没有读到自评表的发布值"
    return {
        "name": project.name,
        "department": project.department,
        "implementer": project.implementer,
        "year": project.year,
        "total_funds": project.total_funds,
        "fiscal_funds": project.fiscal_funds,
        "carryover_funds": project.carryover_funds,
        "other_funds": project.other_funds,
        "annual_goal": project.annual_goal,
        "initial_budget": published.initial_budget,
        "full_year_budget": published.full_year_budget,
        "executed": published.executed,
        "budget_weight": published.budget_weight,
        "budget_rate": published.budget_rate,
        "budget_score": published.budget_score,
        "total_weight": published.total_weight,
        "total_score": published.total_score,
        "indicators": [
            (
                i.level1,
                i.level2,
                i.level3,
                i.target_text,
                i.published_actual,
                i.weight,
                i.published_score,
                i.deviation_reason,
                i.sub_row,
            )
            for i in project.indicators
        ],
    }


@pytest.mark.parametrize("where", ("fixture", "example"))
@pytest.mark.parametrize("ext", FORMATS)
def test_every_format_gives_the_generated_records(ext: str, where: str) -> None:
    decl = read_declarations(fixture(ext) if where == "fixture" else example(ext))
    got = [read_project(p) for p in decl.projects]
    expected = [expected_project(p) for p in make_fixtures.PROJECTS]
    assert len(got) == len(expected)
    for have, want in zip(got, expected, strict=True):
        for key, value in want.items():
            if isinstance(value, float):
                assert have[key] == pytest.approx(value), (ext, want["name"], key)
            else:
                assert have[key] == value, (ext, want["name"], key)


def test_title_and_year_outside_a_word_pdf_or_html_table_belong_to_it() -> None:
    """The title paragraph opens the table's form: no form without a table is reported for it."""
    for ext in ("docx", "pdf", "html"):
        decl = read_declarations(fixture(ext))
        assert not [r for r in decl.repairs if "未找到指标表表头" in r.decision], ext
        assert all(p.source is not None and p.source.line is not None for p in decl.projects), ext


@pytest.mark.parametrize("ext", FORMATS)
def test_every_format_gives_the_same_actuals_and_budgets(ext: str) -> None:
    decl, actuals = read_self_evaluations(fixture(ext))
    assert len(decl.projects) == len(make_fixtures.PROJECTS)
    rows = [(r.project, r.level3, r.actual_text, r.deviation_reason) for r in actuals.rows]
    assert rows == [
        (p.name, name, actual, reason)
        for p in make_fixtures.PROJECTS
        for _l1, _l2, name, _target, actual, _w, _s, reason in p.indicators
    ]
    budgets = [(b.project, b.initial_budget, b.adjusted_budget, b.executed) for b in actuals.budgets]
    assert budgets == [
        (p.name, p.budget[0][1] * WAN, p.budget[0][2] * WAN, pytest.approx(p.budget[0][3] * WAN))
        for p in make_fixtures.PROJECTS
    ]


@pytest.mark.parametrize(
    ("ext", "table", "page_line"),
    [
        ("xlsx", "self_eval_2024.xlsx 工作表「项目1」 第5行 「A」列", None),
        ("docx", "self_eval_2024.docx 表格1 第3行 第1列", None),
        ("html", "self_eval_2024.html 表格1 第3行 第1列", None),
        ("pdf", "self_eval_2024.pdf 第1页表格1 第3行 第1列", "self_eval_2024.pdf 第1页 第1行"),
    ],
)
def test_messages_name_a_sheet_a_table_or_a_page(ext: str, table: str, page_line: str | None) -> None:
    """A Word, PDF or HTML table is no 工作表, and has no column letters: messages say 表格N 第N列 / 第N页."""
    decl = read_declarations(fixture(ext))
    money_note = next(r for r in decl.repairs if "万元" in r.decision)  # on the 项目资金（万元） label cell
    assert money_note.source.describe() == table
    if page_line is not None:
        assert decl.projects[0].source is not None
        assert decl.projects[0].source.describe() == page_line  # the title line above the table
