"""Score, roll up and flag projects: assessments in, points with their written-out calculation out.

The numbers are computed over whole columns (every row of every project at once) so a portfolio
of thousands of projects scores in seconds; Python loops only read the records in and write the
Chinese calculation text and flags out. Weights and sums are kept in integer cents, so that a
subtotal always equals the sum of the row scores shown under it, to the cent.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from evaluator.common.numbers import format_amount, round_half_up, round_half_up_array
from evaluator.common.text import normalize_text
from evaluator.config.profiles import Profile
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import EvaluatorError
from evaluator.models import (
    ActualRow,
    BudgetRow,
    BudgetScore,
    Direction,
    Flag,
    LevelScore,
    Op,
    ProjectInput,
    ProjectScore,
    RowInput,
    RowStatus,
    ScoredRow,
    Severity,
    TargetKind,
    Tier,
)

COST = "成本指标"
OUTPUT = "产出指标"
NOT_APPLICABLE = "not_applicable"  # the not-scored code of a 无 / 不适用 row

# Row modes of the numeric core.
M_NONE, M_HIGHER, M_LOWER, M_ALL_OR_NOTHING, M_RANGE, M_DEADLINE, M_SHARE, M_POINTS = range(8)

_EPS = 1e-9

_TIER_WORDS: tuple[tuple[str, Tier], ...] = (  # longest first: 未达成 and 部分达成 contain 达成
    ("部分达成年度指标并具有一定效果", Tier.PARTIAL),
    ("未达成年度指标且效果较差", Tier.NOT_ACHIEVED),
    ("达成年度指标", Tier.ACHIEVED),
    ("部分达成", Tier.PARTIAL),
    ("未达成", Tier.NOT_ACHIEVED),
    ("达成", Tier.ACHIEVED),
)

_FLAG_SEVERITY = {
    "impossible_value": Severity.RED,
    "unit_mismatch": Severity.YELLOW,
    "target_from_name": Severity.YELLOW,
}
_FLAG_LABEL = {
    "impossible_value": "实际值不合理",
    "unit_mismatch": "单位不一致",
    "target_from_name": "年度指标值为空，按指标名称中的数值评分，请核对",
    "milestones_unchecked": "前面的时间节点未核对",
}


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------


def _num(value: float, digits: int = 4) -> str:
    """A number as people write it: thousands separators, no needless trailing zeros."""
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:.6g}"
    text = format_amount(value, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _qty(value: float, unit: str | None) -> str:
    return f"{_num(value)}{unit or ''}"


def _pts(value: float) -> str:
    return f"{format_amount(value, 2)}分"


def _pct(ratio: float) -> str:
    return f"{_num(ratio * 100, 2)}%"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_tier(text: str) -> Tier | None:
    """完成档次 as a person fills it in: the drop-down value or the tier's full wording."""
    clean = _squash(text).rstrip("。.")
    for word, tier in _TIER_WORDS:
        if clean == word:
            return tier
    return None


def _parse_points(text: str) -> float | None:
    clean = _squash(text).removesuffix("分")
    try:
        value = float(clean)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------------------------
# Weights (integer cents, largest remainder)
# ---------------------------------------------------------------------------------------------


