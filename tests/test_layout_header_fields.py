"""Header fields of real tables that were read wrong: the value rules behind them, each on a small form.

The cases come from the corpus (tests/corpus/): 丽江 typed the form's title into its 项目名称 cell,
历城's stamp line puts 单位:万元 right after an empty 主管部门(盖章):, and 昭化 names its department only
as 预算单位; 浮梁 (a 部门整体 table) gives no 项目名称, only its 部门名称.
"""

from __future__ import annotations

from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms

TABLE = "一级指标 | 二级指标 | 三级指标 | 指标值\n产出指标 | 数量指标 | 回收站点 | 3个\n"


def test_a_title_in_the_name_cell_gives_the_project_it_names() -> None:
    source = "项目支出绩效自评表\n项目名称 | 2020年卫片执法补助经费支出绩效自评表\n主管部门 | 市自然资源局\n" + TABLE
    declarations = read_forms(text_grids(source, "t.txt"))
    (project,) = declarations.projects
    assert project.name == "2020年卫片执法补助经费"
    assert any("表题" in r.decision and r.found.endswith("绩效自评表") for r in declarations.repairs)


def test_a_project_title_keeps_its_project_word() -> None:
    source = "项目支出绩效目标表\n项目名称 | 加工园配套设施建设项目支出绩效目标表\n" + TABLE
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert project.name == "加工园配套设施建设项目"


def test_the_money_unit_is_no_value_of_the_label_before_it() -> None:
    source = (
        "项目支出绩效自评表\n主管部门(盖章): | 单位:万元\n项目名称 | 免费开放 | 主管部门 | 区文化局\n资金总额 | 45\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert (project.department, project.total_funds) == ("区文化局", 450000.0)


def test_the_budget_unit_names_the_department_only_where_none_is_given() -> None:
    alone = "项目支出绩效目标表\n项目名称 | 特困家庭再扶助\n预算单位 | 区卫生健康局\n" + TABLE
    (project,) = read_forms(text_grids(alone, "t.txt")).projects
    assert (project.department, project.implementer) == ("区卫生健康局", "")
    both = (
        "预算单位: 乡人民政府\n项目支出绩效目标表\n项目名称 | 晾晒房\n业务主管部门 | 县民宗委\n实施单位 | 云雾乡\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(both, "t.txt")).projects
    assert (project.department, project.implementer) == ("县民宗委", "云雾乡")


def test_a_department_form_without_a_project_is_named_for_its_department() -> None:
    # 江西 浮梁: a 部门整体 table gives 部门名称 and no 项目名称
    whole = "部门整体绩效目标表\n部门编码: | 316 | 部门名称: | 县林业局\n" + TABLE
    declarations = read_forms(text_grids(whole, "t.txt"))
    (project,) = declarations.projects
    assert (project.name, project.department) == ("县林业局", "县林业局")
    assert any(r.kind == "assumption" and "县林业局" in r.decision for r in declarations.repairs)
    named = "项目支出绩效目标表\n部门名称 | 县林业局\n项目名称 | 义务植树\n" + TABLE
    (project,) = read_forms(text_grids(named, "t.txt")).projects
    assert (project.name, project.department) == ("义务植树", "县林业局")


def test_the_goal_of_the_year_stands_under_its_own_sub_label() -> None:
    # 湖北 青山: 总体目标 | 中期目标 | 年度目标, then the two texts in that order
    source = (
        "项目支出绩效目标表\n项目名称 | 校舍建设\n总体目标 | 中期目标 | 年度目标\n推进教育改革 | 按计划完成建设\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert project.annual_goal == "按计划完成建设"


def test_a_label_cut_by_a_run_of_spaces_is_joined_again() -> None:
    # 重庆 奉节: `年度主要目标     和成果 新建…` — the text splits at the run of spaces inside the label
    source = "项目支出绩效目标表\n项目名称 | 晾晒房\n年度主要目标     和成果 新建晾晒房一座\n" + TABLE
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert project.annual_goal == "新建晾晒房一座"


def test_the_year_of_a_title_wrapped_over_lines() -> None:
    # 天津 宝坻: the heading's last line holds no year, the line above it does
    source = (
        "农业绿色发展专项(畜禽粪污\n资源化利用整县推进项目)2022年\n中央预算内投资计划绩效目标表\n专项名称 | 粪污利用\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert project.year == 2022
    dated = "2021年5月27日\n中央预算内投资计划绩效目标表\n专项名称 | 粪污利用\n" + TABLE
    (project,) = read_forms(text_grids(dated, "t.txt")).projects
    assert project.year is None


def test_an_amount_with_no_unit_anywhere_is_read_in_yuan_with_a_warning() -> None:
    # 陕西 清涧: `资金情况 | 年度资金总额: | 500`, no 万元 or 元 anywhere in the table
    source = "绩效目标申报表\n项目名称 | 果园路\n资金情况 | 年度资金总额: | 500\n" + TABLE
    declarations = read_forms(text_grids(source, "t.txt"))
    assert declarations.projects[0].total_funds == 500.0
    assert [r.found for r in declarations.repairs if "金额单位" in r.decision] == ["500"]
    stated = "绩效目标申报表\n项目名称 | 果园路\n资金情况(万元) | 年度资金总额: | 500\n" + TABLE
    declarations = read_forms(text_grids(stated, "t.txt"))
    assert declarations.projects[0].total_funds == 5_000_000.0
    assert not [r for r in declarations.repairs if "金额单位" in r.decision]


def test_the_fiscal_and_other_funds_under_their_qizhong_labels() -> None:
    # 重庆 奉节: `其中:财政资金 65`, `其中:其它资金 0` under the year's total
    source = (
        "项目支出绩效目标表\n金额单位:万元\n项目名称 | 晾晒房\n项目总预算 | 65\n其中:财政资金 | 60\n其中:其它资金 | 5\n"
        + TABLE
    )
    (project,) = read_forms(text_grids(source, "t.txt")).projects
    assert (project.total_funds, project.fiscal_funds, project.other_funds) == (650_000.0, 600_000.0, 50_000.0)
