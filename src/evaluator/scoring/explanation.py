"""The written-out calculation of every row: the Chinese text a reviewer checks a score against.

`qty`, `pts` and `pct` are how every scoring text shows a quantity, points and a ratio, all rounded
half up as the published tables are.
"""

from __future__ import annotations

import math

from evaluator.common.numbers import format_amount, format_number, format_percent
from evaluator.config.profiles import Profile
from evaluator.models import (
    Op,
    RowInput,
    Tier,
)
from evaluator.scoring.plan import (
    M_ALL_OR_NOTHING,
    M_DEADLINE,
    M_HIGHER,
    M_NONE,
    M_POINTS,
    M_RANGE,
    M_SHARE,
    NOT_APPLICABLE,
    Core,
    Plan,
)


def qty(value: float, unit: str | None) -> str:
    return f"{format_number(value)}{unit or ''}"


def pts(value: float) -> str:
    return f"{format_amount(value, 2)}分"


def pct(ratio: float) -> str:
    return format_percent(ratio, trim=True)


def calculation(plan: Plan, row: RowInput, w: float, score: float, core: Core, i: int, profile: Profile) -> str:
    unit = row.assessment.unit
    a, t = plan.a, plan.t
    pol = profile.policies
    if plan.mode == M_NONE:
        if plan.not_scored_code == "missing_actual":
            return "未填写实际完成值，未评分"
        if plan.not_scored_code == NOT_APPLICABLE:
            return plan.reason
        return f"{plan.reason}，未评分"
    if plan.mode == M_SHARE:
        return share_text(row, plan.tier, plan.tier_source, w, score, profile)  # type: ignore[arg-type]
    if plan.mode == M_POINTS:
        rule = profile.tier_rule(plan.tier)  # type: ignore[arg-type]
        low, high = w * rule.band[0], w * rule.band[1]
        return f"{rule.label}，评定得分 {pts(score)}（档次范围 {pts(low)}–{pts(high)}）"
    if plan.mode == M_DEADLINE:
        if plan.days <= 0:
            return f"按期完成 × {pts(w)} = {pts(score)}"
        return (
            f"逾期 {format_number(plan.days)}天：{pts(w)} × "
            f"max(0, 1 − {format_number(plan.days)} ÷ {pol.late_days_to_zero}) "
            f"= {pts(score)}"
        )
    if plan.mode == M_ALL_OR_NOTHING:
        return comparison_text(M_ALL_OR_NOTHING, row, a, t, False, plan.met, w, score, profile)
    strict_note = "；恰好等于指标值，未严格达到，按比例计分" if plan.strict else ""
    if plan.mode == M_RANGE:
        span = (
            f"{qty(plan.low, unit)}–{qty(plan.high, unit)}"
            if math.isfinite(plan.low) and math.isfinite(plan.high)
            else (f"不低于 {qty(plan.low, unit)}" if math.isfinite(plan.low) else f"不高于 {qty(plan.high, unit)}")
        )
        if a < plan.low:
            if plan.low <= 0:
                return f"实际 {qty(a, unit)} 低于区间 {span}：{pts(score)}"
            return f"实际 {qty(max(a, 0.0), unit)} ÷ 下限 {qty(plan.low, unit)} × {pts(w)} = {pts(score)}"
        if a > plan.high:
            return _lower_text(a, plan.high, unit, w, score, pol.reverse, "上限", plan.high <= 0)
        return f"实际 {qty(a, unit)} 在区间 {span} 内 × {pts(w)} = {pts(score)}{strict_note}"
    if plan.mode == M_HIGHER and core.deducted[i]:
        floor = profile.tiers.partial.band[0]
        return (
            f"实际 {qty(a, unit)} ÷ 目标 {qty(t, unit)} = {pct(a / t)}，超额原因为"
            f"{pol.overachieve_cause_marker}，按偏差扣分：{pts(w)} × max({pct(floor)}, 1 − "
            f"({pct(a / t)} − 100%)) = {pts(score)}"
        )
    return comparison_text(plan.mode, row, a, t, plan.strict, plan.met, w, score, profile)


