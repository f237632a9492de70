"""Charts render with the bundled CJK font; without it the Glyph warning fails the run.

A project's charts are drawn by evaluator.reports.canvas (PNG for Word, SVG for the HTML page)
since issue 15 (matplotlib cost 0.45 s a project); the portfolio charts are still matplotlib's.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PIL import Image

from evaluator.errors import EvaluatorError
from evaluator.reports import canvas, fonts
from evaluator.reports.canvas import Box, Label, text_width
from evaluator.reports.charts import (
    PROJECT_CHARTS,
    indicator_completion_chart,
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


def _bars(chart: canvas.Canvas) -> list[Box]:
    """The bars: boxes starting on the y axis (legend swatches sit elsewhere)."""
    x0 = min(b.x for b in chart.items if isinstance(b, Box))
    return [b for b in chart.items if isinstance(b, Box) and b.x == x0]


def test_indicator_chart_grows_with_rows_and_has_one_bar_per_row(run):
    small, big = sorted(run.projects, key=lambda p: len(p.rows))[0], max(run.projects, key=lambda p: len(p.rows))
    chart_small, chart_big = indicator_completion_chart(small), indicator_completion_chart(big)
    assert chart_big.height > chart_small.height
    assert len(_bars(chart_big)) == sum(bool(r.completion) for r in big.rows)  # a row with no completion is a gap
    texts = [item.text for item in chart_big.items if isinstance(item, Label)]
    for row in big.rows:
        assert row.level3[:8] in "".join(texts)


def test_project_chart_labels_fit_inside_the_picture(run):
    """Nothing is cut: every label, measured with the font the PNG is drawn with, lies inside the chart."""
    for score in run.projects:
        for _name, _title, build in PROJECT_CHARTS:
            chart = build(score)
            for item in chart.items:
                if isinstance(item, Label):
                    width = text_width(item.text, item.size)
                    left = {"start": item.x, "middle": item.x - width / 2, "end": item.x - width}[item.anchor]
                    assert -0.5 <= left and left + width <= chart.width + 0.5, (score.project.name, item.text)
                    assert 0 <= item.y <= chart.height


def test_project_charts_are_the_same_bytes_every_run_and_escape_names(run, tmp_path: Path):
    from dataclasses import replace

    score = run.projects[1]
    row = replace(score.rows[0], level3="<帮扶> & 指标")
    score = replace(score, rows=(row, *score.rows[1:]))
    first = write_project_charts(score, tmp_path / "a")
    second = write_project_charts(score, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes() and a.svg == b.svg
    indicators = first[1].svg
    assert indicators.startswith("<svg ") and indicators.endswith("</svg>")
    assert "&lt;帮扶&gt; &amp; 指标" in indicators and "<帮扶>" not in indicators


def test_heatmap_has_a_row_per_project(run):
    with fonts.chart_style():
        fig = level1_heatmap_figure(run.projects)
    assert len(fig.axes[0].get_yticklabels()) == len(run.projects)


def test_missing_font_registration_is_caught(run, tmp_path: Path, monkeypatch):
    """The safety net works: if the CJK font were not used, saving a chart fails on the Glyph warning."""
    monkeypatch.setattr(fonts, "font_family", lambda: "DejaVu Sans")
    with pytest.raises(UserWarning, match="Glyph"):
        write_portfolio_charts(run.projects, tmp_path)


def test_a_font_without_chinese_glyphs_is_caught_in_project_charts(run, tmp_path: Path, monkeypatch):
    """The same net for the project charts: drawing Chinese with a Latin-only font fails on the Glyph warning."""
    from matplotlib import font_manager

    latin = Path(font_manager.findfont("DejaVu Sans"))
    monkeypatch.setattr(canvas, "font_path", lambda: latin)
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
