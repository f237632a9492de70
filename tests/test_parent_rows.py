"""Numbered parent rows (`1. 完成培训任务`) whose 分值/得分 are the sum of their parts (`(1) …`, `(2) …`).

The parts are scored, the parent is kept with its published points so the audit can check the
sum; a 其中 row stays a sub-row. Tables here are constructed, each to show one side of the rule.
"""

from __future__ import annotations

from pathlib import Path

from audit_fixtures import ind, project
from evaluator.audit import audit_projects
from evaluator.config.profiles import load_profile
from evaluator.ingest.formats.reader import read_grids
from evaluator.ingest.formats.text import text_grids
from evaluator.ingest.layout import read_forms
from evaluator.ingest.self_evaluation import read_self_evaluations
from evaluator.models import Declarations

HEADER = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
TABLE = (
    "项目支出绩效自评表\n项目名称 | 技能培训 |\n"
    + HEADER
    + "产出指标 | 数量指标 | 1. 完成培训任务 | | | 10 | 9 | |\n"
    + "(1) 培训人次 | ≥500人次 | 520人次 | 5 | 5 | |\n"
    + "(2) 培训合格率 | ≥90% | 85% | 5 | 4 | 合格率偏低 |\n"
    + "质量指标 | 结业证书发放率 | 100% | 100% | 10 | 10 | |\n"
)


def text(source: str) -> Declarations:
    return read_forms(text_grids(source, "t.txt"))


def test_a_numbered_parent_keeps_its_points_and_counts_its_parts() -> None:
    decl = text(TABLE)
    rows = [(i.level3, i.weight, i.published_score, i.parts, i.scored) for i in decl.projects[0].indicators]
    assert rows == [
        ("1. 完成培训任务", 10, 9, 2, False),
        ("(1) 培训人次", 5, 5, 0, True),
        ("(2) 培训合格率", 5, 4, 0, True),
        ("结业证书发放率", 10, 10, 0, True),
    ]
    note = next(r for r in decl.repairs if "分项父行" in r.decision)
    assert note.source.line == 4 and "2 个分项" in note.decision


