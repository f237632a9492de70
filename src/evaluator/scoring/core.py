"""Score projects: plan each row, score all rows at once over numpy columns, assemble the records.

The numbers are computed over whole columns (every row of every project at once) so a portfolio
of thousands of projects scores in seconds; Python loops only read the records in and write the
Chinese calculation text and flags out. The neighbours do one job each: `weights` (分值 in integer
cents), `plan` (what a row asks of the core), `explanation` (calculation text), `flags`, `budget`
(预算执行率) and `rollup` (subtotals, total, grade).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from evaluator.common.numbers import round_half_up_array
from evaluator.common.text import fold_key, normalize_text
from evaluator.config.profiles import Profile
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import EvaluatorError
from evaluator.models import (
    ActualRow,
    Direction,
    Flag,
    Op,
    ProjectInput,
    ProjectScore,
    RowInput,
    ScoredRow,
    Severity,
    TargetKind,
    Tier,
)
from evaluator.scoring.budget import score_budgets
from evaluator.scoring.explanation import calculation, pts
from evaluator.scoring.flags import row_flags
from evaluator.scoring.plan import (
    EPS,
    M_ALL_OR_NOTHING,
    M_DEADLINE,
    M_HIGHER,
    M_LOWER,
    M_NONE,
    M_POINTS,
    M_RANGE,
    M_SHARE,
    NOT_APPLICABLE,
    Core,
    Plan,
)
from evaluator.scoring.rollup import roll_up, row_status, shown_actual
from evaluator.scoring.weights import Weights, allocate_applicable

_TIER_WORDS: tuple[tuple[str, Tier], ...] = (  # longest first: 未达成 and 部分达成 contain 达成
    ("部分达成年度指标并具有一定效果", Tier.PARTIAL),
    ("未达成年度指标且效果较差", Tier.NOT_ACHIEVED),
    ("达成年度指标", Tier.ACHIEVED),
    ("部分达成", Tier.PARTIAL),
    ("未达成", Tier.NOT_ACHIEVED),
    ("达成", Tier.ACHIEVED),
)


def parse_tier(text: str) -> Tier | None:
    """完成档次 as a person fills it in: the drop-down value or the tier's full wording."""
    clean = fold_key(text).rstrip("。.")
    for word, tier in _TIER_WORDS:
        if clean == word:
            return tier
    return None


def _parse_points(text: str) -> float | None:
    clean = fold_key(text).removesuffix("分")
    try:
        value = float(clean)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------------------------
# Row plans: what each row needs from the numeric core
# ---------------------------------------------------------------------------------------------


def _is_missing(actual: ActualRow | None) -> bool:
    if actual is None:
        return True
    typed = actual.actual_text.strip() or (actual.actual_value not in (None, "") and str(actual.actual_value).strip())
    return not (typed or actual.tier_text.strip() or actual.points_text.strip())


def _not_scored(plan: Plan, code: str, reason: str) -> Plan:
    plan.mode = M_NONE
    plan.not_scored_code = code
    plan.reason = reason
    return plan


def _plan_qualitative(row: RowInput, weight: float, profile: Profile, plan: Plan) -> Plan:
    act, asm = row.actual, row.assessment
    tier_text = act.tier_text.strip() if act else ""
    points_text = act.points_text.strip() if act else ""
    tier: Tier | None = None
    if tier_text:
        tier = parse_tier(tier_text)
        if tier is None:
            return _not_scored(
                plan, "needs_judgment", f"完成档次「{tier_text}」无法识别（应为 达成 / 部分达成 / 未达成），需人工判断"
            )
        plan.tier_source = "完成档次"
    points: float | None = None
    if points_text:
        points = _parse_points(points_text)
        if points is None:
            return _not_scored(plan, "needs_judgment", f"评定得分「{points_text}」不是数字，需人工核对")
        if points < 0 or points > weight + EPS:
            return _not_scored(
                plan, "points_out_of_band", f"评定得分 {pts(points)} 超出分值范围（0–{pts(weight)}），需人工核对"
            )
        if tier is None:
            tier = profile.tiers.tier_of_share(points / weight if weight > 0 else 1.0)
            plan.tier_source = "评定得分"
            if asm.tier is not None and asm.tier != tier:
                plan.extra.append(
                    Flag(
                        "tier_conflict",
                        Severity.INFO,
                        f"评定得分对应「{tier}」，与实际完成情况判定的「{asm.tier}」不同，以评定得分为准",
                    )
                )
        rule = profile.tier_rule(tier)
        ordered = profile.tiers.ordered()
        top = ordered[-1][0] == tier
        low, high = weight * rule.band[0], weight * rule.band[1]
        inside = low - EPS <= points <= high + EPS if top else low - EPS <= points < high - EPS
        if not inside:
            closing = "]" if top else ")"
            return _not_scored(
                plan,
                "points_out_of_band",
                f"评定得分 {pts(points)} 不在「{rule.label}」档次范围 [{pts(low)}, {pts(high)}{closing} 内，需人工核对",
            )
        plan.mode, plan.points, plan.tier = M_POINTS, points, tier
        return plan
    if tier is None and asm.tier is not None:
        tier = asm.tier
        plan.tier_source = "实际完成情况"
    if tier is not None:
        plan.mode, plan.tier, plan.share = M_SHARE, tier, profile.tier_rule(tier).points
        return plan
    if _is_missing(act):
        return _not_scored(plan, "missing_actual", "未填写实际完成值")
    text = act.actual_text.strip() if act else ""
    reason = asm.reason or f"实际完成情况「{text}」无法判定档次"
    return _not_scored(plan, "needs_judgment", f"{reason}，需人工判断（可填写完成档次）")


