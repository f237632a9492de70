"""Header lines of a single-space table: a field label and its value one space apart.

From the 内蒙古 乌海 目标表 (tests/corpus/neimenggu_2021_wuhai_recycling): above the indicator header
no line holds two labels, so the single-space split had not begun and the project had no name.
"""

from __future__ import annotations

from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms

TABLE = "一级指标 二级指标 三级指标 指标性质 指标值 度量单位\n产出指标 数量指标 回收站点 = 3 个\n"


def test_a_label_and_one_word_on_a_line_are_the_field_and_its_value() -> None:
    source = "再生资源项目绩效目标表\n项目名称 再生资源回收\n主管部门 (433)乌海市供销社\n资金总额 3\n" + TABLE
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert (project.name, project.department, project.total_funds) == ("再生资源回收", "(433)乌海市供销社", 3.0)
    assert [(i.level3, i.target_text) for i in project.indicators] == [("回收站点", "=3个")]


def test_a_longer_line_with_one_label_is_left_whole() -> None:
    # `项目名称 X 备案人 Y`: 备案人 is no label this reader knows, so the line is not taken as a name
    # with the rest of the line stuck to it
    source = "再生资源项目绩效目标表\n项目名称 再生资源回收 备案人 张三\n" + TABLE
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert "备案人" not in project.name and "张三" not in project.name


def test_a_field_not_read_splits_the_line_and_takes_its_value_along() -> None:
    # 湖南 南岳, 安徽 萧县杨楼: `项目名称 X 项目负责人及电话 Y`; 项目负责人及电话 is a known label of a field
    # the engine does not read, so the line is split, the name read, and the contact listed as not read
    source = (
        "再生资源项目绩效目标表\n项目名称 再生资源回收 项目负责人及电话 张三0557-1234567\n主管部门 县供销社\n" + TABLE
    )
    declarations = read_forms(text_grids(source, "t.txt"))
    (project,) = declarations.projects
    assert (project.name, project.department) == ("再生资源回收", "县供销社")
    notes = [r for r in declarations.repairs if "项目负责人及电话" in r.decision]
    assert [(r.found, r.kind) for r in notes] == [("项目负责人及电话 张三0557-1234567", "unplaced")]


def test_a_goal_line_keeps_its_spaced_sentences_together() -> None:
    # 内蒙古 乌海: `年度目标 围绕… 目标1:… 目标2:…` on one line, one space between the sentences
    source = (
        "再生资源项目绩效目标表\n项目名称 再生资源回收\n年度目标 规范建设回收站点。 目标1:聘用1人 目标2:在岗率100%\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert project.annual_goal == "规范建设回收站点。 目标1:聘用1人 目标2:在岗率100%"


def test_a_lone_qizhong_belongs_to_the_label_after_it() -> None:
    # 内蒙古 乌海: `其中: 财政拨款数 3`
    source = "再生资源项目绩效目标表\n项目名称 再生资源回收\n资金总额 3\n其中: 财政拨款数 3\n其他资金 0\n" + TABLE
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert (project.total_funds, project.fiscal_funds, project.other_funds) == (3.0, 3.0, 0.0)
