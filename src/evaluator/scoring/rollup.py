"""Project roll-up: subtotals per first- and second-level indicator, total, grade and project flags.

Sums are taken in integer cents, so a subtotal equals the rows shown under it; a missing category
or weights that do not add up to the profile's total are handled by the profile's policies and said
in the notes.
"""

from __future__ import annotations

import re

import numpy as np

from evaluator.common.numbers import format_number, round_half_up
from evaluator.config.profiles import Profile
from evaluator.config.taxonomy import Taxonomy
from evaluator.models import (
    BudgetScore,
    Flag,
    LevelScore,
    ProjectInput,
    ProjectScore,
    RowInput,
    RowStatus,
    ScoredRow,
    Severity,
)
from evaluator.scoring.explanation import pts
from evaluator.scoring.plan import M_NONE, NOT_APPLICABLE, Plan
from evaluator.scoring.weights import Weights


def row_status(plan: Plan) -> RowStatus:
    if plan.mode != M_NONE:
        return RowStatus.SCORED
    return RowStatus.NOT_APPLICABLE if plan.not_scored_code == NOT_APPLICABLE else RowStatus.NOT_SCORED


_BARE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def shown_actual(row: RowInput) -> str:
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
            text.strip() for text in (a.actual_text, a.last_year_text, a.tier_text, a.points_text, a.deviation_reason)
        ):
            return True
    b = project.budget
    if b is None:
        return False
    amounts = [b.adjusted_budget, b.executed, *(x for part in b.parts for x in (part.adjusted_budget, part.executed))]
    return any(value is not None for value in amounts)


