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

import numpy as np

from evaluator.common.text import normalize_text
from evaluator.config.profiles import Profile
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.ingest.workbook_open import record_maker
from evaluator.models import (
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
from evaluator.scoring.budget import score_budgets
from evaluator.scoring.core import _is_missing, _level1_of, _plan_row, met_all_or_nothing, score_arrays
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
from evaluator.scoring.rollup import level_scores, level_sums, roll_up_from_levels, row_status, shown_actual
from evaluator.scoring.weights import COST, OUTPUT, Weights, _allocate, allocate_applicable

_NUMERIC_DIRECTIONS = (Direction.HIGHER, Direction.EQUAL, Direction.LOWER)
_QUALITATIVE_KINDS = (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED)
_SHAPE = tuple[dict[str, int], list[tuple[str, int]], list[str]]
_make_scored_row = record_maker(ScoredRow)
_make_level = record_maker(LevelScore)


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


_PlanRow = tuple[int, float, float, float, float, float, float, float, bool, bool, bool]
# (mode, a, t, low, high, days, share, points, met, strict, vector?) — one entry per distinct plan


def _vector_plan(row: RowInput, m: int, tier_points: dict[Tier, float], strict_ops: tuple[Op, ...]) -> _PlanRow:
    """The plan of a row `_vector_mode` accepted, with the numbers `_plan_row` would set."""
    nan, inf = math.nan, math.inf
    asm = row.assessment
    if m == M_SHARE:
        return (m, nan, nan, -inf, inf, 0.0, tier_points[asm.tier], nan, False, False, True)  # type: ignore[index]
    av, tv = float(asm.actual_value), float(asm.target_value)  # type: ignore[arg-type]
    if m == M_ALL_OR_NOTHING:
        met = met_all_or_nothing(asm.direction, row.target.op, av, tv)
        return (m, av, tv, -inf, inf, 0.0, nan, nan, met, False, True)
    strict = asm.strict_at_target or (row.target.op in strict_ops and av == tv and tv != 0)
    return (m, av, tv, -inf, inf, 0.0, nan, nan, False, strict, True)


def _scalar_plan(plan: Plan) -> _PlanRow:
    return (
        plan.mode,
        plan.a,
        plan.t,
        plan.low,
        plan.high,
        plan.days,
        plan.share,
        plan.points,
        plan.met,
        plan.strict,
        False,
    )


def score_projects_columnar(
    inputs: Sequence[ProjectInput], profile: Profile, taxonomy: Taxonomy | None = None
) -> list[ProjectScore]:
    """core.score_projects' result (same records, same order), with the common kinds in columns.

    Per row, Python only looks up what the row shares with others: its level names' codes, its plan
    (one per distinct assessment and target), its text and flags (one per distinct plan, 分值 and
    得分), and builds its ScoredRow; the numbers, the subtotals and the totals are array passes.
    """
    taxonomy = taxonomy or default_taxonomy()
    deviation = profile.policies.overachieve_deduction == "deviation"
    levels_of: dict[tuple[str, str], tuple[str, int]] = {}  # (一级, 二级) as typed → (一级 name, group code)
    group_of: dict[tuple[str, str], int] = {}  # (一级 name, 二级) → group code
    group_names: list[tuple[str, str]] = []
    shapes: dict[tuple, _SHAPE] = {}
    all_rows: list[RowInput] = []
    level1s: list[str] = []
    groups: list[int] = []
    weight_cents: list[int] = []
    given: list[bool] = []
    per_project: list[Weights] = []
    spans: list[tuple[int, int]] = []
    for project in inputs:
        start = len(all_rows)
        names: list[str] = []
        for row in project.rows:
            ind = row.indicator
            key = (ind.level1, ind.level2)
            found = levels_of.get(key)
            if found is None:
                name = _level1_of(row, taxonomy)
                pair = (name, ind.level2)
                code = group_of.get(pair)
                if code is None:
                    code = group_of[pair] = len(group_names)
                    group_names.append(pair)
                found = levels_of[key] = (name, code)
            names.append(found[0])
            groups.append(found[1])
        alloc = _weights(project.rows, names, profile, shapes)
        per_project.append(alloc)
        all_rows.extend(project.rows)
        level1s.extend(names)
        weight_cents.extend(alloc.cents)
        given.extend(alloc.given)
        spans.append((start, len(all_rows)))

    # Plans, one entry per distinct case: a row the columns plan themselves reads nothing but its
    # assessment and target (both shared objects, one per distinct case), a tier share's text also
    # its actual text; a row for the scalar planner also reads whether its actual is missing and
    # (in a reason) its actual text. A row whose unit typed a 完成档次 / 评定得分 gets its own entry
    # (its plan reads its 分值 and its text the typed words). Each row keeps its entry's number.
    n = len(all_rows)
    table: list[_PlanRow] = []
    plan_objs: dict[int, Plan] = {}  # entry → the scalar planner's Plan
    plan_of: dict[tuple[int, int], int] = {}
    share_of: dict[tuple[int, str | None], int] = {}
    scalar_of: dict[tuple[int, int, str | None, bool], int] = {}
    entry = [0] * n
    tier_points = {tier: profile.tier_rule(tier).points for tier in Tier}
    strict_ops = (Op.GT, Op.LT)
    for i, row in enumerate(all_rows):
        act = row.actual
        if act is None or not (act.tier_text or act.points_text):
            key = (id(row.assessment), id(row.target))
            k = plan_of.get(key)
            if k is None:
                m = _vector_mode(row, deviation)
                k = plan_of[key] = -1 if m == M_NONE else len(table)
                if m != M_NONE:
                    table.append(_vector_plan(row, m, tier_points, strict_ops))
            if k >= 0:
                if table[k][0] == M_SHARE:
                    share_key = (k, act.actual_text if act is not None else None)
                    k2 = share_of.get(share_key)
                    if k2 is None:
                        k2 = share_of[share_key] = len(table)
                        table.append(table[k])
                    k = k2
                entry[i] = k
                continue
            scalar_key = (*key, act.actual_text if act is not None else None, _is_missing(act))
            k = scalar_of.get(scalar_key)
            if k is None:
                k = scalar_of[scalar_key] = len(table)
                plan = plan_objs[k] = _plan_row(row, weight_cents[i] / 100, profile)
                table.append(_scalar_plan(plan))
            entry[i] = k
            continue
        m = _vector_mode(row, deviation)
        entry[i] = k = len(table)
        if m != M_NONE:
            table.append(_vector_plan(row, m, tier_points, strict_ops))
        else:
            plan = plan_objs[k] = _plan_row(row, weight_cents[i] / 100, profile)
            table.append(_scalar_plan(plan))

    at = np.array(entry, dtype=np.int64)
    cols = list(zip(*table, strict=True)) if table else [()] * 11
    mode = np.array(cols[0], dtype=np.int8)[at]
    a, t = np.array(cols[1], dtype=float)[at], np.array(cols[2], dtype=float)[at]
    low, high = np.array(cols[3], dtype=float)[at], np.array(cols[4], dtype=float)[at]
    days, share = np.array(cols[5], dtype=float)[at], np.array(cols[6], dtype=float)[at]
    points, met = np.array(cols[7], dtype=float)[at], np.array(cols[8], dtype=bool)[at]

    w_cents = np.array(weight_cents, dtype=np.int64)
    weights = w_cents / 100
    marker = profile.policies.overachieve_cause_marker
    too_low = np.zeros(n, dtype=bool)
    if marker:  # an empty marker is in every cause, also in none
        too_low[[i for i, r in enumerate(all_rows) if r.actual and marker in (r.actual.overachieve_cause or "")]] = True
    else:
        too_low[:] = True
    core: Core = score_arrays(mode, a, t, low, high, days, share, points, met, weights, too_low, profile)
    score_cents = np.rint(core.score * 100).astype(np.int64)
    budgets = score_budgets([p.budget for p in inputs], profile)

    # Cases: a row's text, status and flags are a function of its plan entry, 分值, 得分 and whether
    # a deviation deduction applied (the core's columns read nothing else) — and, for the flags,
    # of whether a 偏差原因 was given when a flag asks for one. Each is written once per case.
    case_l = _case_numbers(at, len(table), w_cents, score_cents, core.deducted)
    n_cases = max(case_l) + 1 if case_l else 0
    case_out: list[tuple[str, RowStatus, str, bool, bool, tuple[Flag, ...], int] | None] = [None] * n_cases
    case_flags: dict[tuple[int, bool], tuple[tuple[Flag, ...], int]] = {}
    reason_codes = frozenset(profile.flags.reason_required)

    completions = core.completion.tolist()
    finite = np.isfinite(core.completion).tolist()
    w_points = (w_cents / 100).tolist()  # wc / 100 exactly as Python divides an int (both correctly rounded)
    s_points = (score_cents / 100).tolist()
    status_l: list[RowStatus] = [RowStatus.SCORED] * n
    shown_targets: dict[str, str] = {}
    shown_percent: dict[str, str] = {}
    rows_out: list[ScoredRow] = []
    reds_of: list[int] = []

    def row_flags_of(i: int, row: RowInput) -> tuple[tuple[Flag, ...], int]:
        """The flags of row i and how many are red (once per case, or per case and 偏差原因 given?)."""
        k = entry[i]
        plan = plan_objs.get(k)
        if plan is not None:
            flags = tuple(row_flags(plan, row, w_points[i], s_points[i], core, i, profile))
        else:
            strict, over, ratio = table[k][9], overs[i], completions[i]
            if row.assessment.flags or strict or over or (s_cents_l[i] < weight_cents[i] and ratio < 1.0 - EPS):
                flags = tuple(scored_flags(row, strict, w_points[i], s_points[i], ratio, over, False, profile))
            else:  # nothing for scored_flags to say (sc < wc is its score < w − EPS, in cents)
                flags = ()
        return flags, sum(f.severity == Severity.RED for f in flags)

    s_cents_l = score_cents.tolist()
    overs = core.over.tolist()
    for project, (start, end) in zip(inputs, spans, strict=True):
        name = project.project.name
        reds = 0
        for i in range(start, end):
            row = all_rows[i]
            ind, act = row.indicator, row.actual
            c = case_l[i]
            out = case_out[c]
            if out is None:  # the case's first row
                k = entry[i]
                plan = plan_objs.get(k)
                if plan is None:
                    calc = _vector_calc(row, table[k], weight_cents[i], s_cents_l[i], profile)
                    status, reason, scored = RowStatus.SCORED, "", True
                else:
                    calc = calculation(plan, row, w_points[i], s_points[i], core, i, profile)
                    status, scored = row_status(plan), plan.mode != M_NONE
                    reason = "" if scored else plan.reason
                flags, red = row_flags_of(i, row)
                needs = any(f.code in reason_codes for f in flags)
                out = case_out[c] = (calc, status, reason, scored, needs, flags, red)
                if needs:
                    case_flags[(c, bool(act is not None and act.deviation_reason.strip()))] = (flags, red)
            calc, status, reason, scored, needs, flags, red = out
            if needs:  # the flags differ by whether a 偏差原因 was given
                key = (c, bool(act is not None and act.deviation_reason.strip()))
                found = case_flags.get(key)
                if found is None:
                    found = case_flags[key] = row_flags_of(i, row)
                flags, red = found
            reds += red
            if status is not RowStatus.SCORED:
                status_l[i] = status
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
            rows_out.append(  # positional, in ScoredRow's field order, slots set directly
                _make_scored_row(
                    name,
                    level1s[i],
                    ind.level2,
                    ind.level3,
                    shown,
                    actual_text,
                    w_points[i],
                    s_points[i],
                    status,
                    calc,
                    reason,
                    flags,
                    completions[i] if scored and finite[i] else None,
                    act.deviation_reason if act else "",
                    given[i],
                    act.source if act and act.source else ind.source,
                )
            )
        reds_of.append(reds)

    applicable = np.array([st is not RowStatus.NOT_APPLICABLE for st in status_l], dtype=bool)
    unscored = np.array([st is RowStatus.NOT_SCORED for st in status_l], dtype=np.int64)
    n_not_applicable = _per_project(spans, (~applicable).astype(np.int64))
    n_not_scored = _per_project(spans, unscored)
    level1_names = list(dict.fromkeys(pair[0] for pair in group_names))
    level1_code = {name: code for code, name in enumerate(level1_names)}
    grouped = level_sums(
        np.array([end - start for start, end in spans], dtype=np.int64),
        np.array(groups, dtype=np.int64),
        np.array([level1_code[pair[0]] for pair in group_names], dtype=np.int64),
        np.array([taxonomy.level1_rank(name) for name in level1_names], dtype=np.int64),
        w_cents,
        score_cents,
        applicable,
    )
    results: list[ProjectScore] = []
    for p, (project, (start, end), alloc, budget) in enumerate(zip(inputs, spans, per_project, budgets, strict=True)):
        rows = rows_out[start:end]
        sums = grouped[p]
        levels = level_scores(sums, level1_names, group_names, _make_level)  # type: ignore[arg-type]
        s_total = sums[2]
        not_applicable = [r for r in rows if r.status is RowStatus.NOT_APPLICABLE] if n_not_applicable[p] else []
        not_scored = n_not_scored[p]
        results.append(
            roll_up_from_levels(
                project,
                rows,
                weight_cents[start:end],
                s_total,
                levels,
                not_applicable,
                not_scored,
                reds_of[p],
                alloc,
                budget,
                profile,
            )
        )
    return results


def _case_numbers(
    entry: np.ndarray, n_entries: int, w_cents: np.ndarray, s_cents: np.ndarray, deducted: np.ndarray
) -> list[int]:
    """Each row's case: a number per distinct (plan entry, 分值 cents, 得分 cents, deducted?).

    The four are packed into one int64 when they fit (entry < 2**22, cents < 2**20 = 10,485.76
    points), which sorts ten times faster than unique rows of a 2-D array — the fallback.
    """
    if not len(entry):
        return []
    if (
        n_entries < 1 << 22
        and int(w_cents.max()) < 1 << 20
        and 0 <= int(s_cents.min())
        and int(s_cents.max()) < 1 << 20
    ):
        packed = (entry << 41) | (w_cents << 21) | (s_cents << 1) | deducted.astype(np.int64)
        _, inverse = np.unique(packed, return_inverse=True)
    else:
        stacked = np.stack([entry, w_cents, s_cents, deducted.astype(np.int64)], axis=1)
        _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).tolist()


def _per_project(spans: list[tuple[int, int]], values: np.ndarray) -> list[int]:
    """The sum of `values` over each project's span of rows."""
    cum = np.concatenate([[0], np.cumsum(values)])
    starts = np.array([start for start, _ in spans], dtype=np.int64)
    ends = np.array([end for _, end in spans], dtype=np.int64)
    return (cum[ends] - cum[starts]).tolist()


def _vector_calc(row: RowInput, plan: _PlanRow, wc: int, sc: int, profile: Profile) -> str:
    """A vector row's calculation text, by the scalar path's writers (see score_projects_columnar)."""
    m, a, t, met, strict = plan[0], plan[1], plan[2], plan[8], plan[9]
    if m == M_SHARE:
        return share_text(row, row.assessment.tier, "实际完成情况", wc / 100, sc / 100, profile)  # type: ignore[arg-type]
    return comparison_text(m, row, a, t, strict, met, wc / 100, sc / 100, profile)
