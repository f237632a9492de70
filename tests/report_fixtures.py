"""Realistic RunResults for report tests: the real seed declarations with fabricated year-end facts.

The value parsers are a separate stage, so targets here are read by a deliberately small regex
(enough for the seed's `≥100.00(个)` / `=100(%)` / `满意度85%以上` forms); everything else becomes a
qualitative row. Actuals follow a fixed pattern per row so every kind of outcome appears: met,
shortfall (yellow and red), over-achievement, missing actual, needs judgment, late deadline.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from evaluator.config.profiles import load_profile
from evaluator.ingest.declarations import read_declarations
from evaluator.models import (
    ActualRow,
    Assessment,
    BudgetRow,
    Direction,
    Indicator,
    Op,
    Project,
    ProjectInput,
    RowInput,
    RowStatus,
    RunResult,
    Target,
    TargetKind,
    Tier,
)
from evaluator.scoring.core import score_projects
from scoring_fixtures import deadline, project, qual, quant, ranged

SEED = Path(__file__).resolve().parents[1] / "inputs" / "shanghai_ftu_2024_targets.txt"
_NUMBER = re.compile(r"(≥|>|=|≤|<)?\s*([0-9]+(?:\.[0-9]+)?)\s*\(?(%|[^\s()（）0-9]+)?\)?")
_OPS = {
    "≥": (Op.GE, Direction.HIGHER),
    ">": (Op.GT, Direction.HIGHER),
    "=": (Op.EQ, Direction.EQUAL),
    "≤": (Op.LE, Direction.LOWER),
    "<": (Op.LT, Direction.LOWER),
}

# Completion pattern cycled over numeric rows: on target, a yellow shortfall, over-achievement,
# a red shortfall, no actual.
_PATTERN = (1.0, 1.0, 0.92, 1.0, 1.6, 1.0, 0.45, 1.0, None, 1.0)
_QUAL_PATTERN = (
    ("达成年度指标", Tier.ACHIEVED),
    ("基本完成", Tier.PARTIAL),
    ("达成", Tier.ACHIEVED),
    ("情况良好，但难以量化", None),
)


def _numeric(indicator: Indicator) -> tuple[Op, Direction, float, str | None] | None:
    text = indicator.target_text.replace("$", "").replace("\\geq", "≥").replace("\\%", "%")
    match = _NUMBER.search(text)
    if not match or not re.search(r"[0-9]", text):
        return None
    op, direction = _OPS.get(match.group(1) or "≥", (Op.GE, Direction.HIGHER))
    unit = match.group(3)
    unit = unit if unit and len(unit) <= 3 and not unit.startswith("以") else ("%" if "%" in text else None)
    return op, direction, float(match.group(2)), unit


def _row(name: str, indicator: Indicator, k: int, seed: int) -> RowInput:
    numeric = _numeric(indicator)
    if numeric is None:
        text, tier = _QUAL_PATTERN[(k + seed) % len(_QUAL_PATTERN)]
        target = Target(raw=indicator.target_text, kind=TargetKind.QUALITATIVE, expectation=indicator.target_text)
        reason = "" if tier in (Tier.ACHIEVED, None) else "部分活动受场地影响延期，明年提前预订场地。"
        assessment = Assessment(
            direction=Direction.QUALITATIVE,
            decided=tier is not None,
            tier=tier,
            reason="" if tier else "无法判断是否达成，需人工评定",
        )
        actual = ActualRow(name, indicator.level1, indicator.level2, indicator.level3, text, deviation_reason=reason)
        return RowInput(indicator, target, assessment, actual)
    op, direction, t, unit = numeric
    factor = _PATTERN[(k + seed) % len(_PATTERN)]
    if unit == "%" and factor is not None and factor > 1:
        factor = 1.0  # a rate cannot exceed 100%
    a = None if factor is None else round(t * factor, 2)
    target = Target(raw=indicator.target_text, kind=TargetKind.COMPARISON, op=op, value=t, unit=unit)
    assessment = Assessment(
        direction=direction,
        decided=a is not None,
        actual_value=a,
        target_value=t,
        unit=unit,
        reason="" if a is not None else "未填写实际完成值",
    )
    reason = "受疫情后场地调整影响，部分活动合并举办；下年度将提前排期。" if factor == 0.92 else ""
    cause = "参与热情高于预期" if factor == 1.6 else ""
    actual = (
        None
        if a is None
        else ActualRow(
            name,
            indicator.level1,
            indicator.level2,
            indicator.level3,
            f"{a:g}{unit or ''}",
            deviation_reason=reason,
            overachieve_cause=cause,
        )
    )
    return RowInput(indicator, target, assessment, actual)


def seed_projects() -> tuple[Project, ...]:
    return read_declarations(SEED).projects


def seed_inputs(limit: int | None = None) -> list[ProjectInput]:
    inputs = []
    for p_index, proj in enumerate(seed_projects()[:limit]):
        rows = tuple(_row(proj.name, ind, k, p_index) for k, ind in enumerate(proj.indicators))
        total = proj.total_funds or 0.0
        executed = total * (0.72 if p_index % 4 == 1 else 0.9861 if p_index % 4 == 2 else 1.0)
        budget = BudgetRow(proj.name, total, total, round(executed, 2))
        inputs.append(ProjectInput(proj, rows, budget))
    return inputs


LONG_NAME = "关于“职工/劳模”疗休养及<帮扶>专项:资金|项目? " + "超长名称" * 40


def odd_inputs() -> list[ProjectInput]:
    """Synthetic projects with awkward names and every row kind, built with the scorer fixtures."""
    rows = [
        quant("年度开设班级数", 95, 100, unit="个"),
        quant("年度招收学员人次", 3100, 3000),
        quant("活动场次", 20, 10, unit="场", cause="参与热情高于预期"),
        quant("单位成本", 130, 100, Direction.LOWER, unit="元", level1="成本指标", level2="经济成本指标"),
        ranged("出勤率", 95, 80, 90, level2="质量指标", reason="出勤率高于区间上限，系统计口径差异"),
        deadline("项目完成时间", 30),
        qual("社会影响", "达成年度指标", Tier.ACHIEVED),
        qual("长效机制", "尚在研究", None),
        quant("学员满意度", 88, 90, unit="%", level1="满意度指标", level2="服务对象满意度指标"),
    ]
    odd = project(rows, adjusted=1_234_567.89, executed=654_321.01, name=LONG_NAME)
    odd = replace(
        odd,
        project=replace(
            odd.project,
            department="上海市总工会",
            implementer="上海市工人文化宫",
            total_funds=1_234_567.89,
            fiscal_funds=1_000_000.0,
            carryover_funds=234_567.89,
            other_funds=0.0,
            annual_goal="开展职工疗休养与帮扶活动，满足职工需求。",
            year=2024,
        ),
    )
    slashed = project(
        [
            quant("服务人数", 50, 100, unit="人"),
            qual("满意情况", "满意", Tier.ACHIEVED, level1="满意度指标", level2="服务对象满意度指标"),
        ],
        name="A/B 'quoted' \"项目\"",
    )
    return [odd, slashed]


def make_run(limit: int | None = None, extra: bool = True) -> RunResult:
    inputs = seed_inputs(limit) + (odd_inputs() if extra else [])
    scores = score_projects(inputs, load_profile(None))
    rows = [r for s in scores for r in s.rows]
    return RunResult(
        projects=tuple(scores),
        profile_name="mof2020",
        rows_in=len(rows),
        rows_scored=sum(r.status is RowStatus.SCORED for r in rows),
        rows_not_scored=sum(r.status is RowStatus.NOT_SCORED for r in rows),
        year=2024,
    )
