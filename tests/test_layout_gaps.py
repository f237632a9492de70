"""Constructed tables for the reading rules added to close gaps found in the real corpus.

Each test builds the smallest table that shows one rule, so the rule is tested apart from the
fixture that made us write it.
"""

from __future__ import annotations

from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms
from evaluator.models import Declarations


def text(source: str) -> Declarations:
    return read_forms(text_grids(source, "t.txt"))


def rows_of(decl: Declarations, project: int = 0) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.level3, i.target_text) for i in decl.projects[project].indicators]


def test_a_cost_second_level_under_output_keeps_the_first_level_as_written() -> None:
    # the older layout files 成本指标 under 产出指标, so 经济成本指标 written under 产出指标 is kept there;
    # under no first level at all it still goes to the 2021 first level 成本指标
    decl = text(
        "项目名称 | 道路维修 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 经济成本指标 | 维修成本 | ≤30万元 |\n"
        "数量指标 | 维修里程 | ≥2公里 |\n"
        "成本指标 | 经济成本指标 | 材料成本 | ≤10万元 |\n"
    )
    assert rows_of(decl) == [
        ("产出指标", "经济成本指标", "维修成本", "≤30万元"),
        ("产出指标", "数量指标", "维修里程", "≥2公里"),
        ("成本指标", "经济成本指标", "材料成本", "≤10万元"),
    ]
    assert any("按原表保留" in r.decision for r in decl.repairs)
    alone = text("项目名称 | 道路维修 |\n二级指标 | 三级指标 | 指标值 |\n经济成本指标 | 维修成本 | ≤30万元 |\n")
    assert rows_of(alone)[0][:2] == ("成本指标", "经济成本指标")


def test_a_level_name_with_a_filling_note_before_a_lone_text_cell_is_a_level() -> None:
    # `经济效益 指标 (选填)` followed by one text cell: the text is the indicator, the cell its level;
    # a short name that merely looks like a level (满意度) before one cell stays the indicator
    decl = text(
        "项目名称 | 造林 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "效益指标 | 社会效益 指标 (必填) | 受益人数(人) | 132 |\n"
        "生态效益 指标 (选填) | 提高森林覆盖率。 |\n"
        "满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% |\n"
        "满意度 | ≥95% |\n"
    )
    assert rows_of(decl) == [
        ("效益指标", "社会效益指标", "受益人数(人)", "132"),
        ("效益指标", "生态效益指标", "提高森林覆盖率。", ""),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥95%"),
    ]


def test_one_cell_a_line_with_pipes_is_regrouped_into_rows_at_the_pipe_only_lines() -> None:
    lines = [
        "|",
        "项目名称 |",
        "清扫保洁 |",
        "|||",
        "|",
        "一级指标 |",
        "二级指标 |",
        "三级指标 |",
        "指标值及单位 |",
        "绩效标准 |",
        "|",
        "|",
        "产出指标 |",
        "数量指标 |",
        "清扫面积 |",
        "≥5万平方米 |",
        "计划标准 |",
        "||",
        "|",
        "保洁车辆 |",
        "10辆 |",
        "计划标准 |",
        "|||",
        "|",
        "效益指标 |",
        "经济效益指标 |",
        "|",
        "|",
        "|",
        "||",
        "|",
        "社会效益指标 |",
        "道路整洁 |",
        "明显改善 |",
        "计划标准 |",
        "|",
        "财政部门审核意见 |",
        "|",
    ]
    grids = text_grids("\n".join(lines), "t.txt")
    assert [[c.text for c in row] for row in grids[0].rows][:3] == [
        ["项目名称", "清扫保洁"],
        ["一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"],
        ["产出指标", "数量指标", "清扫面积", "≥5万平方米", "计划标准"],
    ]
    assert grids[0].rows[2][0].source.line == 13
    decl = read_forms(grids)
    assert decl.projects[0].name == "清扫保洁"
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "清扫面积", "≥5万平方米"),
        ("产出指标", "数量指标", "保洁车辆", "10辆"),
        ("效益指标", "社会效益指标", "道路整洁", "明显改善"),
    ]


