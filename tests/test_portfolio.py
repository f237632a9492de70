"""汇总.xlsx: one row per project agreeing with the scorer, flagged rows by points lost, rows not scored."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from evaluator.models import RowStatus
from evaluator.reports.summary import FLAG_HEADERS, OPEN_HEADERS, SUMMARY_SHEETS, project_headers
from evaluator.reports.view import default_rules, flag_counts, is_flagged, visible_flags


@pytest.fixture(scope="module")
def summary(reports_dir):
    return load_workbook(reports_dir / "汇总.xlsx")


def test_sheets(summary):
    assert summary.sheetnames == list(SUMMARY_SHEETS)


def test_one_row_per_project_with_scorer_numbers(summary, report_run):
    ws = summary["项目汇总"]
    header = [c.value for c in ws[1]]
    assert header == list(project_headers(default_rules().level1_order))
    col = {name: k + 1 for k, name in enumerate(header)}
    assert ws.max_row == len(report_run.projects) + 1
    for k, score in enumerate(report_run.projects, start=2):
        assert ws.cell(k, col["项目名称"]).value == score.project.name
        assert ws.cell(k, col["总分"]).value == score.total
        assert ws.cell(k, col["等级"]).value == score.grade
        red, yellow = flag_counts(score)
        assert (ws.cell(k, col["红色标记"]).value, ws.cell(k, col["黄色标记"]).value) == (red, yellow)
        assert ws.cell(k, col["未评分指标"]).value == sum(r.status is RowStatus.NOT_SCORED for r in score.rows)
        for level in score.levels:
            if level.level2 is None:
                assert ws.cell(k, col[f"{level.level1}得分"]).value == level.score
        assert ws.cell(k, col["评分状态"]).value == ("完成" if score.complete else "评分未完成")


def test_flagged_rows_sorted_by_points_lost(summary, report_run):
    ws = summary["标记指标"]
    assert [c.value for c in ws[1]] == list(FLAG_HEADERS)
    lost = [ws.cell(r, 9).value for r in range(2, ws.max_row + 1)]
    assert lost == sorted(lost, reverse=True)
    expected = sum(is_flagged(r) for p in report_run.projects for r in p.rows)
    expected += sum(bool(visible_flags(p.budget.flags)) for p in report_run.projects)
    assert len(lost) == expected
    for r in range(2, ws.max_row + 1):
        weight, score = ws.cell(r, 7).value, ws.cell(r, 8).value
        assert ws.cell(r, 9).value == round(weight - score, 2)


def test_rows_not_scored_with_reason(summary, report_run):
    ws = summary["未评分指标"]
    assert [c.value for c in ws[1]] == list(OPEN_HEADERS)
    expected = [(r.project, r.level3) for p in report_run.projects for r in p.rows if r.status is RowStatus.NOT_SCORED]
    listed = [(ws.cell(r, 1).value, ws.cell(r, 4).value) for r in range(2, ws.max_row + 1)]
    assert listed == expected and len(listed) == report_run.rows_not_scored
    assert all(ws.cell(r, 8).value for r in range(2, ws.max_row + 1))