def met_all_or_nothing(direction: Direction | None, op: Op | None, a: float, t: float) -> bool:
    """Whether an all-or-nothing row (target ≤ 0) is met: the planner's and the columns' one rule."""
    strict_op = op in (Op.GT, Op.LT)
    if direction == Direction.HIGHER:
        return a > t if strict_op else a >= t
    if direction == Direction.LOWER:
        return a < t if strict_op else a <= t
    return a <= 0 if t == 0 else abs(a - t) <= EPS


def _plan_row(row: RowInput, weight: float, profile: Profile) -> Plan:
    plan = Plan()
    asm, tgt, act = row.assessment, row.target, row.actual
    if tgt.kind == TargetKind.NOT_APPLICABLE:
        reason = asm.reason or f"年度指标值为「{tgt.raw.strip()}」，本指标不适用，不计分"
        return _not_scored(plan, NOT_APPLICABLE, reason)
    qualitative = asm.direction == Direction.QUALITATIVE or tgt.kind in (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED)
    judged_by_person = (
        not asm.decided
        and tgt.kind == TargetKind.UNREADABLE
        and act is not None
        and bool(act.tier_text.strip() or act.points_text.strip())
    )
    if qualitative or judged_by_person:
        return _plan_qualitative(row, weight, profile, plan)
    if act is not None and (act.tier_text.strip() or act.points_text.strip()):
        plan.extra.append(Flag("tier_ignored", Severity.INFO, "定量指标按实际完成值计分，已忽略完成档次/评定得分"))
    if not asm.decided:
        if _is_missing(act) and "unit_mismatch" not in asm.flags:
            return _not_scored(plan, "missing_actual", "未填写实际完成值")
        code = next((c for c in ("unit_mismatch", "impossible_value") if c in asm.flags), "needs_judgment")
        return _not_scored(plan, code, asm.reason or "实际完成值无法与指标值比较")
    direction = asm.direction
    a, t = asm.actual_value, asm.target_value
    if direction == Direction.DEADLINE:
        if asm.days_late is None:
            return _not_scored(plan, "needs_judgment", asm.reason or "缺少完成日期，无法判断是否按期")
        plan.mode, plan.days = M_DEADLINE, float(asm.days_late)
        return plan
    if a is None or not math.isfinite(a):
        return _not_scored(
            plan, "missing_actual" if _is_missing(act) else "needs_judgment", asm.reason or "缺少可比较的实际完成值"
        )
    plan.a = float(a)
    if direction == Direction.RANGE:
        low = tgt.low if tgt.low is not None else -math.inf
        high = tgt.high if tgt.high is not None else math.inf
        if not (math.isfinite(low) or math.isfinite(high)):
            return _not_scored(plan, "needs_judgment", "区间指标缺少上下限")
        plan.mode, plan.low, plan.high = M_RANGE, low, high
        plan.strict = asm.strict_at_target or (
            (not tgt.low_inclusive and a == low) or (not tgt.high_inclusive and a == high)
        )
        return plan
    if t is None or not math.isfinite(t):
        return _not_scored(plan, "needs_judgment", asm.reason or "缺少可比较的指标值")
    plan.t = float(t)
    strict_op = tgt.op in (Op.GT, Op.LT)
    plan.strict = asm.strict_at_target or (strict_op and a == t and t != 0)
    if direction in (Direction.HIGHER, Direction.EQUAL) and t > 0:
        plan.mode = M_HIGHER
    elif direction == Direction.LOWER and t > 0:
        plan.mode = M_LOWER
    elif direction in (Direction.HIGHER, Direction.EQUAL, Direction.LOWER):
        plan.mode = M_ALL_OR_NOTHING
        plan.met = met_all_or_nothing(direction, tgt.op, a, t)
        plan.strict = False
    else:
        return _not_scored(plan, "needs_judgment", asm.reason or f"无法识别的指标方向「{direction}」")
    return plan