def roll_up(
    project: ProjectInput,
    rows: list[ScoredRow],
    w_cents: list[int],
    s_cents: np.ndarray,
    alloc: Weights,
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
    not_scored = sum(1 for r in rows if r.status == RowStatus.NOT_SCORED)
    reds = sum(1 for r in rows for f in r.flags if f.severity == Severity.RED)
    s_total = int(sum(int(c) for c in s_cents))
    return _finish(project, rows, w_cents, s_total, levels, not_applicable, not_scored, reds, alloc, budget, profile)


_Sums = tuple[list[tuple[int, int, int]], list[tuple[int, int, int]], int]


def level_sums(
    sizes: np.ndarray,
    groups: np.ndarray,
    level1_of_group: np.ndarray,
    level1_rank: np.ndarray,
    w_cents: np.ndarray,
    s_cents: np.ndarray,
    applicable: np.ndarray,
) -> list[_Sums]:
    """roll_up's subtotals for every project at once, as group sums on integer cents.

    Why: one Python pass per project over its rows (dicts of sums, a sort) was a fifth of scoring.
    The rows of all projects lie one after another (`sizes` rows per project); `groups` is each
    row's (一级, 二级) pair as a code, `level1_of_group` that pair's 一级 as a code, `level1_rank`
    each 一级 code's place in the taxonomy. Rows not `applicable` (无 / 不适用) are in no subtotal.
    Per project the answer is (first-level sums as (一级 code, 分值 cents, 得分 cents) in roll_up's
    order — taxonomy rank, then first appearance; second-level sums as (pair code, cents, cents),
    grouped under their 一级 in that order, each group in order of first appearance; the 得分 total
    of all rows in cents).
    """
    n_projects = len(sizes)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    s_cum = np.concatenate([[0], np.cumsum(s_cents, dtype=np.int64)])
    totals = (s_cum[ends] - s_cum[starts]).tolist()
    project = np.repeat(np.arange(n_projects, dtype=np.int64), sizes)
    kept = np.flatnonzero(applicable)
    p, g = project[kept], groups[kept]
    level1 = level1_of_group[g]
    w, s = w_cents[kept].astype(float), s_cents[kept].astype(float)  # sums below 2**53: exact
    n_groups = int(groups.max()) + 1 if len(groups) else 1
    n_level1 = int(level1_of_group.max()) + 1 if len(level1_of_group) else 1

    key1 = p * n_level1 + level1
    uniq1, first1, inverse1 = np.unique(key1, return_index=True, return_inverse=True)
    w1 = np.bincount(inverse1.reshape(-1), weights=w, minlength=len(uniq1)).astype(np.int64)
    s1 = np.bincount(inverse1.reshape(-1), weights=s, minlength=len(uniq1)).astype(np.int64)
    p1, c1 = uniq1 // n_level1, uniq1 % n_level1
    order1 = np.lexsort((first1, level1_rank[c1], p1))

    key2 = p * n_groups + g
    uniq2, first2, inverse2 = np.unique(key2, return_index=True, return_inverse=True)
    w2 = np.bincount(inverse2.reshape(-1), weights=w, minlength=len(uniq2)).astype(np.int64)
    s2 = np.bincount(inverse2.reshape(-1), weights=s, minlength=len(uniq2)).astype(np.int64)
    p2, c2 = uniq2 // n_groups, uniq2 % n_groups
    parent = level1_of_group[c2]
    parent_first = first1[np.searchsorted(uniq1, p2 * n_level1 + parent)]
    order2 = np.lexsort((first2, parent_first, level1_rank[parent], p2))

    ones = list(zip(c1[order1].tolist(), w1[order1].tolist(), s1[order1].tolist(), strict=True))
    twos = list(zip(c2[order2].tolist(), w2[order2].tolist(), s2[order2].tolist(), strict=True))
    cut1 = np.concatenate([[0], np.cumsum(np.bincount(p1, minlength=n_projects))]).tolist()
    cut2 = np.concatenate([[0], np.cumsum(np.bincount(p2, minlength=n_projects))]).tolist()
    return [(ones[cut1[k] : cut1[k + 1]], twos[cut2[k] : cut2[k + 1]], totals[k]) for k in range(n_projects)]


def level_scores(
    sums: _Sums, level1_names: list[str], group_names: list[tuple[str, str]], make: type[LevelScore] = LevelScore
) -> list[LevelScore]:
    """One project's LevelScores from its level_sums answer: the codes named, cents as points."""
    ones, twos, _ = sums
    levels = [make(level1_names[c], None, w / 100, s / 100) for c, w, s in ones]
    levels.extend(make(*group_names[g], w / 100, s / 100) for g, w, s in twos)
    return levels


def roll_up_from_levels(
    project: ProjectInput,
    rows: list[ScoredRow],
    w_cents: list[int],
    s_total: int,
    levels: list[LevelScore],
    not_applicable: list[ScoredRow],
    not_scored: int,
    reds: int,
    alloc: Weights,
    budget: BudgetScore,
    profile: Profile,
) -> ProjectScore:
    """roll_up's record from subtotals already summed (level_sums) and the rows' red flags counted
    by the caller: the total, grade, notes and project flags are roll_up's own."""
    return _finish(project, rows, w_cents, s_total, levels, not_applicable, not_scored, reds, alloc, budget, profile)


def _finish(
    project: ProjectInput,
    rows: list[ScoredRow],
    w_cents: list[int],
    s_total: int,
    levels: list[LevelScore],
    not_applicable: list[ScoredRow],
    not_scored: int,
    reds: int,
    alloc: Weights,
    budget: BudgetScore,
    profile: Profile,
) -> ProjectScore:
    budget_cents = round(budget.score * 100)
    raw_cents = budget_cents + s_total
    max_cents = round(budget.points * 100) + sum(w_cents)
    notes = list(alloc.notes)
    total = raw_cents / 100
    rescaled_from: float | None = None  # 指标得分合计 when the total is converted to 100
    scored_rows = len(rows) - len(not_applicable)
    if not_applicable:
        names = "、".join(r.level3 for r in not_applicable)
        notes.append(f"年度指标值为「无」或「不适用」的指标不计分、不分配分值：{names}")
    for name, cents in alloc.missing:
        notes.append(f"未设置{name}（{pts(cents / 100)}）")
    full_cents = round(profile.total_points * 100)
    weights_off = False
    if not scored_rows:
        notes.append("项目没有绩效指标，无法评分")
    elif alloc.missing:
        names = "、".join(n for n, _ in alloc.missing)
        if profile.policies.missing_category == "rescale" and max_cents > 0:
            total = round_half_up(raw_cents / max_cents * profile.total_points)
            rescaled_from = raw_cents / 100
            notes.append(
                f"{names}不考核，用适用指标得分汇总后按百分制折算：{format_number(raw_cents / 100)} × "
                f"{format_number(profile.total_points)} ÷ "
                f"{format_number(max_cents / 100)} = {pts(total)}"
            )
        else:
            notes.append(f"{names}不考核，其分值不得分（forfeit）：总分 {pts(total)}")
    elif max_cents != full_cents and max_cents > 0:
        # Never clamped: a 110-point table clamped to 100 hides every point lost on a row.
        weights_off = True
        parts = f"预算执行率 {pts(budget.points)} + 指标 {pts(sum(w_cents) / 100)}"
        full = format_number(profile.total_points)
        shown = f"分值合计为 {pts(max_cents / 100)}（{parts}），不等于{full}分"
        if profile.policies.weights_not_100 == "normalise":
            total = round_half_up(raw_cents / max_cents * profile.total_points)
            rescaled_from = raw_cents / 100
            notes.append(
                f"{shown}，按百分制折算：{format_number(raw_cents / 100)} × "
                f"{full} ÷ {format_number(max_cents / 100)} = {pts(total)}"
            )
        else:
            notes.append(f"{shown}，按给定分值直接加总：总分 {pts(total)}")
    total = max(round_half_up(total), 0.0)
    unreported = bool(project.rows) and not _reported(project)
    grade = UNREPORTED if unreported else profile.grade_for(total)
    complete = not_scored == 0 and budget.scored and scored_rows > 0
    flags: list[Flag] = []
    if grade in profile.flags.grades_flagged:
        severity = Severity.RED if grade == profile.grades[-1].name else Severity.YELLOW
        flags.append(Flag("grade_low", severity, f"等级为「{grade}」（总分 {pts(total)}）"))
    if weights_off:
        how = "已按百分制折算" if profile.policies.weights_not_100 == "normalise" else "按给定分值直接加总"
        message = f"分值合计为 {pts(max_cents / 100)}，不等于{format_number(profile.total_points)}分，{how}，请核对分值"
        flags.append(Flag("weights_not_100", Severity.YELLOW, message))
    if not_applicable:
        flags.append(Flag(NOT_APPLICABLE, Severity.INFO, f"{len(not_applicable)} 个指标不适用，未计分"))
    if alloc.missing and scored_rows:
        how = "按百分制折算" if profile.policies.missing_category == "rescale" else "其分值不得分"
        names = "、".join(n for n, _ in alloc.missing)
        flags.append(Flag("missing_category", Severity.INFO, f"未设置{names}，{how}"))
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
