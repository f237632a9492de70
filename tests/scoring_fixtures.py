"""Builders for scorer inputs: records constructed directly, as the parse/evaluate stages would."""

from __future__ import annotations

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
    Target,
    TargetKind,
    Tier,
)

_OPS = {Direction.HIGHER: Op.GE, Direction.LOWER: Op.LE, Direction.EQUAL: Op.EQ}


def quant(
    name: str,
    a: float | None,
    t: float,
    direction: Direction = Direction.HIGHER,
    unit: str | None = "人次",
    *,
    level1: str = "产出指标",
    level2: str = "数量指标",
    op: Op | None = None,
    weight: float | None = None,
    strict_at_target: bool = False,
    reason: str = "",
    cause: str = "",
    flags: tuple[str, ...] = (),
    tier_text: str = "",
    points_text: str = "",
) -> RowInput:
    op = op or _OPS.get(direction, Op.GE)
    target = Target(raw=f"{op}{t}{unit or ''}", kind=TargetKind.COMPARISON, op=op, value=t, unit=unit)
    decided = a is not None and "unit_mismatch" not in flags
    assessment = Assessment(
        direction=direction,
        decided=decided,
        actual_value=a,
        target_value=t,
        unit=unit,
        strict_at_target=strict_at_target,
        reason=reason,
        flags=flags,
    )
    actual = ActualRow(
        project="P",
        level1=level1,
        level2=level2,
        level3=name,
        actual_text="" if a is None else f"{a}{unit or ''}",
        deviation_reason=reason,
        overachieve_cause=cause,
        tier_text=tier_text,
        points_text=points_text,
    )
    return RowInput(Indicator(level1, level2, name, target.raw, weight), target, assessment, actual)


def ranged(name: str, a: float, low: float, high: float, unit: str = "%", **kw) -> RowInput:
    target = Target(
        raw=f"{low}{unit}-{high}{unit}",
        kind=TargetKind.RANGE,
        low=low,
        high=high,
        unit=unit,
        low_inclusive=kw.pop("low_inclusive", True),
        high_inclusive=kw.pop("high_inclusive", True),
    )
    assessment = Assessment(direction=Direction.RANGE, decided=True, actual_value=a, unit=unit)
    level1, level2 = kw.pop("level1", "产出指标"), kw.pop("level2", "质量指标")
    actual = ActualRow("P", level1, level2, name, f"{a}{unit}", deviation_reason=kw.pop("reason", ""))
    return RowInput(Indicator(level1, level2, name, target.raw, kw.pop("weight", None)), target, assessment, actual)


def deadline(name: str, days_late: int | None, **kw) -> RowInput:
    target = Target(raw="2024年6月底前完成", kind=TargetKind.DEADLINE)
    assessment = Assessment(direction=Direction.DEADLINE, decided=days_late is not None, days_late=days_late)
    level1, level2 = kw.pop("level1", "产出指标"), kw.pop("level2", "时效指标")
    actual = ActualRow("P", level1, level2, name, "2024-07-01", deviation_reason=kw.pop("reason", ""))
    return RowInput(Indicator(level1, level2, name, target.raw, kw.pop("weight", None)), target, assessment, actual)


def qual(
    name: str,
    actual_text: str = "",
    tier: Tier | None = None,
    *,
    level1: str = "效益指标",
    level2: str = "社会效益指标",
    tier_text: str = "",
    points_text: str = "",
    weight: float | None = None,
    reason: str = "",
    no_actual: bool = False,
) -> RowInput:
    target = Target(raw="有效提升", kind=TargetKind.QUALITATIVE, expectation="有效提升")
    assessment = Assessment(direction=Direction.QUALITATIVE, decided=tier is not None, tier=tier)
    actual = (
        None
        if no_actual
        else ActualRow(
            "P",
            level1,
            level2,
            name,
            actual_text,
            tier_text=tier_text,
            points_text=points_text,
            deviation_reason=reason,
        )
    )
    return RowInput(Indicator(level1, level2, name, target.raw, weight), target, assessment, actual)


def project(
    rows: list[RowInput],
    adjusted: float | None = 1_000_000,
    executed: float | None = 1_000_000,
    name: str = "P",
    budget: bool = True,
) -> ProjectInput:
    budget_row = BudgetRow(name, adjusted, adjusted, executed) if budget else None
    return ProjectInput(Project(name=name, indicators=tuple(r.indicator for r in rows)), tuple(rows), budget_row)
