"""The columnar scoring core: the rows of every project as aligned columns, scored in array passes.

`core.score_projects` plans each row with a `Plan` object and writes its text with general
functions that test every case. Here the common kinds — a decided comparison (≥ ≤ =, including
growth targets), and a qualitative row whose words decided the tier — are planned straight into
numpy columns, the decision tree runs as vector selects (`core.score_arrays`), and their
calculation text and flags come from the writers the scalar path uses (explanation.comparison_text,
share_text, flags.scored_flags) called with column values instead of a Plan. Weights are split
per first-level group by the closed form of an equal largest-remainder split, with the category
pools computed once per distinct project shape. Every other row (not applicable, deadlines,
ranges, typed 完成档次 / 评定得分, not decided …) and every project with given 分值 or the
equal_branch policy goes through the scalar functions of `core` unchanged, so the result is the
same records, field for field (tests/test_columnar.py compares both paths).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from evaluator.common.text import normalize_text
from evaluator.config.profiles import Profile
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.ingest.workbook_open import record_maker
from evaluator.models import (
    Direction,
    Flag,
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
from evaluator.scoring.budget import score_budgets
from evaluator.scoring.core import _level1_of, _plan_row, met_all_or_nothing, score_arrays
from evaluator.scoring.explanation import calculation, comparison_text, share_text
from evaluator.scoring.flags import row_flags, scored_flags
from evaluator.scoring.plan import (
    EPS,
    M_ALL_OR_NOTHING,
    M_HIGHER,
    M_LOWER,
    M_NONE,
    M_SHARE,
    Core,
    Plan,
)
from evaluator.scoring.rollup import roll_up_grouped, row_status, shown_actual
from evaluator.scoring.weights import COST, OUTPUT, Weights, _allocate, allocate_applicable

_NUMERIC_DIRECTIONS = (Direction.HIGHER, Direction.EQUAL, Direction.LOWER)
_QUALITATIVE_KINDS = (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED)
_SHAPE = tuple[dict[str, int], list[tuple[str, int]], list[str]]
_make_scored_row = record_maker(ScoredRow)


def _weights(rows: Sequence[RowInput], level1s: list[str], profile: Profile, shapes: dict[tuple, _SHAPE]) -> Weights:
    """allocate_applicable's answer; equal_leaf without given 分值 in closed form.

    With every share 1 the largest-remainder split of a pool P over n rows gives each row P // n and
    the first P % n rows (declaration order) one cent more; the pools themselves depend only on which
    categories are present and on the 成本/产出 counts, so they are computed once per such shape.
    """
    if profile.policies.allocation != "equal_leaf" or any(r.indicator.weight is not None for r in rows):
        return allocate_applicable(rows, level1s, profile)
    counts: dict[str, int] = {}
    for row, name in zip(rows, level1s, strict=True):
        if row.target.kind is not TargetKind.NOT_APPLICABLE:
            counts[name] = counts.get(name, 0) + 1
    key = (frozenset(counts), counts.get(COST, 0), counts.get(OUTPUT, 0))
    shape = shapes.get(key)
    if shape is None:
        canonical = sorted(name for name, n in counts.items() for _ in range(n))
        sub = _allocate(canonical, [""] * len(canonical), [None] * len(canonical), profile)
        shape = shapes[key] = (sub.category_cents, sub.missing, sub.notes)
    category, missing, notes = shape
    seen: dict[str, int] = {}
    cents = [0] * len(rows)
    for k, (row, name) in enumerate(zip(rows, level1s, strict=True)):
        if row.target.kind is TargetKind.NOT_APPLICABLE:
            continue
        rank = seen.get(name, 0)
        seen[name] = rank + 1
        pool, n = category.get(name, 0), counts[name]
        if pool > 0:
            cents[k] = pool // n + (1 if rank < pool % n else 0)
    return Weights(cents, [False] * len(rows), category, missing, list(notes))


def _vector_mode(row: RowInput, deviation: bool) -> int:
    """The mode of a row the columns can plan on their own, or M_NONE for the scalar planner.

    Mirrors core._plan_row branch by branch for the kinds it accepts; anything else is declined.
    """
    tgt, asm, act = row.target, row.assessment, row.actual
    if act is not None and (act.tier_text.strip() or act.points_text.strip()):
        return M_NONE
    kind = tgt.kind
    if kind is TargetKind.NOT_APPLICABLE:
        return M_NONE
    if asm.direction is Direction.QUALITATIVE or kind in _QUALITATIVE_KINDS:
        return M_SHARE if asm.tier is not None else M_NONE
    if not asm.decided or asm.direction not in _NUMERIC_DIRECTIONS:
        return M_NONE
    a, t = asm.actual_value, asm.target_value
    if a is None or t is None or not (math.isfinite(a) and math.isfinite(t)):
        return M_NONE
    if t > 0:
        if asm.direction is Direction.LOWER:
            return M_LOWER
        return M_NONE if deviation else M_HIGHER  # a deviation deduction needs the scalar text
    return M_ALL_OR_NOTHING


def _vector_plan(
    row: RowInput, m: int, tier_points: dict[Tier, float], strict_ops: tuple[Op, ...]
) -> tuple[int, float, float, bool, bool, float]:
    """(mode, a, t, met, strict, share) of a row `_vector_mode` accepted, as `_plan_row` would set them."""
    asm = row.assessment
    if m == M_SHARE:
        return m, math.nan, math.nan, False, False, tier_points[asm.tier]  # type: ignore[index]
    av, tv = float(asm.actual_value), float(asm.target_value)  # type: ignore[arg-type]
    if m == M_ALL_OR_NOTHING:
        return m, av, tv, met_all_or_nothing(asm.direction, row.target.op, av, tv), False, math.nan
    strict = asm.strict_at_target or (row.target.op in strict_ops and av == tv and tv != 0)
    return m, av, tv, False, strict, math.nan


def score_projects_columnar(
    inputs: Sequence[ProjectInput], profile: Profile, taxonomy: Taxonomy | None = None
) -> list[ProjectScore]:
    """core.score_projects' result (same records, same order), with the common kinds in columns."""
    taxonomy = taxonomy or default_taxonomy()
    deviation = profile.policies.overachieve_deduction == "deviation"
    level1_of: dict[tuple[str, str], str] = {}
    shapes: dict[tuple, _SHAPE] = {}
    all_rows: list[RowInput] = []
    level1s: list[str] = []
    weight_cents: list[int] = []
    given: list[bool] = []
    per_project: list[Weights] = []
    spans: list[tuple[int, int]] = []
    for project in inputs:
        start = len(all_rows)
        names: list[str] = []
        for row in project.rows:
            key = (row.indicator.level1, row.indicator.level2)
            name = level1_of.get(key)
            if name is None:
                name = level1_of[key] = _level1_of(row, taxonomy)
            names.append(name)
        alloc = _weights(project.rows, names, profile, shapes)
        per_project.append(alloc)
        all_rows.extend(project.rows)
        level1s.extend(names)
        weight_cents.extend(alloc.cents)
        given.extend(alloc.given)
        spans.append((start, len(all_rows)))

    # Plans: the common kinds straight into columns, the rest through the scalar planner. Python
    # lists first (a numpy element write costs more than an append), one array per column after.
    n = len(all_rows)
    nan, inf = math.nan, math.inf
    mode_l = [M_NONE] * n
    a_l = [nan] * n
    t_l = [nan] * n
    low_l = [-inf] * n
    high_l = [inf] * n
    days_l = [0.0] * n
    share_l = [nan] * n
    points_l = [nan] * n
    met_l = [False] * n
    strict_l = [False] * n
    plans: dict[int, Plan] = {}
    tier_points = {tier: profile.tier_rule(tier).points for tier in Tier}
    vector = [False] * n
    strict_ops = (Op.GT, Op.LT)
    # A vector row's plan is a function of its assessment and target alone (both shared objects, one
    # per distinct case), so it is worked out once per (assessment, target) pair; rows whose unit
    # typed a 完成档次 / 评定得分 go to the scalar planner as before.
    planned: dict[tuple[int, int], tuple[int, float, float, bool, bool, float] | None] = {}
    for i, row in enumerate(all_rows):
        act = row.actual
        typed = act is not None and bool(act.tier_text or act.points_text)
        key = (id(row.assessment), id(row.target))
        if typed or key not in planned:
            m = _vector_mode(row, deviation)
            found = None if m == M_NONE else _vector_plan(row, m, tier_points, strict_ops)
            if not typed:
                planned[key] = found
        else:
            found = planned[key]
        if found is None:
            plan = plans[i] = _plan_row(row, weight_cents[i] / 100, profile)
            mode_l[i], a_l[i], t_l[i], low_l[i], high_l[i] = plan.mode, plan.a, plan.t, plan.low, plan.high
            days_l[i], share_l[i], points_l[i] = plan.days, plan.share, plan.points
            met_l[i], strict_l[i] = plan.met, plan.strict
            continue
        vector[i] = True
        mode_l[i], a_l[i], t_l[i], met_l[i], strict_l[i], share_l[i] = found
    mode = np.array(mode_l, dtype=np.int8)
    a, t = np.array(a_l, dtype=float), np.array(t_l, dtype=float)
    low, high = np.array(low_l, dtype=float), np.array(high_l, dtype=float)
    days, share, points = np.array(days_l, dtype=float), np.array(share_l, dtype=float), np.array(points_l, dtype=float)
    met = np.array(met_l, dtype=bool)

    weights = np.array(weight_cents, dtype=float) / 100
    marker = profile.policies.overachieve_cause_marker
    causes = [(r.actual.overachieve_cause if r.actual else "") or "" for r in all_rows]
    too_low = np.array([marker in c for c in causes], dtype=bool)
    core: Core = score_arrays(mode, a, t, low, high, days, share, points, met, weights, too_low, profile)
    score_cents = np.rint(core.score * 100).astype(np.int64)
    budgets = score_budgets([p.budget for p in inputs], profile)

    cents = score_cents.tolist()
    completions = core.completion.tolist()
    overs = core.over.tolist()
    memo: dict[tuple, Any] = {}  # _vector_text's texts and flags
    shown_targets: dict[str, str] = {}
    shown_percent: dict[str, str] = {}
    results: list[ProjectScore] = []
    for project, (start, end), alloc, budget in zip(inputs, spans, per_project, budgets, strict=True):
        scored_rows: list[ScoredRow] = []
        name = project.project.name
        reds = 0
        for i in range(start, end):
            row = all_rows[i]
            ind, act = row.indicator, row.actual
            wc, sc = weight_cents[i], cents[i]
            w = wc / 100
            s = sc / 100
            if vector[i]:
                status, reason = RowStatus.SCORED, ""
                calc, flags = _vector_text(
                    row,
                    mode_l[i],
                    a_l[i],
                    t_l[i],
                    strict_l[i],
                    met_l[i],
                    wc,
                    sc,
                    completions[i],
                    overs[i],
                    memo,
                    profile,
                )
                completion: float | None = completions[i]
            else:
                plan = plans[i]
                completion = completions[i] if plan.mode != M_NONE else None
                status = row_status(plan)
                reason = plan.reason if plan.mode == M_NONE else ""
                calc = calculation(plan, row, w, s, core, i, profile)
                flags = row_flags(plan, row, w, s, core, i, profile)
            for flag in flags:
                reds += flag.severity == Severity.RED
            target_text = ind.target_text
            shown = shown_targets.get(target_text)
            if shown is None:
                shown = shown_targets[target_text] = normalize_text(target_text)  # the raw text is in the log
            if act is None:
                actual_text = ""
            elif row.target.unit == "%":
                actual_text = shown_percent.get(act.actual_text)
                if actual_text is None:
                    actual_text = shown_percent[act.actual_text] = shown_actual(row)
            else:
                actual_text = act.actual_text  # shown_actual changes only bare numbers on % rows
            scored_rows.append(  # positional, in ScoredRow's field order, slots set directly
                _make_scored_row(
                    name,
                    level1s[i],
                    ind.level2,
                    ind.level3,
                    shown,
                    actual_text,
                    w,
                    s,
                    status,
                    calc,
                    reason,
                    flags,
                    completion if completion is None or math.isfinite(completion) else None,
                    act.deviation_reason if act else "",
                    given[i],
                    act.source if act and act.source else ind.source,
                )
            )
        results.append(
            roll_up_grouped(
                project, scored_rows, weight_cents[start:end], cents[start:end], reds, alloc, budget, profile, taxonomy
            )
        )
    return results