# ---------------------------------------------------------------------------------------------
# The numeric core
# ---------------------------------------------------------------------------------------------


def _score_columns(plans: list[Plan], weights: np.ndarray, causes: list[str], profile: Profile) -> Core:
    marker = profile.policies.overachieve_cause_marker
    return score_arrays(
        np.array([p.mode for p in plans], dtype=np.int8),
        np.array([p.a for p in plans], dtype=float),
        np.array([p.t for p in plans], dtype=float),
        np.array([p.low for p in plans], dtype=float),
        np.array([p.high for p in plans], dtype=float),
        np.array([p.days for p in plans], dtype=float),
        np.array([p.share for p in plans], dtype=float),
        np.array([p.points for p in plans], dtype=float),
        np.array([p.met for p in plans], dtype=bool),
        weights,
        np.array([marker in (c or "") for c in causes], dtype=bool),
        profile,
    )


def score_arrays(
    mode: np.ndarray,
    a: np.ndarray,
    t: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    days: np.ndarray,
    share: np.ndarray,
    points: np.ndarray,
    met: np.ndarray,
    weights: np.ndarray,
    too_low: np.ndarray,
    profile: Profile,
) -> Core:
    """The decision tree over whole columns (one entry per row): completion, score and what the
    flags need, as numpy selects; the planned rows may come from plans or straight from arrays."""
    pol = profile.policies
    with np.errstate(all="ignore"):
        a_pos = np.maximum(a, 0.0)
        # Higher is better (also = with t > 0, and growth targets): ratio a/t, a < 0 counts as 0.
        higher_ratio = a_pos / t
        # Lower is better: met → 1; else the `reverse` policy.
        if pol.reverse == "ratio":
            lower_frac = np.where(a <= t, 1.0, t / a)
        else:
            lower_frac = np.where(a <= t, 1.0, 1.0 - (a - t) / t)
        # Ranges: inside → 1; below as ≥ low; above as ≤ high.
        below, above = a < low, a > high
        range_below = np.where(low > 0, a_pos / low, 0.0)
        if pol.reverse == "ratio":
            range_above = np.where(high > 0, high / a, 0.0)
        else:
            range_above = np.where(high > 0, 1.0 - (a - high) / high, 0.0)
        range_frac = np.where(below, range_below, np.where(above, range_above, 1.0))
        deadline_frac = np.where(days <= 0, 1.0, 1.0 - days / pol.late_days_to_zero)

        completion = np.select(
            [
                mode == M_HIGHER,
                mode == M_LOWER,
                mode == M_ALL_OR_NOTHING,
                mode == M_RANGE,
                mode == M_DEADLINE,
                mode == M_SHARE,
                mode == M_POINTS,
            ],
            [
                higher_ratio,
                lower_frac,
                met.astype(float),
                range_frac,
                deadline_frac,
                share,
                np.where(weights > 0, points / weights, 1.0),
            ],
            default=np.nan,
        )
        completion = np.where(np.isnan(completion), np.nan, np.maximum(completion, 0.0))
        frac = np.minimum(np.nan_to_num(completion, nan=0.0), 1.0)

        over = (mode == M_HIGHER) & (a >= pol.overachieve_flag_ratio * t - EPS * np.abs(t))
        deducted = np.zeros_like(over)
        if pol.overachieve_deduction == "deviation":
            deducted = (mode == M_HIGHER) & too_low & (a > t)
            floor = profile.tiers.partial.band[0]
            frac = np.where(deducted, np.maximum(floor, np.maximum(0.0, 1.0 - (a / t - 1.0))), frac)
        capped_lower = (mode == M_LOWER) & (a >= 2 * t) & (pol.reverse == "linear_to_zero")

    raw = np.where(mode == M_POINTS, points, weights * frac)
    raw = np.where(mode == M_NONE, 0.0, np.nan_to_num(raw, nan=0.0))
    score = np.minimum(np.maximum(round_half_up_array(raw), 0.0), weights)
    return Core(score, completion, over, deducted, capped_lower)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _level1_of(row: RowInput, taxonomy: Taxonomy) -> str:
    ind = row.indicator
    level1 = taxonomy.canonical_level1(ind.level1) if ind.level1 else None
    if level1 is None:
        level1 = taxonomy.level1_of(ind.level2) if ind.level2 else None
    if level1 is None:
        raise EvaluatorError(
            f"指标「{ind.level3}」的一级指标「{ind.level1}」和二级指标「{ind.level2}」都无法识别，无法分配分值",
            ind.source,
        )
    return level1


