"""The whole evaluation as one pure function: declarations + actuals + profile → RunResult.

Each distinct target and actual string is parsed once (the parsers cache), all rows of all
projects are assessed in one vectorised call, and all projects are scored in one call, so a
portfolio of thousands of projects costs a few array passes rather than per-row pint work.
"""

from __future__ import annotations

from collections import Counter

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
    Declarations,
    ProjectInput,
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
    keys, targets, actual_values, last_years, filled = _row_columns(decl, match.rows, default_year, profile)
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
        inputs.append(_make_project_input(project, rows, match.budgets.get(p_index)))
        start = end
    scores = score_projects(inputs, profile)

    statuses = Counter(row.status for score in scores for row in score.rows)
    return RunResult(
        projects=tuple(scores),
        unmatched_actuals=tuple(match.unmatched),
        unmatched_reasons=tuple(match.unmatched_reasons),
        unmatched_budgets=tuple(match.unmatched_budgets),
        profile_name=profile.name,
        rules=profile.report_rules(),
        rows_in=len(keys),
        rows_scored=statuses[RowStatus.SCORED],
        rows_not_scored=statuses[RowStatus.NOT_SCORED],
        rows_not_applicable=statuses[RowStatus.NOT_APPLICABLE],
        repairs=tuple(decl.repairs) + tuple(actuals.repairs) + tuple(match.repairs) + assumptions,
        year=default_year,
    )
