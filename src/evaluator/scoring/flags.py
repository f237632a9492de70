"""Row flags: what a reviewer must look at (shortfalls, over-achievement, missing reasons …).

Severities and thresholds come from the profile's [flags]; a flag says in Chinese what it saw.
"""

from __future__ import annotations

from evaluator.config.profiles import Profile
from evaluator.models import (
    Flag,
    RowInput,
    Severity,
)
from evaluator.scoring.explanation import pct, pts
from evaluator.scoring.plan import (
    EPS,
    M_NONE,
    NOT_APPLICABLE,
    Core,
    Plan,
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


def row_flags(
    plan: Plan, row: RowInput, w: float, score: float, core: Core, i: int, profile: Profile
) -> tuple[Flag, ...]:
    if plan.mode != M_NONE:
        completion = float(core.completion[i])
        found = scored_flags(
            row, plan.strict, w, score, completion, bool(core.over[i]), bool(core.deducted[i]), profile
        )
        return (*found, *plan.extra)
    flags = _assessment_flags(row, plan.not_scored_code)
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


def _assessment_flags(row: RowInput, skip: str) -> list[Flag]:
    asm = row.assessment
    flags: list[Flag] = []
    for code in asm.flags:
        if code == skip:
            continue
        label = _FLAG_LABEL.get(code, code)
        flags.append(
            Flag(code, _FLAG_SEVERITY.get(code, Severity.INFO), f"{label}：{asm.reason}" if asm.reason else label)
        )
    return flags


def scored_flags(
    row: RowInput,
    strict: bool,
    w: float,
    score: float,
    completion: float,
    over: bool,
    deducted: bool,
    profile: Profile,
) -> list[Flag]:
    """The flags of a scored row (before its plan's extras): called with a Plan's and the core's
    values by row_flags and with column values by the columnar core."""
    rules = profile.flags
    flags = _assessment_flags(row, "")
    if strict:
        flags.append(Flag("strict_at_target", Severity.YELLOW, "恰好等于指标值，未严格达到，请人工确认"))
    if score < w - EPS and completion < 1.0 - EPS:  # a deduction for over-achievement is not a shortfall
        if completion < rules.red_below - EPS:
            severity = Severity.RED
        elif completion < rules.yellow_below - EPS:
            severity = Severity.YELLOW
        else:
            severity = Severity.INFO
        flags.append(Flag("shortfall", severity, f"未完全达标：完成率 {pct(completion)}，得分 {pts(score)} / {pts(w)}"))
    if over:
        shown = f"，已按偏差扣分至 {pts(score)}" if deducted else ""
        flags.append(
            Flag(
                "overachievement",
                Severity.YELLOW,
                f"超额完成：实际为目标的 {pct(completion)}（≥ {pct(profile.policies.overachieve_flag_ratio)}），"
                f"需分析原因{shown}",
            )
        )
    elif deducted:
        flags.append(
            Flag(
                "overachievement",
                Severity.INFO,
                f"超额原因为{profile.policies.overachieve_cause_marker}，已按偏差扣分至 {pts(score)}",
            )
        )
    if flags and any(f.code in rules.reason_required for f in flags):
        reason = row.actual.deviation_reason.strip() if row.actual else ""
        if not reason:
            flags.append(Flag("missing_reason", Severity.YELLOW, "缺少偏差原因分析及改进措施"))
    return flags
