"""Layout recognition on constructed grids: one test per feature of the published tables."""

from __future__ import annotations

import pytest

from evaluator.errors import EvaluatorError
from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.grid import Grid, GridCell
from evaluator.ingest.layout import read_forms
from evaluator.models import Declarations, SourceRef


def dense(rows: list[list[str]], name: str = "项目1") -> Grid:
    """A sheet-like grid: every row as long as the widest, positions kept (merged cells are blank)."""
    width = max(len(r) for r in rows)
    cells = tuple(
        tuple(
            GridCell(text=(row[c] if c < len(row) else ""), source=SourceRef("t.xlsx", sheet=name, row=r + 1))
            for c in range(width)
        )
        for r, row in enumerate(rows)
    )
    return Grid(file="t.xlsx", name=name, kind="sheet", rows=cells)


def text(source: str) -> Declarations:
    return read_forms(text_grids(source, "t.txt"))


def rows_of(decl: Declarations, project: int = 0) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.level3, i.target_text) for i in decl.projects[project].indicators]


DECLARATION_PIPE = """\
项目支出绩效目标表 | |||
(2023年度) | |||
项目名称 | 社区养老服务 | 主管部门 | 民政局 |
实施单位 | 养老服务中心 | ||
资金情况(万元) | 年度资金总额: | 120 | |
年度目标 | 为500名老人提供上门服务 | ||
绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标(50分) | 数量指标 | 服务老人人数 | ≥500人 |
质量指标 | 服务合格率 | ≥95% |
效益指标 | 社会效益效益指标 | 老人生活质量 | 明显改善 |
满意度指标 | 服务对象满意度 | ≥90% |
财政资金管理科室(盖章) 年 月 日 | |
"""


def test_pipe_declaration_header_fields_money_and_levels() -> None:
    decl = text(DECLARATION_PIPE)
    (project,) = decl.projects
    assert project.name == "社区养老服务"
    assert project.department == "民政局"
    assert project.implementer == "养老服务中心"
    assert project.total_funds == pytest.approx(1_200_000.0)  # 万元 from the label
    assert project.annual_goal == "为500名老人提供上门服务"
    assert project.year == 2023
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "服务老人人数", "≥500人"),
        ("产出指标", "质量指标", "服务合格率", "≥95%"),
        ("效益指标", "社会效益指标", "老人生活质量", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
    ]
    assert project.published is None
    assert any("签章" in r.decision for r in decl.repairs)


def test_traditional_characters_and_pinyin_annotations() -> None:
    source = DECLARATION_PIPE.replace("项目名称", "項(xiàng)目名稱").replace("产出指标(50分)", "產(chǎn)出指標(biāo)")
    decl = text(source)
    assert decl.projects[0].name == "社区养老服务"
    assert rows_of(decl)[0][:2] == ("产出指标", "数量指标")


def test_one_cell_per_line_reads_labels_and_rows_as_a_stream() -> None:
    source = "\n\n".join(
        [
            "绩效目标申报表",
            "项目名称",
            "道路硬化",
            "主管部门",
            "交通局",
            "资金情况 (万元)",
            "年度资金总额:",
            "30",
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "硬化道路里程",
            "≥2公里",
            "效益指标",
            "经济效益",
            "指标",
            "带动增收",
            "≥5万元",
        ]
    )
    decl = text(source)
    assert decl.projects[0].name == "道路硬化"
    assert decl.projects[0].total_funds == pytest.approx(300_000.0)
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "硬化道路里程", "≥2公里"),
        ("效益指标", "经济效益指标", "带动增收", "≥5万元"),
    ]


def test_dense_sheet_with_merged_level_cells_and_two_line_split_header() -> None:
    grid = dense(
        [
            ["项目支出绩效目标表"],
            ["项目名称", "学生资助", "", "", ""],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "", ""],
            ["", "", "", "指标性质", "指标值", "度量单位"],
            ["产出指标", "数量指标", "受助人数", "≥", "735", "人次"],
            ["", "", "资助标准", "=", "1000", "元/人"],
            ["", "时效指标", "发放及时率", "≥", "100", "%"],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "定性", "满意", ""],
        ]
    )
    decl = read_forms([grid])
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "受助人数", "≥735人次"),
        ("产出指标", "数量指标", "资助标准", "=1000元/人"),
        ("产出指标", "时效指标", "发放及时率", "≥100%"),
        ("满意度指标", "服务对象满意度指标", "学生满意度", "满意"),
    ]
    assert decl.projects[0].indicators[0].source.describe() == "t.xlsx 工作表「项目1」 第5行"


