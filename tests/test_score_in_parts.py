"""`evaluator score --no-reports` scores and writes part by part: every output byte equals the whole run's.

The command line appends each part's rows to scores.csv / projects.csv and drops the part
(issue 15: a million rows within 1.5 GB). The real CLI runs as a subprocess with tiny parts (one
project each), a few projects a part and one part, and each run's files — and its terminal
summary — are compared byte for byte with each other and with the outputs the whole-run writers
(write_table, write_run_log, print_summary over one RunResult) give for the same inputs.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from evaluator import pipeline
from evaluator.api import score, score_in_parts
from evaluator.cli import score as cmd_score
from evaluator.cli.arguments import part_size
from evaluator.errors import EvaluatorError
from evaluator.reports.tables import projects_frame, scores_frame, unmatched_frame, write_table
from evaluator.reports.view import top_losses

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
INPUTS = ROOT / "inputs"
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from portfolio_gen import generate, write_actuals, write_targets  # noqa: E402

WIDTH = 200


def _cli(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", COLUMNS=str(WIDTH))
    command = [sys.executable, "-m", "evaluator", "score", *args, "--no-reports", "-o", str(out)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _whole_run(inputs: tuple[Path, Path] | tuple[()], folder: Path, output_format: str = "csv") -> str:
    """What the whole-run writers give: one RunResult, written and summarised at once."""
    base = cmd_score.resolve_inputs(argparse.Namespace(targets=None, actuals=None)) if not inputs else inputs
    run = score(*base).run
    folder.mkdir(parents=True)
    frame = projects_frame(run)
    write_table(scores_frame(run), folder, "scores", output_format)
    write_table(frame, folder, "projects", output_format)
    write_table(unmatched_frame(run), folder, "unmatched_actuals", output_format)
    cmd_score.write_run_log(run, folder / "核对与修复记录.txt")
    text = io.StringIO()
    cmd_score.print_summary(Console(file=text, width=WIDTH, highlight=False), run, folder, frame)
    return text.getvalue()


def _same_as_whole(runs: dict[str, tuple[subprocess.CompletedProcess[str], Path]], whole: Path, said: str) -> None:
    expected = _files(whole)
    assert {"scores.csv", "projects.csv", "unmatched_actuals.csv", "核对与修复记录.txt"} <= set(expected)
    for name, (done, out) in runs.items():
        assert done.returncode == 0, done.stderr
        got = _files(out)
        manifest = got.pop(".evaluator-outputs.txt")
        assert sorted(manifest.decode("utf-8").splitlines()[1:]) == sorted(expected), name
        assert got.keys() == expected.keys(), name
        for file, data in expected.items():
            assert got[file] == data, f"{name}: {file}"
        assert done.stdout.replace(str(out), "OUT") == said.replace(str(whole), "OUT"), name


@pytest.mark.slow
def test_the_sample_in_parts_gives_the_whole_runs_bytes(tmp_path: Path) -> None:
    said = _whole_run((), tmp_path / "whole")
    runs = {n: (_cli(tmp_path / n, "--part-rows", n), tmp_path / n) for n in ("1", "25", "100000")}
    _same_as_whole(runs, tmp_path / "whole", said)
    assert "项目支出绩效自评结果（规则：mof2020）" in said and said.count("\n") > 12  # the table of 12 projects


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """≈700 generated rows (over 50 projects: the constant-size summary) with the awkward cases:
    the first project has no actuals at all (未填报: empty number columns in the first part), and
    rows and a budget for a project the targets do not declare (unmatched_actuals)."""
    folder = tmp_path_factory.mktemp("portfolio")
    projects = list(generate(700, 21))
    stray = dataclasses.replace(next(iter(generate(10, 99))), name="申报表中没有的项目")
    write_targets(projects, folder / "targets.xlsx")
    write_actuals([*projects[1:], stray], folder / "actuals.xlsx")
    return folder / "targets.xlsx", folder / "actuals.xlsx"


@pytest.mark.slow
def test_a_generated_portfolio_in_parts_gives_the_whole_runs_bytes(portfolio, tmp_path: Path) -> None:
    said = _whole_run(portfolio, tmp_path / "whole")
    runs = {n: (_cli(tmp_path / n, *map(str, portfolio), "--part-rows", n), tmp_path / n) for n in ("1", "37", "5000")}
    _same_as_whole(runs, tmp_path / "whole", said)
    assert "等级分布" in said and "未填报的项目（1 个" in said and "失分最多的指标" in said
    assert "申报表中没有的项目" in (tmp_path / "whole" / "unmatched_actuals.csv").read_text("utf-8-sig")


@pytest.mark.slow
def test_parquet_in_parts_holds_the_whole_runs_tables(portfolio, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    _whole_run(portfolio, tmp_path / "whole", "parquet")
    done = _cli(tmp_path / "parts", *map(str, portfolio), "--part-rows", "1", "--output-format", "parquet")
    assert done.returncode == 0, done.stderr
    for stem in ("scores", "projects", "unmatched_actuals"):
        expected = pq.read_table(tmp_path / "whole" / f"{stem}.parquet")
        got = pq.read_table(tmp_path / "parts" / f"{stem}.parquet")
        assert got.schema.equals(expected.schema, check_metadata=True), stem
        assert got.equals(expected), stem
        pd.testing.assert_frame_equal(got.to_pandas(), expected.to_pandas())
    assert pq.ParquetFile(tmp_path / "parts" / "scores.parquet").num_row_groups > 50  # one row group a part


def test_the_overview_of_parts_is_the_whole_runs(portfolio) -> None:
    whole = score(*portfolio).run
    overview = cmd_score.Overview()
    for part in score_in_parts(*portfolio, part_rows=3):
        overview.add(part, projects_frame(part))
    pd.testing.assert_frame_equal(overview.projects(), projects_frame(whole))
    assert overview.losses == top_losses(whole, cmd_score.TOP_LOSSES) and overview.losses
    assert overview.apart == [p.project.name for p in whole.projects if p.unreported] != []
    assert overview.totals.rows_in == whole.rows_in and overview.totals.rows_scored == whole.rows_scored
    assert overview.totals.unmatched_actuals == whole.unmatched_actuals


@pytest.mark.parametrize("text", ["0", "-5", "abc", "1.5", "５０"])
def test_a_bad_part_size_is_refused_in_chinese(text: str, tmp_path: Path) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="每批行数应为正整数"):
        part_size(text)
    done = _cli(tmp_path / "out", "--part-rows", text)
    assert done.returncode == 2
    assert "--part-rows" in done.stderr and "每批行数应为正整数" in done.stderr and f"「{text}」" in done.stderr
    assert not (tmp_path / "out").exists()


def test_part_sizes_written_with_separators_are_read() -> None:
    assert part_size("50,000") == part_size("50_000") == part_size(" 50000 ") == 50_000


def test_a_failure_in_a_later_part_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch) -> None:
    """Staging still holds: the first parts were written, but nothing of them reaches OUTDIR."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")
    calls: list[int] = []
    real = pipeline.score_projects

    def failing(inputs, profile):
        calls.append(len(inputs))
        if len(calls) == 3:
            raise EvaluatorError("第三批评分失败（测试）")
        return real(inputs, profile)

    monkeypatch.setattr(pipeline, "score_projects", failing)
    args = argparse.Namespace(
        targets=None, actuals=None, rules=None, output=str(out), no_reports=True, jobs=None, all=False,
        output_format="csv", part_rows=1,
    )  # fmt: skip
    try:
        with pytest.raises(EvaluatorError, match="第三批"):
            cmd_score.run(args)
    finally:
        gc.unfreeze()
    assert len(calls) == 3
    assert _files(out) == {"mine.txt": b"the user's own file"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left beside it
