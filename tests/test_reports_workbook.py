"""The 自评表 workbook, opened back with openpyxl: layout, merges, every row, totals to the cent."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.common.numbers import round_half_up
from evaluator.models import ProjectScore, Severity
from evaluator.reports.bundle import project_folders
from evaluator.reports.self_evaluation import SHEET_CALC, SHEET_FORM
from evaluator.reports.view import level1_label, ordered_rows, wan, worst_severity


def _book(reports_dir: Path, run, k: int):
    folder = project_folders([p.project.name for p in run.projects])[k]
    return load_workbook(reports_dir / folder / "自评表.xlsx")


def _table(ws):
    """Row numbers of the indicator header and the first total row (总分, or 指标得分合计 under a rescale)."""
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    total = next(r for r in range(head, ws.max_row + 1) if ws.cell(r, 1).value in ("总分", "指标得分合计"))
    return head, total


def _final(ws, total: int) -> int:
    """The row carrying the total that is graded: 总分, or 折算总分 right under 指标得分合计."""
    return total + 1 if ws.cell(total, 1).value == "指标得分合计" else total


def _all_projects(run):
    return list(range(len(run.projects)))


@pytest.fixture(scope="module")
def books(reports_dir, report_run):
    return [_book(reports_dir, report_run, k) for k in range(len(report_run.projects))]


def test_title_header_and_budget_block(books, report_run):
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_FORM]
        assert ws["A1"].value == "项目支出绩效自评表（2024年度）"
        assert ws["B2"].value == score.project.name
        assert (ws["B3"].value or "") == score.project.department
        assert (ws["F3"].value or "") == score.project.implementer
        labels = [ws.cell(r, 1).value for r in range(5, 9)]
        assert labels == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
        b = score.budget
        assert ws["D5"].value == wan(b.adjusted_budget) and ws["E5"].value == wan(b.executed)
        assert ws["F5"].value == b.points and ws["H5"].value == b.score
        assert ws["G5"].number_format == "0.00%" and ws["G5"].value == round_half_up(b.rate, 4)
        for r in range(6, 9):  # only the total row carries 分值 / 执行率 / 得分; a 其中 line shows a dash
            assert ws[f"F{r}"].value == ws[f"G{r}"].value == ws[f"H{r}"].value == "—"
        for r in range(5, 9):
            for col in "CDE":
                value = ws[f"{col}{r}"].value
                if value == "—" and r > 5:
                    continue
                assert value is None or value == round(value, 2)
                assert ws[f"{col}{r}"].number_format == "0.00"


def test_every_indicator_row_with_its_numbers(books, report_run):
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_FORM]
        head, total = _table(ws)
        rows = ordered_rows(score)
        assert total - head - 1 == len(rows)
        for k, row in enumerate(rows):
            r = head + 1 + k
            assert ws.cell(r, 3).value == row.level3
            assert ws.cell(r, 4).value == row.target_text
            assert ws.cell(r, 6).value == row.weight and ws.cell(r, 7).value == row.score
            assert ws.cell(r, 6).number_format == "0.00"
        shown = sorted(ws.cell(r, 3).value for r in range(head + 1, total))
        assert shown == sorted(row.level3 for row in score.rows)


def test_total_row_equals_the_scorer_to_the_cent(books, report_run):
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_FORM]
        head, total = _table(ws)
        final = _final(ws, total)
        assert (final > total) == bool(score.missing_categories)  # the bundled rules rescale
        assert ws.cell(final, 7).value == score.total
        grade_cell = ws.cell(final, 8).value
        assert score.grade in grade_cell
        assert ("评分未完成" in grade_cell) == (not score.complete)
        row_cents = sum(round(ws.cell(r, 7).value * 100) for r in range(head + 1, total))
        raw = (row_cents + round(score.budget.score * 100)) / 100
        if not score.missing_categories:  # without rescaling the total is the plain sum of what is shown
            assert raw == score.total
        else:  # the first line is that plain sum, the second its conversion to 100
            assert ws.cell(total, 7).value == raw and ws.cell(final, 6).value == 100
            assert ws.cell(total, 8).value is None
        weights = sum(round(ws.cell(r, 6).value * 100) for r in range(head + 1, total))
        assert ws.cell(total, 6).value == (weights + round(score.budget.points * 100)) / 100


def test_first_and_second_level_cells_are_merged_and_labelled(books, report_run):
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_FORM]
        head, total = _table(ws)
        merged = {str(m) for m in ws.merged_cells.ranges}
        points = {lv.level1: lv.weight for lv in score.levels if lv.level2 is None}
        breaks = {b.id for b in ws.row_breaks.brk}
        rows = ordered_rows(score)
        r = head + 1
        while r < total:
            level1 = rows[r - head - 1].level1
            end = r
            while end + 1 < total and rows[end + 1 - head - 1].level1 == level1 and end not in breaks:
                end += 1
            label = ws.cell(r, 1).value
            assert label.replace("\n", "") == level1_label(level1, points[level1])
            if end > r:
                assert f"A{r}:A{end}" in merged
            r = end + 1
        for m in ws.merged_cells.ranges:  # no merged label is cut by a page break
            assert not any(m.min_row <= b < m.max_row for b in breaks)


def test_label_with_points_reads_as_published():
    assert level1_label("产出指标", 50.0) == "产出指标（50分）"
    assert level1_label("成本指标", 7.14) == "成本指标（7.14分）"


def test_text_starting_with_equals_stays_text(reports_dir, report_run):
    folders = project_folders([p.project.name for p in report_run.projects])
    checked = 0
    for folder, score in zip(folders, report_run.projects, strict=True):
        path = reports_dir / folder / "自评表.xlsx"
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert "<f>" not in archive.read(name).decode("utf-8")
        if any(r.target_text.startswith("=") for r in score.rows):
            ws = load_workbook(path)[SHEET_FORM]
            cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
            assert cells and all(c.data_type == "s" for c in cells)
            checked += 1
    assert checked > 0  # the seed has `=100(%)` targets


def test_flagged_rows_are_shaded_by_severity(books, report_run):
    seen = set()
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_FORM]
        head, _ = _table(ws)
        for k, row in enumerate(ordered_rows(score)):
            fill = ws.cell(head + 1 + k, 7).fill.fgColor.rgb
            severity = worst_severity(row.flags)
            expected = {Severity.RED: "00F4CCCC", Severity.YELLOW: "00FFF2CC"}.get(severity)
            if expected:
                assert fill == expected
                seen.add(severity)
            else:
                assert fill in ("00000000", None)
            if severity and not row.deviation_reason:
                assert ws.cell(head + 1 + k, 8).value == "【待填写】"
    assert seen == {Severity.RED, Severity.YELLOW}


def test_print_setup_is_a4_landscape_one_page_wide(books):
    for wb in books:
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape"
            assert int(ws.page_setup.paperSize) == 9
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0


def test_calculation_sheet_lists_every_row(books, report_run):
    for wb, score in zip(books, report_run.projects, strict=True):
        ws = wb[SHEET_CALC]
        calcs = [ws.cell(r, 10).value for r in range(3, 4 + len(score.rows))]
        assert calcs[0] == score.budget.calculation
        assert calcs[1:] == [r.calculation for r in ordered_rows(score)]
        texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
        assert any(t and f"最终总分 {score.total:.2f}" in t for t in texts)


def test_rows_listed_twice_apart_are_grouped(report_run):
    from dataclasses import replace

    score: ProjectScore = report_run.projects[1]
    shuffled = replace(score, rows=score.rows[::-1])
    grouped = ordered_rows(shuffled)
    keys = [(r.level1, r.level2) for r in grouped]
    assert all(keys.index(k) == i or keys[i - 1] == k for i, k in enumerate(keys))
    assert sorted(map(id, grouped)) == sorted(map(id, score.rows))


def test_one_pass_stamped_save_gives_the_bytes_of_save_then_restamp(report_run, tmp_path, monkeypatch):
    """The 自评表 is zipped once with its build time; the result is byte for byte what the general
    write_office_atomically (openpyxl's save, then every entry and core time restamped) gives."""
    from evaluator.common.files import write_office_atomically
    from evaluator.reports.self_evaluation import build_self_evaluation_workbook, save_stamped_workbook

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for score in report_run.projects[:3]:
        write_office_atomically(tmp_path / "two_pass.xlsx", build_self_evaluation_workbook(score, 2024).save, 2024)
        save_stamped_workbook(build_self_evaluation_workbook(score, 2024), tmp_path / "one_pass.xlsx", 2024)
        assert (tmp_path / "one_pass.xlsx").read_bytes() == (tmp_path / "two_pass.xlsx").read_bytes()
