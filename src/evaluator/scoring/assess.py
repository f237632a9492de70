"""An actual against a predicate → the facts the scorer needs (stage: evaluate).

Numbers never meet pint here row by row: every row is first reduced to (actual, target, unit pair),
one conversion factor is asked of the unit registry per distinct unit pair, and the arithmetic that
decides met / completion ratio runs on float arrays. Only qualitative words and dates are handled
row by row, and those go through caches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluator.common.numbers import format_number
from evaluator.config.vocabulary import classify_text, default_vocabulary, squash
from evaluator.errors import UnitMismatchError
from evaluator.grammar.actuals import dates_in, in_target_unit
from evaluator.grammar.units import conversion_factor, display_unit
from evaluator.ingest.workbook_open import record_maker
from evaluator.models import (
    Actual,
    ActualKind,
    Assessment,
    ChangeMode,
    Direction,
    Op,
    Target,
    TargetKind,
    Tier,
)

# Assessment(direction, decided, met, actual_value, target_value, unit, ratio, tier, days_late,
# strict_at_target, reason, flags), slots set directly: one per distinct combination of a portfolio.
_make_assessment = record_maker(Assessment)

# Indicator names that describe a rate or share: an actual above 100% cannot be true for them.
_RATE_WORDS = ("率", "满意度", "占比", "比例", "覆盖面", "知晓度", "参与度")
_GROWTH_WORDS = ("增长", "增幅", "提高", "提升", "上升", "下降", "降低", "减少")
_EQ_TOLERANCE = 1e-9

_DIRECTION_OF_OP = {
    Op.GE: Direction.HIGHER,
    Op.GT: Direction.HIGHER,
    Op.LE: Direction.LOWER,
    Op.LT: Direction.LOWER,
    Op.EQ: Direction.EQUAL,
}


@dataclass
class _Numeric:
    """A row reduced to numbers, waiting for the vectorised pass."""

    index: int
    direction: Direction
    op: Op | None
    actual: float
    actual_unit: str | None
    target: float | None  # None for ranges
    target_unit: str | None
    low: float = -math.inf
    high: float = math.inf
    low_inclusive: bool = True
    high_inclusive: bool = True
    rate_row: bool = False
    note: str = ""


def _undecided(direction: Direction | None, reason: str, *flags: str) -> Assessment:
    return Assessment(direction=direction, decided=False, reason=reason, flags=tuple(flags))


def _missing_actual(direction: Direction | None) -> Assessment:
    return _undecided(direction, "未填写实际完成值")


def is_rate_name(name: str) -> bool:
    """A 三级指标 that names a rate or share (an actual above 100% cannot be true for it)."""
    return any(w in name for w in _RATE_WORDS) and not any(w in name for w in _GROWTH_WORDS)


def _qualitative(target: Target, actual: Actual, last_year: Actual | None) -> Assessment:
    """定性: the tier the words state; 按实发放 accepts any reported amount as spent as incurred."""
    direction = Direction.QUALITATIVE
    if actual.kind is ActualKind.EMPTY:
        return _missing_actual(direction)
    if _same_text(actual.raw, target.raw):
        return Assessment(direction, True, met=True, tier=Tier.ACHIEVED, reason="与年度指标值一致")
    if actual.kind is ActualKind.QUALITATIVE:
        tier = classify_text(actual.text or actual.raw, target.expectation or target.raw)
        if tier is None:
            return _undecided(direction, f"实际完成情况「{actual.raw.strip()}」无法判定档次")
        return Assessment(direction, True, met=tier is Tier.ACHIEVED, tier=tier)
    if actual.kind is ActualKind.NUMBER:
        if target.kind is TargetKind.AS_INCURRED:
            return Assessment(
                direction,
                True,
                met=True,
                tier=Tier.ACHIEVED,
                actual_value=actual.value,
                unit=display_unit(actual.unit) or None,
                reason="按实际发生填报实际数，视为达成",
            )
        rise = _rise_against_last_year(target, actual, last_year)
        if rise is not None:
            return rise
        wanted = target.expectation or target.raw
        if actual.unit == "%" and actual.value is not None and default_vocabulary().means_all(wanted):
            shown = f"「{wanted}」按100%理解，实际 {format_number(actual.value)}%"
            if actual.value >= 100.0 - 1e-9:
                return Assessment(
                    direction,
                    True,
                    met=True,
                    tier=Tier.ACHIEVED,
                    actual_value=actual.value,
                    target_value=100.0,
                    unit="%",
                    reason=shown,
                )
            return _undecided(direction, f"{shown}，未全部做到，请选择完成档次")
        tier = classify_text(actual.raw, target.expectation or target.raw)
        if tier is not None:  # "100%完成" on a 完成 target
            return Assessment(direction, True, met=tier is Tier.ACHIEVED, tier=tier)
        return _undecided(direction, f"定性指标填写了数值「{actual.raw.strip()}」，无法判定档次")
    if actual.kind is ActualKind.UNREADABLE:
        return _undecided(direction, f"实际完成值「{actual.raw.strip()}」无法识别：{actual.reason}")
    return _undecided(direction, f"定性指标填写了日期「{actual.raw.strip()}」，无法判定档次")


def _rise_against_last_year(target: Target, actual: Actual, last_year: Actual | None) -> Assessment | None:
    """有所提升 with this year's and last year's numbers filled in: the numbers decide."""
    wanted = target.expectation or target.raw
    if not any(w in wanted for w in ("提升", "提高", "增长", "增加")):
        return None
    if last_year is None or last_year.kind is not ActualKind.NUMBER or last_year.value is None:
        return None
    try:
        base = last_year.value * _factor(last_year.unit, actual.unit)
    except UnitMismatchError:
        return None
    value = float(actual.value or 0.0)
    unit = display_unit(actual.unit or last_year.unit)
    if value > base:
        return Assessment(
            Direction.QUALITATIVE,
            True,
            met=True,
            tier=Tier.ACHIEVED,
            actual_value=value,
            target_value=base,
            unit=unit or None,
            reason=f"较上年 {format_number(base)}{unit} 提升至 {format_number(value)}{unit}",
        )
    return Assessment(
        Direction.QUALITATIVE,
        True,
        met=False,
        tier=Tier.NOT_ACHIEVED,
        actual_value=value,
        target_value=base,
        unit=unit or None,
        reason=f"未较上年提升（上年 {format_number(base)}{unit}，本年 {format_number(value)}{unit}）",
    )


def _same_text(a: str, b: str) -> bool:
    return bool(squash(a)) and squash(a) == squash(b)


def _deadline(target: Target, actual: Actual) -> Assessment:
    direction = Direction.DEADLINE
    if actual.kind is ActualKind.EMPTY:
        return _missing_actual(direction)
    if target.deadline is None:
        return _undecided(direction, f"年度指标值「{target.raw}」缺少可比较的日期")
    if target.milestones:
        return _milestones(target, actual, target.deadline)
    if actual.kind is ActualKind.DATE and actual.date is not None:
        late = (actual.date - target.deadline).days
        return Assessment(
            direction, True, met=late <= 0, days_late=max(late, 0), reason="" if late <= 0 else f"逾期{late}天"
        )
    words = actual.text or actual.raw
    tier = classify_text(words, target.expectation) if actual.kind is ActualKind.QUALITATIVE else None
    if tier is Tier.ACHIEVED:
        return Assessment(direction, True, met=True, days_late=0, reason=f"实际为「{words.strip()}」，按按期完成计")
    if tier is Tier.NOT_ACHIEVED:
        return _undecided(direction, f"实际为「{words.strip()}」，请填写实际完成日期以计算逾期天数")
    return _undecided(direction, f"实际完成值「{actual.raw.strip()}」不是日期，无法判断是否按期")


def _day(date: dt.date) -> str:
    return f"{date.month}月{date.day}日"


def _milestones(target: Target, actual: Actual, last: dt.date) -> Assessment:
    """A target with several deadlines: the last is the target, each earlier one is checked when
    the actual gives a date for every node; without dates a person must judge."""
    direction = Direction.DEADLINE
    nodes = (*target.milestones, last)
    shown = "、".join(_day(d) for d in nodes)
    if _same_text(actual.raw, target.raw):
        return Assessment(direction, True, met=True, days_late=0, reason="与年度指标值一致，各时间节点按期完成")
    if actual.kind is ActualKind.DATE and actual.date is not None:
        dates: tuple[dt.date, ...] = (actual.date,)
    else:
        dates = dates_in(actual.raw, last.year)
    if len(dates) == len(nodes):
        late = [(got - want).days for got, want in zip(dates, nodes, strict=True)]
        worst = max(*late, 0)
        overdue = [f"{_day(want)}的节点逾期{days}天" for days, want in zip(late, nodes, strict=True) if days > 0]
        reason = "；".join(overdue) if overdue else f"{len(nodes)}个时间节点（{shown}）均按期完成"
        return Assessment(direction, True, met=worst <= 0, days_late=worst, reason=reason)
    if len(dates) == 1:
        late_days = (dates[0] - last).days
        earlier = "、".join(_day(d) for d in target.milestones)
        reason = f"只写了一个完成日期，按最后一个时间节点（{_day(last)}）核对，{earlier}的节点未核对"
        return Assessment(
            direction,
            True,
            met=late_days <= 0,
            days_late=max(late_days, 0),
            reason=reason,
            flags=("milestones_unchecked",),
        )
    if dates:
        reason = f"实际完成值写了{len(dates)}个日期，年度指标值有{len(nodes)}个时间节点（{shown}），无法逐一对应"
        return _undecided(direction, f"{reason}，需人工判断")
    reason = f"年度指标值有{len(nodes)}个时间节点（{shown}），实际完成值「{actual.raw.strip()}」未写各节点的完成日期"
    return _undecided(direction, f"{reason}，无法逐一核对，需人工判断（请填写各节点的完成日期）")


def _numeric_actual(actual: Actual, direction: Direction) -> Assessment | None:
    """None when the actual is a usable number; otherwise why it is not."""
    if actual.kind is ActualKind.NUMBER and actual.value is not None and math.isfinite(actual.value):
        return None
    if actual.kind is ActualKind.EMPTY:
        return _missing_actual(direction)
    if actual.kind is ActualKind.UNREADABLE:
        return _undecided(direction, f"实际完成值「{actual.raw.strip()}」无法识别：{actual.reason}")
    return _undecided(direction, f"定量指标应填写数值，实际填写「{actual.raw.strip()}」，无法计算完成率")


def _reduce(i: int, target: Target, actual: Actual, last_year: Actual | None, name: str) -> Assessment | _Numeric:
    """A row as a direct Assessment (words, dates, missing) or as numbers for the array pass."""
    kind = target.kind
    actual = in_target_unit(actual, target)
    if kind is TargetKind.NOT_APPLICABLE:
        return _undecided(None, f"年度指标值为「{target.raw.strip()}」，本指标不适用，不计分", "not_applicable")
    if kind is TargetKind.UNREADABLE and _same_text(actual.raw, target.raw):
        # 完成1部宣传片,2套方案 answered with the same words: achieved, however many figures it has.
        return Assessment(Direction.QUALITATIVE, True, met=True, tier=Tier.ACHIEVED, reason="与年度指标值一致")
    if kind is TargetKind.UNREADABLE:
        return _undecided(None, f"年度指标值「{target.raw}」无法识别：{target.reason}")
    if kind in (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED):
        return _qualitative(target, actual, last_year)
    if kind is TargetKind.DEADLINE:
        return _deadline(target, actual)
    if kind is TargetKind.RANGE:
        why = _numeric_actual(actual, Direction.RANGE)
        if why is not None:
            return why
        return _Numeric(
            i,
            Direction.RANGE,
            None,
            float(actual.value),
            actual.unit,
            None,
            target.unit,
            low=-math.inf if target.low is None else target.low,
            high=math.inf if target.high is None else target.high,
            low_inclusive=target.low_inclusive,
            high_inclusive=target.high_inclusive,
            rate_row=is_rate_name(name),
        )
    if kind is TargetKind.CHANGE:
        amount = target.change_amount or 0.0
        direction = Direction.LOWER if amount < 0 else Direction.HIGHER
        why = _numeric_actual(actual, direction)
        if why is not None:
            return why
        if last_year is None or last_year.kind is ActualKind.EMPTY:
            return _undecided(direction, f"缺少上年实际值，无法计算「{target.raw}」的目标值")
        if last_year.kind is not ActualKind.NUMBER or last_year.value is None:
            return _undecided(direction, f"上年实际值「{last_year.raw.strip()}」无法识别，无法计算目标值")
        try:
            base = last_year.value * _factor(last_year.unit, actual.unit)
        except UnitMismatchError as err:
            return _undecided(direction, f"上年实际值与本年实际值{err.message}", "unit_mismatch")
        unit = actual.unit or last_year.unit
        if target.change_mode is ChangeMode.POINTS:
            goal = base + amount
            sign = "+" if amount >= 0 else "−"
            note = f"上年 {format_number(base)}{display_unit(unit)} {sign} {format_number(abs(amount))}个百分点"
        else:
            goal = base * (1.0 + amount)
            sign = "+" if amount >= 0 else "−"
            note = f"上年 {format_number(base)}{display_unit(unit)} × (1 {sign} {format_number(abs(amount) * 100)}%)"
        op = Op.LE if amount < 0 else Op.GE
        return _Numeric(i, direction, op, float(actual.value), unit, goal, unit, note=f"目标值 = {note}")
    # Plain comparison
    op = target.op or Op.GE
    direction = _DIRECTION_OF_OP[op]
    why = _numeric_actual(actual, direction)
    if why is not None:
        return why
    if target.value is None:
        return _undecided(direction, f"年度指标值「{target.raw}」缺少数值")
    return _Numeric(
        i,
        direction,
        op,
        float(actual.value),
        actual.unit,
        float(target.value),
        target.unit,
        rate_row=is_rate_name(name),
    )


def _factor(from_unit: str | None, to_unit: str | None) -> float:
    """A unitless side takes the other side's unit; so does a unitless target."""
    if from_unit is None or to_unit is None or from_unit == to_unit:
        return 1.0
    return conversion_factor(from_unit, to_unit)


