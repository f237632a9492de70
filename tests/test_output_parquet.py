"""`--output-format parquet`: the row results as typed Parquet tables, equal to the in-memory frames."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import pandas as pd
import pytest

from evaluator.api import score
from evaluator.cli import score as cmd_score
from evaluator.common.resources import sample_inputs_dir

pytest.importorskip("pyarrow")
SAMPLE = sample_inputs_dir()


def _run(tmp_path: Path, output_format: str) -> Path:
    args = argparse.Namespace(
        targets=None, actuals=None, rules=None, output=str(tmp_path), no_reports=True, jobs=None, all=False,
        output_format=output_format,
    )  # fmt: skip
    try:
        assert cmd_score.run(args) == 0
    finally:
        gc.unfreeze()
    return tmp_path


def test_parquet_files_hold_the_same_tables(tmp_path: Path, capsys) -> None:
    out = _run(tmp_path, "parquet")
    capsys.readouterr()
    evaluation = score(SAMPLE / cmd_score.SAMPLE_TARGETS, SAMPLE / cmd_score.SAMPLE_ACTUALS)
    assert not (out / "scores.csv").exists()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "scores.parquet"), evaluation.scores, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "projects.parquet"), evaluation.projects, check_dtype=False)
    unmatched = pd.read_parquet(out / "unmatched_actuals.parquet")
    assert list(unmatched.columns) == list(evaluation.unmatched.columns) and len(unmatched) == len(evaluation.unmatched)


def test_parquet_keeps_numbers_typed(tmp_path: Path, capsys) -> None:
    scores = pd.read_parquet(_run(tmp_path, "parquet") / "scores.parquet")
    capsys.readouterr()
    assert pd.api.types.is_float_dtype(scores["得分"]) and pd.api.types.is_float_dtype(scores["分值"])
    assert len(scores) == 125


def test_csv_stays_the_default(tmp_path: Path, capsys) -> None:
    out = _run(tmp_path, "csv")
    capsys.readouterr()
    assert (out / "scores.csv").exists() and not (out / "scores.parquet").exists()
