"""The whole evaluation as one pure function: declarations + actuals + profile → RunResult.

Each distinct target and actual string is parsed once (the parsers cache), all rows of all
projects are assessed in one vectorised call, and all projects are scored in one call, so a
portfolio of thousands of projects costs a few array passes rather than per-row pint work.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator

from evaluator.common.collector import collector_paused
from evaluator.common.records import record_maker
from evaluator.common.text import normalize_text
from evaluator.config.profiles import Profile
from evaluator.grammar.actuals import in_target_unit, parse_actual, parse_row_actual
from evaluator.grammar.declared import indicator_target, project_year, run_year
from evaluator.ingest.cells import UncalculatedFormula
from evaluator.models import (
    Actual,
    ActualRow,
    Actuals,
    Assessment,
    BudgetRow,
    Declarations,
    Project,
    ProjectInput,
    ProjectScore,
    Repair,
    RowInput,
    RowStatus,
    RunResult,
    SourceRef,
    Target,
)
from evaluator.scoring.assess import assess_many, is_rate_name
from evaluator.scoring.core import score_projects
from evaluator.scoring.matching import match_actuals

_make_row_input = record_maker(RowInput)  # a million rows: slots set directly, not through __init__
_make_project_input = record_maker(ProjectInput)


def _assumptions(
    decl: Declarations,
    keys: list[tuple[int, int]],
    targets: list[Target],
    actual_values: list[Actual],
    filled: list[ActualRow | None],
    assessments: list[Assessment],
) -> tuple[Repair, ...]:
    """What the value parsers assumed (a bare number read as 不低于, an echoed ≥ in an actual …).

    An auditor must be able to see every reading that was not literal, with where it came from —
    and the log must say what the score was based on: a note about how the number was read is
    kept only where the number was compared; where the words decided (及时 against 滞后2个月),
    the log says so instead.
    """
    out: list[Repair] = []
    rows = zip(keys, targets, actual_values, filled, assessments, strict=True)
    for (p_index, i_index), target, actual, row, assessment in rows:
        indicator = decl.projects[p_index].indicators[i_index]
        shown = normalize_text(indicator.target_text)
        if shown != indicator.target_text:
            where = indicator.source or SourceRef(decl.source_file or "申报表")
            out.append(Repair(where, indicator.target_text, f"年度指标值在各输出中显示为「{shown}」"))
        if target.note:
            where = indicator.source or SourceRef(decl.source_file or "申报表")
            out.append(Repair(where, target.raw, f"年度指标值：{target.note}", kind="assumption"))
        if row is None:
            continue
        where = row.source or SourceRef("实际完成值")
        if actual.note and assessment.actual_value is not None:
            out.append(Repair(where, actual.raw, f"实际完成值：{actual.note}", kind="assumption"))
        elif assessment.tier is not None and actual.value is not None and not row.tier_text.strip():
            out.append(
                Repair(
                    where,
                    actual.raw,
                    f"实际完成值：按文字判断为「{assessment.tier}」（该指标不比较数值，文字中的数字未参与评分）",
                    kind="assumption",
                )
            )
    return tuple(out)


def _row_columns(
    decl: Declarations, matched: dict[tuple[int, int], ActualRow], default_year: int | None, profile: Profile
) -> tuple[list[tuple[int, int]], list[Target], list[Actual], list[Actual | None], list[ActualRow | None]]:
    """Every declared row as aligned columns, each distinct string read once.

    A portfolio repeats a few hundred target texts and a few tens of thousands of actual texts over
    a million rows: the parsers are asked once per distinct key (a local dict, cheaper than the
    parsers' own caches on every row) and the result is joined back by position.
    """
    cost_op = profile.policies.cost_default_op
    # Keyed per year first (constant over a project's rows), so a row builds no tuple for its actual.
    target_of: dict[int | None, dict[tuple[str, str, str, str], Target]] = {}
    actual_of: dict[int | None, dict[str, Actual]] = {}
    in_unit: dict[tuple[int, int], Actual] = {}
    last_of: dict[str, Actual] = {}
    keys: list[tuple[int, int]] = []
    targets: list[Target] = []
    actual_values: list[Actual] = []
    last_years: list[Actual | None] = []
    filled: list[ActualRow | None] = []
    for p_index, project in enumerate(decl.projects):
        year = project_year(project, default_year)
        targets_this_year = target_of.setdefault(year, {})
        actuals_this_year = actual_of.setdefault(year, {})
        for i_index, indicator in enumerate(project.indicators):
            key = (p_index, i_index)
            row = matched.get(key)
            keys.append(key)
            t_key = (indicator.target_text, indicator.level1, indicator.level2, indicator.level3)
            target = targets_this_year.get(t_key)
            if target is None:
                target = targets_this_year[t_key] = indicator_target(indicator, year, cost_op)
            targets.append(target)
            if row is None or isinstance(row.actual_value, UncalculatedFormula):
                actual = parse_row_actual(row, year)
            else:
                actual = actuals_this_year.get(row.actual_text)
                if actual is None:
                    actual = actuals_this_year[row.actual_text] = parse_actual(row.actual_text, year)
            u_key = (id(actual), id(target))
            shown = in_unit.get(u_key)
            if shown is None:
                shown = in_unit[u_key] = in_target_unit(actual, target)
            actual_values.append(shown)
            last: Actual | None = None
            if row is not None and row.last_year_text and row.last_year_text.strip():
                last = last_of.get(row.last_year_text)
                if last is None:
                    last = last_of[row.last_year_text] = parse_actual(row.last_year_text)
            last_years.append(last)
            filled.append(row)
    return keys, targets, actual_values, last_years, filled


def _assess_distinct(
    targets: list[Target], actual_values: list[Actual], last_years: list[Actual | None], names: list[str]
) -> list[Assessment]:
    """assess_many over the distinct (target, actual, last year, rate name?) combinations only.

    An assessment is a pure function of those four (the name matters only as "is this a rate"),
    and the parsed records above are shared objects, so identity is a safe and cheap key; the
    frozen Assessment is shared by every row with the same combination.
    """
    rate_of: dict[str, bool] = {}
    slot_of: dict[tuple[int, int, int, bool], int] = {}
    slots: list[int] = []
    picked: list[int] = []
    for k, (target, actual, last, name) in enumerate(zip(targets, actual_values, last_years, names, strict=True)):
        rate = rate_of.get(name)
        if rate is None:
            rate = rate_of[name] = is_rate_name(name)
        key = (id(target), id(actual), id(last), rate)
        slot = slot_of.get(key)
        if slot is None:
            slot = slot_of[key] = len(picked)
            picked.append(k)
        slots.append(slot)
    distinct = assess_many(
        [targets[k] for k in picked],
        [actual_values[k] for k in picked],
        [last_years[k] for k in picked],
        [names[k] for k in picked],
    )
    return [distinct[slot] for slot in slots]


def evaluate(decl: Declarations, actuals: Actuals, profile: Profile, *, year: int | None = None) -> RunResult:
    """Score the portfolio with the collector paused (see evaluator.common.collector).

    `year` is the evaluation year for projects that name none; by default the one most projects
    declare. A part of a portfolio scored on its own (evaluator.partitioned) passes the whole's.
    """
    with collector_paused():
        return _evaluate(decl, actuals, profile, year)


def _evaluate(decl: Declarations, actuals: Actuals, profile: Profile, year: int | None = None) -> RunResult:
    match = match_actuals(decl, actuals)
    default_year = run_year(decl) if year is None else year
    scores, rows_in, assumptions = _score_rows(decl, match.rows, match.budgets, default_year, profile)
    statuses = Counter(row.status for score in scores for row in score.rows)
    return RunResult(
        projects=tuple(scores),
        unmatched_actuals=tuple(match.unmatched),
        unmatched_reasons=tuple(match.unmatched_reasons),
        unmatched_budgets=tuple(match.unmatched_budgets),
        profile_name=profile.name,
        rules=profile.report_rules(),
        rows_in=rows_in,
        rows_scored=statuses[RowStatus.SCORED],
        rows_not_scored=statuses[RowStatus.NOT_SCORED],
        rows_not_applicable=statuses[RowStatus.NOT_APPLICABLE],
        repairs=tuple(decl.repairs) + tuple(actuals.repairs) + tuple(match.repairs) + assumptions,
        year=default_year,
    )


def _score_rows(
    decl: Declarations,
    matched: dict[tuple[int, int], ActualRow],
    budgets: dict[int, BudgetRow],
    default_year: int | None,
    profile: Profile,
) -> tuple[list[ProjectScore], int, tuple[Repair, ...]]:
    """(project scores, rows in, reading assumptions) of `decl` from a matching already done.

    The one scoring path of `evaluate()` and of each part of `evaluate_in_parts`: whole portfolio
    or part, the projects are scored alike.
    """
    keys, targets, actual_values, last_years, filled = _row_columns(decl, matched, default_year, profile)
    # _row_columns lists every indicator of every project in declaration order, so the rows are
    # taken project by project as slices of its columns (no look-up per row).
    indicators = [indicator for project in decl.projects for indicator in project.indicators]
    names = [indicator.level3 for indicator in indicators]
    assessments = _assess_distinct(targets, actual_values, last_years, names)
    assumptions = _assumptions(decl, keys, targets, actual_values, filled, assessments)

    inputs: list[ProjectInput] = []
    start = 0
    for p_index, project in enumerate(decl.projects):
        end = start + len(project.indicators)
        rows = tuple(
            map(_make_row_input, indicators[start:end], targets[start:end], assessments[start:end], filled[start:end])
        )
        inputs.append(_make_project_input(project, rows, budgets.get(p_index)))
        start = end
    return score_projects(inputs, profile), len(keys), assumptions


DEFAULT_PART_ROWS = 20_000  # indicator rows a part holds at most: ~50 MB of live results and frames


def part_bounds(decl: Declarations, part_rows: int = DEFAULT_PART_ROWS) -> list[tuple[int, int]]:
    """[start, end) project ranges, each of whole projects and at most `part_rows` indicator rows.

    A project is never split (its score needs all its rows), so one larger than the budget is a
    part by itself; a portfolio without projects is one empty part, which still carries the
    repairs and the unmatched rows.
    """
    if part_rows < 1:
        raise ValueError(f"part_rows must be at least 1, not {part_rows}")
    bounds: list[tuple[int, int]] = []
    start, rows = 0, 0
    for index, project in enumerate(decl.projects):
        size = len(project.indicators)
        if index > start and rows + size > part_rows:
            bounds.append((start, index))
            start, rows = index, 0
        rows += size
    bounds.append((start, len(decl.projects)))
    return bounds


def evaluate_in_parts(
    decl: Declarations,
    actuals: Actuals,
    profile: Profile,
    *,
    part_rows: int = DEFAULT_PART_ROWS,
    year: int | None = None,
) -> Iterator[RunResult]:
    """evaluate() a part of whole projects at a time, so only one part's results are alive at once.

    Why: a million rows scored in one call hold a RowInput, a ScoredRow, its text and flags per
    row at once (2.2 GB); a writer that appends each part to its files and drops it needs only
    one part's worth. Matching and the default year are decided once over the whole portfolio
    (nothing else in a project's score depends on another project), so `join_parts` of the parts
    equals `evaluate()`'s RunResult: the first part carries the readers' and matching's repairs
    and the unmatched rows, every part its own projects, counts and reading assumptions, in order.
    """
    with collector_paused():
        match = match_actuals(decl, actuals)
        default_year = run_year(decl) if year is None else year
        bounds = part_bounds(decl, part_rows)
    head = tuple(decl.repairs) + tuple(actuals.repairs) + tuple(match.repairs)
    unmatched = (tuple(match.unmatched), tuple(match.unmatched_reasons), tuple(match.unmatched_budgets))
    budgets = match.budgets
    shell = dataclasses.replace(decl, projects=(), repairs=())
    projects: list[Project | None] = list(decl.projects)
    # The matched row of every indicator, one tuple per project: a tenth of the objects of the
    # (project, indicator) → row dict, which dies here with the key tuples that pinned matching's
    # freed temporaries in memory (at a million rows ~0.2 GB that the parts could not reuse).
    found = match.rows
    rows_of: list[tuple[ActualRow | None, ...] | None] = [
        tuple(found.get((p_index, i_index)) for i_index in range(len(project.indicators)))
        for p_index, project in enumerate(decl.projects)
    ]
    # Unless the caller keeps them, the inputs die here and each part's projects and actual rows
    # once the part is scored (their list slots are cleared, its budget rows popped).
    del decl, actuals, match, found
    for number, (start, end) in enumerate(bounds):
        first = number == 0
        taken = tuple(p for p in projects[start:end] if p is not None)
        rows = {
            (p_index, i_index): row
            for p_index, project_rows in enumerate(rows_of[start:end])
            for i_index, row in enumerate(project_rows or ())
            if row is not None
        }
        part_budgets = {p - start: budgets.pop(p) for p in range(start, end) if p in budgets}
        projects[start:end] = [None] * (end - start)
        rows_of[start:end] = [None] * (end - start)
        with collector_paused():  # paused for the scoring only, not while the caller writes the part
            part = _evaluate_part(dataclasses.replace(shell, projects=taken), rows, part_budgets, default_year, profile)
        del taken, rows, part_budgets
        result = dataclasses.replace(
            part,
            unmatched_actuals=unmatched[0] if first else (),
            unmatched_reasons=unmatched[1] if first else (),
            unmatched_budgets=unmatched[2] if first else (),
            profile_name=profile.name,
            rules=profile.report_rules(),
            repairs=(head if first else ()) + part.repairs,
            year=default_year,
        )
        del part  # the generator keeps nothing of a part once it is handed over
        yield result
        del result


def _evaluate_part(
    part: Declarations,
    rows: dict[tuple[int, int], ActualRow],
    budgets: dict[int, BudgetRow],
    default_year: int | None,
    profile: Profile,
) -> RunResult:
    """A part's projects scored as `_evaluate` scores the whole, from the whole's matching.

    `rows` and `budgets` are the whole portfolio's matching, indexed within the part. The result
    carries the part's projects, counts and reading assumptions only.
    """
    scores, rows_in, assumptions = _score_rows(part, rows, budgets, default_year, profile)
    statuses = Counter(row.status for score in scores for row in score.rows)
    return RunResult(
        projects=tuple(scores),
        rows_in=rows_in,
        rows_scored=statuses[RowStatus.SCORED],
        rows_not_scored=statuses[RowStatus.NOT_SCORED],
        rows_not_applicable=statuses[RowStatus.NOT_APPLICABLE],
        repairs=assumptions,
    )


def join_parts(parts: Iterable[RunResult]) -> RunResult:
    """The parts of `evaluate_in_parts` as one RunResult: what `evaluate()` returns for the whole.

    For a caller that wants parts' memory profile in one place but one result in another, and
    for the test that the parts add up to the whole.
    """
    parts = list(parts)
    if not parts:
        raise ValueError("join_parts needs at least one part")
    first = parts[0]
    return dataclasses.replace(
        first,
        projects=tuple(project for part in parts for project in part.projects),
        rows_in=sum(part.rows_in for part in parts),
        rows_scored=sum(part.rows_scored for part in parts),
        rows_not_scored=sum(part.rows_not_scored for part in parts),
        rows_not_applicable=sum(part.rows_not_applicable for part in parts),
        repairs=tuple(repair for part in parts for repair in part.repairs),
        unmatched_actuals=tuple(row for part in parts for row in part.unmatched_actuals),
        unmatched_reasons=tuple(reason for part in parts for reason in part.unmatched_reasons),
        unmatched_budgets=tuple(row for part in parts for row in part.unmatched_budgets),
    )