def test_ordinary_pipe_rows_and_a_pipe_block_of_titles_are_not_regrouped() -> None:
    table = "项目名称 | 清扫保洁 |\n|||\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    assert [len(row) for row in text_grids(table, "t.txt")[0].rows] == [2, 0, 4]
    titles = "附件 |\n|\n绩效目标表 |\n"
    assert [[c.text for c in row] for row in text_grids(titles, "t.txt")[0].rows] == [["附件"], [], ["绩效目标表"]]


FILLED_STREAM = [
    "项目支出绩效自评表",
    "项目名称",
    "校舍改造",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度",
    "指标值",
    "实际",
    "完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
    "产出指标",
    "数量指标",
    "指标1改造面积",
    "43.2",
    "37.24",
    "10",
    "9",
    "尾款未付，下年支付。",
    "指标2",
    "……",
    "质量指标",
    "验收合格率",
    "100",
    "100",
    "10",
    "10",
    "效益指标",
    "社会效益",
    "指标",
    "办学条件",
    "改善",
    "改善",
    "10",
    "10",
    "0",
    "生态效益",
    "指标",
    "指标1",
    "指标2",
    "满意度指标",
    "服务对象满意度指标",
    "学生满意度",
    "90",
    "95",
    "10",
    "10",
    "无",
]


def filled_rows(decl: Declarations) -> list[tuple[str, str | None, float | None, float | None, str]]:
    return [
        (i.level3, i.published_actual, i.weight, i.published_score, i.deviation_reason)
        for i in decl.projects[0].indicators
    ]


def test_header_words_broken_over_two_lines_are_joined_in_a_stream() -> None:
    decl = text("\n\n".join(FILLED_STREAM))
    assert [i.target_text for i in decl.projects[0].indicators] == ["43.2", "100", "改善", "90"]
    assert filled_rows(decl)[0][:4] == ("指标1改造面积", "37.24", 10.0, 9.0)


def test_a_stream_keeps_the_reason_when_the_next_cell_cannot_begin_a_row() -> None:
    # the reason after 得分 may be missing (an empty cell leaves no line): the next cell is a reason
    # only where the row it would begin has no numbers under 分值 and 得分
    decl = text("\n\n".join(FILLED_STREAM))
    assert filled_rows(decl) == [
        ("指标1改造面积", "37.24", 10.0, 9.0, "尾款未付，下年支付。"),
        ("验收合格率", "100", 10.0, 10.0, ""),
        ("办学条件", "改善", 10.0, 10.0, "0"),
        ("学生满意度", "95", 10.0, 10.0, "无"),
    ]
    assert sum("模板占位行" in r.decision for r in decl.repairs) == 4


def test_a_filled_row_missing_its_actual_reads_weight_and_score_from_its_end() -> None:
    decl = text(
        "项目名称 | 冷库建设 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
        "产出指标 | 数量指标 | 冷库面积 | ≥1290平方米 | 1290平方米 | 10.3 | 10.3 | |||\n"
        "变压器台数 | 3 | 9.3 | 8 | |||\n"
        "设备购置 | 550 | 20 | 9.3 | 9.3 | 未完成 |\n"
    )
    assert filled_rows(decl) == [
        ("冷库面积", "1290平方米", 10.3, 10.3, ""),
        ("变压器台数", None, 9.3, 8.0, ""),
        ("设备购置", "20", 9.3, 9.3, "未完成"),
    ]
    assert [i.target_text for i in decl.projects[0].indicators] == ["≥1290平方米", "3", "550"]
    assert any("缺1格" in r.decision and "实际完成值空缺" in r.decision for r in decl.repairs)