def largest_remainder(total_cents: int, shares: Sequence[int]) -> list[int]:
    """Split `total_cents` in proportion to `shares` so the parts add up exactly.

    Each part gets the floor of its quota; the cents left over go to the largest remainders, ties
    to the earlier part (declaration order), so the split is deterministic.
    """
    n = len(shares)
    whole = sum(shares)
    if n == 0:
        return []
    if whole <= 0 or total_cents <= 0:
        return [0] * n
    floors = [total_cents * s // whole for s in shares]
    remainders = [total_cents * s % whole for s in shares]
    left = total_cents - sum(floors)
    for index in sorted(range(n), key=lambda i: (-remainders[i], i))[:left]:
        floors[index] += 1
    return floors


def _cents(value: float) -> int:
    return round(round_half_up(value, 2) * 100)


@dataclass
class _Weights:
    cents: list[int]
    given: list[bool]
    category_cents: dict[str, int]  # points available per present or missing first-level category
    missing: list[tuple[str, int]]  # (level1, cents) of configured categories without rows
    notes: list[str] = field(default_factory=list)


def _allocate(level1s: list[str], level2s: list[str], given: list[float | None], profile: Profile) -> _Weights:
    counts = {name: level1s.count(name) for name in dict.fromkeys(level1s)}
    category = {name: _cents(profile.level1_points(name)) for name in profile.points.by_level1()}
    notes: list[str] = []
    if counts.get(COST):
        policy = profile.policies.cost_points
        if policy == "proportional":
            cost, output = largest_remainder(category[OUTPUT], [counts[COST], counts.get(OUTPUT, 0)])
        else:
            cost = _cents(float(policy))
            output = category[OUTPUT] - cost
        category = {COST: cost, **category, OUTPUT: output}
    cents = [0] * len(level1s)
    is_given = [w is not None for w in given]
    for name in counts:
        members = [i for i, l1 in enumerate(level1s) if l1 == name]
        fixed = sum(_cents(given[i]) for i in members if given[i] is not None)  # type: ignore[arg-type]
        for i in members:
            if given[i] is not None:
                cents[i] = _cents(given[i])  # type: ignore[arg-type]
        free = [i for i in members if given[i] is None]
        if not free:
            continue
        pool = category.get(name, 0) - fixed
        if pool < 0:
            notes.append(
                f"{name}已给定的分值合计 {_pts(fixed / 100)} 超过该类分值 {_pts(category.get(name, 0) / 100)}，"
                f"未给分值的指标按0分计"
            )
            pool = 0
        if profile.policies.allocation == "equal_branch":
            groups = list(dict.fromkeys(level2s[i] for i in free))
            group_cents = largest_remainder(pool, [1] * len(groups))
            for group, gc in zip(groups, group_cents, strict=True):
                in_group = [i for i in free if level2s[i] == group]
                for i, c in zip(in_group, largest_remainder(gc, [1] * len(in_group)), strict=True):
                    cents[i] = c
        else:
            for i, c in zip(free, largest_remainder(pool, [1] * len(free)), strict=True):
                cents[i] = c
    missing = [(name, c) for name, c in category.items() if name not in counts and c > 0]
    return _Weights(cents, is_given, category, missing, notes)


def _allocate_applicable(rows: Sequence[RowInput], level1s: list[str], profile: Profile) -> _Weights:
    """Weights over the rows that apply; a 无 / 不适用 row gets none, so its category's points go to
    the rest, and a category left with no applicable row is a missing category (policy)."""
    applicable = [i for i, r in enumerate(rows) if r.target.kind != TargetKind.NOT_APPLICABLE]
    sub = _allocate(
        [level1s[i] for i in applicable],
        [rows[i].indicator.level2 for i in applicable],
        [rows[i].indicator.weight for i in applicable],
        profile,
    )
    cents, given = [0] * len(rows), [False] * len(rows)
    for k, i in enumerate(applicable):
        cents[i], given[i] = sub.cents[k], sub.given[k]
    return _Weights(cents, given, sub.category_cents, sub.missing, sub.notes)


# ---------------------------------------------------------------------------------------------
# Row plans: what each row needs from the numeric core
# ---------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    mode: int = M_NONE
    a: float = math.nan
    t: float = math.nan
    low: float = -math.inf
    high: float = math.inf
    days: float = 0.0
    share: float = math.nan  # M_SHARE
    points: float = math.nan  # M_POINTS
    met: bool = False  # M_ALL_OR_NOTHING
    tier: Tier | None = None
    tier_source: str = ""
    strict: bool = False
    reason: str = ""  # not scored: why
    not_scored_code: str = ""  # missing_actual | needs_judgment | unit_mismatch | points_out_of_band | ...
    extra: list[Flag] = field(default_factory=list)


def _is_missing(actual: ActualRow | None) -> bool:
    if actual is None:
        return True
    typed = actual.actual_text.strip() or (actual.actual_value not in (None, "") and str(actual.actual_value).strip())
    return not (typed or actual.tier_text.strip() or actual.points_text.strip())


def _not_scored(plan: _Plan, code: str, reason: str) -> _Plan:
    plan.mode = M_NONE
    plan.not_scored_code = code
    plan.reason = reason
    return plan


def _plan_qualitative(row: RowInput, weight: float, profile: Profile, plan: _Plan) -> _Plan:
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
        if points < 0 or points > weight + _EPS:
            return _not_scored(
                plan, "points_out_of_band", f"评定得分 {_pts(points)} 超出分值范围（0–{_pts(weight)}），需人工核对"
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
        inside = low - _EPS <= points <= high + _EPS if top else low - _EPS <= points < high - _EPS
        if not inside:
            closing = "]" if top else ")"
            return _not_scored(
                plan,
                "points_out_of_band",
                f"评定得分 {_pts(points)} 不在「{rule.label}」档次范围 "
                f"[{_pts(low)}, {_pts(high)}{closing} 内，需人工核对",
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


def _plan_row(row: RowInput, weight: float, profile: Profile) -> _Plan:
    plan = _Plan()
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
        if direction == Direction.HIGHER:
            plan.met = a > t if strict_op else a >= t
        elif direction == Direction.LOWER:
            plan.met = a < t if strict_op else a <= t
        else:
            plan.met = a <= 0 if t == 0 else abs(a - t) <= _EPS
        plan.strict = False
    else:
        return _not_scored(plan, "needs_judgment", asm.reason or f"无法识别的指标方向「{direction}」")
    return plan


# ---------------------------------------------------------------------------------------------
# The numeric core
# ---------------------------------------------------------------------------------------------


@dataclass
class _Core:
    score: np.ndarray
    completion: np.ndarray
    over: np.ndarray  # over-achievement flag
    deducted: np.ndarray  # deviation deduction applied
    capped_lower: np.ndarray  # lower-is-better at ≥ 2t (linear_to_zero reaches 0)


def _score_columns(plans: list[_Plan], weights: np.ndarray, causes: list[str], profile: Profile) -> _Core:
    mode = np.array([p.mode for p in plans], dtype=np.int8)
    a = np.array([p.a for p in plans], dtype=float)
    t = np.array([p.t for p in plans], dtype=float)
    low = np.array([p.low for p in plans], dtype=float)
    high = np.array([p.high for p in plans], dtype=float)
    days = np.array([p.days for p in plans], dtype=float)
    share = np.array([p.share for p in plans], dtype=float)
    points = np.array([p.points for p in plans], dtype=float)
    met = np.array([p.met for p in plans], dtype=bool)
    pol = profile.policies
    marker = pol.overachieve_cause_marker
    too_low = np.array([marker in (c or "") for c in causes], dtype=bool)

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

        over = (mode == M_HIGHER) & (a >= pol.overachieve_flag_ratio * t - _EPS * np.abs(t))
        deducted = np.zeros_like(over)
        if pol.overachieve_deduction == "deviation":
            deducted = (mode == M_HIGHER) & too_low & (a > t)
            floor = profile.tiers.partial.band[0]
            frac = np.where(deducted, np.maximum(floor, np.maximum(0.0, 1.0 - (a / t - 1.0))), frac)
        capped_lower = (mode == M_LOWER) & (a >= 2 * t) & (pol.reverse == "linear_to_zero")

    raw = np.where(mode == M_POINTS, points, weights * frac)
    raw = np.where(mode == M_NONE, 0.0, np.nan_to_num(raw, nan=0.0))
    score = np.minimum(np.maximum(round_half_up_array(raw), 0.0), weights)
    return _Core(score, completion, over, deducted, capped_lower)


# ---------------------------------------------------------------------------------------------
# Calculation text
# ---------------------------------------------------------------------------------------------


def _calculation(plan: _Plan, row: RowInput, w: float, score: float, core: _Core, i: int, profile: Profile) -> str:
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
        rule = profile.tier_rule(plan.tier)  # type: ignore[arg-type]
        return f"{rule.label}（{_pct(rule.points)}）× {_pts(w)} = {_pts(score)}{_tier_basis(plan, row)}"
    if plan.mode == M_POINTS:
        rule = profile.tier_rule(plan.tier)  # type: ignore[arg-type]
        low, high = w * rule.band[0], w * rule.band[1]
        return f"{rule.label}，评定得分 {_pts(score)}（档次范围 {_pts(low)}–{_pts(high)}）"
    if plan.mode == M_DEADLINE:
        if plan.days <= 0:
            return f"按期完成 × {_pts(w)} = {_pts(score)}"
        return (
            f"逾期 {_num(plan.days)}天：{_pts(w)} × max(0, 1 − {_num(plan.days)} ÷ {pol.late_days_to_zero}) "
            f"= {_pts(score)}"
        )
    if plan.mode == M_ALL_OR_NOTHING:
        verdict = "达到" if plan.met else "未达到"
        return f"指标值 {_qty(t, unit)}，实际 {_qty(a, unit)}，{verdict}（全有或全无）：{_pts(score)}"
    strict_note = "；恰好等于指标值，未严格达到，按比例计分" if plan.strict else ""
    if plan.mode == M_RANGE:
        span = (
            f"{_qty(plan.low, unit)}–{_qty(plan.high, unit)}"
            if math.isfinite(plan.low) and math.isfinite(plan.high)
            else (f"不低于 {_qty(plan.low, unit)}" if math.isfinite(plan.low) else f"不高于 {_qty(plan.high, unit)}")
        )
        if a < plan.low:
            if plan.low <= 0:
                return f"实际 {_qty(a, unit)} 低于区间 {span}：{_pts(score)}"
            return f"实际 {_qty(max(a, 0.0), unit)} ÷ 下限 {_qty(plan.low, unit)} × {_pts(w)} = {_pts(score)}"
        if a > plan.high:
            return _lower_text(a, plan.high, unit, w, score, pol.reverse, "上限", plan.high <= 0)
        return f"实际 {_qty(a, unit)} 在区间 {span} 内 × {_pts(w)} = {_pts(score)}{strict_note}"
    if plan.mode == M_HIGHER:
        shown_a = max(a, 0.0)
        negative = f"（实际 {_qty(a, unit)} 为负，按0计）" if a < 0 else ""
        if core.deducted[i]:
            floor = profile.tiers.partial.band[0]
            return (
                f"实际 {_qty(a, unit)} ÷ 目标 {_qty(t, unit)} = {_pct(a / t)}，超额原因为"
                f"{pol.overachieve_cause_marker}，按偏差扣分：{_pts(w)} × max({_pct(floor)}, 1 − "
                f"({_pct(a / t)} − 100%)) = {_pts(score)}"
            )
        if a >= t and not plan.strict:
            return f"实际 {_qty(a, unit)} ≥ 目标 {_qty(t, unit)}，达成指标 × {_pts(w)} = {_pts(score)}"
        return f"实际 {_qty(shown_a, unit)} ÷ 目标 {_qty(t, unit)} × {_pts(w)} = {_pts(score)}{negative}{strict_note}"
    # M_LOWER
    if a <= t:
        return f"实际 {_qty(a, unit)} ≤ 目标 {_qty(t, unit)}，达成指标 × {_pts(w)} = {_pts(score)}{strict_note}"
    return _lower_text(a, t, unit, w, score, pol.reverse, "目标", False)


def _tier_basis(plan: _Plan, row: RowInput) -> str:
    """Why this tier: an auditor must see whether a person chose it or the words decided it."""
    act = row.actual
    if plan.tier_source == "完成档次" and act is not None:
        return f"（依据：完成档次「{act.tier_text.strip()}」）"
    if plan.tier_source == "实际完成情况" and act is not None and act.actual_text.strip():
        why = row.assessment.reason
        return f"（依据：实际完成情况「{act.actual_text.strip()}」{'，' + why if why else ''}）"
    return ""


def _lower_text(
    a: float, t: float, unit: str | None, w: float, score: float, reverse: str, name: str, zero: bool
) -> str:
    if zero:
        return f"实际 {_qty(a, unit)} 高于{name} {_qty(t, unit)}：{_pts(score)}"
    if reverse == "ratio":
        return f"{name} {_qty(t, unit)} ÷ 实际 {_qty(a, unit)} × {_pts(w)} = {_pts(score)}"
    tail = f"（实际达到{name}的2倍及以上，不得分）" if a >= 2 * t else ""
    return (
        f"实际 {_qty(a, unit)} 超过{name} {_qty(t, unit)}：{_pts(w)} × (1 − ({_qty(a, unit)} − "
        f"{_qty(t, unit)}) ÷ {_qty(t, unit)}) = {_pts(score)}{tail}"
    )


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------


def _row_flags(
    plan: _Plan, row: RowInput, w: float, score: float, core: _Core, i: int, profile: Profile
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    asm = row.assessment
    rules = profile.flags
    for code in asm.flags:
        if code == plan.not_scored_code:
            continue
        label = _FLAG_LABEL.get(code, code)
        flags.append(
            Flag(code, _FLAG_SEVERITY.get(code, Severity.INFO), f"{label}：{asm.reason}" if asm.reason else label)
        )
    if plan.mode == M_NONE:
        severity = Severity.RED if plan.not_scored_code == "impossible_value" else Severity.YELLOW
        if plan.not_scored_code == NOT_APPLICABLE:
            return (Flag(NOT_APPLICABLE, Severity.INFO, f"不适用：{plan.reason}"), *plan.extra)
        label = {
            "missing_actual": "缺少实际完成值",
            "needs_judgment": "需人工判断",
            "points_out_of_band": "评定得分不在档次范围内",
        }.get(plan.not_scored_code, _FLAG_LABEL.get(plan.not_scored_code, "未评分"))
        message = label if plan.reason in ("未填写实际完成值", "") else f"{label}：{plan.reason}"
        flags.append(Flag(plan.not_scored_code, severity, message))
        return (*flags, *plan.extra)
    completion = float(core.completion[i])
    if plan.strict:
        flags.append(Flag("strict_at_target", Severity.YELLOW, "恰好等于指标值，未严格达到，请人工确认"))
    if score < w - _EPS and completion < 1.0 - _EPS:  # a deduction for over-achievement is not a shortfall
        if completion < rules.red_below - _EPS:
            severity = Severity.RED
        elif completion < rules.yellow_below - _EPS:
            severity = Severity.YELLOW
        else:
            severity = Severity.INFO
        flags.append(
            Flag("shortfall", severity, f"未完全达标：完成率 {_pct(completion)}，得分 {_pts(score)} / {_pts(w)}")
        )
    if core.over[i]:
        deducted = f"，已按偏差扣分至 {_pts(score)}" if core.deducted[i] else ""
        flags.append(
            Flag(
                "overachievement",
                Severity.YELLOW,
                f"超额完成：实际为目标的 {_pct(completion)}（≥ {_pct(profile.policies.overachieve_flag_ratio)}），"
                f"需分析原因{deducted}",
            )
        )
    elif core.deducted[i]:
        flags.append(
            Flag(
                "overachievement",
                Severity.INFO,
                f"超额原因为{profile.policies.overachieve_cause_marker}，已按偏差扣分至 {_pts(score)}",
            )
        )
    needing = [f.code for f in flags if f.code in rules.reason_required]
    reason = row.actual.deviation_reason.strip() if row.actual else ""
    if needing and not reason:
        flags.append(Flag("missing_reason", Severity.YELLOW, "缺少偏差原因分析及改进措施"))
    return (*flags, *plan.extra)


# ---------------------------------------------------------------------------------------------
# Budget execution
# ---------------------------------------------------------------------------------------------


def _score_budgets(budgets: list[BudgetRow | None], profile: Profile) -> list[BudgetScore]:
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
                reason = f"全年预算数为 {_num(budget.adjusted_budget)}元，无法计算执行率"
            elif budget.executed is None:
                reason = "缺少全年执行数"
            else:
                reason = f"全年执行数为负数（{_num(budget.executed)}元）"
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
        head = f"全年执行数 {_num(executed[i] / 1e4, 6)}万元 ÷ 全年预算数 {_num(adjusted[i] / 1e4, 6)}万元 = {_pct(r)}"
        if r > 1:
            calc = f"{head}，超过100%按100%计：{_pts(points)} × 100% = {_pts(s)}"
        else:
            calc = f"{head}；{_pts(points)} × {_pct(r)} = {_pts(s)}"
        if r < rules.budget_low_below - _EPS:
            flags.append(
                Flag("budget_low", Severity.YELLOW, f"预算执行率 {_pct(r)} 低于 {_pct(rules.budget_low_below)}")
            )
        if r > rules.budget_high_above + _EPS:
            flags.append(
                Flag(
                    "budget_high",
                    Severity.YELLOW,
                    f"预算执行率 {_pct(r)} 超过 {_pct(rules.budget_high_above)}，请核对执行数",
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
    inputs: Sequence[ProjectInput], profile: Profile, taxonomy: Taxonomy | None = None
) -> list[ProjectScore]:
    """Score every project by `profile`; the result keeps the input's project and row order."""
    taxonomy = taxonomy or default_taxonomy()
    # 1. Weights and plans, project by project (integer cents).
    all_rows: list[RowInput] = []
    level1s: list[str] = []
    plans: list[_Plan] = []
    weight_cents: list[int] = []
    given: list[bool] = []
    per_project: list[_Weights] = []
    spans: list[tuple[int, int]] = []
    for project in inputs:
        start = len(all_rows)
        l1 = [_level1_of(r, taxonomy) for r in project.rows]
        alloc = _allocate_applicable(project.rows, l1, profile)
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
    budgets = _score_budgets([p.budget for p in inputs], profile)

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
                    actual_text=_shown_actual(row),
                    weight=w,
                    score=s,
                    status=_status(plan),
                    calculation=_calculation(plan, row, w, s, core, i, profile),
                    reason=plan.reason if plan.mode == M_NONE else "",
                    flags=_row_flags(plan, row, w, s, core, i, profile),
                    completion=completion if completion is None or math.isfinite(completion) else None,
                    deviation_reason=act.deviation_reason if act else "",
                    weight_given=given[i],
                    source=(act.source if act and act.source else row.indicator.source),
                )
            )
        results.append(
            _roll_up(
                project, scored_rows, weight_cents[start:end], score_cents[start:end], alloc, budget, profile, taxonomy
            )
        )
    return results


def _status(plan: _Plan) -> RowStatus:
    if plan.mode != M_NONE:
        return RowStatus.SCORED
    return RowStatus.NOT_APPLICABLE if plan.not_scored_code == NOT_APPLICABLE else RowStatus.NOT_SCORED


_BARE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _shown_actual(row: RowInput) -> str:
    """实际完成值 as shown: as typed, except that a bare number on a % row gets the % it was read with
    (a unit typing 99.5 in a General cell means 99.5%, and the form must not show 99.5 beside ≥95%)."""
    if row.actual is None:
        return ""
    text = row.actual.actual_text
    if row.target.unit == "%" and _BARE_NUMBER.fullmatch(text.strip()):
        return f"{text.strip()}%"
    return text


UNREPORTED = "未填报"  # the grade column of a project nobody filled in


def _reported(project: ProjectInput) -> bool:
    """Whether the unit filled in anything at all for the project: one actual, tier, score or reason,
    or one budget figure beyond the 年初预算数 the template pre-fills."""
    for row in project.rows:
        a = row.actual
        if a is not None and any(
            text.strip()
            for text in (a.actual_text, a.last_year_text, a.tier_text, a.points_text, a.deviation_reason)
        ):
            return True
    b = project.budget
    if b is None:
        return False
    amounts = [b.adjusted_budget, b.executed, *(x for part in b.parts for x in (part.adjusted_budget, part.executed))]
    return any(value is not None for value in amounts)


def _roll_up(
    project: ProjectInput,
    rows: list[ScoredRow],
    w_cents: list[int],
    s_cents: np.ndarray,
    alloc: _Weights,
    budget: BudgetScore,
    profile: Profile,
    taxonomy: Taxonomy,
) -> ProjectScore:
    by_l1: dict[str, list[int]] = {}
    by_l2: dict[tuple[str, str], list[int]] = {}
    not_applicable = [row for row in rows if row.status is RowStatus.NOT_APPLICABLE]
    for k, row in enumerate(rows):
        if row.status is RowStatus.NOT_APPLICABLE:
            continue  # no weight, no score: not part of any subtotal
        by_l1.setdefault(row.level1, []).append(k)
        by_l2.setdefault((row.level1, row.level2), []).append(k)
    order = sorted(by_l1, key=taxonomy.level1_rank)
    levels = [
        LevelScore(
            l1, None, sum(w_cents[k] for k in by_l1[l1]) / 100, int(sum(int(s_cents[k]) for k in by_l1[l1])) / 100
        )
        for l1 in order
    ]
    for l1 in order:
        for (g1, l2), members in by_l2.items():
            if g1 == l1:
                levels.append(
                    LevelScore(
                        l1, l2, sum(w_cents[k] for k in members) / 100, int(sum(int(s_cents[k]) for k in members)) / 100
                    )
                )
    budget_cents = round(budget.score * 100)
    raw_cents = budget_cents + int(sum(int(c) for c in s_cents))
    max_cents = round(budget.points * 100) + sum(w_cents)
    notes = list(alloc.notes)
    total = raw_cents / 100
    rescaled_from: float | None = None
    scored_rows = len(rows) - len(not_applicable)
    if not_applicable:
        names = "、".join(r.level3 for r in not_applicable)
        notes.append(f"年度指标值为「无」或「不适用」的指标不计分、不分配分值：{names}")
    for name, cents in alloc.missing:
        notes.append(f"未设置{name}（{_pts(cents / 100)}）")
    full_cents = round(profile.total_points * 100)
    weights_off = False
    if not scored_rows:
        notes.append("项目没有绩效指标，无法评分")
    elif alloc.missing:
        names = "、".join(n for n, _ in alloc.missing)
        if profile.policies.missing_category == "rescale" and max_cents > 0:
            total = round_half_up(raw_cents / max_cents * 100)
            rescaled_from = raw_cents / 100
            notes.append(
                f"{names}不考核，用适用指标得分汇总后按百分制折算：{_num(raw_cents / 100)} × 100 ÷ "
                f"{_num(max_cents / 100)} = {_pts(total)}"
            )
        else:
            notes.append(f"{names}不考核，其分值不得分（forfeit）：总分 {_pts(total)}")
    elif max_cents != full_cents and max_cents > 0:
        # Never clamped: a 110-point table clamped to 100 hides every point lost on a row.
        weights_off = True
        parts = f"预算执行率 {_pts(budget.points)} + 指标 {_pts(sum(w_cents) / 100)}"
        shown = f"分值合计为 {_pts(max_cents / 100)}（{parts}），"
        if profile.policies.weights_not_100 == "normalise":
            total = round_half_up(raw_cents / max_cents * profile.total_points)
            rescaled_from = raw_cents / 100
            notes.append(
                f"{shown}不等于{_num(profile.total_points)}分，按百分制折算：{_num(raw_cents / 100)} × "
                f"{_num(profile.total_points)} ÷ {_num(max_cents / 100)} = {_pts(total)}"
            )
        else:
            notes.append(f"{shown}不等于{_num(profile.total_points)}分，按给定分值直接加总：总分 {_pts(total)}")
    total = max(round_half_up(total), 0.0)
    unreported = bool(project.rows) and not _reported(project)
    grade = UNREPORTED if unreported else profile.grade_for(total)
    not_scored = sum(1 for r in rows if r.status == RowStatus.NOT_SCORED)
    complete = not_scored == 0 and budget.scored and scored_rows > 0
    flags: list[Flag] = []
    if grade in profile.flags.grades_flagged:
        severity = Severity.RED if grade == profile.grades[-1].name else Severity.YELLOW
        flags.append(Flag("grade_low", severity, f"等级为「{grade}」（总分 {_pts(total)}）"))
    if weights_off:
        how = "已按百分制折算" if profile.policies.weights_not_100 == "normalise" else "按给定分值直接加总"
        message = f"分值合计为 {_pts(max_cents / 100)}，不等于100分，{how}，请核对分值"
        flags.append(Flag("weights_not_100", Severity.YELLOW, message))
    if not_applicable:
        flags.append(Flag(NOT_APPLICABLE, Severity.INFO, f"{len(not_applicable)} 个指标不适用，未计分"))
    if alloc.missing and scored_rows:
        how = "按百分制折算" if profile.policies.missing_category == "rescale" else "其分值不得分"
        names = "、".join(n for n, _ in alloc.missing)
        flags.append(Flag("missing_category", Severity.INFO, f"未设置{names}，{how}"))
    reds = sum(1 for r in rows for f in r.flags if f.severity == Severity.RED)
    reds += sum(1 for f in budget.flags if f.severity == Severity.RED)
    if reds:
        flags.append(Flag("red_rows", Severity.RED, f"有 {reds} 个红色标记"))
    if unreported:
        flags = [Flag("unreported", Severity.YELLOW, "未填报：没有任何实际完成值和预算执行数，不评分、不定级")]
    elif not complete:
        parts = [f"{not_scored} 个指标未评分"] if not_scored else []
        if not budget.scored:
            parts.append("预算执行率未评分")
        if not scored_rows:
            parts.append("没有绩效指标")
        flags.append(Flag("incomplete", Severity.YELLOW, "评分未完成：" + "，".join(parts)))
    return ProjectScore(
        project=project.project,
        rows=tuple(rows),
        budget=budget,
        levels=tuple(levels),
        total=total,
        grade=grade,
        complete=complete,
        notes=tuple(notes),
        flags=tuple(flags),
        missing_categories=tuple(n for n, _ in alloc.missing),
        rescaled_from=rescaled_from,
        unreported=unreported,
    )
