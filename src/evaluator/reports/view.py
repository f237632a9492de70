"""What every report shows, computed once: row order, labels, display numbers, flagged rows.

The workbook, the Word report, the HTML page and the portfolio summary must agree to the cent and
word for word, so they all take their numbers and texts from here rather than formatting their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from evaluator.common.numbers import format_percent, round_half_up
from evaluator.models import Flag, ProjectScore, ReportRules, RowStatus, RunResult, ScoredRow, Severity

PLACEHOLDER = "【待填写】"
INCOMPLETE = "评分未完成"
BUDGET_LABEL = "预算执行率"
_SEVERITY_RANK = {Severity.RED: 2, Severity.YELLOW: 1, Severity.INFO: 0}


def points_text(value: float) -> str:
    """Points as people write them in a label: 50 → '50', 45.83 → '45.83'."""
    shown = round_half_up(value, 2)
    return f"{shown:.0f}" if shown == int(shown) else f"{shown:.2f}"


def two(value: float | None) -> str:
    return "" if value is None else f"{round_half_up(value, 2):.2f}"


def wan(yuan: float | None) -> float | None:
    """元 → 万元, two decimals, half up."""
    return None if yuan is None else round_half_up(yuan / 10_000, 2)


def level1_label(name: str, points: float) -> str:
    return f"{name}（{points_text(points)}分）"


def level1_points(score: ProjectScore) -> dict[str, float]:
    return {lv.level1: lv.weight for lv in score.levels if lv.level2 is None}


def level1_rates(score: ProjectScore) -> dict[str, float | None]:
    """得分率 per first-level indicator (budget first), as fractions; None where nothing can be scored."""
    b = score.budget
    rates: dict[str, float | None] = {BUDGET_LABEL: (b.score / b.points) if b.scored and b.points else None}
    for level in score.levels:
        if level.level2 is None:
            rates[level.level1] = None
    for name, (points, got, _open) in _scored_parts(score).items():
        rates[name] = got / points if points else None
    return rates


def _scored_parts(score: ProjectScore) -> dict[str, tuple[float, float, int]]:
    """Per first level: the points and score of its scored rows, and how many rows are not scored yet."""
    parts: dict[str, tuple[float, float, int]] = {}
    for row in score.rows:
        points, got, open_ = parts.get(row.level1, (0.0, 0.0, 0))
        if row.status is RowStatus.SCORED:
            parts[row.level1] = (points + row.weight, got + row.score, open_)
        elif row.status is RowStatus.NOT_SCORED:
            parts[row.level1] = (points, got, open_ + 1)
    return parts


def level1_open_rows(score: ProjectScore) -> dict[str, int]:
    """How many rows of each first level are not scored: the gap a 得分率 chart must mark, not draw as 0%."""
    return {name: open_ for name, (_p, _g, open_) in _scored_parts(score).items() if open_}


def ordered_rows(score: ProjectScore) -> list[ScoredRow]:
    """Rows grouped by first level (scorer's level order), then by second level in order of appearance.

    Declarations sometimes list a second level twice, apart; the official table merges the
    first- and second-level cells, which needs each group contiguous. Within a group the
    declared order is kept.
    """
    l1_order = [lv.level1 for lv in score.levels if lv.level2 is None]
    rank1 = {name: k for k, name in enumerate(l1_order)}
    rank2: dict[tuple[str, str], int] = {}
    for row in score.rows:
        rank2.setdefault((row.level1, row.level2), len(rank2))
    indexed = list(enumerate(score.rows))
    indexed.sort(key=lambda kr: (rank1.get(kr[1].level1, len(rank1)), rank2[(kr[1].level1, kr[1].level2)], kr[0]))
    return [row for _, row in indexed]


def spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of equal consecutive values — the cells to merge."""
    out: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(values) + 1):
        if k == len(values) or values[k] != values[start]:
            out.append((start, k - 1))
            start = k
    return out


def visible_flags(flags: tuple[Flag, ...]) -> list[Flag]:
    return [f for f in flags if f.severity in (Severity.RED, Severity.YELLOW)]