def assess(target: Target, actual: Actual, last_year: Actual | None = None, name: str = "") -> Assessment:
    return assess_many([target], [actual], [last_year], [name])[0]


def assess_many(
    targets: Sequence[Target],
    actuals: Sequence[Actual],
    last_years: Sequence[Actual | None] | None = None,
    names: Sequence[str] | None = None,
) -> list[Assessment]:
    """Assess every row at once; `names` (三级指标) let a rate row flag an actual above 100%."""
    n = len(targets)
    if len(actuals) != n:
        raise ValueError("targets and actuals differ in length")
    last_years = last_years if last_years is not None else [None] * n
    names = names if names is not None else [""] * n
    out: list[Assessment | None] = [None] * n
    numeric: list[_Numeric] = []
    for i, (target, actual, last_year, name) in enumerate(zip(targets, actuals, last_years, names, strict=True)):
        reduced = _reduce(i, target, actual, last_year, name)
        if isinstance(reduced, _Numeric):
            numeric.append(reduced)
        else:
            out[i] = reduced
    if numeric:
        for i, assessment in _assess_numeric(numeric):
            out[i] = assessment
    for i, target in enumerate(targets):  # readings a person should confirm (target_from_name)
        current = out[i]
        if target.flags and current is not None:
            out[i] = dataclasses.replace(current, flags=(*current.flags, *target.flags))
    return [a for a in out if a is not None]