def test_a_header_broken_after_its_level_column_with_points_before_the_target() -> None:
    # `一级 / 指标` wraps onto its own line and the rest of the header follows on the next line;
    # parent rows give only 分值 得分, their sub-rows only 指标值 实际值 (single spaces between cells)
    decl = text(
        "项目名称 种养补贴 主管部门 农业农村局\n"
        "绩效指标 一级\n"
        "指标\n"
        "二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因及拟采取的改进措施\n"
        "(50分)\n"
        "数量指标 ★补助种植面积 10 9\n"
        "        红薯种植面积 5.5亩 5亩\n"
        "质量指标 作物成活率 10 ≥90% 95% 10\n"
    )
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "★补助种植面积", ""),
        ("产出指标", "数量指标", "红薯种植面积", "5.5亩"),
        ("产出指标", "质量指标", "作物成活率", "≥90%"),
    ]
    assert filled_rows(decl) == [
        ("★补助种植面积", None, 10.0, 9.0, ""),
        ("红薯种植面积", "5亩", 10.0, None, ""),  # the ★ row has no target: its part carries its 分值
        ("作物成活率", "95%", 10.0, 10.0, ""),
    ]


def test_wrapped_level_headers_lone_text_lines_dash_rows_and_ellipsis_rows_are_no_indicators() -> None:
    # 一级 / 指标 / 二级 / 指标 each on a line of their own above the rest of the header; the text of a
    # 得分计算方法 cell spanning rows lands on lines of its own, `-` rows and `……` rows are left over
    decl = text(
        "项目名称 文化馆免费开放 主管部门 文旅局\n"
        "一级\n指标\n二级\n指标\n"
        "三级指标 预期指标值(A) 实际完成指标值(B) 分值 得分 未完成原因 得分计算方法\n"
        "(50分)\n"
        "数量指标 全年免费开放 100% 100% 12.5 12.5\n"
        "定量指标计算:完成值达到指标值,记满分。\n"
        "-\n"
        "- -\n"
        "……\n"
        "(30分)\n"
        "经济效益\n指标\n"
        "助推民生事业发展 100% 100% 10 10\n"
    )
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "全年免费开放", "100%"),
        ("效益指标", "经济效益指标", "助推民生事业发展", "100%"),
    ]
    assert filled_rows(decl)[1] == ("助推民生事业发展", "100%", 10.0, 10.0, "")
    decisions = [r.decision for r in decl.repairs]
    assert any("单独一行的文字" in d for d in decisions)
    assert sum("没有指标名称" in d for d in decisions) == 2
    assert any("占位" in d for d in decisions)


def test_markdown_rows_broken_over_lines_are_joined_to_the_row_they_continue() -> None:
    source = (
        "| 项目名称 |\n道路硬化 |\n| 主管部门 | 交通局 |\n| 年度目标 | 硬化道路\n2公里 |\n| 一级指标 | 二级指标 |\n"
    )
    rows = [[c.text for c in row] for row in text_grids(source, "t.txt")[0].rows]
    assert rows == [
        ["项目名称", "道路硬化"],
        ["主管部门", "交通局"],
        ["年度目标", "硬化道路2公里"],
        ["一级指标", "二级指标"],
    ]


FILLED_MARKDOWN = """\
| 项目支出绩效自评表 | |||
| 项目名称 |
卫片执法 |
| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
|
一级 指标 |
二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | |||
| 产出指标 | 数量指标 | 执法补助经费 | ﹦ | 72890 | 元 | 72890 | 10.00 | 9.00 | ||
| 质量指标 | 验收合格率 | ≧ | 100 | % | 100 | 20 | 19 | |||
| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 95 | % | 95 | 10.00 |
"""