def score_projects(
    inputs: Sequence[ProjectInput], profile: Profile, taxonomy: Taxonomy | None = None, *, columnar: bool = True
) -> list[ProjectScore]:
    """Score every project by `profile`; the result keeps the input's project and row order.

    By default the common kinds of row are planned and written in columns (scoring.columnar);
    `columnar=False` runs every row through the scalar planner below — the reference the columnar
    path is tested equal to.
    """
    if columnar:
        from evaluator.scoring.columnar import score_projects_columnar  # it builds on this module

        return score_projects_columnar(inputs, profile, taxonomy)
    return score_projects_scalar(inputs, profile, taxonomy)


def score_projects_scalar(
    inputs: Sequence[ProjectInput], profile: Profile, taxonomy: Taxonomy | None = None
) -> list[ProjectScore]:
    """Every row planned, scored and written one by one: the reference path (see score_projects)."""
    taxonomy = taxonomy or default_taxonomy()
    # 1. Weights and plans, project by project (integer cents).
    all_rows: list[RowInput] = []
    level1s: list[str] = []
    plans: list[Plan] = []
    weight_cents: list[int] = []
    given: list[bool] = []
    per_project: list[Weights] = []
    spans: list[tuple[int, int]] = []
    for project in inputs:
        start = len(all_rows)
        l1 = [_level1_of(r, taxonomy) for r in project.rows]
        alloc = allocate_applicable(project.rows, l1, profile)
        per_project.append(alloc)
        for row, level1, cents in zip(project.rows, l1, alloc.cents, strict=True):
            all_rows.append(row)
            level1s.append(level1)
            weight_cents.append(cents)
            plans.append(_plan_row(row, cents / 100, profile))
        given.extend(alloc.given)
        spans.append((start, len(all_rows)))

    # 2. The numeric core over all rows at once.
    weights = np.array(weight_cents, dtype=float) / 100
    causes = [r.actual.overachieve_cause if r.actual else "" for r in all_rows]
    core = _score_columns(plans, weights, causes, profile)
    score_cents = np.rint(core.score * 100).astype(np.int64)
    budgets = score_budgets([p.budget for p in inputs], profile)

    # 3. Records, text and roll-up.
    results: list[ProjectScore] = []
    for project, (start, end), alloc, budget in zip(inputs, spans, per_project, budgets, strict=True):
        scored_rows: list[ScoredRow] = []
        for i in range(start, end):
            row, plan = all_rows[i], plans[i]
            w = weight_cents[i] / 100
            s = int(score_cents[i]) / 100
            completion = float(core.completion[i]) if plan.mode != M_NONE else None
            act = row.actual
            scored_rows.append(
                ScoredRow(
                    project=project.project.name,
                    level1=level1s[i],
                    level2=row.indicator.level2,
                    level3=row.indicator.level3,
                    target_text=normalize_text(row.indicator.target_text),  # shown; the raw text is in the log
                    actual_text=shown_actual(row),
                    weight=w,
                    score=s,
                    status=row_status(plan),
                    calculation=calculation(plan, row, w, s, core, i, profile),
                    reason=plan.reason if plan.mode == M_NONE else "",
                    flags=row_flags(plan, row, w, s, core, i, profile),
                    completion=completion if completion is None or math.isfinite(completion) else None,
                    deviation_reason=act.deviation_reason if act else "",
                    weight_given=given[i],
                    source=(act.source if act and act.source else row.indicator.source),
                )
            )
        results.append(
            roll_up(
                project, scored_rows, weight_cents[start:end], score_cents[start:end], alloc, budget, profile, taxonomy
            )
        )
    return results