def worst_severity(flags: tuple[Flag, ...]) -> Severity | None:
    shown = visible_flags(flags)
    return max((f.severity for f in shown), key=_SEVERITY_RANK.__getitem__) if shown else None


def is_flagged(row: ScoredRow) -> bool:
    return bool(visible_flags(row.flags))


def reason_text(row: ScoredRow) -> str:
    """The unit's 偏差原因分析及改进措施, or the placeholder wherever a flagged row still lacks one."""
    given = row.deviation_reason.strip()
    if given:
        return given
    return PLACEHOLDER if is_flagged(row) else ""


def flag_text(flags: tuple[Flag, ...]) -> str:
    return "；".join(f.message for f in visible_flags(flags))


def points_lost(row: ScoredRow) -> float:
    return round_half_up(row.weight - row.score, 2)


def status_label(row: ScoredRow) -> str:
    if row.status is RowStatus.NOT_SCORED:
        return "未评分"
    if row.status is RowStatus.NOT_APPLICABLE:
        return "不适用"
    codes = {f.code for f in row.flags}
    if "overachievement" in codes:
        return "超额完成"
    if row.score < row.weight:
        return "未完全达标"
    return "达标"


def max_points(score: ProjectScore) -> float:
    """The 分值 shown on the 总分 row: budget points plus every row weight (100 unless weights were given)."""
    cents = round(score.budget.points * 100) + sum(round(r.weight * 100) for r in score.rows)
    return cents / 100


UNREPORTED = "未填报"


def shown_total(score: ProjectScore) -> float | None:
    """The total to show: none for a project nobody filled in (未填报 is not 0.00 分)."""
    return None if score.unreported else score.total


def ranked(projects: Sequence[ProjectScore]) -> list[ProjectScore]:
    """The projects that take part in rankings, grade counts and the lost-points table."""
    return [p for p in projects if not p.unreported]


def unreported(projects: Sequence[ProjectScore]) -> list[ProjectScore]:
    """The projects listed apart, as 未填报."""
    return [p for p in projects if p.unreported]


# The column labels every table of indicator rows begins with, as users read them: one place, so a
# CSV, the 自评表, the 汇总 workbook, the audit and lint outputs can never name a column differently.
LEVEL_HEADERS = ("一级指标", "二级指标", "三级指标")
ROW_HEADERS = (*LEVEL_HEADERS, "年度指标值", "实际完成值")


@dataclass(frozen=True)
class TotalLine:
    """One line under the indicator table: its label, the 分值 beside it and the 得分."""

    label: str
    points: float
    score: float | None  # None: 未填报
    final: bool  # the line that carries the grade


def total_lines(score: ProjectScore) -> list[TotalLine]:
    """总分, or — when a missing category was rescaled — 指标得分合计 (of the points set) and 折算总分
    (of 100) with the rule named, so that no score ever stands above the 分值 beside it."""
    if score.rescaled_from is None or score.unreported:
        return [TotalLine("总分", max_points(score), shown_total(score), True)]
    raw, points = score.rescaled_from, max_points(score)
    why = f"未设置{'、'.join(score.missing_categories)}" if score.missing_categories else "分值合计不等于100分"
    rule = f"{why}，按百分制折算：{two(raw)} × 100 ÷ {points_text(points)}"
    return [
        TotalLine("指标得分合计", points, raw, False),
        TotalLine(f"折算总分（{rule}）", 100.0, score.total, True),
    ]


def total_text(score: ProjectScore) -> str:
    shown = f"{round_half_up(score.total, 2):.2f}"
    return shown if score.complete else f"{shown}（{INCOMPLETE}）"


def grade_text(score: ProjectScore) -> str:
    if score.unreported:
        return UNREPORTED
    return score.grade if score.complete else f"{score.grade}（{INCOMPLETE}）"


@dataclass(frozen=True)
class BudgetLine:
    label: str
    initial: float | None  # 万元
    adjusted: float | None
    executed: float | None
    points: float | None
    rate: float | None
    score: float | None