def share_text(row: RowInput, tier: Tier, tier_source: str, w: float, score: float, profile: Profile) -> str:
    """A row scored by its tier's share of the points (M_SHARE)."""
    rule = profile.tier_rule(tier)
    return f"{rule.label}（{pct(rule.points)}）× {pts(w)} = {pts(score)}{_tier_basis(tier_source, row)}"


def comparison_text(
    mode: int, row: RowInput, a: float, t: float, strict: bool, met: bool, w: float, score: float, profile: Profile
) -> str:
    """A compared row: all or nothing, higher is better (without a deviation deduction), lower is better.

    Called with a Plan's numbers by `calculation` and with column values by the columnar core.
    """
    unit = row.assessment.unit
    if mode == M_ALL_OR_NOTHING:
        verdict = "达到" if met else "未达到"
        return f"指标值 {qty(t, unit)}，实际 {qty(a, unit)}，{verdict}（全有或全无）：{pts(score)}"
    strict_note = "；恰好等于指标值，未严格达到，按比例计分" if strict else ""
    if mode == M_HIGHER:
        if a >= t and not strict:
            return f"实际 {qty(a, unit)} {_at_least(row, a, t, unit)}，达成指标 × {pts(w)} = {pts(score)}"
        negative = f"（实际 {qty(a, unit)} 为负，按0计）" if a < 0 else ""
        return f"实际 {qty(max(a, 0.0), unit)} ÷ 目标 {qty(t, unit)} × {pts(w)} = {pts(score)}{negative}{strict_note}"
    # M_LOWER
    if a <= t:
        return f"实际 {qty(a, unit)} ≤ 目标 {qty(t, unit)}，达成指标 × {pts(w)} = {pts(score)}{strict_note}"
    return _lower_text(a, t, unit, w, score, profile.policies.reverse, "目标", False)


def _at_least(row: RowInput, a: float, t: float, unit: str | None) -> str:
    """How a met higher-is-better row compares: an `=` target is scored as 不低于 and says so.

    Writing `9个 ≥ 目标 8个` for a target written `=8个` would put a sign in the reviewer's mouth that
    the declaration never used.
    """
    if row.target.op != Op.EQ:
        return f"≥ 目标 {qty(t, unit)}"
    if abs(a - t) <= 1e-9 * max(1.0, abs(t)):
        return f"= 目标 {qty(t, unit)}"
    return f"高于目标 {qty(t, unit)}（指标值为「=」，按不低于目标计分）"


def _tier_basis(tier_source: str, row: RowInput) -> str:
    """Why this tier: an auditor must see whether a person chose it or the words decided it."""
    act = row.actual
    if tier_source == "完成档次" and act is not None:
        return f"（依据：完成档次「{act.tier_text.strip()}」）"
    if tier_source == "实际完成情况" and act is not None and act.actual_text.strip():
        why = row.assessment.reason
        return f"（依据：实际完成情况「{act.actual_text.strip()}」{'，' + why if why else ''}）"
    return ""


def _lower_text(
    a: float, t: float, unit: str | None, w: float, score: float, reverse: str, name: str, zero: bool
) -> str:
    if zero:
        return f"实际 {qty(a, unit)} 高于{name} {qty(t, unit)}：{pts(score)}"
    if reverse == "ratio":
        return f"{name} {qty(t, unit)} ÷ 实际 {qty(a, unit)} × {pts(w)} = {pts(score)}"
    tail = f"（实际达到{name}的2倍及以上，不得分）" if a >= 2 * t else ""
    return (
        f"实际 {qty(a, unit)} 超过{name} {qty(t, unit)}：{pts(w)} × (1 − ({qty(a, unit)} − "
        f"{qty(t, unit)}) ÷ {qty(t, unit)}) = {pts(score)}{tail}"
    )
