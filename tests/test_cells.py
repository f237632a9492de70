"""The one cell-to-text reader and the one safe-text cell writer, and the readers/writers that use them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from evaluator.errors import EvaluatorError
from evaluator.grammar.actuals import parse_actual, parse_actual_cell
from evaluator.ingest.cells import FORMULA_OPENINGS, cell_text, is_excel_error, put_safe_text
from evaluator.ingest.targets_workbook import INDICATOR_COLUMNS, PROJECT_COLUMNS, read_targets_workbook
from evaluator.models import ActualKind


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (3050.0, "General", "3050"),
        (3050, "#,##0", "3050"),
        (2950.5, "General", "2950.5"),
        (1234567.5, "General", "1234567.5"),
        (1234567.5, None, "1234567.5"),
        (0.1, None, "0.1"),
        (-2.5, None, "-2.5"),
        (-0.0, None, "0"),
        (0.985, "0.0%", "98.5%"),
        (1, "0%", "100%"),
        (0.07, "0.00%", "7%"),
        (0.5, "0.00%;[Red]-0.00%", "50%"),
        (0.5, '0.00"%"', "0.5"),  # a literal % sign is not a percent format
        (1e-7, "General", "0.0000001"),
        (12345678901.0, "General", "12345678901"),
        (1e20, None, "100000000000000000000"),
        (dt.datetime(2024, 11, 30), "yyyy-mm-dd", "2024-11-30"),
        (dt.datetime(2024, 11, 30, 14, 5), "yyyy-mm-dd hh:mm", "2024-11-30 14:05"),
        (dt.date(2024, 6, 30), "yyyy-mm-dd", "2024-06-30"),
        (True, None, "TRUE"),
        (False, None, "FALSE"),
        ("  及时 ", "General", "及时"),
        ("≥3000", "@", "≥3000"),
        ("#DIV/0!", None, "#DIV/0!"),
        (None, "General", ""),
        (float("nan"), None, ""),
    ],
)
def test_cell_text(value: object, number_format: str | None, expected: str) -> None:
    assert cell_text(value, number_format) == expected


@pytest.mark.parametrize("text", ["#DIV/0!", "#N/A", "#VALUE!", " #ref! ", "#NAME?"])
def test_excel_errors_are_recognised(text: str) -> None:
    assert is_excel_error(text)


@pytest.mark.parametrize("text", ["#1", "N/A", "无", "#号楼"])
def test_ordinary_text_is_not_an_excel_error(text: str) -> None:
    assert not is_excel_error(text)


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#VALUE!"])
def test_an_excel_error_is_not_an_actual(text: str) -> None:
    """`#N/A` used to read as words (a qualitative actual) and `#DIV/0!` as an unreadable number."""
    actual = parse_actual(text)
    assert actual.kind is ActualKind.UNREADABLE
    assert "错误值" in (actual.note or actual.text or "") or "错误值" in str(actual)


def _declarations_workbook(path: Path, target: object, number_format: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append([c[0] for c in PROJECT_COLUMNS])
    project = ["甲项目", "某局", "某中心", "其他经常性项目", "特定目标类", dt.date(2024, 1, 1), dt.date(2024, 12, 31)]
    ws.append([*project, 1000, 1000, 0, 0, "完成任务"])
    ws2 = wb.create_sheet("绩效指标")
    ws2.append(list(INDICATOR_COLUMNS))
    ws2.append(["甲项目", "产出指标", "数量指标", "资金拨付", target])
    if number_format is not None:
        ws2.cell(2, 5).number_format = number_format
    wb.save(path)
    return path


def test_declared_number_reads_as_written_not_scientific(tmp_path: Path) -> None:
    """A 年度指标值 cell holding 1234567.5 used to read back as 1.23457e+06."""
    decl = read_targets_workbook(_declarations_workbook(tmp_path / "t.xlsx", 1234567.5))
    assert decl.projects[0].indicators[0].target_text == "1234567.5"


def test_declared_percent_cell_reads_as_percent(tmp_path: Path) -> None:
    decl = read_targets_workbook(_declarations_workbook(tmp_path / "t.xlsx", 0.985, "0.0%"))
    assert decl.projects[0].indicators[0].target_text == "98.5%"


def test_declared_excel_error_is_refused_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(EvaluatorError) as err:
        read_targets_workbook(_declarations_workbook(tmp_path / "t.xlsx", "#DIV/0!"))
    message = str(err.value)
    assert "错误值" in message and "#DIV/0!" in message and "绩效指标" in message and "2" in message


def test_actual_cell_and_declaration_cell_read_the_same(tmp_path: Path) -> None:
    decl = read_targets_workbook(_declarations_workbook(tmp_path / "t.xlsx", 1234567.5))
    assert parse_actual_cell(1234567.5).raw == decl.projects[0].indicators[0].target_text


@pytest.mark.parametrize("opening", FORMULA_OPENINGS)
def test_safe_text_survives_a_save_as_text(tmp_path: Path, opening: str) -> None:
    text = f"{opening}100(%)"
    wb = Workbook()
    cell = put_safe_text(wb.active["A1"], text)
    assert cell.quotePrefix and cell.data_type == "s" and cell.number_format == "@"
    wb.save(tmp_path / "s.xlsx")
    back = load_workbook(tmp_path / "s.xlsx").active["A1"]
    assert back.value == text and back.data_type == "s"


@pytest.mark.parametrize("text", ["≥100%", "完成", "100"])
def test_plain_text_gets_no_quote_prefix(text: str) -> None:
    cell = put_safe_text(Workbook().active["A1"], text)
    assert not cell.quotePrefix and cell.value == text and cell.data_type == "s"
