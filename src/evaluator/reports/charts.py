"""Charts for one project and for the portfolio.

A project's three charts are written for every project, so they are cheap: laid out here as
shapes and drawn by `evaluator.reports.canvas` as a PNG (for Word) and an SVG (for the HTML page),
a few milliseconds each. The three portfolio charts are drawn once a run, with
`matplotlib.figure.Figure` (Agg canvas, no pyplot state) inside `fonts.chart_style()` so Chinese
labels render with the bundled font and nothing global changes.
Colours mean the same thing in every chart and table: green met, yellow shortfall, red serious
shortfall, blue over-achievement, grey not scored.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from evaluator.common.files import write_atomically
from evaluator.common.numbers import format_percent, round_half_up
from evaluator.models import ProjectScore, RowStatus, ScoredRow, Severity
from evaluator.reports.canvas import PT, Canvas, text_width, to_png, to_svg
from evaluator.reports.fonts import chart_style
from evaluator.reports.view import (
    BUDGET_LABEL,
    ChartFile,
    default_rules,
    level1_open_rows,
    level1_rates,
    ordered_rows,
    ranked,
    wan,
    worst_severity,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

GREEN, YELLOW, RED, BLUE, GREY = "#5a9e6f", "#e3b23c", "#c8553d", "#4a7fb5", "#b0b0b0"
INK, MUTED = "#333333", "#777777"
GRADE_BANDS = (
    ("差", 0, 60, "#fbe4df"),
    ("中", 60, 80, "#fdf3dc"),
    ("良", 80, 90, "#eaf2fb"),
    ("优", 90, 100, "#e3f1e6"),
)
DPI = 120
MAX_PROJECTS_SHOWN = 60  # a portfolio chart with more bars than this is unreadable (and too tall to render)


def _short(text: str, width: int, lines: int = 2) -> str:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "\n".join(wrapped)


def _rate_colour(rate: float | None) -> str:
    if rate is None:
        return GREY
    if rate >= 1 - 1e-9:
        return GREEN
    return YELLOW if rate >= 0.6 else RED


def _row_colour(row: ScoredRow) -> str:
    if row.status is RowStatus.NOT_SCORED:
        return GREY
    if any(f.code == "overachievement" for f in row.flags):
        return BLUE
    severity = worst_severity(row.flags)
    if row.score < row.weight:
        return RED if severity is Severity.RED else YELLOW
    return GREEN


def _save(fig: Figure, path: Path) -> Path:
    write_atomically(path, lambda temp: fig.savefig(temp, format="png", dpi=DPI, bbox_inches="tight"))
    return path


# ---------------------------------------------------------------------------------------------
# One project: drawn as shapes (evaluator.reports.canvas), PNG for Word and SVG for the HTML page
# ---------------------------------------------------------------------------------------------

MARGIN = 10.0
TITLE_PT, TICK_PT, AXIS_PT = 12.0, 10.0, 10.0


@dataclass(frozen=True, slots=True)
class _Bars:
    """What a horizontal bar chart shows; `_bar_chart` lays it out from measured text widths."""

    title: str
    names: list[list[str]]  # the y labels, one list of lines per bar, top bar first
    values: list[float]  # bar lengths in axis units (0 draws no bar)
    colours: list[str]
    labels: list[str]  # the value text after each bar
    xmax: float
    ticks: list[float]
    xlabel: str
    width: float
    pitch: float  # layout units per bar
    bar: float  # bar thickness as a share of the pitch
    name_pt: float = 10.0
    label_pt: float = 9.0
    reference: float | None = None  # a dashed line at this value (the target, 100%)
    reference_colour: str = MUTED
    legend: list[tuple[str, str]] = field(default_factory=list)
    tick_text: Callable[[float], str] = lambda v: f"{v:.0f}"


def _bar_chart(spec: _Bars) -> Canvas:
    name_line = spec.name_pt * PT * 1.2
    label_gap = 3.0
    names_width = max((text_width(line, spec.name_pt) for lines in spec.names for line in lines), default=0.0)
    x0 = MARGIN + names_width + 10
    right = spec.width - MARGIN
    # The plot's right edge: as wide as the chart allows, but narrow enough that every value label
    # after its bar still fits inside the picture (matplotlib cut the longest ones off).
    x1 = right
    for value, label in zip(spec.values, spec.labels, strict=True):
        room = right - label_gap - text_width(label, spec.label_pt) - x0
        if value > 0:
            x1 = min(x1, x0 + room * spec.xmax / value)
        else:
            x1 = max(x1, x0 + room)  # a label at 0 needs only its own width
    if spec.ticks:  # the last tick's label is centred on its tick: keep its right half inside too
        last = max(spec.ticks)
        if last > 0:
            half = text_width(spec.tick_text(last), TICK_PT) / 2
            x1 = min(x1, x0 + (right - half - x0) * spec.xmax / last)
    x1 = max(x1, x0 + 80)
    scale = (x1 - x0) / spec.xmax
    top = MARGIN + TITLE_PT * PT + 14
    n = len(spec.values)
    rows_height = spec.pitch * max(n, 1)
    pad = spec.pitch * 0.35
    bottom = top + pad * 2 + rows_height
    height = bottom + TICK_PT * PT + AXIS_PT * PT + 26
    canvas = Canvas(spec.width, height, spec.title)
    canvas.label(MARGIN + names_width + 10, MARGIN + TITLE_PT * PT / 2, spec.title, TITLE_PT, INK)
    if spec.legend:
        x = right
        y = MARGIN + TITLE_PT * PT / 2
        for colour, text in reversed(spec.legend):
            x -= text_width(text, 8.0)
            canvas.label(x, y, text, 8.0, INK)
            x -= 14
            canvas.box(x, y - 5, 10, 10, colour)
            x -= 12
    centres = [top + pad + spec.pitch * (k + 0.5) for k in range(n)]
    bar = spec.pitch * spec.bar
    for yc, value, colour in zip(centres, spec.values, spec.colours, strict=True):
        canvas.box(x0, yc - bar / 2, min(value, spec.xmax) * scale, bar, colour)
    if spec.reference is not None:
        xr = x0 + spec.reference * scale
        canvas.rule(xr, top, xr, bottom, spec.reference_colour, 1.0, dashed=True)
    for yc, value, label in zip(centres, spec.values, spec.labels, strict=True):
        canvas.label(x0 + min(value, spec.xmax) * scale + label_gap, yc, label, spec.label_pt, INK, backdrop=True)
    for yc, lines in zip(centres, spec.names, strict=True):
        first = yc - name_line * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            canvas.label(x0 - 7, first + k * name_line, line, spec.name_pt, INK, anchor="end")
        canvas.rule(x0 - 4, yc, x0, yc, INK, 0.8)
    canvas.rule(x0, top, x0, bottom, INK, 0.8)
    canvas.rule(x0, bottom, x1, bottom, INK, 0.8)
    for tick in spec.ticks:
        xt = x0 + tick * scale
        canvas.rule(xt, bottom, xt, bottom + 4, INK, 0.8)
        canvas.label(xt, bottom + 6 + TICK_PT * PT / 2, spec.tick_text(tick), TICK_PT, INK, anchor="middle")
    canvas.label((x0 + x1) / 2, height - MARGIN - AXIS_PT * PT / 2, spec.xlabel, AXIS_PT, INK, anchor="middle")
    return canvas


def _nice_ticks(top: float) -> tuple[list[float], float]:
    """Ticks 0, step, 2·step … for an axis reaching `top` (steps of 1, 2, 2.5 or 5 × 10ⁿ), and the step."""
    if top <= 0:
        return [0.0], 1.0
    raw = top / 6
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = int(top / step + 1e-9)
    return [k * step for k in range(count + 1)], step


def level1_rate_chart(score: ProjectScore) -> Canvas:
    """得分率 by first-level indicator, budget execution included."""
    rates = level1_rates(score)
    open_rows = level1_open_rows(score)
    names = list(rates)
    values = [rates[n] for n in names]
    labels = []
    for name, v in zip(names, values, strict=True):
        label = "未评分" if v is None else format_percent(v)
        if v is not None and open_rows.get(name):
            label += f"（另有 {open_rows[name]} 项未评分）"
        labels.append(label)
    # Only scored rows are drawn: a row still waiting for its actual is a gap, marked, not a 0%.
    return _bar_chart(
        _Bars(
            title="各一级指标得分率",
            names=[[n] for n in names],
            values=[0.0 if v is None else v * 100 for v in values],
            colours=[_rate_colour(v) for v in values],
            labels=labels,
            xmax=118,
            ticks=[0, 20, 40, 60, 80, 100],
            xlabel="得分率（%，只计已评分的指标）" if open_rows else "得分率（%）",
            width=640,
            pitch=55,
            bar=0.6,
            reference=100,
        )
    )


COMPLETION_CAP = 200.0


def indicator_completion_chart(score: ProjectScore) -> Canvas:
    """Completion of every third-level indicator against its target (100%)."""
    rows = ordered_rows(score)
    labels = []
    for row in rows:
        if row.status is RowStatus.NOT_SCORED:
            labels.append("未评分")
        elif row.completion is None:
            labels.append(f"{round_half_up(row.score, 2):.2f}/{round_half_up(row.weight, 2):.2f}分")
        else:
            cut = "（已截断）" if row.completion * 100 > COMPLETION_CAP else ""
            labels.append(format_percent(row.completion) + cut)
    return _bar_chart(
        _Bars(
            title="三级指标完成情况",
            names=[_short(r.level3, 16).split("\n") for r in rows],
            values=[0.0 if r.completion is None else min(r.completion * 100, COMPLETION_CAP) for r in rows],
            colours=[_row_colour(r) for r in rows],
            labels=labels,
            xmax=COMPLETION_CAP + 40,
            ticks=[0, 50, 100, 150, 200],
            xlabel="完成率（%，虚线为年度指标值）",
            width=760,
            pitch=42,
            bar=0.62,
            name_pt=8.0,
            label_pt=8.0,
            reference=100,
            reference_colour=INK,
            legend=[(GREEN, "达标"), (BLUE, "超额"), (YELLOW, "未完全达标"), (RED, "严重未达标"), (GREY, "未评分")],
        )
    )


def budget_chart(score: ProjectScore) -> Canvas:
    """年初预算数 / 全年预算数 / 全年执行数 in 万元, with the execution rate in the title."""
    b = score.budget
    values = [wan(b.initial_budget), wan(b.adjusted_budget), wan(b.executed)]
    top = max([v for v in values if v is not None] or [1.0]) or 1.0
    ticks, step = _nice_ticks(top * 1.25)
    decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
    rate = f"预算执行率 {format_percent(b.rate)}" if b.scored else "预算执行率未评分"
    return _bar_chart(
        _Bars(
            title=f"预算执行情况（{rate}）",
            names=[["年初预算数"], ["全年预算数"], ["全年执行数"]],
            values=[v or 0.0 for v in values],
            colours=["#9fb8d3", "#4a7fb5", _rate_colour(b.rate if b.scored else None)],
            labels=["未填报" if v is None else f"{v:,.2f}" for v in values],
            xmax=top * 1.25,
            ticks=ticks,
            xlabel="万元",
            width=640,
            pitch=50,
            bar=0.6,
            tick_text=lambda v: f"{v:,.{decimals}f}",
        )
    )


PROJECT_CHARTS = (
    ("chart_level1.png", "各一级指标得分率", level1_rate_chart),
    ("chart_indicators.png", "三级指标完成情况", indicator_completion_chart),
    ("chart_budget.png", "预算执行情况", budget_chart),
)


def write_project_charts(score: ProjectScore, folder: Path) -> list[ChartFile]:
    """The three charts of a project as PNG files (for Word), each with its SVG (inlined in the HTML)."""
    charts = []
    for name, title, build in PROJECT_CHARTS:
        canvas = build(score)
        charts.append(ChartFile(to_png(canvas, folder / name), title, to_svg(canvas)))
    return charts


# ---------------------------------------------------------------------------------------------
# Portfolio
# ---------------------------------------------------------------------------------------------


def _lowest(projects: Sequence[ProjectScore]) -> tuple[list[ProjectScore], str]:
    """The projects to draw, and a title suffix: all of them, or the lowest totals when there are many."""
    if len(projects) <= MAX_PROJECTS_SHOWN:
        return list(projects), ""
    chosen = sorted(projects, key=lambda p: (p.total, p.project.name))[:MAX_PROJECTS_SHOWN]
    return chosen, f"（总分最低的 {MAX_PROJECTS_SHOWN} 个，共 {len(projects)} 个项目）"


def totals_figure(projects: Sequence[ProjectScore]) -> Figure:
    """Project totals, highest first, over the grade bands."""
    from matplotlib.figure import Figure  # only for the portfolio: the project charts need no matplotlib

    shown, suffix = _lowest(projects)
    ordered = sorted(shown, key=lambda p: (-p.total, p.project.name))
    fig = Figure(figsize=(8.0, 0.38 * max(len(ordered), 1) + 1.5))
    ax = fig.add_subplot()
    for name, low, high, colour in GRADE_BANDS:
        ax.axvspan(low, high, color=colour, zorder=0)
        ax.text(
            (low + high) / 2,
            1.0,
            name,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=10,
            color=MUTED,
        )
    y = np.arange(len(ordered))[::-1]
    colours = [GREEN if p.total >= 90 else BLUE if p.total >= 80 else YELLOW if p.total >= 60 else RED for p in ordered]
    ax.barh(y, [p.total for p in ordered], color=colours, height=0.6, zorder=2)
    for yk, p in zip(y, ordered, strict=True):
        mark = "" if p.complete else "*"
        ax.text(p.total + 0.8, yk, f"{round_half_up(p.total, 2):.2f}{mark}", va="center", fontsize=8, zorder=3)
    ax.set_yticks(y, [_short(p.project.name, 18, 1) for p in ordered], fontsize=8)
    ax.set_xlim(0, 108)
    ax.set_xlabel("总分（* 评分未完成）")
    ax.set_title("各项目总分" + suffix, loc="left", fontsize=12, pad=18)
    fig.tight_layout()
    return fig


def grade_count_figure(projects: Sequence[ProjectScore], grades: Sequence[str] = ("优", "良", "中", "差")) -> Figure:
    from matplotlib.figure import Figure  # only for the portfolio: the project charts need no matplotlib

    counts = [sum(p.grade == g for p in projects) for g in grades]
    fig = Figure(figsize=(4.8, 3.0))
    ax = fig.add_subplot()
    colours = [GREEN, BLUE, YELLOW, RED][: len(grades)] + [GREY] * max(0, len(grades) - 4)
    ax.bar(list(grades), counts, color=colours, width=0.6)
    for k, c in enumerate(counts):
        ax.text(k, c + 0.05 * max(max(counts), 1), str(c), ha="center", fontsize=10)
    ax.set_ylim(0, max(max(counts), 1) * 1.25)
    ax.set_ylabel("项目数")
    ax.set_title("等级分布", loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def level1_heatmap_figure(projects: Sequence[ProjectScore], level1_order: Sequence[str] | None = None) -> Figure:
    """得分率 of every first-level indicator (and budget) across projects; blank where not set."""
    projects, suffix = _lowest(projects)
    columns = [BUDGET_LABEL, *(default_rules().level1_order if level1_order is None else level1_order)]
    matrix = np.full((len(projects), len(columns)), np.nan)
    for i, p in enumerate(projects):
        rates = level1_rates(p)
        for j, name in enumerate(columns):
            value = rates.get(name)
            if value is not None:
                matrix[i, j] = value * 100
    from matplotlib.figure import Figure  # only for the portfolio: the project charts need no matplotlib

    fig = Figure(figsize=(7.2, 0.36 * max(len(projects), 1) + 1.6))
    ax = fig.add_subplot()
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("rate", [RED, YELLOW, GREEN]).with_extremes(bad="#eeeeee")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=50, vmax=100, aspect="auto")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            value = matrix[i, j]
            text = "—" if np.isnan(value) else f"{round_half_up(value, 1):.1f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=INK)
    ax.set_xticks(range(len(columns)), columns, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(projects)), [_short(p.project.name, 18, 1) for p in projects], fontsize=8)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    colourbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colourbar.set_label("得分率（%）")
    ax.set_title("各项目一级指标得分率" + suffix, loc="left", fontsize=12, pad=24)
    fig.tight_layout()
    return fig


def write_portfolio_charts(
    projects: Sequence[ProjectScore], folder: Path, level1_order: Sequence[str] | None = None
) -> list[ChartFile]:
    """Rankings and distributions of the projects that were filled in; 未填报 ones are listed apart."""
    projects = ranked(projects)
    with chart_style():
        return [
            ChartFile(_save(totals_figure(projects), folder / "totals.png"), "各项目总分"),
            ChartFile(_save(grade_count_figure(projects), folder / "grades.png"), "等级分布"),
            ChartFile(
                _save(level1_heatmap_figure(projects, level1_order), folder / "heatmap.png"), "各项目一级指标得分率"
            ),
        ]
