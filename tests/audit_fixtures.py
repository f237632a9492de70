"""Constructed filled 自评表 for the audit tests: a clean project, and helpers to break one figure.

The records are what the table reader produces from a filled 自评表 (published actuals, 分值, 得分,
偏差原因 on each indicator; the budget block and totals on the project), built by hand so each test
changes exactly one published figure and checks exactly the finding it must cause.
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.common.numbers import round_half_up
from evaluator.models import Declarations, Indicator, Project, PublishedTotals, SourceRef

FILE = "自评表_测试.xlsx"


def ind(
    level3: str,
    target: str,
    actual: str,
    weight: float,
    score: float | None,
    level1: str = "产出指标",
    level2: str = "数量指标",
    reason: str = "",
    row: int = 10,
) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        level3=level3,
        target_text=target,
        weight=weight,
        source=SourceRef(FILE, sheet="自评表", row=row),
        published_actual=actual,
        published_score=score,
        deviation_reason=reason,
    )


def clean_rows() -> list[Indicator]:
    """Every published score is the rule-correct one; the one shortfall has its reason."""
    return [
        ind("培训人数", "≥100人", "120人", 20, 20, row=10),
        ind("培训合格率", "≥95%", "96%", 15, 15, level2="质量指标", row=11),
        ind("完成时间", "2024年12月31日前", "2024年11月30日", 15, 15, level2="时效指标", row=12),
        ind("受益人次", "≥1000人次", "900人次", 30, 27, "效益指标", "社会效益指标", "受天气影响，部分活动取消", row=13),
        ind("参训人员满意度", "≥90%", "95%", 10, 10, "满意度指标", "服务对象满意度指标", row=14),
    ]


def project(
    rows: list[Indicator] | None = None,
    *,
    name: str = "职工培训项目",
    budget: tuple[float | None, float | None, float | None] = (1_000_000, 1_000_000, 950_000),
    budget_weight: float | None = 10,
    **published: object,
) -> Project:
    """A project whose published budget score, rate, total and grade follow from its rows unless given."""
    rows = clean_rows() if rows is None else rows
    initial, full, executed = budget
    rate = executed / full if executed is not None and full else None
    w = 10 if budget_weight is None else budget_weight
    budget_score = round_half_up(w * min(rate, 1.0), 2) if rate is not None else None
    defaults: dict[str, object] = {
        "initial_budget": initial,
        "full_year_budget": full,
        "executed": executed,
        "budget_weight": budget_weight,
        "budget_rate": rate,
        "budget_score": budget_score,
    }
    defaults.update(published)
    if "total_score" not in published:
        scores = [r.published_score or 0 for r in rows]
        defaults["total_score"] = round_half_up((defaults["budget_score"] or 0) + sum(scores), 2)  # type: ignore[operator]
    if "total_weight" not in published:
        defaults["total_weight"] = 100
    if "grade" not in published:
        total = defaults["total_score"]
        defaults["grade"] = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"  # type: ignore[operator]
    return Project(
        name=name,
        indicators=tuple(rows),
        year=2024,
        source=SourceRef(FILE, sheet="自评表", row=2),
        published=PublishedTotals(**defaults),  # type: ignore[arg-type]
    )


def decl(*projects: Project) -> Declarations:
    return Declarations(projects=projects or (project(),), source_file=FILE)


def with_row(rows: list[Indicator], level3: str, **changes: object) -> list[Indicator]:
    """`rows` with the named row changed (published figures as keyword arguments of Indicator)."""
    assert any(r.level3 == level3 for r in rows), level3
    return [replace(r, **changes) if r.level3 == level3 else r for r in rows]