def budget_lines(score: ProjectScore) -> list[BudgetLine]:
    """The 项目资金 block: only 年度资金总额 carries 分值, 执行率 and 得分.

    A funding source filled in on the 预算执行 sheet shows its own figures (not scored);
    one not filled in shows the declared 年初预算数 and leaves execution blank rather than guess it.
    """
    b, p = score.budget, score.project
    initial = b.initial_budget if b.initial_budget is not None else p.total_funds
    total = BudgetLine(
        "年度资金总额",
        wan(initial),
        wan(b.adjusted_budget),
        wan(b.executed),
        b.points,
        b.rate,
        b.score if b.scored else None,
    )
    given = {part.label: part for part in b.parts}
    parts = []
    for label, shown, declared in (
        ("当年财政拨款", "其中：当年财政拨款", p.fiscal_funds),
        ("上年结转资金", "上年结转资金", p.carryover_funds),
        ("其他资金", "其他资金", p.other_funds),
    ):
        part = given.get(label)
        if part is None:
            parts.append(BudgetLine(shown, wan(declared), None, None, None, None, None))
            continue
        initial_part = part.initial_budget if part.initial_budget is not None else declared
        parts.append(
            BudgetLine(shown, wan(initial_part), wan(part.adjusted_budget), wan(part.executed), None, None, None)
        )
    return [total, *parts]


def achievement_summary(score: ProjectScore) -> str:
    """A factual draft of 实际完成情况 from the scored rows; the unit rewrites it in its own words."""
    rows = score.rows
    met = sum(1 for r in rows if r.status is RowStatus.SCORED and r.score >= r.weight)
    short = sum(1 for r in rows if r.status is RowStatus.SCORED and r.score < r.weight)
    open_ = sum(1 for r in rows if r.status is RowStatus.NOT_SCORED)
    over = sum(1 for r in rows if any(f.code == "overachievement" for f in r.flags))
    parts = [f"共设三级指标 {len(rows)} 个，全部达成 {met} 个，未完全达成 {short} 个"]
    if over:
        parts.append(f"超额完成 {over} 个")
    if open_:
        parts.append(f"尚未评分 {open_} 个")
    budget = f"预算执行率 {format_percent(score.budget.rate)}" if score.budget.scored else "预算执行情况未评分"
    return "，".join(parts) + f"；{budget}。（系统生成初稿，请单位核实补充）"


def project_flags(score: ProjectScore) -> list[Flag]:
    """Every red or yellow flag of a project: budget, rows, project level."""
    out = visible_flags(score.budget.flags)
    for row in score.rows:
        out.extend(visible_flags(row.flags))
    return out


def flag_counts(score: ProjectScore) -> tuple[int, int]:
    flags = project_flags(score)
    return sum(f.severity is Severity.RED for f in flags), sum(f.severity is Severity.YELLOW for f in flags)


def conclusion_lines(score: ProjectScore) -> list[str]:
    """结论 of the draft report: total and grade, where the points came from and went, and a
    visible placeholder for the unit's own improvement plan (the engine must not invent one)."""
    if score.unreported:
        return [
            "该项目未填报任何实际完成值和预算执行数，未评分、未定级，不参与排名和等级统计。"
            "请单位在实际完成值工作簿中填报后重新评分。",
            f"下一步改进措施：{PLACEHOLDER}",
        ]
    lines = [f"经自评，该项目总分 {two(score.total)} 分，自评等级为「{score.grade}」。"]
    if not score.complete:
        lines[0] += f"（{INCOMPLETE}：尚有指标未评分，请补充后重新评分。）"
    b = score.budget
    parts = [
        f"预算执行率 {format_percent(b.rate)}，得 {two(b.score)} 分（满分 {two(b.points)} 分）"
        if b.scored
        else f"预算执行率未评分（满分 {two(b.points)} 分）"
    ]
    for level in score.levels:
        if level.level2 is None:
            parts.append(f"{level.level1}得 {two(level.score)} 分（满分 {two(level.weight)} 分）")
    lines.append("其中" + "；".join(parts) + "。")
    for note in score.notes:
        lines.append(note if note.endswith("。") else note + "。")
    losing = sorted((r for r in score.rows if points_lost(r) > 0), key=points_lost, reverse=True)
    if losing:
        worst = losing[0]
        lost = two(points_lost(worst))
        lines.append(f"共有 {len(losing)} 项三级指标未得满分，失分最多的是「{worst.level3}」（失 {lost} 分）。")
    else:
        lines.append("各项三级指标均得满分。")
    lines.append(f"下一步改进措施：{PLACEHOLDER}")
    return lines


