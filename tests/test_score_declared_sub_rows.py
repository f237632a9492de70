"""`evaluator template` and `evaluator score DECL ACTUALS` on a declaration read by layout recognition.

Such a table keeps its 其中 sub-rows and numbered parent rows (parse shows them), but they are never
scored and need no actual: the template has no row for them, the score leaves them out, and an
actual typed for one anyway is set aside with a note instead of being matched to another row.
The declaration is constructed; the commands run as a user runs them, in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]

DECLARATION = (
    "项目支出绩效目标表\n"
    "项目名称 | 技能培训 |\n"
    "主管部门 | 某局 |\n"
    "年度资金总额 | 100 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    "产出指标 | 数量指标 | 1. 完成培训任务 | |\n"
    "(1) 培训人次 | ≥500人次 |\n"
    "(2) 培训合格率 | ≥90% |\n"
    "数量指标 | 补助种植面积 | ≥29.5亩 |\n"
    "其中桃树种植面积 | 1.5亩 |\n"
    "效益指标 | 社会效益指标 | 就业人数 | ≥100人 |\n"
)
ACTUALS = {"(1) 培训人次": "520人次", "(2) 培训合格率": "95%", "补助种植面积": "30亩", "就业人数": "120人"}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_sub_rows_and_parent_rows_are_neither_asked_for_nor_scored(tmp_path: Path) -> None:
    (tmp_path / "decl.txt").write_text(DECLARATION, encoding="utf-8")
    made = _cli("template", "decl.txt", "-o", "acts.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "三级指标 4 行" in made.stdout

    wb = load_workbook(tmp_path / "acts.xlsx")
    sheet = wb["实际完成"]
    names = [sheet.cell(r, 4).value for r in range(2, sheet.max_row + 1)]
    assert names == ["(1) 培训人次", "(2) 培训合格率", "补助种植面积", "就业人数"]
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, 6).value = ACTUALS[sheet.cell(r, 4).value]
    # a unit that still types a figure for the 其中 row (e.g. from last year's template)
    sheet.append(["技能培训", "产出指标", "数量指标", "其中桃树种植面积", "1.5亩", "1.5亩"])
    budget = wb["预算执行"]
    budget.cell(2, 4).value = 100
    budget.cell(2, 5).value = 100
    wb.save(tmp_path / "acts.xlsx")

    done = _cli("score", "decl.txt", "acts.xlsx", "-o", "out", "--no-reports", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", encoding="utf-8-sig", keep_default_na=False)
    assert scores["三级指标"].tolist() == ["(1) 培训人次", "(2) 培训合格率", "补助种植面积", "就业人数"]
    assert set(scores["状态"]) == {"已评分"}
    unmatched = pd.read_csv(tmp_path / "out" / "unmatched_actuals.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(unmatched) == 0
    log = (tmp_path / "out" / "核对与修复记录.txt").read_text(encoding="utf-8")
    assert "1 个「其中」分项行只列示、不评分" in log and "1 个分项父行只列示、按其分项评分" in log
    assert "其中桃树种植面积 / 1.5亩 → 此行在申报表中是「其中」分项行，不单独评分，实际完成值未使用" in log
