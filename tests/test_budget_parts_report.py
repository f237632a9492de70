"""Funding sources filled in on the 预算执行 sheet reach the 自评表's 项目资金 block (not scored)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from evaluator.api import score
from evaluator.reports.self_evaluation import write_self_evaluation_workbook

ROOT = Path(__file__).resolve().parents[1]


def test_sample_funding_sources_in_the_form(tmp_path: Path) -> None:
    run = score(ROOT / "inputs" / "shanghai_ftu_2024_targets.txt", ROOT / "inputs" / "实际完成值_样例.xlsx").run
    project = next(p for p in run.projects if p.project.name == "上海市退管会工作经费及尊老服务经费")
    assert [part.label for part in project.budget.parts] == ["当年财政拨款", "上年结转资金", "其他资金"]
    path = write_self_evaluation_workbook(project, tmp_path / "自评表.xlsx", 2024)
    ws = load_workbook(path).worksheets[0]
    rows = {ws.cell(r, 1).value: r for r in range(5, 9)}
    fiscal, carried = rows["其中：当年财政拨款"], rows["上年结转资金"]
    assert (ws.cell(fiscal, 3).value, ws.cell(fiscal, 4).value, ws.cell(fiscal, 5).value) == (140.0, 145.0, 139.5)
    assert (ws.cell(carried, 4).value, ws.cell(carried, 5).value) == (0.0, 0.0)
    for r in (fiscal, carried):  # only 年度资金总额 carries 分值 / 执行率 / 得分; a 其中 line shows a dash
        assert ws.cell(r, 6).value == ws.cell(r, 7).value == ws.cell(r, 8).value == "—"
    assert ws.cell(rows["年度资金总额"], 8).value == project.budget.score
