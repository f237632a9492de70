"""Checks on a project as a whole: the indicator system is complete, no indicator sits under two first
levels, the 年度总体目标's figures are carried by indicators, and the targets are not a copied template.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from evaluator.common.numbers import format_amount
from evaluator.common.text import label_key
from evaluator.errors import EvaluatorError
from evaluator.grammar.lexer import display_text, find_numbers, normalize, read_unit, scaled
from evaluator.grammar.units import display_unit
from evaluator.lint.findings import Collector, Row
from evaluator.lint.rows import (
    BENEFIT_LEVEL1,
    COST_LEVEL1,
    OUTPUT_LEVEL1,
    PERCENT,
    SATISFACTION_LEVEL1,
    plain,
)
from evaluator.models import Op, Project, TargetKind

# Figures in a goal that are dates or spans of time, not quantities an indicator would carry.
_TIME_UNITS = frozenset({"年", "月", "日", "天", "周", "小时", "分钟", "季度"})
_DATE_AFTER = ("月", "日", "号", "季度", "-", "~", "至", "到", "—")
_CLAUSE = re.compile(r"[，。；、,;：:]")


def check_project(file: str, project: Project, rows: list[Row], out: Collector) -> None:
    _completeness(file, project, rows, out)
    _two_first_levels(rows, out)
    _goal_figures(file, project, rows, out)
    _all_hundred(file, project, rows, out)
    _copied_within(rows, out)


def _completeness(file: str, project: Project, all_rows: list[Row], out: Collector) -> None:
    # A level whose every row is 不适用 is left out of the score like a missing one, so it counts as missing.
    rows = [r for r in all_rows if r.target.kind is not TargetKind.NOT_APPLICABLE]
    level1s = {r.indicator.level1 for r in rows}
    declared1 = {r.indicator.level1 for r in all_rows}
    outputs = {r.indicator.level2 for r in rows if r.indicator.level1 == OUTPUT_LEVEL1}
    declared_outputs = {r.indicator.level2 for r in all_rows if r.indicator.level1 == OUTPUT_LEVEL1}
    wanted = out.rules.settings.output_level2

    def why(declared: bool) -> str:
        return "（所列指标均为不适用，评分时不计入）" if declared else ""

    if OUTPUT_LEVEL1 not in level1s:
        out.project(
            "S01",
            file,
            project,
            f"没有产出指标{why(OUTPUT_LEVEL1 in declared1)}（应含{'、'.join(wanted)}）",
            advice="补充产出指标",
        )
    else:
        for level2 in wanted:
            if level2 not in outputs:
                said = why(level2 in declared_outputs)
                out.project("S01", file, project, f"产出指标下没有{level2}{said}", advice=f"补充{level2}")
    if BENEFIT_LEVEL1 not in level1s:
        out.project(
            "S02",
            file,
            project,
            f"没有效益指标{why(BENEFIT_LEVEL1 in declared1)}",
            advice="补充社会效益、经济效益或可持续影响等效益指标",
        )
    if SATISFACTION_LEVEL1 not in level1s:
        out.project(
            "S03",
            file,
            project,
            f"没有满意度指标{why(SATISFACTION_LEVEL1 in declared1)}",
            advice="增设服务对象满意度指标，如「服务对象满意度 ≥90%」，并说明调查方式",
        )

    def is_cost(r: Row) -> bool:
        return r.indicator.level1 == COST_LEVEL1 or r.indicator.level2 == COST_LEVEL1

    if out.rules.settings.require_cost and not any(is_cost(r) for r in rows):
        out.project(
            "S04",
            file,
            project,
            f"没有成本指标{why(any(is_cost(r) for r in all_rows))}",
            advice="增设经济成本指标，如单位成本或费用上限（用「≤」）",
        )


def _two_first_levels(rows: list[Row], out: Collector) -> None:
    by_name: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        key = label_key(row.indicator.level3)
        if key:
            by_name[key].append(row)
    for group in by_name.values():
        level1s = list(dict.fromkeys(r.indicator.level1 for r in group))
        if len(level1s) < 2:
            continue
        for row in group:
            others = "、".join(level for level in level1s if level != row.indicator.level1)
            out.row(
                "P04",
                row,
                f"「{row.indicator.level3}」同时列在{row.indicator.level1}和{others}下",
                advice="同一指标只保留一处（评价时重复的只计一次）",
            )


@dataclass(frozen=True)
class GoalFigure:
    """A quantity named in the 年度总体目标, e.g. 100000人 in 会员数达100000人."""

    text: str  # the number and its unit as written, e.g. 100000人, 400多名
    value: float  # in `unit`
    unit: str
    context: str  # the words before the number in its clause, e.g. 全市灵活就业群体工会会员数达
    clause: str  # the whole clause, e.g. 覆盖上海市16个行政区


def goal_figures(goal: str) -> list[GoalFigure]:
    """Every number with a unit in the goal text, leaving out years, dates and spans of time."""
    s = normalize(goal)
    figures: list[GoalFigure] = []
    for token in find_numbers(s, skip_years=True):
        after = s[token.end :]
        if after.startswith(_DATE_AFTER) or s[: token.start].endswith(("-", "~", "至")):
            continue
        start = token.end + (1 if after[:1] in ("多", "余") else 0)
        try:
            reading = read_unit(s, start)
        except EvaluatorError:
            continue
        if reading.unit is None or reading.unit in _TIME_UNITS:
            continue
        context = _CLAUSE.split(s[: token.start])[-1]
        clause = context + _CLAUSE.split(s[token.start :])[0]
        value = scaled(token.text, reading.factor)
        figures.append(GoalFigure(s[token.start : reading.end], value, reading.unit, context, clause))
    return figures


def _values(row: Row) -> list[float]:
    t = row.target
    if t.kind is TargetKind.COMPARISON and t.value is not None:
        return [t.value]
    if t.kind is TargetKind.RANGE:
        return [v for v in (t.low, t.high) if v is not None]
    return []


def _bigrams(text: str) -> set[str]:
    squeezed = re.sub(r"[\d.%]", "", plain(text))
    return {squeezed[k : k + 2] for k in range(len(squeezed) - 1)}


def _close(value: float, figure: float, tolerance: float) -> bool:
    return abs(value - figure) <= tolerance * max(abs(figure), 1)


def _goal_figures(file: str, project: Project, rows: list[Row], out: Collector) -> None:
    if not (out.on("C02") or out.on("C03")) or not project.annual_goal:
        return
    tolerance = out.rules.settings.figure_tolerance
    for figure in goal_figures(project.annual_goal):
        same_unit = [r for r in rows if r.target.unit == figure.unit and _values(r)]
        words = _bigrams(figure.context)
        related = [r for r in same_unit if words & _bigrams(r.indicator.level3)]
        # 满意度95% is carried by a 满意度 row, not by a 合格率 that happens to be 95%.
        candidates = related or same_unit
        if any(_close(v, figure.value, tolerance) for r in candidates for v in _values(r)):
            continue
        shown = f"「{figure.clause}」"
        if related:
            names = "、".join(f"「{r.indicator.level3}」{display_text(r.indicator.target_text)}" for r in related)
            out.project(
                "C03",
                file,
                project,
                f"年度总体目标写{shown}，对应的指标却是{names}",
                advice="统一总体目标与指标的数字",
            )
        else:
            amount = format_amount(figure.value) if figure.unit == "元" else f"{figure.value:g}"
            out.project(
                "C02",
                file,
                project,
                f"年度总体目标写{shown}，但没有指标值为 {amount}{display_unit(figure.unit)} 的指标",
                advice="为该数字设置相应的产出或效益指标，或从总体目标中删去",
            )


def _all_hundred(file: str, project: Project, rows: list[Row], out: Collector) -> None:
    percents = [
        r
        for r in rows
        if r.indicator.level1 != SATISFACTION_LEVEL1
        and r.target.kind is TargetKind.COMPARISON
        and r.target.unit == PERCENT
    ]
    if len(percents) < out.rules.settings.all_hundred_min:
        return
    if all(r.target.value == 100 and r.target.op in (Op.EQ, Op.GE) for r in percents):
        out.project(
            "F02",
            file,
            project,
            f"满意度以外的 {len(percents)} 个百分比指标全部为100%，指标值没有区分度",
            advice="按上年实际和本年计划设定有挑战性又可达成的指标值",
        )


def _copied_within(rows: list[Row], out: Collector) -> None:
    by_text: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.target.kind is TargetKind.QUALITATIVE:
            key = plain(row.indicator.target_text)
            if len(key) >= out.rules.settings.copied_min_chars:
                by_text[key].append(row)
    for group in by_text.values():
        if len({label_key(r.indicator.level3) for r in group}) < 2:
            continue
        for row in group:
            others = len(group) - 1
            out.row(
                "F03",
                row,
                f"指标值「{display_text(row.indicator.target_text)}」在本项目另外 {others} 个指标中原样出现",
                advice="每个指标写出各自可检验的结果",
            )
