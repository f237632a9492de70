"""The actuals template written and read back, and workbooks filled in the way people fill them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from evaluator.cli.template import write_template_for
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError
from evaluator.ingest.actuals_template import write_actuals_template
from evaluator.ingest.actuals_workbook import (
    OVERACHIEVE_CHOICES,
    TIER_CHOICES,
    read_actuals_workbook,
)
from evaluator.ingest.cells import UncalculatedFormula
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Indicator, Project, SourceRef
from evaluator.pipeline import evaluate

P1 = "上海市总工会专项业务经费"
P2 = "“五一”专项工作经费"


@pytest.fixture
def decl() -> Declarations:
    """A hand-made pair mirroring two seed projects (synthetic funds for the second)."""
    return Declarations(
        projects=(
            Project(
                name=P1,
                total_funds=600000.0,
                indicators=(
                    Indicator("产出指标", "数量指标", "服务对象人数", "≥550(人)"),
                    Indicator("产出指标", "数量指标", "资金到位率", "=100(%)"),
                    Indicator("产出指标", "时效指标", "资金到位及时性", "及时"),
                    Indicator("满意度指标", "服务对象满意度指标", "家长测评满意度", ">90(%)"),
                ),
            ),
            Project(
                name=P2,
                total_funds=1234567.89,
                indicators=(
                    Indicator("效益指标", "经济效益指标", "预算执行率", "=100(%)"),
                    Indicator("效益指标", "可持续影响指标", "参与人次较上年度有增长", "增长1%"),
                    Indicator("产出指标", "时效指标", "活动完成时间", "2024年6月底前完成"),
                ),
            ),
        ),
        source_file="targets.txt",
    )


HEADERS = ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "上年实际值", "完成档次",
           "评定得分", "偏差原因分析及改进措施", "超额原因"]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def test_template_layout_and_prefill(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["实际完成", "预算执行", "填写说明"]
    ws = wb["实际完成"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1 + 7
    body = [[c.value for c in row[:5]] for row in ws.iter_rows(min_row=2)]
    assert body[0] == [P1, "产出指标", "数量指标", "服务对象人数", "≥550(人)"]
    assert body[4] == [P2, "效益指标", "经济效益指标", "预算执行率", "=100(%)"]
    assert [r[3] for r in body] == [i.level3 for p in decl.projects for i in p.indicators]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["J"].width >= 30
    assert ws["D2"].alignment.wrap_text


def test_template_keeps_formula_like_targets_as_text(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    for data_only in (False, True):  # a formula would come back as None with data_only
        ws = openpyxl.load_workbook(path, data_only=data_only)["实际完成"]
        assert ws["E3"].value == "=100(%)"
        assert ws["E3"].data_type == "s"
        assert ws["E6"].value == "=100(%)"


def test_template_dropdowns(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    ws = openpyxl.load_workbook(path)["实际完成"]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    tiers = by_range["H2:H8"]
    assert tiers.type == "list"
    assert tiers.formula1 == '"' + ",".join(TIER_CHOICES) + '"'
    assert tiers.formula1 == '"达成,部分达成,未达成"'
    assert tiers.showErrorMessage
    causes = by_range["K2:K8"]
    assert "指标值设定偏低" in causes.formula1
    assert causes.formula1 == '"' + ",".join(OVERACHIEVE_CHOICES) + '"'
    assert not causes.showErrorMessage  # free text allowed


def test_template_protection_locks_reference_only(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["实际完成"]
    assert ws.protection.sheet
    assert ws.protection.password is None
    assert ws.protection.formatColumns is False  # columns can still be resized
    assert ws.protection.formatRows is False
    assert ws.protection.insertRows is False
    for col in "ABCDE":
        assert ws[f"{col}2"].protection.locked
        assert ws[f"{col}2"].fill.fgColor.rgb.endswith("D9D9D9")
    for col in "FGHIJK":
        assert not ws[f"{col}2"].protection.locked
        assert not ws[f"{col}8"].protection.locked
    budget = wb["预算执行"]
    assert budget.protection.sheet
    assert budget["A2"].protection.locked
    assert not budget["C2"].protection.locked and not budget["D3"].protection.locked


def test_template_marks_last_year_rows_and_budget_sheet(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["实际完成"]
    assert ws["G7"].comment is not None and "上年" in ws["G7"].comment.text  # 增长1%
    assert ws["G2"].comment is None
    budget = wb["预算执行"]
    headers = ["项目名称", "资金来源", "年初预算数（元）", "全年预算数（元）", "全年执行数（元）"]
    assert [c.value for c in budget[1]] == headers
    parts = ["其中：当年财政拨款", "其中：上年结转资金", "其中：其他资金"]
    assert [[c.value for c in row] for row in budget.iter_rows(min_row=2)] == [
        [P1, "年度资金总额", 600000, None, None],
        *([P1, part, None, None, None] for part in parts),
        [P2, "年度资金总额", 1234567.89, None, None],
        *([P2, part, None, None, None] for part in parts),
    ]
    guide = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    for needed in ("万元", "上年实际值", "百分", "2024-11-30", "偏差原因分析及改进措施", "指标值设定偏低", "及时"):
        assert needed in guide


def test_empty_template_reads_back_as_empty_rows(decl: Declarations, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    actuals = read_actuals_workbook(path)
    assert len(actuals.rows) == 7
    assert all(r.actual_text == "" and r.actual_value is None for r in actuals.rows)
    assert actuals.rows[1] == ActualRow(
        P1, "产出指标", "数量指标", "资金到位率", "", source=SourceRef("模板.xlsx", sheet="实际完成", row=3)
    )
    assert actuals.budgets == (
        BudgetRow(P1, 600000.0, None, None, SourceRef("模板.xlsx", sheet="预算执行", row=2)),
        BudgetRow(P2, 1234567.89, None, None, SourceRef("模板.xlsx", sheet="预算执行", row=6)),
    )
    assert actuals.repairs == ()


def test_template_filled_in_place(decl: Declarations, tmp_path: Path) -> None:
    """A unit opens the protected template, types into the input columns and saves."""
    path = tmp_path / "模板.xlsx"
    write_actuals_template(decl, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["实际完成"]
    ws["F2"] = 560
    ws["F4"] = "及时"
    ws["H4"] = "达成"
    ws["I4"] = 9.5
    ws["F7"] = 3050
    ws["G7"] = 3000
    ws["F5"] = 0.88
    ws["F5"].number_format = "0%"
    ws["J5"] = "家长反馈渠道不足，明年增加测评场次"
    wb["预算执行"]["D2"] = 600000
    wb["预算执行"]["E2"] = 540000.5
    wb.save(path)
    actuals = read_actuals_workbook(path)
    rows = {r.level3: r for r in actuals.rows}
    assert rows["服务对象人数"].actual_text == "560"
    assert (rows["资金到位及时性"].actual_text, rows["资金到位及时性"].tier_text) == ("及时", "达成")
    assert rows["资金到位及时性"].points_text == "9.5"
    assert (rows["参与人次较上年度有增长"].actual_text, rows["参与人次较上年度有增长"].last_year_text) == (
        "3050",
        "3000",
    )
    assert rows["家长测评满意度"].actual_text == "88%"
    assert rows["家长测评满意度"].actual_value == 0.88
    assert rows["家长测评满意度"].deviation_reason == "家长反馈渠道不足，明年增加测评场次"
    assert actuals.budgets[0] == BudgetRow(
        P1, 600000.0, 600000.0, 540000.5, SourceRef("模板.xlsx", sheet="预算执行", row=2)
    )


def test_write_template_for_makes_folders_and_summarises(decl: Declarations, tmp_path: Path) -> None:
    out = tmp_path / "outputs" / "sub" / "实际完成值填报模板.xlsx"
    summary = write_template_for(decl, out)
    assert out.exists()
    assert "项目 2 个" in summary and "三级指标 7 行" in summary
    assert "1 行为与上年比较" in summary
    assert len(read_actuals_workbook(out).rows) == 7


def test_template_refuses_empty_declarations(tmp_path: Path) -> None:
    with pytest.raises(EvaluatorError, match="没有读到任何项目"):
        write_actuals_template(Declarations(projects=()), tmp_path / "x.xlsx")


def test_template_help_runs(run_cli) -> None:
    done = run_cli("template", "--help")
    assert done.returncode == 0, done.stderr
    assert "TARGETS" in done.stdout and "-o" in done.stdout


# ---------------------------------------------------------------------------------------------
# A workbook as a person leaves it
# ---------------------------------------------------------------------------------------------


def _messy_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "实际完成"
    headers = [" 三级指标 ", "实际完成值（人次）", "项目 名称", "一级指标", "二级指标", "年度指标值", "上年实际值",
               "完成档次", "评定得分", "超额原因", "偏差原因分析及改进措施"]  # fmt: skip
    ws.append(headers)
    # rows 2–6: P1, with a blank line at 4 and the project name merged over C2:C6
    ws.append(["服务对象人数", "3,050", P1, "产出指标", "数量指标", "≥550(人)", None, None, None, "实际工作需要",
               "职工参与热情高"])  # fmt: skip
    ws.append(["资金到位率", 0.985, None, "产出指标", "数量指标", "=100(%)"])
    ws.append([])
    ws.append(["资金到位及时性", "及时", None, "产出指标", "时效指标", "及时", None, "达成", 4.5])
    ws.append(["家长测评满意度", 95.0, None, "满意度指标", "服务对象满意度指标", ">90(%)"])
    ws.merge_cells("C2:C6")
    ws["B3"].number_format = "0.0%"
    ws["F3"].data_type = "s"
    ws.append([None] * 11)  # row 7: blank again
    # rows 8–10: P2 in reverse order
    ws.append(["活动完成时间", dt.datetime(2024, 5, 30), P2, "产出指标", "时效指标", "2024年6月底前完成"])
    ws.append(["参与人次较上年度有增长", 3050.0, P2, "效益指标", "可持续影响指标", "增长1%", 3000])
    ws.append(["预算执行率", "=SUM(L20:L21)", P2, "效益指标", "经济效益指标", "=100(%)"])
    ws["F10"].data_type = "s"
    ws["B8"].number_format = "yyyy-mm-dd"

    budget = wb.create_sheet("预算执行")
    budget.append(["项目名称", "年初预算数（万元）", "全年预算数 (万元)", "全年执行数（万元）"])
    budget.append([P1, 60, 60, "55.5"])
    budget.append([])
    budget.append([P2, 123.456789, 120, 118.2])
    wb.save(path)


def test_messy_workbook_reads_exactly(tmp_path: Path) -> None:
    path = tmp_path / "填好的.xlsx"
    _messy_workbook(path)
    actuals = read_actuals_workbook(path)

    def src(row: int) -> SourceRef:
        return SourceRef("填好的.xlsx", sheet="实际完成", row=row)

    assert actuals.rows == (
        ActualRow(P1, "产出指标", "数量指标", "服务对象人数", "3,050", overachieve_cause="实际工作需要",
                  deviation_reason="职工参与热情高", source=src(2), actual_value="3,050"),
        ActualRow(P1, "产出指标", "数量指标", "资金到位率", "98.5%", source=src(3), actual_value=0.985),
        ActualRow(P1, "产出指标", "时效指标", "资金到位及时性", "及时", tier_text="达成", points_text="4.5",
                  source=src(5), actual_value="及时"),
        ActualRow(P1, "满意度指标", "服务对象满意度指标", "家长测评满意度", "95", source=src(6), actual_value=95),
        ActualRow(P2, "产出指标", "时效指标", "活动完成时间", "2024-05-30", source=src(8),
                  actual_value=dt.datetime(2024, 5, 30)),
        ActualRow(P2, "效益指标", "可持续影响指标", "参与人次较上年度有增长", "3050", last_year_text="3000",
                  source=src(9), actual_value=3050),
        ActualRow(P2, "效益指标", "经济效益指标", "预算执行率", "", source=src(10),
                  actual_value=UncalculatedFormula("=SUM(L20:L21)")),
    )  # fmt: skip
    formula = [r for r in actuals.repairs if r.found == "=SUM(L20:L21)"]
    assert len(formula) == 1
    assert formula[0].kind == "warning"
    assert formula[0].source.row == 10 and formula[0].source.sheet == "实际完成"
    assert "未当作 0" in formula[0].decision

    def bsrc(row: int) -> SourceRef:
        return SourceRef("填好的.xlsx", sheet="预算执行", row=row)

    assert actuals.budgets == (
        BudgetRow(P1, 600000.0, 600000.0, 555000.0, bsrc(2)),
        BudgetRow(P2, 1234567.89, 1200000.0, 1182000.0, bsrc(4)),
    )
    assert actuals.source_file == str(path)


def _with_cached_results(path: Path, results: dict[str, str]) -> None:
    """Write cached formula results into the file, as Excel does when it saves (openpyxl cannot)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for formula, cached in results.items():
        sheet = sheet.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{cached}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_formula_with_a_cached_result_reads_the_result(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "实际完成"
    ws.append(["项目名称", "三级指标", "实际完成值", "上年实际值"])
    ws.append([P1, "服务对象人数", "=1000+2050", "=D9"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    _with_cached_results(path, {"1000+2050": "3050"})
    actuals = read_actuals_workbook(path)
    assert actuals.rows[0].actual_text == "3050"
    assert actuals.rows[0].last_year_text == ""  # =D9 was never calculated: not read as 0
    formula_notes = [r for r in actuals.repairs if r.found.startswith("=")]
    assert [(r.found, r.source.row, r.source.column) for r in formula_notes] == [("=D9", 2, "上年实际值")]


def test_budget_in_yuan_with_a_unit_typed_in_a_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "实际完成"
    ws.append(["项目名称", "三级指标", "实际完成值"])
    budget = wb.create_sheet("预算执行")
    budget.append(["项目名称", "年初预算数（元）", "全年预算数（元）", "全年执行数（元）"])
    budget.append([P1, "600,000.00", " 12.5万元 ", 100000])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    actuals = read_actuals_workbook(path)
    assert actuals.budgets[0].initial_budget == 600000.0
    assert actuals.budgets[0].adjusted_budget == 125000.0
    assert actuals.budgets[0].executed == 100000.0
    assert any("万元" in r.decision and r.source.row == 2 for r in actuals.repairs)


def test_unit_note_above_the_budget_table(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "实际完成"
    wb.active.append(["项目名称", "三级指标", "实际完成值"])
    budget = wb.create_sheet("预算执行")
    budget.append(["单位：万元"])
    budget.append(["项目名称", "年初预算数", "全年预算数", "全年执行数"])
    budget.append([P1, 60, 60, 54])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    assert read_actuals_workbook(path).budgets[0] == BudgetRow(
        P1, 600000.0, 600000.0, 540000.0, SourceRef("a.xlsx", sheet="预算执行", row=3)
    )


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_missing_actuals_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "无表.xlsx", {"Sheet1": [["项目名称"]]})
    with pytest.raises(EvaluatorError) as err:
        read_actuals_workbook(path)
    assert "无表.xlsx" in str(err.value) and "缺少工作表「实际完成」" in str(err.value) and "Sheet1" in str(err.value)


def test_missing_required_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "缺列.xlsx", {"实际完成": [["项目名称", "三级指标", "年度指标值"], [P1, "x", "1"]]})
    with pytest.raises(EvaluatorError) as err:
        read_actuals_workbook(path)
    text = str(err.value)
    assert "缺列.xlsx" in text and "工作表「实际完成」" in text and "第1行" in text
    assert "缺少必需的列：实际完成值" in text


def test_non_numeric_budget(tmp_path: Path) -> None:
    sheets = {
        "实际完成": [["项目名称", "三级指标", "实际完成值"]],
        "预算执行": [["项目名称", "全年预算数（元）", "全年执行数（元）"], [P1, 600000, 500000], [P2, "约五十万", 1]],
    }
    path = _workbook(tmp_path / "b.xlsx", sheets)
    with pytest.raises(EvaluatorError) as err:
        read_actuals_workbook(path)
    text = str(err.value)
    assert "b.xlsx" in text and "工作表「预算执行」" in text and "第3行" in text and "约五十万" in text
    assert "全年预算数" in text


def test_negative_budget(tmp_path: Path) -> None:
    sheets = {
        "实际完成": [["项目名称", "三级指标", "实际完成值"]],
        "预算执行": [["项目名称", "全年预算数（元）", "全年执行数（元）"], [P1, 600000, -5]],
    }
    path = _workbook(tmp_path / "b.xlsx", sheets)
    with pytest.raises(EvaluatorError, match="负数") as err:
        read_actuals_workbook(path)
    assert "第2行" in str(err.value) and "-5" in str(err.value)


def test_missing_budget_sheet_is_a_warning(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "b.xlsx", {"实际完成": [["项目名称", "三级指标", "实际完成值"], [P1, "资金到位率", "100%"]]}
    )
    actuals = read_actuals_workbook(path)
    assert actuals.budgets == ()
    assert len(actuals.rows) == 1
    assert [r.kind for r in actuals.repairs] == ["warning"]
    assert "预算执行" in actuals.repairs[0].decision


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "假的.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(EvaluatorError, match="不是 \\.xlsx 工作簿"):
        read_actuals_workbook(path)
    with pytest.raises(EvaluatorError, match="找不到"):
        read_actuals_workbook(tmp_path / "没有.xlsx")


def test_rows_without_a_name_are_kept_and_noted(tmp_path: Path) -> None:
    rows = [["项目名称", "三级指标", "实际完成值"], [P1, None, "100"], [P1, None, None], ["  ", "  ", None]]
    path = _workbook(tmp_path / "b.xlsx", {"实际完成": rows})
    actuals = read_actuals_workbook(path)
    assert [(r.project, r.level3, r.actual_text) for r in actuals.rows] == [(P1, "", "100")]
    notes = {(r.source.row, r.kind) for r in actuals.repairs if r.source.sheet == "实际完成"}
    assert notes == {(2, "warning"), (3, "warning")}  # row 3 has only a project name: skipped, but said so


def test_sheet_name_with_stray_space_and_a_repeated_header(tmp_path: Path) -> None:
    rows = [
        ["说明：请填写实际完成值"],  # a title line above the header
        ["项目名称", "三级指标", "实际完成值"],
        [P1, "服务对象人数", 560],
        ["项目名称", "三级指标", "实际完成值"],  # pasted again with the next block
        [P2, "预算执行率", "100%"],
    ]
    path = _workbook(tmp_path / "b.xlsx", {"实际完成 ": rows, "预算执行": [["项目名称", "全年执行数（元）"]]})
    actuals = read_actuals_workbook(path)
    assert [(r.project, r.level3, r.actual_text, r.source.row) for r in actuals.rows] == [
        (P1, "服务对象人数", "560", 3),
        (P2, "预算执行率", "100%", 5),
    ]
    assert {(r.source.row, r.decision) for r in actuals.repairs if r.source.row is not None} == {
        (4, "重复的表头行，已跳过"),
        (1, "缺少「年初预算数」列，该项按未填写处理"),
        (1, "缺少「全年预算数」列，该项按未填写处理"),
    }
    assert any(r.source.sheet == "实际完成 " and "按工作表「实际完成」读取" in r.decision for r in actuals.repairs)


def _budget_book(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    wb.active.title = "实际完成"
    wb.active.append(["项目名称", "三级指标", "实际完成值"])
    budget = wb.create_sheet("预算执行")
    budget.append(["项目名称", "资金来源", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）"])
    for row in rows:
        budget.append(row)
    wb.save(path)
    return path


def test_funding_sources_under_the_total(tmp_path: Path) -> None:
    path = _budget_book(
        tmp_path / "a.xlsx",
        [
            [P1, "年度资金总额", 60, 60, 54],
            [P1, "其中：当年财政拨款", 50, 50, 45],
            [None, "上年结转", 10, 10, 9],  # project left blank on a 其中 row: belongs to the row above
            [P1, "其他资金", None, None, None],  # left empty: ignored
            [P2, "合计", 100, 100, 90],
        ],
    )
    actuals = read_actuals_workbook(path)
    first, second = actuals.budgets
    assert (first.adjusted_budget, first.executed) == (600000.0, 540000.0)
    assert [(p.label, p.adjusted_budget, p.executed) for p in first.parts] == [
        ("当年财政拨款", 500000.0, 450000.0),
        ("上年结转资金", 100000.0, 90000.0),
    ]
    assert second.project == P2 and second.parts == () and second.executed == 900000.0
    assert actuals.repairs == ()


def test_funding_sources_without_a_total_row_are_summed(tmp_path: Path) -> None:
    path = _budget_book(tmp_path / "a.xlsx", [[P1, "财政拨款", 50, 50, 45], [P1, "其他", 10, 12, 12]])
    actuals = read_actuals_workbook(path)
    (only,) = actuals.budgets
    assert (only.initial_budget, only.adjusted_budget, only.executed) == (600000.0, 620000.0, 570000.0)
    assert any("合计" in r.decision for r in actuals.repairs)


def test_funding_sources_that_do_not_add_up_are_reported(tmp_path: Path) -> None:
    path = _budget_book(tmp_path / "a.xlsx", [[P1, "年度资金总额", 60, 60, 54], [P1, "当年财政拨款", 60, 60, 50]])
    actuals = read_actuals_workbook(path)
    assert actuals.budgets[0].executed == 540000.0  # the total row is what gets scored
    warning = next(r for r in actuals.repairs if r.kind == "warning")
    assert "全年执行数" in warning.decision and "500,000.00" in warning.decision and warning.source.row == 2


# Issue 11, item 5: real 自评表 give the budget only on the 其中 rows, the protected template
# keeping an empty (or zero) 年度资金总额 row that its guide says is the sum of the parts.


@pytest.mark.parametrize("total", [[None, None, None], [0, 0, 0]])
def test_total_row_left_empty_or_at_zeros_takes_the_sum_of_its_parts(tmp_path, total: list) -> None:
    rows = [
        ["甲项目", "年度资金总额", *total],
        ["甲项目", "其中：当年财政拨款", 50, 48, 45],
        ["甲项目", "其中：上年结转资金", 10, 10, 9],
        ["甲项目", "其中：其他资金", None, None, None],
    ]
    actuals = read_actuals_workbook(_budget_book(tmp_path / "a.xlsx", rows))
    (budget,) = actuals.budgets
    assert (budget.initial_budget, budget.adjusted_budget, budget.executed) == (600_000, 580_000, 540_000)
    summed = [r for r in actuals.repairs if "按各资金来源合计" in r.decision]
    assert len(summed) == 3 and all(r.source.row == 2 for r in summed)
    assert "全年预算数" in summed[1].decision and "580,000.00 元" in summed[1].decision


def test_budget_from_parts_is_scored_instead_of_missing(tmp_path) -> None:
    rows = [["甲项目", "年度资金总额", 0, 0, 0], ["甲项目", "其中：当年财政拨款", 50, 50, 45]]
    actuals = read_actuals_workbook(_budget_book(tmp_path / "a.xlsx", rows))
    run = evaluate(
        Declarations(
            (Project(name="甲项目", year=2024, indicators=(Indicator("产出指标", "数量指标", "人次", "≥10人次"),)),)
        ),
        Actuals((ActualRow("甲项目", "产出指标", "数量指标", "人次", "10人次"),), actuals.budgets),
        load_profile(),
    )
    budget = run.projects[0].budget
    assert budget.scored and budget.rate == pytest.approx(0.9) and budget.score == 9.0


def test_a_filled_total_row_still_wins_over_its_parts(tmp_path) -> None:
    rows = [["甲项目", "年度资金总额", 60, 60, 54], ["甲项目", "其中：当年财政拨款", 50, 50, 45]]
    actuals = read_actuals_workbook(_budget_book(tmp_path / "a.xlsx", rows))
    assert actuals.budgets[0].executed == 540_000
    assert not any("按各资金来源合计" in r.decision for r in actuals.repairs)


def test_unknown_funding_source_names_the_cell(tmp_path: Path) -> None:
    path = _budget_book(tmp_path / "a.xlsx", [[P1, "自筹资金?", 60, 60, 54]])
    with pytest.raises(EvaluatorError) as caught:
        read_actuals_workbook(path)
    message = str(caught.value)
    assert "资金来源" in message and "自筹资金?" in message and "第2行" in message
