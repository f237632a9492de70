"""A text line running the indicator header into the indicator rows is refused, naming the line.

Constructed tables: merged cells that swallowed the line breaks put `… | 指标值 | 产出指标 | 数量指标 …`
on one line; the reader cannot tell where each row ends, so it says so (and a file with another,
readable form keeps that form).
"""

from __future__ import annotations

import pytest

from evaluator.errors import EvaluatorError
from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms

PRESSED = (
    "项目支出绩效自评表\n"
    "项目名称 | 学生资助 |\n"
    "年度总体目标 | 资助学生 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 | "
    "产出指标 | 数量指标 | 受资助人数 | ≥700人 | 735人 | 10 | 10 |\n"
    "质量指标 | 覆盖率 | 100% | 100% | 10 | 10 |\n"
)
READABLE = (
    "项目支出绩效自评表\n"
    "项目名称 | 道路养护 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 |\n"
    "产出指标 | 数量指标 | 养护里程 | ≥20公里 | 21公里 | 10 | 10 |\n"
)


def test_a_header_pressed_onto_the_indicator_rows_is_refused_with_its_line() -> None:
    with pytest.raises(EvaluatorError) as refused:
        read_forms(text_grids(PRESSED, "t.txt"))
    message = str(refused.value)
    assert "表头与指标行挤在同一行" in message and "第3行" in message and "产出指标" in message


def test_the_other_forms_of_the_file_are_still_read() -> None:
    decl = read_forms(text_grids(PRESSED + READABLE, "t.txt"))
    assert [p.name for p in decl.projects] == ["道路养护"]
    warning = next(r for r in decl.repairs if "挤在同一行" in r.decision)
    assert warning.source.line == 3 and warning.kind == "warning"


def test_a_header_on_its_own_line_is_read() -> None:
    decl = read_forms(text_grids(READABLE, "t.txt"))
    assert [i.level3 for i in decl.projects[0].indicators] == ["养护里程"]
