"""The helpers under the column-wise readers: per-distinct-value conversion, the used extent, cheap records."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from evaluator.common.records import record_maker
from evaluator.ingest.cells import cell_text, column_texts, convert_column
from evaluator.ingest.workbook_open import SheetValues, extent, row_refs
from evaluator.models import ActualRow, Indicator, SourceRef


def test_column_texts_equal_cell_text_for_every_kind() -> None:
    values = [None, "", "  a ", 1, 1.0, True, False, 0, 0.0, -0.0, 1234567.5, 1e-7, dt.datetime(2024, 6, 1, 9, 30)]
    values += [dt.datetime(2024, 6, 1), dt.date(2024, 6, 1), float("nan"), "#N/A", "已\t完成\n"]
    assert column_texts(values) == [cell_text(v) for v in values]


def test_booleans_are_not_taken_for_numbers() -> None:
    """True == 1 as dict keys: a column holding both must still read TRUE and 1."""
    assert column_texts([1, True, 1.0, False, 0]) == ["1", "TRUE", "1", "FALSE", "0"]
    assert column_texts([True, 1]) == ["TRUE", "1"]


def test_each_distinct_value_is_converted_once_and_shared() -> None:
    calls: list[object] = []

    def convert(value: object) -> str:
        calls.append(value)
        return f"<{value}>"

    names = ["甲", "乙", "甲", "甲", "乙"] * 1000
    out = convert_column(names, convert)
    assert out[:3] == ["<甲>", "<乙>", "<甲>"] and sorted(calls) == ["乙", "甲"]
    assert out[0] is out[2]  # one object per distinct value


def test_extent_counts_formulas_and_ignores_blank_text() -> None:
    columns = [["a", None, "  ", None], [None, None, None, None], [None, None, None, "x", None, None]]
    cut, rows, width = extent(columns, {(6, 5): "=1+1"})
    assert rows == [1, 4, 6] and width == 5
    assert len(cut) == 5 and all(len(column) == 6 for column in cut)
    sheet = SheetValues("S", "visible", cut, rows, width)
    assert sheet.column(3) == [None, "x", None] and sheet.value(4, 3) == "x" and sheet.value(9, 9) is None
    assert sheet.index_of(4) == 1 and sheet.index_of(2) is None


def test_records_made_by_setting_slots_equal_the_dataclass() -> None:
    make = record_maker(ActualRow)
    ref = row_refs("a.xlsx", "实际完成")(7)
    assert ref == SourceRef("a.xlsx", sheet="实际完成", row=7) and repr(ref) == repr(
        SourceRef("a.xlsx", sheet="实际完成", row=7)
    )
    row = make("项目", "产出指标", "数量指标", "人次", "3050", "", "", "", "", "", ref, 3050)
    expected = ActualRow("项目", "产出指标", "数量指标", "人次", "3050", source=ref, actual_value=3050)
    assert row == expected and repr(row) == repr(expected) and hash(row.source) == hash(expected.source)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.project = "别的"  # type: ignore[misc]
    with pytest.raises(TypeError):
        make("too", "few")
    indicator = record_maker(Indicator)(
        "产出指标", "数量指标", "人次", "≥3000", None, ref, None, None, None, "", False, 0
    )
    assert indicator == Indicator("产出指标", "数量指标", "人次", "≥3000", source=ref) and indicator.scored


def test_a_record_with_post_init_keeps_its_own_constructor() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    make = record_maker(Checked)
    assert make(1) == Checked(1)
    with pytest.raises(ValueError):
        make(-1)