def test_the_same_parent_in_a_dense_grid(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text(
        "项目名称,技能培训,,,,,,\n"
        "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施\n"
        "产出指标,数量指标,一、完成培训任务,,,10,9,\n"
        ",,（1）培训人次,≥500人次,520人次,5,5,\n"
        ",,（2）培训合格率,≥90%,85%,5,4,合格率偏低\n",
        encoding="utf-8",
    )
    decl = read_forms(read_grids(csv))
    assert [i.parts for i in decl.projects[0].indicators] == [2, 0, 0]


def test_rows_that_are_no_parent() -> None:
    # a parent with a target of its own, parts numbered not from (1), parts without points, and a
    # `(1)` row before `(2)`: none of them is a parent row
    with_target = TABLE.replace("1. 完成培训任务 | | | 10 | 9", "1. 完成培训任务 | ≥1项 | 1项 | 10 | 9")
    from_two = TABLE.replace("(1) 培训人次", "(3) 培训人次")
    no_points = (
        "项目名称 | 技能培训 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 分值 |\n"
        "产出指标 | 数量指标 | 1. 完成培训任务 | | 10 |\n"
        "(1) 培训人次 | ≥500人次 | |\n"
        "(2) 培训合格率 | ≥90% | |\n"
    )
    siblings = TABLE.replace("1. 完成培训任务 | | |", "(1) 完成培训任务 | | |").replace("(1) 培训人次", "(2) 培训人次")
    for source in (with_target, from_two, no_points, siblings):
        assert not any(i.parts for i in text(source).projects[0].indicators), source


def test_a_qiyi_row_stays_a_sub_row() -> None:
    decl = text(
        "项目名称 | 技能培训 |\n"
        + HEADER
        + "产出指标 | 数量指标 | 培训人次 | ≥500人次 | 520人次 | 10 | 10 | |\n"
        + "其中:线上培训 | ≥200人次 | 220人次 |\n"
    )
    rows = [(i.level3, i.sub_row, i.parts, i.scored) for i in decl.projects[0].indicators]
    assert rows == [("培训人次", False, 0, True), ("其中:线上培训", True, 0, False)]


def test_score_of_a_filled_table_scores_the_parts_not_the_parent(tmp_path: Path) -> None:
    path = tmp_path / "自评表.txt"
    path.write_text(TABLE, encoding="utf-8")
    decl, actuals = read_self_evaluations(path)
    assert [i.level3 for i in decl.projects[0].indicators] == ["(1) 培训人次", "(2) 培训合格率", "结业证书发放率"]
    assert [r.level3 for r in actuals.rows] == ["(1) 培训人次", "(2) 培训合格率", "结业证书发放率"]
    assert any("1 个分项父行" in r.decision for r in decl.repairs)


def _parent_project(parent_weight: float, parent_score: float):
    from dataclasses import replace

    rows = [
        replace(ind("1. 完成培训任务", "", "", parent_weight, parent_score, row=10), parts=2),
        ind("(1) 培训人次", "≥500人次", "520人次", 20, 20, row=11),
        ind("(2) 培训合格率", "≥90%", "95%", 30, 30, row=12),
        ind("受益人次", "≥1000人次", "900人次", 30, 27, "效益指标", "社会效益指标", "受天气影响", row=13),
        ind("满意度", "≥90%", "95%", 10, 10, "满意度指标", "服务对象满意度指标", row=14),
    ]
    # 预算执行率 9.5 + 20 + 30 + 27 + 10 = 96.5: the total is that of the parts, the parent not counted
    return project(rows, total_score=96.5, grade="优")


def test_audit_checks_a_parent_against_its_parts() -> None:
    mof = load_profile()
    clean = audit_projects(Declarations(projects=(_parent_project(50, 50),), source_file="t"), mof)
    assert [f.code for f in clean.findings] == []
    assert clean.rows_in == 4 and clean.projects[0].parent_rows == 1
    assert "分项父行 1 行" in clean.reconciliation()

    wrong = audit_projects(Declarations(projects=(_parent_project(50, 48),), source_file="t"), mof)
    found = [f for f in wrong.findings if f.code == "sum_mismatch"]
    assert len(found) == 1, [f.code for f in wrong.findings]
    f = found[0]
    assert (f.level3, f.published, f.recomputed) == ("1. 完成培训任务", "48.00", "50.00")
    assert "得分" in f.note and "(1) 培训人次" in f.note and f.source is not None and f.source.row == 10

    points = audit_projects(Declarations(projects=(_parent_project(40, 50),), source_file="t"), mof)
    assert [f.note for f in points.findings if f.code == "sum_mismatch" and "分值" in f.note]


STARRED = (
    "项目支出绩效自评表\n项目名称 | 种养补贴 |\n"
    + HEADER
    + "产出指标 | 数量指标 | ★补助种植面积 | | | 10 | 10 | |\n"
    + "红薯种植面积 | 5.5亩 | 5.5亩 | | | |\n"
    + "桃种植面积 | 1亩 | 1亩 | | | |\n"
    + "补助农户 | 39户 | 39户 | 10 | 10 | |\n"
    + "复核农户 | 39户 | 39户 | | | |\n"
)


def test_rows_without_points_under_a_starred_row_without_a_target_are_scored_in_its_place() -> None:
    """se_anhui_2023_xiaoxian_yanglou: a ★ row with the points and no target, its parts below it.

    The parts say what was done (5.5亩 of 5.5亩), so they are scored, sharing the ★ row's 分值 to the
    cent; the ★ row is kept as a parent row for the audit, and never stays 未评分 for want of a target.
    """
    decl = text(STARRED)
    rows = [(i.level3, i.sub_row, i.parts, i.scored, i.weight) for i in decl.projects[0].indicators]
    assert rows == [
        ("★补助种植面积", False, 2, False, 10.0),
        ("红薯种植面积", False, 0, True, 5.0),
        ("桃种植面积", False, 0, True, 5.0),
        ("补助农户", False, 0, True, 10.0),  # points of its own: the ★ row's parts end here
        ("复核农户", False, 0, True, None),  # after an unstarred row nothing is a part
    ]
    [note] = [r for r in decl.repairs if "★父行" in r.decision]
    assert note.source.line == 4 and "按分项平均分配（5、5）" in note.decision


def test_a_starred_row_split_over_three_parts_adds_up_to_the_cent() -> None:
    three = STARRED.replace(
        "桃种植面积 | 1亩 | 1亩 | | | |\n", "桃种植面积 | 1亩 | 1亩 | | | |\n梨树种植面积 | 6亩 | 6亩 | | | |\n"
    )
    weights = [i.weight for i in text(three).projects[0].indicators[1:4]]
    assert weights == [3.34, 3.33, 3.33] and round(sum(weights), 2) == 10.0


def test_a_starred_row_with_its_own_target_keeps_its_parts_as_sub_rows() -> None:
    """A ★ row with a 年度指标值 of its own is the scored row; the rows below it are 其中 rows."""
    own = STARRED.replace("★补助种植面积 | | | 10 | 10 |", "★补助种植面积 | 6.5亩 | 6.5亩 | 10 | 10 |")
    rows = [(i.level3, i.sub_row, i.scored) for i in text(own).projects[0].indicators]
    assert rows[:3] == [("★补助种植面积", False, True), ("红薯种植面积", True, False), ("桃种植面积", True, False)]
    notes = [r.source.line for r in text(own).repairs if "不带★" in r.decision]
    assert notes == [5, 6]


def test_score_of_a_starred_table_scores_the_parts(tmp_path: Path) -> None:
    path = tmp_path / "自评表.txt"
    path.write_text(STARRED.replace("桃种植面积 | 1亩 | 1亩", "桃种植面积 | 1亩 | 0.5亩"), encoding="utf-8")
    decl, actuals = read_self_evaluations(path)
    assert [r.level3 for r in actuals.rows] == ["红薯种植面积", "桃种植面积", "补助农户", "复核农户"]
    from evaluator.pipeline import evaluate

    [score] = evaluate(decl, actuals, load_profile()).projects
    got = {r.level3: (r.weight, r.score) for r in score.rows}
    assert got["红薯种植面积"] == (5.0, 5.0) and got["桃种植面积"] == (5.0, 2.5)
    assert "★补助种植面积" not in got


def test_a_starred_row_without_points_has_no_parts() -> None:
    """In a declaration (no 分值/得分) ★ only marks a key indicator: the rows below stay indicators."""
    decl = text(
        "项目支出绩效目标表\n项目名称 | 种养补贴 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | ★补助种植面积 | 6.5亩 |\n红薯种植面积 | 5.5亩 |\n"
    )
    assert [i.sub_row for i in decl.projects[0].indicators] == [False, False]


def test_parse_then_score_keeps_qiyi_and_parent_rows_unscored(tmp_path: Path, run_cli) -> None:
    """`parse` writes 行类型 for 其中 and parent rows; `template` and `score` read them back unscored."""
    from evaluator.ingest.targets_workbook import read_targets_workbook

    source = tmp_path / "目标表.txt"
    source.write_text(
        TABLE.replace(
            "质量指标 | 结业证书发放率", "其中:线上培训 | ≥200人次 | 220人次 | | | |\n质量指标 | 结业证书发放率"
        ),
        encoding="utf-8",
    )
    targets = tmp_path / "targets.xlsx"
    done = run_cli("parse", source, "-o", targets)
    assert done.returncode == 0, done.stderr
    kinds = [(i.level3, i.sub_row, i.parts) for i in read_targets_workbook(targets).projects[0].indicators]
    assert kinds == [
        ("1. 完成培训任务", False, 2),
        ("(1) 培训人次", False, 0),
        ("(2) 培训合格率", False, 0),
        ("其中:线上培训", True, 0),
        ("结业证书发放率", False, 0),
    ]
    template = tmp_path / "actuals.xlsx"
    done = run_cli("template", targets, "-o", template)
    assert done.returncode == 0, done.stderr
    done = run_cli("score", targets, template, "--no-reports", "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    scored = (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8-sig")
    assert "1. 完成培训任务" not in scored and "其中:线上培训" not in scored
    assert "(1) 培训人次" in scored and "结业证书发放率" in scored


def test_an_unknown_row_kind_is_a_warning_not_the_end_of_the_file(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from evaluator.ingest.targets_workbook import read_targets_workbook, write_targets_workbook

    path = tmp_path / "targets.xlsx"
    write_targets_workbook(text(TABLE), path)
    wb = load_workbook(path)
    ws = wb["绩效指标"]
    assert ws.cell(1, 7).value == "行类型" and ws.cell(2, 7).value == "分项父行（其下2项之和，不计分）"
    ws.cell(2, 7).value = "汇总"
    wb.save(path)
    decl = read_targets_workbook(path)
    assert decl.projects[0].indicators[0].parts == 0
    [warning] = [r for r in decl.repairs if r.found == "汇总"]
    assert warning.kind == "warning" and "行类型无法识别" in warning.decision and warning.source.row == 2


def test_a_declaration_without_such_rows_gets_no_row_kind_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from evaluator.ingest.targets_workbook import write_targets_workbook

    path = tmp_path / "targets.xlsx"
    write_targets_workbook(
        text(TABLE.replace("1. 完成培训任务 | | | 10 | 9 | |\n", "").replace("(1) ", "").replace("(2) ", "")), path
    )
    header = [c.value for c in load_workbook(path)["绩效指标"][1]]
    assert header == ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "分值"]
