"""The same 项目支出绩效自评表 read from xlsx, xls, docx, pdf, csv and html gives the same grid.

The fixtures are written by tests/fixtures/formats/make_fixtures.py from one list of placed cells;
the expected texts and spans below come from that list, not from any reader.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from evaluator.ingest.formats import read_grids
from evaluator.ingest.grid import Grid

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
assert _spec is not None and _spec.loader is not None
make_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["make_fixtures"] = make_fixtures
_spec.loader.exec_module(make_fixtures)

PROJECTS = make_fixtures.PROJECTS
FORMATS = ("xlsx", "xls", "docx", "pdf", "csv", "html")


def fixture(ext: str) -> Path:
    return FIXTURES / f"{make_fixtures.STEM}.{ext}"


def expected_table(index: int) -> list[list[str]]:
    return make_fixtures.dense_texts(make_fixtures.table_cells(PROJECTS[index]))


def table_height() -> int:
    return make_fixtures.table_height(make_fixtures.table_cells(PROJECTS[0]))


def form_tables(ext: str) -> tuple[list[Grid], list[int]]:
    """Each project's grid and the row at which its form table starts in that grid."""
    grids = read_grids(fixture(ext))
    if ext in ("xlsx", "xls"):
        return grids, [2, 2]  # title and year rows above the table
    if ext == "csv":
        second = 2 + table_height() + 1 + 1 + 2  # title, year, table, signature, blank, title, year
        return [grids[0], grids[0]], [2, second]
    tables = [grid for grid in grids if grid.kind != "text"]
    return tables, [0, 0]


@pytest.mark.parametrize("ext", FORMATS)
def test_every_format_gives_the_same_table_texts(ext: str) -> None:
    grids, starts = form_tables(ext)
    assert len(grids) == 2
    for index, (grid, start) in enumerate(zip(grids, starts, strict=True)):
        expected = expected_table(index)
        got = grid.texts()[start : start + len(expected)]
        if ext == "xls":  # no number formats in .xls through calamine: the 执行率 cell is its fraction
            rate = {0: "0.9588", 1: "0.95"}[index]
            assert got[3][7] == rate
            expected[3][7] = rate
        assert got == expected


@pytest.mark.parametrize("ext", ("xlsx", "xls", "docx", "pdf", "html"))
def test_merged_regions_are_kept_with_their_spans_and_covered_cells(ext: str) -> None:
    grids, starts = form_tables(ext)
    for index, (grid, start) in enumerate(zip(grids, starts, strict=True)):
        merged = [c for c in make_fixtures.table_cells(PROJECTS[index]) if c.rowspan > 1 or c.colspan > 1]
        assert len(merged) > 8  # 项目名称, 项目资金, 一级/二级 runs, 总分 …
        for cell in merged:
            r, c = start + cell.row - 1, cell.col - 1
            top_left = grid.rows[r][c]
            assert (top_left.rowspan, top_left.colspan) == (cell.rowspan, cell.colspan), (cell, top_left)
            assert top_left.origin is None
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        covered = grid.rows[r + dr][c + dc]
                        assert covered.origin == (r, c)
                        assert covered.text == ""


def test_csv_has_no_merges_and_empty_covered_positions() -> None:
    grid = read_grids(fixture("csv"))[0]
    assert all(cell.rowspan == cell.colspan == 1 and cell.origin is None for row in grid.rows for cell in row)
    assert grid.rows[2 + 10][2].text == "数量指标"
    assert grid.rows[2 + 11][2].text == ""  # the 数量指标 run of project 1 continues below its first row


def test_rows_are_dense_and_rectangular() -> None:
    for ext in FORMATS:
        for grid in read_grids(fixture(ext)):
            widths = {len(row) for row in grid.rows}
            assert len(widths) == 1, (ext, grid.name, widths)


