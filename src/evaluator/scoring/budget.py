"""The budget execution row (预算执行率): rate, points and flags for every project at once."""

from __future__ import annotations

import numpy as np

from evaluator.common.numbers import format_number, round_half_up_array
from evaluator.config.profiles import Profile
from evaluator.models import (
    BudgetRow,
    BudgetScore,
    Flag,
    Severity,
)
from evaluator.scoring.explanation import pct, pts
from evaluator.scoring.plan import EPS


def score_budgets(budgets: list[BudgetRow | None], profile: Profile) -> list[BudgetScore]:
    points = profile.budget_points
    adjusted = np.array([b.adjusted_budget if b and b.adjusted_budget is not None else np.nan for b in budgets])
    executed = np.array([b.executed if b and b.executed is not None else np.nan for b in budgets])
    usable = np.isfinite(adjusted) & np.isfinite(executed) & (adjusted > 0) & (executed >= 0)
    with np.errstate(all="ignore"):
        rate = np.where(usable, executed / adjusted, np.nan)
    score = np.where(
        usable, np.minimum(round_half_up_array(points * np.minimum(np.nan_to_num(rate), 1.0)), points), 0.0
    )
    rules = profile.flags
    out: list[BudgetScore] = []
    for i, budget in enumerate(budgets):
        flags: list[Flag] = []
        if not usable[i]:
            if budget is None:
                reason = "未提供预算执行数据"
            elif budget.adjusted_budget is None:
                reason = "缺少全年预算数"
            elif budget.adjusted_budget <= 0:
                reason = f"全年预算数为 {format_number(budget.adjusted_budget)}元，无法计算执行率"
            elif budget.executed is None:
                reason = "缺少全年执行数"
            else:
                reason = f"全年执行数为负数（{format_number(budget.executed)}元）"
            flags.append(Flag("budget_missing", Severity.YELLOW, f"预算执行率未评分：{reason}"))
            out.append(
                BudgetScore(
                    budget.initial_budget if budget else None,
                    budget.adjusted_budget if budget else None,
                    budget.executed if budget else None,
                    None,
                    points,
                    0.0,
                    False,
                    f"{reason}，未评分",
                    tuple(flags),
                    budget.parts if budget else (),
                )
            )
            continue
        r = float(rate[i])
        s = float(score[i])
        head = (
            f"全年执行数 {format_number(executed[i] / 1e4, 6)}万元 ÷ "
            f"全年预算数 {format_number(adjusted[i] / 1e4, 6)}万元 = {pct(r)}"
        )
        if r > 1:
            calc = f"{head}，超过100%按100%计：{pts(points)} × 100% = {pts(s)}"
        else:
            calc = f"{head}；{pts(points)} × {pct(r)} = {pts(s)}"
        if r < rules.budget_low_below - EPS:
            flags.append(Flag("budget_low", Severity.YELLOW, f"预算执行率 {pct(r)} 低于 {pct(rules.budget_low_below)}"))
        if r > rules.budget_high_above + EPS:
            flags.append(
                Flag(
                    "budget_high",
                    Severity.YELLOW,
                    f"预算执行率 {pct(r)} 超过 {pct(rules.budget_high_above)}，请核对执行数",
                )
            )
        out.append(
            BudgetScore(
                budget.initial_budget,
                budget.adjusted_budget,
                budget.executed,  # type: ignore[union-attr]
                r,
                points,
                s,
                True,
                calc,
                tuple(flags),
                budget.parts,  # type: ignore[union-attr]
            )
        )
    return out