def test_layout_without_a_third_level_column() -> None:
    source = """\
项目名称 | 图书购置 |
指标类型 | 指标名称 | 指标值 | 指标描述 |
数量指标 | 购置图书册数 | 2000册 | 全年购置 |
质量指标 | 验收合格率 | 100% | |
"""
    assert rows_of(text(source)) == [
        ("产出指标", "数量指标", "购置图书册数", "2000册"),
        ("产出指标", "质量指标", "验收合格率", "100%"),
    ]


FILLED = """\
项目支出绩效自评表 | ||||||
(2023年度) | ||||||
项目名称 | 河道治理 | |||||
主管部门 | 水利局 | 实施单位 | 河道所 | |||
项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
年度资金总额 | 100 | 100 | 95 | 10 | 95% | 9.5 |
年度总体目标 | 预期目标 | 实际完成情况 |
治理河道5公里 | 治理河道5公里 |
绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
产出指标 | 数量指标 | 治理河道长度 | ≥5公里 | 5公里 | 20% | 20 | |
其中:主河道 | 3公里 | 3公里 |
质量指标 | 验收合格率 | 100% | 98% | 20 | 19 | 个别段返工 |
指标1 | | | |
满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 95% | 50 | 50 | |
总分 | 100 | 98.5 | 优 |
"""


def test_filled_self_evaluation_gives_actuals_weights_scores_and_budget() -> None:
    decl = text(FILLED)
    (project,) = decl.projects
    rows = [(i.level3, i.published_actual, i.weight, i.published_score, i.sub_row) for i in project.indicators]
    assert rows == [
        ("治理河道长度", "5公里", 20.0, 20.0, False),
        ("其中:主河道", "3公里", None, None, True),
        ("验收合格率", "98%", 20.0, 19.0, False),
        ("群众满意度", "95%", 50.0, 50.0, False),
    ]
    assert project.indicators[1].target_text == "3公里"
    assert project.indicators[2].deviation_reason == "个别段返工"
    published = project.published
    assert published is not None
    assert published.initial_budget == pytest.approx(1_000_000.0)
    assert published.full_year_budget == pytest.approx(1_000_000.0)
    assert published.executed == pytest.approx(950_000.0)
    assert (published.budget_weight, published.budget_rate, published.budget_score) == (10.0, 0.95, 9.5)
    assert (published.total_weight, published.total_score, published.grade) == (100.0, 98.5, "优")
    assert project.annual_goal == "治理河道5公里"
    decisions = " ".join(r.decision for r in decl.repairs)
    assert "百分比" in decisions  # 20% read as 20 points
    assert "占位" in decisions  # 指标1 dropped


def test_multi_project_document_splits_at_each_heading() -> None:
    second = DECLARATION_PIPE.replace("社区养老服务", "老年食堂").replace("服务老人人数", "就餐人次")
    decl = text(DECLARATION_PIPE + "\n" + second)
    assert [p.name for p in decl.projects] == ["社区养老服务", "老年食堂"]
    assert rows_of(decl, 1)[0][2] == "就餐人次"


def test_a_bad_cell_is_a_repair_not_the_end_of_the_file() -> None:
    source = FILLED.replace("| 20 | 19 | 个别段返工", "| 二十 | 19 | 个别段返工")
    decl = text(source)
    assert decl.projects[0].indicators[2].weight is None
    assert any(r.found == "二十" and r.kind == "warning" for r in decl.repairs)


def test_glued_text_is_refused_with_the_line() -> None:
    with pytest.raises(EvaluatorError, match="单元格粘连，无法分列，请提供原始 xlsx/docx") as info:
        text("绩效目标表\n项目名称某项目主管部门某局一级指标二级指标三级指标指标值产出指标数量指标\n")
    assert "第2行" in str(info.value)


def test_no_indicator_header_is_refused_with_the_reason() -> None:
    with pytest.raises(EvaluatorError, match="未找到指标表表头（一级指标/三级指标/指标值）"):
        text("会议纪要\n项目名称 | 某项目 |\n")