def _assess_numeric(rows: list[_Numeric]) -> list[tuple[int, Assessment]]:
    # One registry question per distinct unit pair.
    factors: dict[tuple[str | None, str | None], float | UnitMismatchError] = {}
    for r in rows:
        key = (r.actual_unit, r.target_unit)
        if key not in factors:
            try:
                factors[key] = _factor(*key)
            except UnitMismatchError as err:
                factors[key] = err
    results: list[tuple[int, Assessment]] = []
    usable: list[_Numeric] = []
    for r in rows:
        f = factors[(r.actual_unit, r.target_unit)]
        if isinstance(f, UnitMismatchError):
            results.append((r.index, _undecided(r.direction, f.message, "unit_mismatch")))
        else:
            usable.append(r)
    if not usable:
        return results

    fac = np.array([factors[(r.actual_unit, r.target_unit)] for r in usable], dtype=float)
    a = np.array([r.actual for r in usable], dtype=float) * fac
    t = np.array([np.nan if r.target is None else r.target for r in usable], dtype=float)
    low = np.array([r.low for r in usable], dtype=float)
    high = np.array([r.high for r in usable], dtype=float)
    low_inc = np.array([r.low_inclusive for r in usable], dtype=bool)
    high_inc = np.array([r.high_inclusive for r in usable], dtype=bool)
    direction = np.array([r.direction.value for r in usable])
    op = np.array([(r.op.value if r.op else "") for r in usable])
    is_higher = direction == Direction.HIGHER.value
    is_lower = direction == Direction.LOWER.value
    is_equal = direction == Direction.EQUAL.value
    is_range = direction == Direction.RANGE.value

    with np.errstate(all="ignore"):
        tol = _EQ_TOLERANCE * np.maximum(1.0, np.abs(t))
        met_higher = np.where(op == Op.GT.value, a > t, a >= t - tol)
        met_lower = np.where(op == Op.LT.value, a < t, a <= t + tol)
        met_equal = np.abs(a - t) <= tol
        above_low = np.where(low_inc, a >= low, a > low)
        below_high = np.where(high_inc, a <= high, a < high)
        met_range = above_low & below_high
        met = np.select([is_higher, is_lower, is_equal, is_range], [met_higher, met_lower, met_equal, met_range])

        ratio_higher = np.where(t > 0, np.maximum(a, 0.0) / t, np.where(met_higher, 1.0, 0.0))
        # Lower is better: t/a, so nothing at all (a = 0) against a positive limit is unboundedly good.
        ratio_lower = np.where(a > 0, t / a, np.where(t > 0, np.inf, np.where(met_lower, 1.0, 0.0)))
        ratio_lower = np.where(met_lower & (t <= 0), 1.0, ratio_lower)
        ratio_equal = np.where(t > 0, np.maximum(a, 0.0) / t, np.where(met_equal, 1.0, 0.0))
        ratio_range = np.where(
            met_range,
            1.0,
            np.where(a < low, np.where(low > 0, np.maximum(a, 0.0) / low, 0.0), np.where(a > 0, high / a, 0.0)),
        )
        ratio = np.select(
            [is_higher, is_lower, is_equal, is_range],
            [ratio_higher, ratio_lower, ratio_equal, ratio_range],
            default=np.nan,
        )
        strict = ((op == Op.GT.value) | (op == Op.LT.value)) & (a == t)
        negative = (a < 0) & np.where(is_range, low >= 0, t >= 0)
        rate_unit = np.array([(r.target_unit or r.actual_unit) == "%" for r in usable], dtype=bool)
        rate_name = np.array([r.rate_row for r in usable], dtype=bool)
        over_hundred = rate_unit & rate_name & (a > 100.0 + 1e-9)

    # Python values once (a numpy scalar costs more per read than a list item), the numbers' text
    # only where a message shows it, and each record built with its slots set directly.
    a_l, t_l, ratio_l = a.tolist(), t.tolist(), ratio.tolist()
    met_l, strict_l, negative_l = met.tolist(), strict.tolist(), negative.tolist()
    bad_l = (negative | over_hundred).tolist()
    for k, r in enumerate(usable):
        unit = r.target_unit or r.actual_unit
        label = display_unit(unit) or None
        if bad_l[k]:
            shown = f"{format_number(a_l[k])}{label or ''}"
            if negative_l[k]:
                reason = f"实际完成值 {shown} 为负数，不可能，请核对"
            else:
                reason = f"实际完成值 {shown} 超过100%，比率类指标不可能，请核对"
            results.append((r.index, _undecided(r.direction, reason, "impossible_value")))
            continue
        value = ratio_l[k]
        results.append(
            (
                r.index,
                _make_assessment(
                    r.direction,
                    True,
                    bool(met_l[k]),
                    a_l[k],
                    None if r.target is None else t_l[k],
                    label,
                    None if math.isnan(value) else value,
                    None,
                    None,
                    bool(strict_l[k]),
                    r.note,
                    (),
                ),
            )
        )
    return results
