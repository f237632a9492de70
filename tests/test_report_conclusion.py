"""The 结论 paragraph of the draft report: figures from the scorer, never invented prose."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from evaluator.api import score
from evaluator.reports.report_docx import write_report_docx
from evaluator.reports.view import PLACEHOLDER, conclusion_lines, points_lost, two

ROOT = Path(__file__).resolve().parents[1]


def _sample():
    return score(ROOT / "inputs" / "shanghai_ftu_2024_targets.txt", ROOT / "inputs" / "实际完成值_样例.xlsx").run


def test_conclusion_states_the_scorers_figures(tmp_path: Path) -> None:
    run = _sample()
    for project in run.projects:
        lines = conclusion_lines(project)
        assert f"总分 {two(project.total)} 分" in lines[0] and f"「{project.grade}」" in lines[0]
        assert ("评分未完成" in lines[0]) is (not project.complete)
        for level in project.levels:
            if level.level2 is None:
                assert f"{level.level1}得 {two(level.score)} 分（满分 {two(level.weight)} 分）" in lines[1]
        losing = [r for r in project.rows if points_lost(r) > 0]
        if losing:
            worst = max(losing, key=points_lost)
            assert any(f"失分最多的是「{worst.level3}」" in line for line in lines)
        assert lines[-1] == f"下一步改进措施：{PLACEHOLDER}"
    price = next(p for p in run.projects if p.project.name == "职工物价监督工作经费")
    assert any("折算" in line for line in conclusion_lines(price))  # the rescale note is repeated here

    path = write_report_docx(price, tmp_path / "r.docx", 2024)
    texts = [p.text for p in Document(path).paragraphs]
    start = texts.index("五、结论")
    *findings, plan = conclusion_lines(price)
    assert texts[start + 1 : start + 1 + len(findings)] == findings
    assert texts[-1] == plan  # the unit's own plan closes the report
    html = tmp_path / "r.html"
    from evaluator.reports.report_html import write_report_html

    write_report_html(price, html, 2024, [], "mof2020")
    page = html.read_text(encoding="utf-8")
    assert all(line.split(PLACEHOLDER)[0] in page for line in conclusion_lines(price))
