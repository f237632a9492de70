"""The main job end to end: `evaluator score` as a subprocess on the bundled (invented) sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from evaluator.common.numbers import round_half_up
from evaluator.ingest.actuals_workbook import read_actuals_workbook

pytestmark = pytest.mark.slow  # end to end: the real CLI in a subprocess, or every report written

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    import os
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("run") / "outputs"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", MPLBACKEND="Agg", COLUMNS="200")
    done = subprocess.run(
        [sys.executable, "-m", "evaluator", "score", "-o", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig", keep_default_na=False)
    projects = pd.read_csv(out / "projects.csv", encoding="utf-8-sig", keep_default_na=False)
    return done, out, scores, projects


def _row(scores: pd.DataFrame, project: str, level3_start: str) -> pd.Series:
    hits = scores[(scores["项目名称"] == project) & scores["三级指标"].str.startswith(level3_start)]
    assert len(hits) == 1, (project, level3_start, len(hits))
    return hits.iloc[0]


def test_csvs_reconcile_with_the_inputs(scored) -> None:
    done, out, scores, projects = scored
    actuals = read_actuals_workbook(INPUTS / "实际完成值_样例.xlsx")
    assert len(scores) == len(actuals.rows) == 125
    assert len(projects) == 12
    counts = scores["状态"].value_counts()
    assert counts.sum() == 125 and set(counts.index) <= {"已评分", "未评分"}
    assert f"已评分 {counts['已评分']}" in done.stdout.replace("：", " ") or str(counts["已评分"]) in done.stdout
    assert (out / "scores.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # Every not-scored row carries its reason.
    assert (scores.loc[scores["状态"] == "未评分", "未评分原因"].str.len() > 0).all()
    # Project totals equal budget score + row scores (no rescale) or the rescaled figure, to the cent.
    for record in projects.to_dict("records"):
        rows = scores[scores["项目名称"] == record["项目名称"]]
        plain = round(float(record["预算执行得分"]) + rows["得分"].sum(), 2)
        if "折算" in str(record["说明"]):
            assert float(record["总分"]) > plain
        else:
            assert float(record["总分"]) == pytest.approx(plain, abs=0.005)


def test_terminal_lists_the_biggest_losses_first(scored) -> None:
    done, _, scores, _ = scored
    assert "失分最多的指标" in done.stdout
    losses = scores.assign(lost=scores["分值"].astype(float) - scores["得分"].astype(float))
    worst = losses.sort_values("lost", ascending=False).iloc[0]
    tail = done.stdout.split("失分最多的指标", 1)[1]
    assert f"{worst['lost']:.2f}" in tail and worst["项目名称"] in tail


def test_figures_computed_by_hand(scored) -> None:
    _, _, scores, projects = scored
    students = _row(scores, "上海市退休职工大学教育业务补助", "年度招收学员人次")
    # 成本 (1 row) and 产出 (5 rows) share 50 points: 8.33 or 8.34 each; score = weight × 2,950 ÷ 3,000.
    weight = float(students["分值"])
    assert weight in (8.33, 8.34)
    assert float(students["得分"]) == round_half_up(weight * 2950 / 3000)
    assert "2,950" in students["计算过程"] and "3,000" in students["计算过程"]
    growth = _row(scores, "“五一”专项工作经费", "参与人数较上年度有增长")
    # 18,000 × 1.01 = 18,180; 18,050 ÷ 18,180 of its weight.
    assert "18,180" in growth["计算过程"]
    assert float(growth["得分"]) < float(growth["分值"])
    over = _row(scores, "上海市退管会工作经费及尊老服务经费", "示范引领和组织动员")
    assert "超" in over["标记"]
    strict = _row(scores, "上海市总工会专项业务经费", "家长测评满意度")
    assert "未严格达到" in strict["计算过程"] or "未严格达到" in strict["标记"]
    missing = _row(scores, "职工物价监督工作经费", "掌握职工年度物价监测数据")
    assert missing["状态"] == "未评分" and "未填写" in missing["未评分原因"]
    judged = _row(scores, "上海职工公共文化活动项目经费", "供应商考核机制健全性")
    assert judged["状态"] == "未评分" and "人工判断" in judged["未评分原因"]
    no_reason = _row(scores, "上海市退管会工作经费及尊老服务经费", "组织开展文体活动")
    assert "偏差原因" in no_reason["标记"]
    flexible = projects[projects["项目名称"] == "灵活就业群体工会会员项目经费"].iloc[0]
    assert float(flexible["预算执行率"]) == pytest.approx(0.85)
    assert float(flexible["预算执行得分"]) == 8.5
    price = projects[projects["项目名称"] == "职工物价监督工作经费"].iloc[0]
    assert "满意度" in str(price["说明"])


def test_sample_workbook_is_what_the_generator_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample_actuals", INPUTS / "make_sample_actuals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.build(tmp_path / "fresh.xlsx")
    for sheet in ("实际完成", "预算执行"):
        a = [[c.value for c in row] for row in load_workbook(fresh)[sheet].iter_rows()]
        b = [[c.value for c in row] for row in load_workbook(INPUTS / "实际完成值_样例.xlsx")[sheet].iter_rows()]
        assert a == b, sheet


def test_reports_for_every_project(scored) -> None:
    from docx import Document

    _, out, scores, projects = scored
    folders = [p for p in out.iterdir() if p.is_dir() and p.name != "charts"]
    assert len(folders) == 12
    totals = dict(zip(projects["项目名称"], projects["总分"].astype(float), strict=True))
    for folder in folders:
        for name in ("自评表.xlsx", "自评报告.docx", "自评报告.html"):
            assert (folder / name).stat().st_size > 0, (folder, name)
        assert len(Document(folder / "自评报告.docx").inline_shapes) >= 3
        sheet = load_workbook(folder / "自评表.xlsx").worksheets[0]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        title = next(str(v) for row in values for v in row if v)
        assert "2024" in title
        project = next(name for name in totals if any(name == v for row in values for v in row))
        # 总分, or 折算总分（…） under a rescale: the line carrying the grade
        total_row = next(row for row in values if any(str(v or "").startswith("自评等级") for v in row))
        shown = [float(v) for v in total_row if isinstance(v, int | float)]
        assert totals[project] in shown
        indicator_names = set(scores.loc[scores["项目名称"] == project, "三级指标"])
        assert indicator_names <= {v for row in values for v in row}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(name in index for name in totals)
    summary = load_workbook(out / "汇总.xlsx").worksheets[0]
    assert summary.max_row >= 13
