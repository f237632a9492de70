"""Charts for one project and for the portfolio, as PNG files.

Figures are built with `matplotlib.figure.Figure` (Agg canvas, no pyplot state), inside
`fonts.chart_style()` so Chinese labels render with the bundled font and nothing global changes.
Colours mean the same thing in every chart and table: green met, yellow shortfall, red serious
shortfall, blue over-achievement, grey not scored.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from evaluator.common.files import write_atomically
from evaluator.common.numbers import format_percent, round_half_up
from evaluator.models import ProjectScore, RowStatus, ScoredRow, Severity
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
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.85}  # keeps the 100% line off labels


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
# One project
# ---------------------------------------------------------------------------------------------


def level1_rate_figure(score: ProjectScore) -> Figure:
    """得分率 by first-level indicator, budget execution included."""
    rates = level1_rates(score)
    open_rows = level1_open_rows(score)
    names = list(rates)
    values = [rates[n] for n in names]
    fig = Figure(figsize=(6.4, 0.55 * len(names) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(names))[::-1]
    # Only scored rows are drawn: a row still waiting for its actual is a gap, marked, not a 0%.
    ax.barh(y, [0 if v is None else v * 100 for v in values], color=[_rate_colour(v) for v in values], height=0.6)
    for yk, name, v in zip(y, names, values, strict=True):
        label = "未评分" if v is None else format_percent(v)
        if v is not None and open_rows.get(name):
            label += f"（另有 {open_rows[name]} 项未评分）"
        ax.text(
            (0 if v is None else v * 100) + 1.5, yk, label, va="center", fontsize=9, color=INK, bbox=LABEL_BOX, zorder=4
        )
    ax.set_yticks(y, names)
    ax.axvline(100, color=MUTED, linewidth=1, linestyle="--")
    ax.set_xlim(0, 118)
    ax.set_xlabel("得分率（%，只计已评分的指标）" if open_rows else "得分率（%）")
    ax.set_title("各一级指标得分率", loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def indicator_completion_figure(score: ProjectScore) -> Figure:
    """Completion of every third-level indicator against its target (100%)."""
    rows = ordered_rows(score)
    cap = 200.0
    fig = Figure(figsize=(7.6, 0.42 * max(len(rows), 1) + 1.4))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    shown = [0.0 if r.completion is None else min(r.completion * 100, cap) for r in rows]
    ax.barh(y, shown, color=[_row_colour(r) for r in rows], height=0.62)
    for yk, row, width in zip(y, rows, shown, strict=True):
        if row.status is RowStatus.NOT_SCORED:
            label = "未评分"
        elif row.completion is None:
            label = f"{round_half_up(row.score, 2):.2f}/{round_half_up(row.weight, 2):.2f}分"
        else:
            label = format_percent(row.completion) + ("（已截断）" if row.completion * 100 > cap else "")
        ax.text(width + 2, yk, label, va="center", fontsize=8, color=INK, bbox=LABEL_BOX, zorder=4)
    ax.set_yticks(y, [_short(r.level3, 16) for r in rows], fontsize=8)
    ax.axvline(100, color=INK, linewidth=1, linestyle="--")
    ax.set_xlim(0, cap + 40)
    ax.set_xlabel("完成率（%，虚线为年度指标值）")
    ax.set_title("三级指标完成情况", loc="left", fontsize=12)
    handles = [
        _patch(GREEN, "达标"),
        _patch(BLUE, "超额"),
        _patch(YELLOW, "未完全达标"),
        _patch(RED, "严重未达标"),
        _patch(GREY, "未评分"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _patch(colour: str, label: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label)


def budget_figure(score: ProjectScore) -> Figure:
    """年初预算数 / 全年预算数 / 全年执行数 in 万元, with the execution rate in the title."""
    b = score.budget
    labels = ["年初预算数", "全年预算数", "全年执行数"]
    values = [wan(b.initial_budget), wan(b.adjusted_budget), wan(b.executed)]
    fig = Figure(figsize=(6.4, 2.6))
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    colours = ["#9fb8d3", "#4a7fb5", _rate_colour(b.rate if b.scored else None)]
    ax.barh(y, [0 if v is None else v for v in values], color=colours, height=0.6)
    top = max([v for v in values if v is not None] or [1.0])
    for yk, v in zip(y, values, strict=True):
        ax.text((v or 0) + top * 0.02, yk, "未填报" if v is None else f"{v:,.2f}", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("万元")
    rate = f"预算执行率 {format_percent(b.rate)}" if b.scored else "预算执行率未评分"
    ax.set_title(f"预算执行情况（{rate}）", loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def write_project_charts(score: ProjectScore, folder: Path) -> list[ChartFile]:
    with chart_style():
        charts = [
            ChartFile(_save(level1_rate_figure(score), folder / "chart_level1.png"), "各一级指标得分率"),
            ChartFile(_save(indicator_completion_figure(score), folder / "chart_indicators.png"), "三级指标完成情况"),
            ChartFile(_save(budget_figure(score), folder / "chart_budget.png"), "预算执行情况"),
        ]
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