def test_a_two_line_header_with_the_level_columns_on_its_second_line() -> None:
    decl = text(FILLED_MARKDOWN)
    assert decl.projects[0].name == "卫片执法"
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "执法补助经费", "=72890元"),
        ("产出指标", "质量指标", "验收合格率", "≥100%"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥95%"),  # 满意度 after a second level is the name
    ]
    # the last row is where the text ends: read by position (得分 lost with the rest of the page)
    assert filled_rows(decl) == [
        ("执法补助经费", "72890", 10.0, 9.0, ""),
        ("验收合格率", "100", 20.0, 19.0, ""),
        ("满意度", "95", 10.0, None, ""),
    ]
    assert any("﹦" in r.found and "按「=」读取" in r.decision for r in decl.repairs)


def test_values_broken_onto_the_next_line_after_the_name_join_their_row() -> None:
    decl = text(
        "项目名称 | 经营主体扶持 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分 |\n"
        "产出指标 | 数量指标 | 扶持经营主体 (个) |\n"
        "15 | 6 | 8.0 | |\n"
        "数量指标 | 带动贫困户(人) | 11442 | 4164 | 7.3 | ||\n"
        "效益指标 | 经济效益指标 | 带动增收 |\n"
        "满意度指标 | 服务对象满意度指标 | 满意度(%) | ≥90 | 100 | 11.1 |\n"
    )
    assert [(i.level3, i.target_text, i.published_actual, i.published_score) for i in decl.projects[0].indicators] == [
        ("扶持经营主体 (个)", "15", "6", 8.0),
        ("带动贫困户(人)", "11442", "4164", 7.3),
        ("带动增收", "", None, None),
        ("满意度(%)", "≥90", "100", 11.1),
    ]


def test_one_cell_a_line_with_pipes_joins_a_wrapped_cell_and_keeps_rare_pipe_lines_as_empty_cells() -> None:
    # only a few pipe-only lines at the top: they are empty cells, not row ends, so no regrouping;
    # a line without a pipe is the first part of the next cell
    lines = ["|", "项目支出绩效目标表 |", "|", "项目名称 |", "网球公开赛 |", "绩效", "指标 |", "一级", "指标 |"]
    lines += ["二级指标 |", "三级指标 |", "指标值 |", "产出指标 |", "数量指标 |", "开展运动种类 |", "1种 |"]
    lines += ["效益指标 |", "可持续影响指标 |", "打造网球", "系列品牌赛事 |", "影响可持续 |"]
    lines += [f"填充{k} |" for k in range(12)]
    grids = text_grids("\n".join(lines), "t.txt")
    texts = [[c.text for c in row] for row in grids[0].rows]
    assert ["绩效指标"] in texts and ["一级指标"] in texts and ["打造网球系列品牌赛事"] in texts
    assert [] in texts  # the pipe-only lines stay empty rows
    decl = read_forms(grids)
    assert rows_of(decl)[:2] == [
        ("产出指标", "数量指标", "开展运动种类", "1种"),
        ("效益指标", "可持续影响指标", "打造网球系列品牌赛事", "影响可持续"),
    ]


def test_title_lines_without_pipes_between_pipe_cells_are_rows_of_their_own() -> None:
    # fujian_2022_anxi_small_water: 附件2 and the next form's title stand between one table's last
    # cell (`100 |`) and the next form's first (`项目名称 |`); they are no wrapped cell text
    lines = ["序号 |", "金额 |", "|", "合计 |", "100 |", "附件2", "2022年水利专项资金绩效目标表", "项目名称 |"]
    lines += ["水利专项资金 |", "|", "一级", "指标 |", "二级指标 |", "三级指标 |", "指标值 |", "|", "产出指标 |"]
    lines += ["数量指标 |", "修复堤岸 |", "100米 |", "|"]
    texts = [[c.text for c in row] for row in text_grids("\n".join(lines), "t.txt")[0].rows]
    assert texts[:5] == [
        ["序号", "金额"],
        ["合计", "100"],
        ["附件2"],
        ["2022年水利专项资金绩效目标表"],
        ["项目名称", "水利专项资金"],
    ]
    assert ["一级指标", "二级指标", "三级指标", "指标值"] in texts  # a wrapped cell is still joined


