"""What a user sees on the bundled sample (issue 14, "What users see"): the 自评表, the template, the
CSVs, the run log and the terminal, each checked against one real run of the CLI.

The declaration `inputs/shanghai_ftu_2024_targets.txt` is a real published table whose targets were
extracted from PDF with LaTeX left in (`\\leq 10.00(%)`, `$\\geq 90.00\\%$`); the actuals are the
invented sample.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
SEED = INPUTS / "shanghai_ftu_2024_targets.txt"
SAMPLE_ACTUALS = INPUTS / "实际完成值_样例.xlsx"
LATEX_MARKS = ("\\leq", "\\geq", "$", "\\%")


def _cli(*args: str | Path, cwd: Path = ROOT, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", MPLBACKEND="Agg", COLUMNS="200")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
    )


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "outputs"
    done = _cli("score", "-o", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("template") / "模板.xlsx"
    done = _cli("template", SEED, "-o", out)
    assert done.returncode == 0, done.stderr
    return out


def _has_latex(text: object) -> bool:
    return any(mark in str(text) for mark in LATEX_MARKS)


# -- item 1: LaTeX in 年度指标值 ----------------------------------------------------------------


def test_targets_show_without_latex_in_csv_form_and_template(sample_run: Path, template: Path) -> None:
    scores = pd.read_csv(sample_run / "scores.csv", encoding="utf-8-sig", keep_default_na=False)
    targets = scores["年度指标值"]
    assert not targets.map(_has_latex).any(), targets[targets.map(_has_latex)].tolist()
    assert "≤10.00(%)" in set(targets) and "≥90.00%" in set(targets)

    form = load_workbook(sample_run / "劳模专项补助资金" / "自评表.xlsx")["自评表"]
    shown = [c.value for row in form.iter_rows(min_col=4, max_col=4) for c in row if c.value]
    assert "≥2000.00(人次)" in shown and not any(_has_latex(v) for v in shown)

    sheet = load_workbook(template)["实际完成"]
    column = [c.value for c in sheet["E"][1:] if c.value]
    assert sheet["E1"].value == "年度指标值"
    assert "≤10.00(%)" in column and not any(_has_latex(v) for v in column)


def test_run_log_keeps_the_raw_target(sample_run: Path) -> None:
    log = (sample_run / "核对与修复记录.txt").read_text(encoding="utf-8")
    assert "\\leq 10.00(%) → 年度指标值在各输出中显示为「≤10.00(%)」" in log
