"""One indicator table listing several projects (a 项目名称 column left of the levels) → one project each.

Constructed tables: a department's budget table writes each project's name, amount and goal on
its first row only, so rows are cut into projects where those cells are filled.
"""

from __future__ import annotations

from pathlib import Path

from evaluator.ingest.formats.reader import read_grids
from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms
from evaluator.models import Declarations

TEXT = (
    "项目支出绩效目标申报表\n"
    "金额单位:万元 |\n"
    "单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    "101-某局 | 50 |\n"
    "101001-某局机关 | 道路养护 | 30 | 养护道路20公里 | 产出指标 | 数量指标 | 养护里程 | ≥20公里 |\n"
    "效益指标 | 社会效益指标 | 通行条件改善 | 明显改善 |\n"
    "校舍维修 | 20 | 维修校舍3栋 | 产出指标 | 数量指标 | 维修校舍 | 3栋 |\n"
    "满意度指标 | 服务对象满意度指标 | 师生满意度 | ≥90% |\n"
)


def summary(decl: Declarations) -> list[tuple[str, str, float | None, str, list[tuple[str, str, str, str]]]]:
    return [
        (
            p.name,
            p.department,
            p.total_funds,
            p.annual_goal,
            [(i.level1, i.level2, i.level3, i.target_text) for i in p.indicators],
        )
        for p in decl.projects
    ]


EXPECTED = [
    (
        "道路养护",
        "101-某局",
        300000.0,
        "养护道路20公里",
        [("产出指标", "数量指标", "养护里程", "≥20公里"), ("效益指标", "社会效益指标", "通行条件改善", "明显改善")],
    ),
    (
        "校舍维修",
        "101-某局",
        200000.0,
        "维修校舍3栋",
        [("产出指标", "数量指标", "维修校舍", "3栋"), ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%")],
    ),
]


def test_text_rows_are_cut_into_projects_where_the_project_cells_are_filled() -> None:
    decl = read_forms(text_grids(TEXT, "t.txt"))
    assert summary(decl) == EXPECTED
    # the department's total line is no project; its first cell is the 主管部门 of those below
    note = next(r for r in decl.repairs if "部门合计行" in r.decision)
    assert note.source.line == 4 and "101-某局" in note.found


def test_a_short_run_of_project_cells_puts_the_amount_under_the_amount_column() -> None:
    # the goal cell left empty and lost: 校舍维修 | 20 must still give the name and the amount
    decl = read_forms(text_grids(TEXT.replace(" | 维修校舍3栋 |", " |"), "t.txt"))
    second = decl.projects[1]
    assert (second.name, second.total_funds, second.annual_goal) == ("校舍维修", 200000.0, "")


def test_the_same_list_in_a_dense_grid(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text(
        "项目支出绩效目标申报表,,,,,,,\n"
        "金额单位:万元,,,,,,,\n"
        "单位名称,项目名称,预算数,年度目标,一级指标,二级指标,三级指标,指标值\n"
        "101-某局,50,,,,,,\n"
        "101001-某局机关,道路养护,30,养护道路20公里,产出指标,数量指标,养护里程,≥20公里\n"
        ",,,,效益指标,社会效益指标,通行条件改善,明显改善\n"
        ",校舍维修,20,维修校舍3栋,产出指标,数量指标,维修校舍,3栋\n"
        ",,,,满意度指标,服务对象满意度指标,师生满意度,≥90%\n",
        encoding="utf-8",
    )
    assert summary(read_forms(read_grids(csv))) == EXPECTED


def test_a_single_project_table_is_unchanged() -> None:
    decl = read_forms(
        text_grids(
            "项目名称 | 道路养护 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
            "产出指标 | 数量指标 | 养护里程 | ≥20公里 |\n",
            "t.txt",
        )
    )
    assert [p.name for p in decl.projects] == ["道路养护"]
