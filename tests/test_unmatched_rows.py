"""Actual and budget rows that reach no declared indicator are listed with why — CSV and 汇总.xlsx."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # end to end: the real CLI in a subprocess, or every report written

ROOT = Path(__file__).resolve().parents[1]


def test_stray_rows_listed_with_reasons(tmp_path: Path, run_cli) -> None:
    book = tmp_path / "实际完成值.xlsx"
    wb = load_workbook(ROOT / "inputs" / "实际完成值_样例.xlsx")
    ws = wb["实际完成"]
    ws.append(["不存在的项目", "产出指标", "数量指标", "开班数", "≥1(个)", 3])
    ws.append(["劳模专项补助资金", "产出指标", "数量指标", "申报表里没有的指标", "", 7])
    wb["预算执行"].append(["不存在的项目", "年度资金总额", 100, 100, 90])
    wb.save(book)
    out = tmp_path / "out"
    done = run_cli("score", ROOT / "inputs" / "shanghai_ftu_2024_targets.txt", book, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "未匹配到目标的实际值 2 行" in done.stdout
    stray = pd.read_csv(out / "unmatched_actuals.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(stray["三级指标"]) == ["开班数", "申报表里没有的指标", "（预算执行）"]
    assert "没有名为「不存在的项目」的项目" in stray["原因"][0]
    assert "申报表里没有的指标" in stray["原因"][1]
    assert all(stray["来源"].str.contains("实际完成值.xlsx"))
    sheet = load_workbook(out / "汇总.xlsx")["未匹配的实际值"]
    listed = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[3] for row in listed] == ["开班数", "申报表里没有的指标", "（预算执行）"]
