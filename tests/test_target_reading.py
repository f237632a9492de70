"""How each 年度指标值 is said back to a person, and the parse report's section listing them."""

from __future__ import annotations

import pytest

from evaluator.config.profiles import load_profile
from evaluator.grammar.reading import describe_target
from evaluator.grammar.targets import parse_target
from evaluator.models import Actuals, Declarations, Indicator, Project
from evaluator.pipeline import evaluate
from evaluator.reports.parse_report import render_parse_report


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("≥3000.00(人次)", "不低于 3,000人次"),
        (">90(%)", "高于 90%"),
        ("=100(%)", "等于 100%"),
        ("≤5.00(%)", "不高于 5%"),
        ("1.5万人次", "不低于 15,000人次"),
        ("80%-90%", "80%–90%（含下限，含上限）"),
        ("增长1%", "较上年增长 1%（需填写上年实际值）"),
        ("下降5%", "较上年下降 5%（需填写上年实际值）"),
        ("提高2个百分点", "较上年增长 2个百分点（需填写上年实际值）"),
        ("2024年6月底前完成", "2024-06-30 前（含当日）"),
        ("健全", "定性：健全"),
        ("按实发放", "按实际发生（填写实际数或完成情况即可）"),
    ],
)
def test_said_back(text: str, said: str) -> None:
    assert describe_target(parse_target(text, 2024)) == said


def test_unreadable_targets_come_first_in_the_parse_report() -> None:
    indicators = (
        Indicator("产出指标", "数量指标", "开班", "≥100(个)"),
        Indicator("产出指标", "数量指标", "场地", "≥300(平方公尺)"),
        Indicator("产出指标", "数量指标", "再开班", "≥100(个)"),
    )
    decl = Declarations((Project(name="P", year=2024, indicators=indicators),))
    report = render_parse_report(decl, "in.txt", "out.xlsx")
    section = report.split("## 年度指标值的读法", 1)[1]
    assert "共 2 种不同的年度指标值，其中无法识别 1 种" in section
    table = [line for line in section.splitlines() if line.startswith("| ")][1:]
    assert table[0].startswith("| ≥300(平方公尺) | 无法识别 |") and "公尺" in table[0]
    assert "| ≥100(个) | 定量 | 不低于 100个 |" in table[1] and "开班 等 2 个" in table[1]


def _report_rows(decl: Declarations, profile=None) -> dict[str, str]:
    section = render_parse_report(decl, "in.txt", "out.xlsx", profile).split("## 年度指标值的读法", 1)[1]
    table = [line for line in section.splitlines() if line.startswith("| ")][1:]
    return {line.split(" | ")[-1].rstrip(" |"): line for line in table}


def _context_decl() -> Declarations:
    indicators = (
        Indicator("成本指标", "经济成本指标", "项目成本", "200万"),
        Indicator("产出指标", "数量指标", "服务外包在岸(万美元)", "20000"),
        Indicator("产出指标", "质量指标", "资金使用完成率100%", ""),
        Indicator("产出指标", "数量指标", "培训人数", "200"),
    )
    return Declarations((Project(name="P", year=2024, indicators=indicators),), source_file="in.txt")


def test_parse_report_reads_each_target_with_its_row_as_the_scorer_does() -> None:
    rows = _report_rows(_context_decl())
    assert "| 不高于 2,000,000 |" in rows["项目成本"] and "cost_default_op" in rows["项目成本"]
    assert "| 不低于 200,000,000美元 |" in rows["服务外包在岸(万美元)"]
    assert "指标名称中的「(万美元)」" in rows["服务外包在岸(万美元)"]
    assert "| 定量 | 等于 100% |" in rows["资金使用完成率100%"] and "请核对" in rows["资金使用完成率100%"]
    assert "| 不低于 200 |" in rows["培训人数"]  # not a cost row: still a floor


def test_parse_report_notes_are_the_run_logs_target_notes() -> None:
    decl = _context_decl()
    run = evaluate(decl, Actuals(()), load_profile())
    logged = {r.decision.removeprefix("年度指标值：") for r in run.repairs if r.decision.startswith("年度指标值：")}
    shown = {line.split(" | ")[3] for line in _report_rows(decl).values()}
    assert logged and logged <= shown


def test_parse_report_follows_the_profiles_cost_policy(tmp_path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('base = "mof2020"\nname = "mine"\n[policies]\ncost_default_op = "ge"\n', encoding="utf-8")
    rows = _report_rows(_context_decl(), load_profile(mine))
    assert "| 不低于 2,000,000 |" in rows["项目成本"]
    assert "评分规则：mine" in render_parse_report(_context_decl(), "in.txt", "out.xlsx", load_profile(mine))