def test_xlsx_sources_name_sheet_row_and_column() -> None:
    grids = read_grids(fixture("xlsx"))
    assert [g.name for g in grids] == ["项目1", "项目2"]
    cell = grids[1].rows[2 + 10][4]  # first indicator's 年度指标值 of project 2
    assert cell.text == "≥45公里"
    assert (cell.source.file, cell.source.sheet, cell.source.row, cell.source.column) == (
        "self_eval_2024.xlsx",
        "项目2",
        13,
        "E",
    )
    assert cell.source.describe() == "self_eval_2024.xlsx 工作表「项目2」 第13行 「E」列"
    covered = grids[0].rows[2][5]  # inside the merged 项目名称 value
    assert (covered.source.row, covered.source.column) == (3, "F")


def test_xlsx_keeps_typed_values_beside_display_text() -> None:
    grid = read_grids(fixture("xlsx"))[0]
    rate = grid.rows[2 + 3][7]
    assert rate.text == "95.88%"
    assert rate.value == pytest.approx(0.9588)
    assert grid.rows[2 + 3][3].value == 500
    assert grid.rows[2 + 11][4].text == "=16个"  # text that looks like a formula stays text
    assert grid.rows[2 + 11][4].value is None


def test_title_and_signature_are_read_in_every_format() -> None:
    signature = make_fixtures.SIGNATURE.format(unit=PROJECTS[0].unit)
    for ext in FORMATS:
        texts = [cell.text for grid in read_grids(fixture(ext)) for row in grid.rows for cell in row]
        # a PDF keeps no run of spaces, and a browser shows one as one space: so do their readers
        wanted = " ".join(signature.split()) if ext in ("pdf", "html") else signature
        assert texts.count(make_fixtures.TITLE) == 2, ext
        assert make_fixtures.YEAR in texts, ext
        assert wanted in texts, ext


def test_docx_text_around_tables_in_document_order() -> None:
    grids = read_grids(fixture("docx"))
    assert [g.kind for g in grids] == ["text", "word_table", "text", "word_table", "text"]
    assert grids[0].texts() == [[make_fixtures.TITLE], [make_fixtures.YEAR]]
    assert grids[0].rows[1].__getitem__(0).source.line == 2
    assert grids[1].name == "表格1"
    cell = grids[3].rows[10][3]
    assert cell.text == "新建改造供水管网长度"
    assert (cell.source.sheet, cell.source.row, cell.source.column) == ("表格2", 11, "D")


def test_pdf_tables_and_page_text() -> None:
    grids = read_grids(fixture("pdf"))
    assert [g.name for g in grids if g.kind == "pdf_table"] == ["第1页表格1", "第2页表格1"]
    first_text = grids[0]
    assert first_text.kind == "text"
    assert first_text.texts() == [[make_fixtures.TITLE], [make_fixtures.YEAR]]
    assert first_text.rows[0][0].source.sheet == "第1页"
    cell = grids[1].rows[13][8]
    assert cell.text == "两个月因系统升级延迟发放，已优化发放流程"  # wrapped over three printed lines
    assert (cell.source.sheet, cell.source.row, cell.source.column) == ("第1页表格1", 14, "I")


def test_csv_sources_are_lines_and_the_reading_is_named() -> None:
    grid = read_grids(fixture("csv"))[0]
    assert grid.notes == ("按 UTF-8-BOM 编码、以逗号分列读取",)
    cell = grid.rows[2][1]
    assert cell.text == PROJECTS[0].name
    assert (cell.source.line, cell.source.column) == (3, "B")


def test_html_tables_and_text_blocks() -> None:
    grids = read_grids(fixture("html"))
    assert [g.kind for g in grids] == ["text", "html_table", "text", "html_table", "text"]
    assert grids[0].texts() == [[make_fixtures.TITLE], [make_fixtures.YEAR]]
    assert grids[0].rows[0][0].source.line is not None


def test_xls_says_its_number_formats_are_lost() -> None:
    grids = read_grids(fixture("xls"))
    assert any("数字格式无法读取" in note for note in grids[0].notes)
