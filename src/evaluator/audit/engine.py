"""Re-score a filled 自评表 by the profile and list every discrepancy with what was published.

A reviewer (自评复核, 第三方评价) does not want a second opinion in prose: they want each row's
published 得分 beside the rule-correct one, the arithmetic of the totals re-done, and every
departure named with the rule it breaks. So the audit scores the table's own targets and actuals
with the engine's own scoring (the same code `evaluator score` uses), with the weights as
published, and only then compares. Rows it cannot re-score are listed with the reason — rows in
= re-scored + unverifiable, nothing dropped.

Qualitative rows: the unit's 得分 is its own judgement inside a tier's band, so a published score
inside the band of the tier the 实际完成值 reads as is accepted as the 复核得分 (the rows are then
scored by the engine as that tier with that 评定得分); a score outside that band is a finding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from evaluator.audit.model import BUDGET_ROW, TOTAL_ROW, AuditResult, Finding, ProjectAudit, RowAudit
from evaluator.common.numbers import round_half_up
from evaluator.config.profiles import Profile
from evaluator.grammar.targets import parse_target
from evaluator.ingest.self_evaluation import actuals_of
from evaluator.models import (
    Actuals,
    Declarations,
    Indicator,
    Op,
    Project,
    ProjectScore,
    PublishedTotals,
    RowStatus,
    ScoredRow,
    TargetKind,
    Tier,
)
from evaluator.pipeline import evaluate, run_year

_EPS = 1e-9
_COST = "成本指标"


def _pts(value: float | None) -> str:
    return "" if value is None else f"{round_half_up(value, 2):.2f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round_half_up(value * 100, 2):.2f}%"


def _as_given(profile: Profile) -> Profile:
    """The profile with published weights summed as given, where the profile knows that policy.

    The audit must re-score the table it is given, not a normalised one; the `weights_not_100`
    policy (`as_given`) says exactly that where the profile has it.
    """
    if "weights_not_100" in type(profile.policies).model_fields:
        return profile.model_copy(
            update={"policies": profile.policies.model_copy(update={"weights_not_100": "as_given"})}
        )
    return profile


# ---------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    profile: Profile
    file: str
    project: str

    def finding(
        self,
        code: str,
        *,
        indicator: Indicator | None = None,
        level3: str = "",
        published: str = "",
        recomputed: str = "",
        difference: float | None = None,
        note: str = "",
        source=None,
    ) -> Finding | None:
        rule = self.profile.audit.code(code)
        if not rule.enabled:
            return None
        return Finding(
            code=code,
            label=rule.label,
            severity=rule.severity,
            file=self.file,
            project=self.project,
            level1=indicator.level1 if indicator else "",
            level2=indicator.level2 if indicator else "",
            level3=indicator.level3 if indicator else level3,
            published=published,
            recomputed=recomputed,
            difference=None if difference is None else round_half_up(difference, 4),
            key=rule.key,
            rule=rule.rule,
            note=note,
            source=source if source is not None else (indicator.source if indicator else None),
        )


def rounded_forms(value: float, steps: Sequence[float]) -> list[tuple[float, str]]:
    """`value` rounded down, half up and up to each step: the conventions published tables use."""
    out: list[tuple[float, str]] = []
    for step in steps:
        scaled = value / step
        for rounded, how in (
            (math.floor(scaled + _EPS), "向下取整"),
            (round_half_up(scaled, 0), "四舍五入"),
            (math.ceil(scaled - _EPS), "向上取整"),
        ):
            out.append((round_half_up(rounded * step, 2), f"{how}到 {step:g} 分"))
    return out


def _rounding_of(published: float, review: float, profile: Profile) -> str | None:
    tol = profile.audit.score_tolerance + _EPS
    for value, how in rounded_forms(review, profile.audit.rounding_steps):
        if abs(value - published) <= tol:
            return how
    return None


def _is_qualitative(indicator: Indicator, year: int | None) -> tuple[bool, Op | None]:
    """Whether the target is qualitative, and its comparator as written (None when only implied)."""
    target = parse_target(indicator.target_text, year)
    return target.kind in (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED), None if target.implicit_op else target.op


def _band(profile: Profile, tier: Tier, weight: float) -> tuple[float, float, bool]:
    rule = profile.tier_rule(tier)
    top = profile.tiers.ordered()[-1][0] == tier
    return weight * rule.band[0], weight * rule.band[1], top


def _in_band(points: float, low: float, high: float, top: bool) -> bool:
    return low - _EPS <= points <= high + _EPS if top else low - _EPS <= points < high - _EPS


def _row_tier(row: ScoredRow, profile: Profile) -> Tier | None:
    """The tier the engine scored a qualitative row at (its completion is the tier's share)."""
    if row.status is not RowStatus.SCORED or row.completion is None:
        return None
    return profile.tiers.tier_of_share(row.completion)


def _score_findings(
    ctx: _Context, ind: Indicator, row: ScoredRow, review: float, qualitative: bool, out_of_band: str
) -> list[Finding | None]:
    """At most one finding on the 得分 itself: the most specific that applies."""
    p = ind.published_score
    profile = ctx.profile
    tol = profile.audit.score_tolerance + _EPS
    w = row.weight
    if p is None:
        return []
    shown = {"published": _pts(p), "recomputed": _pts(review), "difference": p - review, "indicator": ind}
    if p > w + tol:
        return [ctx.finding("score_above_weight", note=f"自评得分 {_pts(p)} 分超过分值 {_pts(w)} 分", **shown)]
    if out_of_band:
        return [ctx.finding("qualitative_out_of_band", note=out_of_band, **shown)]
    if abs(p - review) <= tol:
        return []
    met = review >= w - tol and (row.completion is None or row.completion >= 1 - _EPS)
    strict = any(f.code == "strict_at_target" for f in row.flags)
    if met and p < w - tol and not qualitative and not strict:
        return [
            ctx.finding(
                "met_docked",
                note=f"实际完成值「{ind.published_actual or ''}」达到指标值「{ind.target_text}」，"
                f"应得满分 {_pts(w)} 分；复核计算：{row.calculation}",
                **shown,
            )
        ]
    if review < w - tol and p >= w - tol:
        return [
            ctx.finding(
                "missed_scored_full",
                note=f"实际完成值「{ind.published_actual or ''}」未达到指标值「{ind.target_text}」，"
                f"复核计算：{row.calculation}",
                **shown,
            )
        ]
    how = _rounding_of(p, review, profile)
    if how and profile.audit.code("rounding_convention").enabled:
        return [
            ctx.finding("rounding_convention", note=f"复核得分 {_pts(review)} 分，自评{how}为 {_pts(p)} 分", **shown)
        ]
    extra = "；实际恰好等于指标值（严格不等式），请人工确认" if strict else ""
    return [ctx.finding("score_deviation", note=f"复核计算：{row.calculation}{extra}", **shown)]


def _row_audit(
    ctx: _Context, ind: Indicator, row: ScoredRow, year: int | None, out_of_band: str
) -> tuple[RowAudit, list[Finding]]:
    profile = ctx.profile
    rules = profile.audit
    tol = rules.score_tolerance + _EPS
    qualitative, op = _is_qualitative(ind, year)
    found: list[Finding | None] = []
    w = row.weight
    p = ind.published_score
    notes: list[str] = []
    if ind.weight is None:
        notes.append(f"分值未公布，按规则分配 {_pts(w)} 分")
    if p is None:
        notes.append("未公布自评得分，无法比对")
    review: float | None = None
    reason = ""
    if ind.weight is None and p is not None:
        reason = f"未公布分值，无法核对自评得分（按规则分配 {_pts(w)} 分时复核得分为 {_pts(row.score)} 分）"
        found.append(ctx.finding("unverifiable", indicator=ind, published=_pts(p), note=reason))
    elif row.status is RowStatus.SCORED:
        review = row.score
        found += _score_findings(ctx, ind, row, review, qualitative, out_of_band)
    else:
        reason = row.reason or "无法计分"
        found.append(
            ctx.finding(
                "unverifiable",
                indicator=ind,
                published=_pts(p),
                note=f"{reason}（指标值「{ind.target_text}」，实际完成值「{ind.published_actual or ''}」）",
            )
        )
    codes = {f.code for f in row.flags}
    has_reason = rules.reason_given(ind.deviation_reason)
    short = (review is not None and review < w - tol) or (p is not None and ind.weight is not None and p < w - tol)
    if short and not has_reason:
        found.append(
            ctx.finding(
                "missing_reason",
                indicator=ind,
                published=_pts(p),
                recomputed=_pts(review),
                note=f"得分低于分值 {_pts(w)} 分，偏差原因为「{ind.deviation_reason.strip()}」"
                if ind.deviation_reason.strip()
                else f"得分低于分值 {_pts(w)} 分，未填写偏差原因分析及改进措施",
            )
        )
    if "overachievement" in codes and not has_reason:
        message = next(f.message for f in row.flags if f.code == "overachievement")
        found.append(ctx.finding("overachieved_unexplained", indicator=ind, note=f"{message}，未填写偏差原因"))
    is_cost = ind.level1 == _COST or "成本" in ind.level2
    if is_cost and op in (Op.GE, Op.GT):
        found.append(
            ctx.finding(
                "cost_ge",
                indicator=ind,
                published=ind.target_text,
                note=f"成本指标「{ind.level3}」的指标值「{ind.target_text}」使用“≥”，成本是上限，应为“≤”",
            )
        )
    findings = [f for f in found if f is not None]
    audit = RowAudit(
        indicator=ind,
        scored=row,
        published_score=p,
        review_score=review,
        reason=reason,
        findings=tuple(sorted(findings, key=lambda f: f.severity)),
        note="；".join(notes),
    )
    return audit, findings


# ---------------------------------------------------------------------------------------------
# Budget and totals
# ---------------------------------------------------------------------------------------------


def _budget_findings(
    ctx: _Context, score: ProjectScore, pub: PublishedTotals, weight: float
) -> tuple[float | None, list]:
    rules = ctx.profile.audit
    tol = rules.score_tolerance + _EPS
    b = score.budget
    out: list[Finding | None] = []
    review = round_half_up(weight * min(b.rate, 1.0), 2) if b.scored and b.rate is not None else None
    if review is None:
        out.append(
            ctx.finding(
                "unverifiable",
                level3=BUDGET_ROW,
                published=_pts(pub.budget_score),
                note=f"预算执行率无法复核：{b.calculation}",
            )
        )
        return None, out
    rate_wrong = False
    if pub.budget_rate is not None and abs(pub.budget_rate - b.rate) > rules.rate_tolerance + _EPS:
        rate_wrong = True
        why = ""
        if b.initial_budget and abs(pub.budget_rate - b.executed / b.initial_budget) <= rules.rate_tolerance + _EPS:
            why = "，与按年初预算数计算的结果一致（应按全年预算数）"
        out.append(
            ctx.finding(
                "rate_mismatch",
                level3=BUDGET_ROW,
                published=_pct(pub.budget_rate),
                recomputed=_pct(b.rate),
                difference=(pub.budget_rate - b.rate) * 100,
                note=f"全年执行数 ÷ 全年预算数 = {_pct(b.rate)}，公布的执行率为 {_pct(pub.budget_rate)}{why}",
            )
        )
    p = pub.budget_score
    if p is not None and abs(p - review) > tol:
        own = round_half_up(weight * min(pub.budget_rate, 1.0), 2) if pub.budget_rate is not None else None
        follows_own_rate = rate_wrong and own is not None and abs(p - own) <= tol
        how = _rounding_of(p, review, ctx.profile)
        shown = {
            "level3": BUDGET_ROW,
            "published": _pts(p),
            "recomputed": _pts(review),
            "difference": p - review,
        }
        if follows_own_rate:
            pass  # the score follows the published rate: the rate is the finding
        elif how and ctx.profile.audit.code("rounding_convention").enabled:
            out.append(
                ctx.finding(
                    "rounding_convention", note=f"复核得分 {_pts(review)} 分，自评{how}为 {_pts(p)} 分", **shown
                )
            )
        else:
            out.append(
                ctx.finding(
                    "budget_score_mismatch",
                    note=f"分值 {_pts(weight)} × 执行率 {_pct(min(b.rate, 1.0))} = {_pts(review)} 分，"
                    f"公布 {_pts(p)} 分",
                    **shown,
                )
            )
    return review, out


def _missing_points(score: ProjectScore, profile: Profile) -> float:
    return sum(profile.level1_points(name) for name in score.missing_categories)


def _total_findings(
    ctx: _Context,
    score: ProjectScore,
    rows: list[RowAudit],
    pub: PublishedTotals,
    budget_weight: float,
    budget_review: float | None,
) -> tuple[float, float, list[Finding | None], list[str]]:
    profile = ctx.profile
    rules = profile.audit
    tol = rules.total_tolerance + _EPS
    out: list[Finding | None] = []
    notes: list[str] = []
    full = profile.total_points  # 100, checked on load
    weight_sum = round_half_up(budget_weight + sum(r.scored.weight for r in rows), 2)
    missing = _missing_points(score, profile)
    rescale = False
    if any(r.indicator.weight is None for r in rows):
        notes.append("部分指标未公布分值，未核对分值合计")
    elif abs(weight_sum - full) <= tol:
        pass
    elif missing and abs(weight_sum - (full - missing)) <= tol:
        names = "、".join(score.missing_categories)
        rescale = profile.policies.missing_category == "rescale"
        notes.append(
            f"未设置{names}（{missing:g}分），分值合计 {_pts(weight_sum)} 分"
            + ("，总分按百分制折算" if rescale else "，其分值不得分")
        )
    else:
        out.append(
            ctx.finding(
                "weights_not_100",
                level3=TOTAL_ROW,
                published=_pts(weight_sum),
                recomputed=_pts(full),
                difference=weight_sum - full,
                note=f"预算执行率 {_pts(budget_weight)} 分 + 各指标分值 {_pts(weight_sum - budget_weight)} 分 = "
                f"{_pts(weight_sum)} 分，不等于{full:g}分；按公布的分值直接加总复核"
                "（policies.weights_not_100 = as_given），不折算",
            )
        )
    if (
        pub.total_weight is not None
        and abs(pub.total_weight - weight_sum) > tol
        and abs(pub.total_weight - full) <= tol
    ):
        notes.append(f"总分分值写作 {_pts(pub.total_weight)} 分，明细分值合计 {_pts(weight_sum)} 分")

    raw_cents = round((budget_review or 0.0) * 100) + sum(round((r.review_score or 0.0) * 100) for r in rows)
    review_total = raw_cents / 100
    if rescale and weight_sum > 0:
        review_total = round_half_up(review_total * full / weight_sum, 2)

    # The published arithmetic: total = budget score + row scores (rescaled where categories are missing).
    total = pub.total_score
    row_scores = [r.published_score for r in rows]
    if total is not None and all(s is not None for s in row_scores) and pub.budget_score is not None:
        plain = round_half_up(pub.budget_score + sum(row_scores), 2)  # type: ignore[arg-type]
        expected = round_half_up(plain * full / weight_sum, 2) if rescale and weight_sum > 0 else plain
        if abs(total - expected) > tol and abs(total - plain) > tol:
            how = _rounding_of(total, expected, profile)
            shown = {"level3": TOTAL_ROW, "published": _pts(total), "recomputed": _pts(expected)}
            if how and rules.code("rounding_convention").enabled:
                out.append(
                    ctx.finding(
                        "rounding_convention",
                        difference=total - expected,
                        note=f"明细合计 {_pts(expected)} 分，总分{how}为 {_pts(total)} 分",
                        **shown,
                    )
                )
            else:
                cap = "；公布总分超过分值合计" if total > weight_sum + tol and not rescale else ""
                out.append(
                    ctx.finding(
                        "sum_mismatch",
                        difference=total - expected,
                        note=f"预算执行率得分 {_pts(pub.budget_score)} + 各指标得分合计 "
                        f"{_pts(plain - pub.budget_score)} = {_pts(plain)} 分"
                        + (f"，折算后 {_pts(expected)} 分" if rescale else "")
                        + f"，公布总分 {_pts(total)} 分{cap}",
                        **shown,
                    )
                )
    elif total is not None:
        notes.append("部分得分未公布，未核对总分与明细的合计")
    if pub.grade.strip():
        written = rules.grade(pub.grade)
        names = [g.name for g in profile.grades]
        basis = total if total is not None else review_total
        expected_grade = profile.grade_for(basis)
        if written not in names or written != expected_grade:
            what = "总分" if total is not None else "复核总分"
            unknown = f"（「{pub.grade}」不是规则中的等级 {'/'.join(names)}）" if written not in names else ""
            out.append(
                ctx.finding(
                    "grade_mismatch",
                    level3="评价等级",
                    published=pub.grade.strip(),
                    recomputed=expected_grade,
                    note=f"{what} {_pts(basis)} 分对应等级「{expected_grade}」{unknown}",
                )
            )
    return weight_sum, review_total, out, notes


def _full_marks(ctx: _Context, rows: list[RowAudit]) -> Finding | None:
    rules = ctx.profile.audit
    tol = rules.score_tolerance + _EPS
    scores = [(r.published_score, r.scored.weight) for r in rows]
    if len(scores) < rules.full_marks_min_rows or any(p is None for p, _ in scores):
        return None
    if all(p >= w - tol for p, w in scores):  # type: ignore[operator]
        return ctx.finding(
            "all_full_marks",
            published=f"{len(scores)}/{len(scores)} 行满分",
            note=f"全部 {len(scores)} 个指标自评满分，请核实佐证材料",
        )
    return None


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _without_sub_rows(decl: Declarations) -> tuple[Declarations, list[int]]:
    """The rows that are scored: 其中 sub-rows and parent rows (scored through their parts) left out."""
    projects: list[Project] = []
    counts: list[int] = []
    for project in decl.projects:
        kept = tuple(i for i in project.indicators if i.scored)
        counts.append(sum(1 for i in project.indicators if i.sub_row))
        projects.append(replace(project, indicators=kept))
    return replace(decl, projects=tuple(projects)), counts


def _parent_findings(ctx: _Context, project: Project) -> tuple[int, list[Finding]]:
    """(parent rows, findings): a parent row's published 分值 and 得分 must be its parts' sums.

    The parts are scored in its place, so a parent whose points differ from its parts' would make
    the published total disagree with every row the reader sees; the check names the parent row.
    """
    tol = ctx.profile.audit.score_tolerance + _EPS
    rows = project.indicators
    parents = 0
    out: list[Finding] = []
    for k, parent in enumerate(rows):
        if not parent.parts or parent.sub_row:
            continue
        parents += 1
        parts = [i for i in rows[k + 1 : k + 1 + parent.parts] if not i.sub_row]
        names = "、".join(i.level3 for i in parts)
        for what, own, values in (
            ("分值", parent.weight, [i.weight for i in parts]),
            ("得分", parent.published_score, [i.published_score for i in parts]),
        ):
            if own is None or any(v is None for v in values):
                continue
            total = round_half_up(sum(values), 2)  # type: ignore[arg-type]
            if abs(own - total) > tol:
                found = ctx.finding(
                    "sum_mismatch",
                    indicator=parent,
                    published=_pts(own),
                    recomputed=_pts(total),
                    difference=own - total,
                    note=f"分项父行的{what} {_pts(own)} 分不等于其 {len(parts)} 个分项（{names}）的{what}合计 "
                    f"{_pts(total)} 分",
                )
                if found is not None:
                    out.append(found)
    return parents, out


def _accept_qualitative(
    decl: Declarations, actuals: Actuals, first: list[ProjectScore], profile: Profile, year: int | None
) -> tuple[Actuals, dict[tuple[int, int], str]]:
    """Actuals with each in-band qualitative 得分 as the row's 评定得分; the out-of-band ones, explained."""
    rows = list(actuals.rows)
    at_row = {(r.project, r.level1, r.level2, r.level3, r.source): k for k, r in enumerate(rows)}
    out_of_band: dict[tuple[int, int], str] = {}
    for p_index, (project, score) in enumerate(zip(decl.projects, first, strict=True)):
        for i_index, (ind, row) in enumerate(zip(project.indicators, score.rows, strict=True)):
            at = at_row.get((project.name, ind.level1, ind.level2, ind.level3, ind.source))
            qualitative, _ = _is_qualitative(ind, project.year or year)
            tier = _row_tier(row, profile) if qualitative else None
            if at is None or tier is None or ind.published_score is None:
                continue
            low, high, top = _band(profile, tier, row.weight)
            p = ind.published_score
            if _in_band(p, low, high, top):
                rows[at] = replace(rows[at], tier_text=str(tier), points_text=f"{p:g}")
            elif p <= row.weight + _EPS:
                closing = "]" if top else ")"
                out_of_band[(p_index, i_index)] = (
                    f"实际完成值「{ind.published_actual or ''}」为「{profile.tier_rule(tier).label}」，该档得分区间"
                    f" [{_pts(low)}, {_pts(high)}{closing}，自评 {_pts(p)} 分不在区间内；复核按该档 "
                    f"{_pct(profile.tier_rule(tier).points)} 计"
                )
    return replace(actuals, rows=tuple(rows)), out_of_band


def audit_declarations(decl: Declarations, profile: Profile) -> list[ProjectAudit]:
    """Audit the projects of one file (one Declarations)."""
    scoring = _as_given(profile)
    kept, sub_counts = _without_sub_rows(decl)
    actuals = actuals_of(kept)
    year = run_year(kept)
    first = evaluate(kept, actuals, scoring).projects
    actuals, out_of_band = _accept_qualitative(kept, actuals, list(first), profile, year)
    run = evaluate(kept, actuals, scoring)
    file = decl.source_file
    out: list[ProjectAudit] = []
    for p_index, (project, score) in enumerate(zip(kept.projects, run.projects, strict=True)):
        ctx = _Context(profile, file, project.name)
        pub = project.published or PublishedTotals()
        rows: list[RowAudit] = []
        findings: list[Finding] = []
        for i_index, (ind, row) in enumerate(zip(project.indicators, score.rows, strict=True)):
            audit, found = _row_audit(ctx, ind, row, project.year or year, out_of_band.get((p_index, i_index), ""))
            rows.append(audit)
            findings.extend(found)
        budget_weight = pub.budget_weight if pub.budget_weight is not None else profile.budget_points
        budget_review, budget_found = _budget_findings(ctx, score, pub, budget_weight)
        weight_sum, review_total, total_found, notes = _total_findings(
            ctx, score, rows, pub, budget_weight, budget_review
        )
        if pub.budget_weight is None:
            notes.append(f"预算执行率分值未公布，按规则 {_pts(budget_weight)} 分")
        parent_rows, parent_found = _parent_findings(ctx, decl.projects[p_index])
        findings.extend(parent_found)
        findings.extend(f for f in (*budget_found, *total_found, _full_marks(ctx, rows)) if f is not None)
        order = {code: k for k, code in enumerate(profile.audit.codes)}
        findings.sort(key=lambda f: (f.severity, order.get(f.code, 99)))
        out.append(
            ProjectAudit(
                file=file,
                project=project,
                score=score,
                rows=tuple(rows),
                budget_weight=budget_weight,
                budget_review=budget_review,
                weight_sum=weight_sum,
                review_total=review_total,
                published_total=pub.total_score,
                review_grade=profile.grade_for(review_total),
                findings=tuple(findings),
                sub_rows=sub_counts[p_index],
                parent_rows=parent_rows,
                notes=tuple(notes),
            )
        )
    return out


def audit_projects(declarations: Declarations | Sequence[Declarations], profile: Profile) -> AuditResult:
    """Re-score every row and budget of every filled 自评表 given, and list what differs.

    `declarations` is one reader result or one per input file; findings name the file.
    """
    batch = [declarations] if isinstance(declarations, Declarations) else list(declarations)
    projects: list[ProjectAudit] = []
    repairs: list[str] = []
    for decl in batch:
        projects.extend(audit_declarations(decl, profile))
        repairs.extend(f"{r.source.describe()}：{r.found} → {r.decision}" for r in decl.repairs)
    return AuditResult(
        projects=tuple(projects),
        profile_name=profile.name,
        files=tuple(dict.fromkeys(d.source_file for d in batch)),
        repairs=tuple(repairs),
    )


__all__ = ["audit_declarations", "audit_projects", "rounded_forms"]