PLACES = (
    "项目支出绩效目标表\n"
    "项目名称 | 小型水利工程 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标解释 | 甲村 | 乙村 | 丙村 |\n"
    "产出指标 | 数量指标 | 修复堤岸(米) | 反映修复长度 | 100 | 250 | 80 |\n"
    "质量指标 | 验收合格率 | 反映验收情况 | 100% | 100% | 100% |\n"
)


def test_a_target_per_place_column_gives_one_indicator_per_place() -> None:
    # fujian_2022_anxi_small_water: no 指标值 column, a target under each village instead
    decl = text(PLACES)
    assert rows_of(decl) == [
        ("产出指标", "数量指标", "修复堤岸(米)（甲村）", "100"),
        ("产出指标", "数量指标", "修复堤岸(米)（乙村）", "250"),
        ("产出指标", "数量指标", "修复堤岸(米)（丙村）", "80"),
        ("产出指标", "质量指标", "验收合格率（甲村）", "100%"),
        ("产出指标", "质量指标", "验收合格率（乙村）", "100%"),
        ("产出指标", "质量指标", "验收合格率（丙村）", "100%"),
    ]
    note = next(r for r in decl.repairs if "分栏" in r.decision)
    assert note.source.line == 3 and "3 个分栏（甲村、乙村、丙村）" in note.decision


def test_the_same_place_columns_in_a_dense_grid(tmp_path) -> None:
    from evaluator.ingest.formats.reader import read_grids

    path = tmp_path / "t.csv"
    path.write_text(
        "项目支出绩效目标表\n项目名称,小型水利工程\n一级指标,二级指标,三级指标,指标解释,甲村,乙村,丙村\n"
        "产出指标,数量指标,修复堤岸(米),反映修复长度,100,250,80\n,质量指标,验收合格率,反映验收情况,100%,100%,100%\n",
        encoding="utf-8",
    )
    decl = read_forms(read_grids(path))
    assert rows_of(decl) == rows_of(text(PLACES))


def test_a_text_row_short_of_place_cells_is_read_in_order_with_a_warning() -> None:
    decl = text(PLACES.replace("| 100 | 250 | 80 |", "| 100 | 250 |"))
    assert [i.level3 for i in decl.projects[0].indicators][:3] == [
        "修复堤岸(米)（甲村）",
        "修复堤岸(米)（乙村）",
        "验收合格率（甲村）",
    ]
    warning = next(r for r in decl.repairs if "只有 2 栏指标值" in r.decision)
    assert warning.kind == "warning" and warning.source.line == 4


def test_one_unknown_column_is_no_place_split() -> None:
    # a header with no target column and a single unknown cell is still no indicator table
    import pytest

    from evaluator.errors import InputError

    with pytest.raises(InputError, match="未找到指标表表头"):
        text("项目名称 | 某项目 |\n一级指标 | 二级指标 | 三级指标 | 甲村 |\n产出指标 | 数量指标 | 修复堤岸 | 100 |\n")


def test_a_seal_slot_and_a_money_unit_are_no_department() -> None:
    # se_shandong_2019_licheng_culture: `主管部门(盖章): 单位:万元` above `主管部门 | 济南市…局`
    decl = text(
        "项目支出绩效自评表\n主管部门(盖章): | 单位:万元 |\n项目名称 | 免费开放 | 主管部门 | 某局 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 开放天数 | ≥300天 |\n"
    )
    assert decl.projects[0].department == "某局"
    only_seal = text("项目支出绩效目标表\n项目名称 | 免费开放 | 主管部门(盖章) | 某局 |\n" + PLACES.split("\n", 2)[2])
    assert only_seal.projects[0].department == "某局"  # with no plain label, the seal slot's value is kept