def _vector_text(
    row: RowInput,
    m: int,
    a: float,
    t: float,
    strict: bool,
    met: bool,
    wc: int,
    sc: int,
    completion: float,
    over: bool,
    memo: dict[tuple, Any],
    profile: Profile,
) -> tuple[str, tuple[Flag, ...]]:
    """A vector row's calculation text and flags, each written once per distinct case.

    Most rows of a portfolio repeat a case (the same numbers, 分值 and 得分), and writing the text
    was a third of scoring. The writers are the scalar path's; the memo key is everything they
    read: for a comparison the mode, the two numbers, strict/met, 分值 and 得分 in cents, the unit
    and the target's operator (`=` is worded apart); for a tier share the tier, the cents, the
    actual text and the assessment's reason (the basis line). The flags read the assessment's flags
    and reason, strict, the cents, the completion, the over-achievement mark and whether a
    偏差原因 was given.
    """
    asm, act = row.assessment, row.actual
    if m == M_SHARE:
        key: tuple = (m, asm.tier, wc, sc, act.actual_text if act is not None else None, asm.reason)
        calc = memo.get(key)
        if calc is None:
            calc = memo[key] = share_text(row, asm.tier, "实际完成情况", wc / 100, sc / 100, profile)  # type: ignore[arg-type]
    else:
        key = (m, a, t, strict, met, wc, sc, asm.unit, row.target.op)
        calc = memo.get(key)
        if calc is None:
            calc = memo[key] = comparison_text(m, row, a, t, strict, met, wc / 100, sc / 100, profile)
    if not (asm.flags or strict or over or (sc < wc and completion < 1.0 - EPS)):
        return calc, ()  # scored_flags finds nothing on such a row (sc < wc is score < w − EPS in cents)
    given = False
    if act is not None and act.deviation_reason:
        given = bool(act.deviation_reason.strip())
    key = (None, asm.flags, asm.reason, strict, wc, sc, completion, over, given)
    flags = memo.get(key)
    if flags is None:
        flags = memo[key] = tuple(scored_flags(row, strict, wc / 100, sc / 100, completion, over, False, profile))
    return calc, flags