# File names of one project's reports, in its folder.
REPORT_FILES = {"xlsx": "自评表.xlsx", "docx": "自评报告.docx", "html": "自评报告.html"}


@dataclass(frozen=True)
class ChartFile:
    """A written chart: where it is and what it shows (used as the caption in reports); `svg`, when
    set, is the same chart as an inline SVG element, which the HTML page uses instead of the PNG."""

    path: Path
    title: str
    svg: str = ""


@dataclass(frozen=True)
class FlaggedLine:
    project: str
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: float
    score: float
    lost: float
    severity: Severity
    flags: str
    reason: str


def flagged_lines(run: RunResult) -> list[FlaggedLine]:
    """Every red or yellow row (budget included), most points lost first, red before yellow."""
    lines: list[FlaggedLine] = []
    for p in ranked(run.projects):  # a project nobody filled in is listed apart, not as lost points
        b = p.budget
        if visible_flags(b.flags):
            lost = round_half_up(b.points - b.score, 2) if b.scored else b.points
            lines.append(
                FlaggedLine(
                    p.project.name,
                    BUDGET_LABEL,
                    "",
                    BUDGET_LABEL,
                    "",
                    format_percent(b.rate),
                    b.points,
                    b.score,
                    lost,
                    worst_severity(b.flags) or Severity.YELLOW,
                    flag_text(b.flags),
                    PLACEHOLDER,
                )
            )
        for r in p.rows:
            if is_flagged(r):
                lines.append(
                    FlaggedLine(
                        r.project,
                        r.level1,
                        r.level2,
                        r.level3,
                        r.target_text,
                        r.actual_text,
                        r.weight,
                        r.score,
                        points_lost(r),
                        worst_severity(r.flags) or Severity.YELLOW,
                        flag_text(r.flags),
                        reason_text(r),
                    )
                )
    return sorted(lines, key=loss_order)


_SEVERITY_ORDER = {Severity.RED: 0, Severity.YELLOW: 1}


def loss_order(line: FlaggedLine) -> tuple[float, int]:
    """Most points lost first, red before yellow; a stable sort keeps the run's order among equals."""
    return (-line.lost, _SEVERITY_ORDER.get(line.severity, 2))


def top_losses(run: RunResult, limit: int, kept: Sequence[FlaggedLine] = ()) -> list[FlaggedLine]:
    """The first `limit` lines of flagged_lines that lost points; `kept` is the answer for the projects before.

    Why: a portfolio scored part by part keeps only each part's top lines, never every row. The
    global top N is within the union of the parts' top N, and a stable sort with the earlier
    parts' lines first breaks ties in the run's order, so folding the parts in order gives the
    whole run's answer (tested).
    """
    lines = [line for line in flagged_lines(run) if line.lost > 0][:limit]
    return sorted([*kept, *lines], key=loss_order)[:limit] if kept else lines


@lru_cache(maxsize=1)
def default_rules() -> ReportRules:
    """The default profile's rules, for a report written outside a run (a run carries its own)."""
    from evaluator.config.profiles import load_profile

    return load_profile().report_rules()


def rules_of(run: RunResult | None) -> ReportRules:
    """The rules the run was scored by, as the reports state them."""
    return run.rules if run is not None and run.rules is not None else default_rules()


def legend_text(rules: ReportRules) -> str:
    """What the red and yellow shading of a report row means, in the profile's own bands."""
    return (
        f"红色底纹：完成率低于{format_percent(rules.red_below, 0, trim=True)}等严重问题；"
        "黄色底纹：未完全达标、超额完成、未评分或需说明。"
    )
