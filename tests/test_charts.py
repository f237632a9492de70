"""Charts render with the bundled CJK font; without it the Glyph warning fails the run."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PIL import Image

from evaluator.errors import EvaluatorError
from evaluator.reports import fonts
from evaluator.reports.charts import (
    indicator_completion_figure,
    level1_heatmap_figure,
    write_portfolio_charts,
    write_project_charts,
)


@pytest.fixture(scope="module")
def run(report_run):
    return report_run


def test_font_is_found_without_importing_zhplot():
    import sys

    path = fonts.font_path()
    assert path.is_file() and path.suffix == ".ttf"
    assert "zhplot" not in sys.modules  # importing zhplot would rewrite matplotlib's settings
    assert fonts.font_family() == "Noto Sans SC"


def test_chart_style_leaves_global_settings_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    with fonts.chart_style():
        assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
    assert dict(matplotlib.rcParams) == before


@pytest.mark.slow  # renders every chart of the sample
def test_project_and_portfolio_charts_render_without_warnings(run, tmp_path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        project_charts = write_project_charts(run.projects[1], tmp_path / "p")
        portfolio = write_portfolio_charts(run.projects, tmp_path / "all")
    assert [c.path.name for c in project_charts] == ["chart_level1.png", "chart_indicators.png", "chart_budget.png"]
    assert [c.path.name for c in portfolio] == ["totals.png", "grades.png", "heatmap.png"]
    for chart in project_charts + portfolio:
        with Image.open(chart.path) as image:
            assert image.format == "PNG" and image.width > 300 and image.height > 200
    assert not list(tmp_path.rglob("*.tmp*"))


def test_indicator_chart_grows_with_rows_and_has_one_bar_per_row(run):
    small, big = sorted(run.projects, key=lambda p: len(p.rows))[0], max(run.projects, key=lambda p: len(p.rows))
    with fonts.chart_style():
        fig_small, fig_big = indicator_completion_figure(small), indicator_completion_figure(big)
    assert fig_big.get_figheight() > fig_small.get_figheight()
    assert len(fig_big.axes[0].patches) == len(big.rows)


def test_heatmap_has_a_row_per_project(run):
    with fonts.chart_style():
        fig = level1_heatmap_figure(run.projects)
    assert len(fig.axes[0].get_yticklabels()) == len(run.projects)


def test_missing_font_registration_is_caught(run, tmp_path: Path, monkeypatch):
    """The safety net works: if the CJK font were not used, saving a chart fails on the Glyph warning."""
    monkeypatch.setattr(fonts, "font_family", lambda: "DejaVu Sans")
    with pytest.raises(UserWarning, match="Glyph"):
        write_project_charts(run.projects[0], tmp_path)


def test_missing_font_package_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(fonts, "_from_metadata", lambda: None)
    monkeypatch.setattr(fonts, "_from_spec", lambda: None)
    fonts.font_path.cache_clear()
    try:
        with pytest.raises(EvaluatorError, match="zhplot"):
            fonts.font_path()
    finally:
        fonts.font_path.cache_clear()


def test_large_portfolio_shows_the_lowest_totals(run):
    from dataclasses import replace

    from evaluator.reports.charts import MAX_PROJECTS_SHOWN, totals_figure

    many = [replace(p, total=float(k % 100)) for k, p in enumerate(list(run.projects) * 10)]
    with fonts.chart_style():
        fig = totals_figure(many)
    bars = list(fig.axes[0].containers[0])
    assert len(bars) == MAX_PROJECTS_SHOWN
    assert max(b.get_width() for b in bars) <= sorted(p.total for p in many)[MAX_PROJECTS_SHOWN - 1]
    assert f"共 {len(many)} 个项目" in fig.axes[0].get_title(loc="left")
