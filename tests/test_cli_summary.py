"""The terminal summary keeps one size for any portfolio; --all lists every project."""

from __future__ import annotations

import argparse
import dataclasses
import gc
from pathlib import Path

import pytest
from rich.console import Console

from evaluator.api import score
from evaluator.cli import score as cmd_score
from evaluator.common.resources import sample_inputs_dir
from evaluator.reports.tables import projects_frame

SAMPLE = sample_inputs_dir()


@pytest.fixture(scope="module")
def evaluation():
    return score(SAMPLE / cmd_score.SAMPLE_TARGETS, SAMPLE / cmd_score.SAMPLE_ACTUALS)


def _printed(run, monkeypatch, *, large: int, show_all: bool = False, worst: int = 3) -> str:
    monkeypatch.setattr(cmd_score, "LARGE_PORTFOLIO", large)
    monkeypatch.setattr(cmd_score, "WORST_PROJECTS", worst)
    console = Console(record=True, width=400, highlight=False)
    cmd_score.print_summary(console, run, Path("out"), show_all=show_all)
    return console.export_text()


def test_a_large_portfolio_gets_counts_grades_and_the_worst_projects(evaluation, monkeypatch) -> None:
    text = _printed(evaluation.run, monkeypatch, large=5)
    frame = projects_frame(evaluation.run)
    assert f"{len(frame):,} 个项目" in text and "等级分布" in text
    for grade, count in frame["等级"].value_counts().items():
        assert any(grade in line and f"{count:,}" in line for line in text.splitlines()), grade
    overview = text.split("失分最多的指标", 1)[0]
    named = [name for name in frame["项目名称"] if name in overview]
    lowest = frame.sort_values("总分", kind="stable").head(3)["项目名称"].tolist()
    assert sorted(named) == sorted(lowest)
    assert "失分最多的指标" in text  # the rows that lost most are still shown


def test_all_lists_every_project(evaluation, monkeypatch) -> None:
    text = _printed(evaluation.run, monkeypatch, large=5, show_all=True)
    assert "等级分布" not in text
    assert all(name in text for name in projects_frame(evaluation.run)["项目名称"])


def test_a_small_portfolio_lists_every_project(evaluation, monkeypatch) -> None:
    text = _printed(evaluation.run, monkeypatch, large=50)
    assert "等级分布" not in text
    assert all(name in text for name in projects_frame(evaluation.run)["项目名称"])


def test_the_summary_does_not_grow_with_the_portfolio(evaluation, monkeypatch) -> None:
    run = evaluation.run
    tenfold = dataclasses.replace(run, projects=run.projects * 10, rows_in=run.rows_in * 10)
    small = _printed(run, monkeypatch, large=5)
    large = _printed(tenfold, monkeypatch, large=5)
    assert len(large.splitlines()) == len(small.splitlines())
    assert f"{len(run.projects) * 10:,} 个项目" in large


def test_stages_are_announced_in_order() -> None:
    seen: list[str] = []
    score(SAMPLE / cmd_score.SAMPLE_TARGETS, SAMPLE / cmd_score.SAMPLE_ACTUALS, stage=seen.append)
    assert seen == ["读取目标", "读取实际完成值", "评分"]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys) -> None:
    args = argparse.Namespace(
        targets=None,
        actuals=None,
        rules=None,
        output=str(tmp_path),
        no_reports=True,
        jobs=None,
        all=False,
        output_format="csv",
    )
    try:
        assert cmd_score.run(args) == 0
    finally:
        gc.unfreeze()  # the command freezes what it read, as a process about to exit may
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "核对" in captured.out
