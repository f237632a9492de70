"""A parsed 年度指标值 said back in plain Chinese, so a unit can check before year end how each
target will be read (and fix the unreadable ones while there is still time)."""

from __future__ import annotations

from evaluator.common.numbers import format_number
from evaluator.grammar.units import display_unit
from evaluator.models import ChangeMode, Op, Target, TargetKind

KIND_LABELS = {
    TargetKind.COMPARISON: "定量",
    TargetKind.RANGE: "区间",
    TargetKind.CHANGE: "与上年比较",
    TargetKind.DEADLINE: "时限",
    TargetKind.QUALITATIVE: "定性",
    TargetKind.AS_INCURRED: "按实际发生",
    TargetKind.NOT_APPLICABLE: "不适用",
    TargetKind.UNREADABLE: "无法识别",
}
_OP_WORDS = {Op.GE: "不低于", Op.GT: "高于", Op.EQ: "等于", Op.LE: "不高于", Op.LT: "低于"}


def _quantity(value: float | None, unit: str | None) -> str:
    return "—" if value is None else f"{format_number(value)}{display_unit(unit)}"


def describe_target(target: Target) -> str:
    """E.g. `不低于 3,000人次`, `80%–90%`, `较上年增长 1%`, `2024-06-30 前（含当日）`, `定性：健全`."""
    kind = target.kind
    if kind is TargetKind.COMPARISON:
        return f"{_OP_WORDS.get(target.op, '?')} {_quantity(target.value, target.unit)}"
    if kind is TargetKind.RANGE:
        low = "" if target.low is None else _quantity(target.low, target.unit)
        high = "" if target.high is None else _quantity(target.high, target.unit)
        low_end = "含" if target.low_inclusive else "不含"
        high_end = "含" if target.high_inclusive else "不含"
        ends = f"{low_end}下限，{high_end}上限"
        return f"{low}–{high}（{ends}）"
    if kind is TargetKind.CHANGE:
        amount = target.change_amount or 0.0
        verb = "增长" if amount > 0 else ("下降" if amount < 0 else "不低于上年")
        if amount == 0:
            return "较上年" + ("有所增长" if target.op is Op.GT else verb)
        size = (
            f"{format_number(abs(amount))}个百分点"
            if target.change_mode is ChangeMode.POINTS
            else f"{format_number(abs(amount) * 100)}%"
        )
        return f"较上年{verb} {size}（需填写上年实际值）"
    if kind is TargetKind.DEADLINE:
        if target.deadline is None:
            return "时限（日期不明）"
        if target.milestones:
            earlier = "、".join(d.isoformat() for d in target.milestones)
            return f"{target.deadline.isoformat()} 前（含当日）；另有时间节点 {earlier}"
        return f"{target.deadline.isoformat()} 前（含当日）"
    if kind is TargetKind.QUALITATIVE:
        return f"定性：{target.expectation or target.raw}"
    if kind is TargetKind.AS_INCURRED:
        return "按实际发生（填写实际数或完成情况即可）"
    if kind is TargetKind.NOT_APPLICABLE:
        return "不适用：不计分"
    return f"无法识别：{target.reason}"
