"""Rules only from the profile: under a non-default profile every band and word a user reads follows it.

Before, the 自评表 legend said 完成率低于60% whatever the profile's red band, and the template's
instructions had the tier bands, the 130% ratio and the 超额原因 typed in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from evaluator.api import score
from evaluator.config.profiles import load_profile
from evaluator.ingest.actuals_template import write_actuals_template
from evaluator.reports.report_docx import write_report_docx
from evaluator.reports.report_html import render_report_html
from evaluator.reports.self_evaluation import SHEET_FORM, write_self_evaluation_workbook
from evaluator.reports.summary import write_summary_workbook
from evaluator.reports.tables import projects_frame

ROOT = Path(__file__).resolve().parents[1]
STRICT = Path(__file__).resolve().parent / "profiles" / "strict_bands.toml"


@pytest.fixture(scope="module")
def strict():
    return score(ROOT / "inputs" / "shanghai_ftu_2024_targets.txt", ROOT / "inputs" / "实际完成值_样例.xlsx", STRICT)


def _sheet_text(path: Path, sheet: str) -> str:
    ws = load_workbook(path)[sheet]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_the_run_carries_the_profile_rules(strict) -> None:
    rules = strict.run.rules
    assert rules.red_below == 0.8 and rules.overachieve_flag_ratio == 1.5
    assert [t[:2] for t in rules.tiers] == [
        ("达成", "完全达成年度目标"),
        ("部分达成", "基本达成年度目标"),
        ("未达成", "未能达成年度目标"),
    ]
    assert rules.level1_order == ("成本指标", "产出指标", "效益指标", "满意度指标")  # scoring_rules/taxonomy.toml


def test_self_evaluation_legend_follows_the_profile(strict, tmp_path: Path) -> None:
    project = strict.run.projects[0]
    path = write_self_evaluation_workbook(project, tmp_path / "a.xlsx", 2024, strict.run.rules)
    text = _sheet_text(path, SHEET_FORM)
    assert "完成率低于80%" in text and "低于60%" not in text
    default = write_self_evaluation_workbook(project, tmp_path / "b.xlsx", 2024)
    assert "完成率低于60%" in _sheet_text(default, SHEET_FORM)


def test_reports_state_the_same_legend(strict, tmp_path: Path) -> None:
    project = strict.run.projects[0]
    html = render_report_html(project, 2024, rules=strict.run.rules)
    assert "完成率低于80%" in html and "低于60%" not in html
    path = write_report_docx(project, tmp_path / "r.docx", 2024, rules=strict.run.rules)
    words = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "完成率低于80%" in words and "低于60%" not in words


def test_template_instructions_follow_the_profile(strict, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_actuals_template(strict.declarations, path, strict.run.rules)
    guide = _sheet_text(path, "填写说明")
    assert "达成 90%–100%，部分达成 70%–90%，未达成 0–70%" in guide
    assert "达到指标值的150%及以上" in guide and "选择“目标定得太低”时" in guide
    assert "80%–100%" not in guide and "130%" not in guide and "指标值设定偏低”时" not in guide
    causes = next(
        dv for dv in load_workbook(path)["实际完成"].data_validations.dataValidation if "目标定得太低" in dv.formula1
    )
    assert causes.formula1.startswith('"目标定得太低,')


def test_default_template_instructions_are_unchanged(strict, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_actuals_template(strict.declarations, path)
    guide = _sheet_text(path, "填写说明")
    assert "达成 80%–100%，部分达成 60%–80%，未达成 0–60%" in guide and "达到指标值的130%及以上" in guide
    assert load_profile().report_rules().overachieve_cause_marker in guide


def test_summary_columns_follow_the_level1_order(strict, tmp_path: Path) -> None:
    folders = [f"p{k}" for k in range(len(strict.run.projects))]
    path = write_summary_workbook(strict.run, folders, tmp_path / "s.xlsx")
    header = [c.value for c in next(load_workbook(path)["项目汇总"].iter_rows(max_row=1))]
    shown = [h.removesuffix("得分") for h in header if h.endswith("指标得分")]
    assert tuple(shown) == strict.run.rules.level1_order
    assert list(projects_frame(strict.run).columns[3:7]) == [f"{n}得分" for n in strict.run.rules.level1_order]
