"""Constructed tables for the 指标方向 column and short rows of declarations with 分值.

The 内蒙古 budget system prints 指标性质 | 指标方向 | 目标值 | 计量单位 | 分值, with 正向 / 反向 under
指标性质 and the comparison sign under 指标方向 (tests/corpus/neimenggu_2021_wuhai_recycling). These
tests show each rule on the smallest table, apart from the fixture that made us write them.
"""

from __future__ import annotations

from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms
from evaluator.models import Declarations


def text(source: str) -> Declarations:
    return read_forms(text_grids(source, "t.txt"))


def rows_of(decl: Declarations) -> list[tuple[str, str, float | None]]:
    return [(i.level3, i.target_text, i.weight) for i in decl.projects[0].indicators]


HEADER = (
    "项目名称 | 回收站 |\n一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标方向 | 目标值 | 计量单位 | 分值 | 备注 |\n"
)


def test_the_sign_comes_from_the_direction_column_when_the_nature_column_says_forward() -> None:
    decl = text(HEADER + "产出指标 | 数量指标 | 出差人次 | 正向 | = | 24 | 人/次 | 4 |\n")
    assert rows_of(decl) == [("出差人次", "=24人/次", 4.0)]
    assert any("指标方向" in r.decision for r in decl.repairs)


def test_a_sign_in_the_nature_column_wins_over_a_direction_word_beside_it() -> None:
    source = (
        "项目名称 | 回收站 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 指标方向 |\n"
        "产出指标 | 质量指标 | 验收合格率 | ≥ | 95 | % | 正向 |\n"
    )
    assert rows_of(text(source)) == [("验收合格率", "≥95%", None)]


def test_a_declaration_row_without_its_unit_keeps_its_points_under_the_points_column() -> None:
    # text rows lose empty cells: `正向 | = | 8 | 4` has no 计量单位, and 4 is the 分值, not a unit
    # (a last row is left out of this: where the text ends it may be a page cut off mid-row)
    decl = text(
        HEADER + "产出指标 | 数量指标 | 出差人数 | 正向 | = | 8 | 4 |\n出差人次 | 正向 | = | 24 | 人/次 | 4 |\n"
    )
    assert rows_of(decl) == [("出差人数", "=8", 4.0), ("出差人次", "=24人/次", 4.0)]


def test_without_a_points_column_a_short_row_is_still_read_by_position() -> None:
    source = (
        "项目名称 | 回收站 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |\n"
        "产出指标 | 数量指标 | 回收点 | = | 3 |\n"
    )
    assert rows_of(text(source)) == [("回收点", "=3", None)]
