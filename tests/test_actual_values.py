"""Actual values read the way units type them, as text and as raw workbook cells."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from evaluator.grammar.actuals import parse_actual, parse_actual_cell
from evaluator.ingest.cells import cell_text
from evaluator.models import ActualKind

NUMBER, DATE, QUAL, EMPTY, UNREADABLE = (
    ActualKind.NUMBER,
    ActualKind.DATE,
    ActualKind.QUALITATIVE,
    ActualKind.EMPTY,
    ActualKind.UNREADABLE,
)

# text → (kind, value, unit)
NUMBERS: dict[str, tuple[float, str | None]] = {
    "3050": (3050, None),
    "3,050人次": (3050, "人次"),
    "3，050人次": (3050, "人次"),
    "0.305万人次": (3050, "人次"),
    "1.5万人次": (15000, "人次"),
    "2亿元": (2e8, "元"),
    "120万元": (1.2e6, "元"),
    "98.5%": (98.5, "%"),
    "98.5 %": (98.5, "%"),
    "１００％": (100, "%"),
    "100%完成": (100, "%"),
    "≥266米": (266, "米"),
    "＝100(%)": (100, "%"),
    "３０５０": (3050, None),
    "三千人": (3000, "人"),
    "百分之九十五": (95, "%"),
    "约3000人": (3000, "人"),
    "0": (0, None),
    "-5": (-5, None),
    "−5": (-5, None),
    "3050。": (3050, None),
    "2万": (20000, None),
    "5件": (5, "个"),
    "12天": (12, "天"),
    "3个月": (3, "月"),
    "3年": (3, "年"),
    "85分": (85, "分"),
    "1,200平方米": (1200, "平方米"),
    "3公里": (3, "公里"),
}


@pytest.mark.parametrize("text", list(NUMBERS))
def test_numbers(text: str) -> None:
    actual = parse_actual(text)
    assert actual.kind is NUMBER, actual.reason
    value, unit = NUMBERS[text]
    assert math.isclose(actual.value, value, rel_tol=1e-12, abs_tol=1e-12)
    assert actual.unit == unit
    assert actual.raw == text


@pytest.mark.parametrize(
    ("text", "note_part"),
    [("100%完成", "「完成」"), ("≥266米", "比较符「≥」已忽略"), ("约3000人", "「约」"), ("三千人", "中文数字")],
)
def test_what_was_set_aside_is_noted(text: str, note_part: str) -> None:
    assert note_part in parse_actual(text).note


DATES: dict[str, dt.date] = {
    "2024年11月30日": dt.date(2024, 11, 30),
    "2024-11-30": dt.date(2024, 11, 30),
    "2024/11/30": dt.date(2024, 11, 30),
    "2024.11.30": dt.date(2024, 11, 30),
    "2024-11-30 10:05": dt.date(2024, 11, 30),
    "2024年11月30日完成": dt.date(2024, 11, 30),
    "2024年6月": dt.date(2024, 6, 30),
    "２０２４年１１月３０日": dt.date(2024, 11, 30),
}


@pytest.mark.parametrize("text", list(DATES))
def test_dates(text: str) -> None:
    actual = parse_actual(text)
    assert actual.kind is DATE, actual.reason
    assert actual.date == DATES[text]


def test_date_without_year_needs_the_year() -> None:
    assert parse_actual("11月30日", 2024).date == dt.date(2024, 11, 30)
    assert "年份" in parse_actual("11月30日").reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("是", "是"),
        ("否", "否"),
        ("及时", "及时"),
        ("不及时", "不及时"),
        ("达成", "达成"),
        ("部分达成", "部分达成"),
        ("未达成", "未达成"),
        ("基本完成", "基本完成"),
        ("已完成。", "已完成"),
        (" 健全 ", "健全"),
        ("ｙｅｓ", "yes"),
    ],
)
def test_qualitative_words(text: str, words: str) -> None:
    actual = parse_actual(text)
    assert actual.kind is QUAL
    assert actual.text == words


@pytest.mark.parametrize("text", ["", "   ", "\n", "\u3000"])
def test_empty(text: str) -> None:
    assert parse_actual(text).kind is EMPTY


UNREADABLE_ACTUALS: dict[str, str] = {
    "/": "只有符号",
    "—": "只有符号",
    "3050xx": "无法识别的计量单位「xx」",
    "3(篇章)": "无法识别的计量单位「篇章」",
    "完成3场，服务3050人次": "多个数值",
    "2024年2月30日": "日期不存在",
    "1.2e3": "无法识别的计量单位「e3」",  # scientific notation is not how a person writes a count
}


@pytest.mark.parametrize("text", list(UNREADABLE_ACTUALS))
def test_unreadable_actuals_keep_text_and_reason(text: str) -> None:
    actual = parse_actual(text)
    assert actual.kind is UNREADABLE
    assert actual.raw == text
    assert UNREADABLE_ACTUALS[text] in actual.reason
    assert actual.value is None


# --- raw cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number_format", "kind", "expected", "unit"),
    [
        (0.985, "0.0%", NUMBER, 98.5, "%"),
        (1, "0%", NUMBER, 100, "%"),
        (0.5, "0.00%;[Red]-0.00%", NUMBER, 50, "%"),
        (3050, "General", NUMBER, 3050, None),
        (3050.0, "#,##0", NUMBER, 3050, None),
        ("3,050人次", "@", NUMBER, 3050, "人次"),
        (dt.datetime(2024, 11, 30), "yyyy-mm-dd", DATE, dt.date(2024, 11, 30), None),
        (dt.datetime(2024, 11, 30, 10, 5), "General", DATE, dt.date(2024, 11, 30), None),
        (dt.date(2024, 1, 2), "General", DATE, dt.date(2024, 1, 2), None),
        (True, "General", QUAL, "是", None),
        (False, "General", QUAL, "否", None),
        (None, "General", EMPTY, None, None),
        (float("nan"), "General", EMPTY, None, None),
    ],
)
def test_raw_cells(value: object, number_format: str, kind: ActualKind, expected: object, unit: str | None) -> None:
    actual = parse_actual_cell(value, number_format)
    assert actual.kind is kind
    if kind is NUMBER:
        assert math.isclose(actual.value, expected, rel_tol=1e-12)
        assert actual.unit == unit
    elif kind is DATE:
        assert actual.date == expected
    elif kind is QUAL:
        assert actual.text == expected


def test_cells_written_and_read_back_through_openpyxl(tmp_path: Path) -> None:
    cells = [
        (0.985, "0.0%", 98.5, "%"),
        (3050, "General", 3050, None),
        ("0.305万人次", "@", 3050, "人次"),
        (dt.datetime(2024, 11, 30), "yyyy-mm-dd", dt.date(2024, 11, 30), None),
    ]
    book = Workbook()
    sheet = book.active
    for row, (value, number_format, _, _) in enumerate(cells, start=1):
        sheet.cell(row=row, column=1, value=value).number_format = number_format
    path = tmp_path / "actuals.xlsx"
    book.save(path)
    loaded = load_workbook(path).active
    for row, (_, _, expected, unit) in enumerate(cells, start=1):
        cell = loaded.cell(row=row, column=1)
        from_cell = parse_actual_cell(cell.value, cell.number_format)
        from_text = parse_actual(cell_text(cell.value, cell.number_format))
        assert from_cell == from_text
        if isinstance(expected, dt.date):
            assert from_cell.date == expected
        else:
            assert math.isclose(from_cell.value, expected, rel_tol=1e-12)
            assert from_cell.unit == unit


def test_parse_is_cached() -> None:
    assert parse_actual("3,050人次") is parse_actual("3,050人次")


# --- properties --------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)


@given(
    st.decimals(min_value=0, max_value=10**5, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 1e4), ("亿", 1e8), ("十万", 1e5), ("百万", 1e6), ("千万", 1e7)]),
    st.sampled_from(["人次", "元", "人", "个"]),
)
def test_multipliers_agree_with_arithmetic(amount, multiplier: tuple[str, float], unit: str) -> None:
    word, factor = multiplier
    actual = parse_actual(f"{amount}{word}{unit}")
    assert actual.kind is NUMBER
    assert math.isclose(actual.value, float(amount) * factor, rel_tol=1e-12, abs_tol=1e-9)
    assert actual.unit == unit


@given(amounts)
def test_separators_and_full_width_digits_read_back(amount) -> None:
    expected = float(amount)
    assert parse_actual(f"{amount:,}").value == expected
    assert parse_actual(f"{amount:,}人次").value == expected
    full_width = str(amount).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_actual(full_width + "％").value == expected


@given(st.floats(min_value=0, max_value=10, allow_nan=False).map(lambda x: round(x, 6)))
def test_percent_cells_match_their_text(fraction: float) -> None:
    from_cell = parse_actual_cell(fraction, "0.00%")
    assert from_cell.unit == "%"
    assert math.isclose(from_cell.value, fraction * 100, rel_tol=1e-9, abs_tol=1e-9)


@given(st.sampled_from(["公里", "千米", "小时", "吨", "亩"]), amounts)
def test_converting_an_actual_matches_pint(unit: str, amount) -> None:
    from evaluator.grammar.units import conversion_factor, to_base

    actual = parse_actual(f"{amount}{unit}")
    factor, canonical = to_base(unit)
    assert actual.unit == canonical
    assert math.isclose(actual.value, float(amount) * factor, rel_tol=1e-12)
    assert conversion_factor(canonical, canonical) == 1.0


@given(st.text(max_size=30))
def test_parse_actual_never_raises(text: str) -> None:
    actual = parse_actual(text)
    assert actual.raw == text
    if actual.kind is UNREADABLE:
        assert actual.reason
