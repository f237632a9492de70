"""`evaluator lint` end to end: the bundled 12-project declaration, outputs, --strict, folders.

The seed expectations below are the findings reviewed by hand (README, 绩效目标审核): they pin
which projects lack 满意度, which rows are misplaced and which targets cannot be tested.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.ingest.targets_workbook import write_targets_workbook
from evaluator.lint.engine import lint_paths
from evaluator.models import Declarations, Indicator, Project, SourceRef


@pytest.fixture(scope="module")
def seed_findings():
    from conftest import SEED

    return lint_paths([SEED]).findings


def _where(findings, code: str) -> set[tuple[str, str]]:
    return {(f.project, f.level3) for f in findings if f.code == code}


def test_seed_projects_without_satisfaction(seed_findings) -> None:
    assert {f.project for f in seed_findings if f.code == "S03"} == {
        "职工物价监督工作经费",
        "上海市工人文化宫图书馆专项补贴",
    }


def test_seed_misplaced_rows(seed_findings) -> None:
    assert _where(seed_findings, "P01") == {
        ("上海市退管会工作经费及尊老服务经费", "专人负责项目实施监督"),
        ("上海市总工会专项业务经费", "资金到位率"),
        ("上海市工人文化宫图书馆专项补贴", "预算执行率"),
        ("上海市工人文化宫图书馆专项补贴", "财务管理制度健全性"),
        ("“五一”专项工作经费", "预算执行率"),
        ("上海职工公共文化活动项目经费", "预算执行率"),
        ("上海职工公共文化活动项目经费", "资金使用合规性"),
        ("上海职工公共文化活动项目经费", "财务管理制度健全性"),
        ("困难职工帮扶专项资金", "资金到位率"),
    }
    assert _where(seed_findings, "P02") == {("上海市工人文化宫图书馆专项补贴", "设施设备完好，群众满意")}
    assert _where(seed_findings, "P03") == {("上海职工公共文化活动项目经费", "文化推广机制健全性")}


def test_seed_untestable_targets(seed_findings) -> None:
    vague = _where(seed_findings, "M03")
    assert ("支内职工退休回沪定居人员帮困专项资金", "得益面广") in vague
    assert sum(1 for p, _ in vague if p == "上海市退管会工作经费及尊老服务经费") == 4
    bare = {(p, n) for p, n in _where(seed_findings, "M05")}
    assert ("灵活就业群体工会会员项目经费", "提升工会组织的吸引力和影响力") in bare
    assert ("“五一”专项工作经费", "高清频道播出") in bare
    assert ("上海市总工会房屋租赁费", "租金不变") not in bare  # 是 answers a fact
    assert len(bare) == 13


def test_seed_goal_figures_and_rewrites(seed_findings) -> None:
    goal = [f.message for f in seed_findings if f.code == "C02"]
    assert any("16个行政区" in m for m in goal)
    assert not any("100000人" in m for m in goal)  # carried by 服务对象人数 ≥100000(人)
    strict = {f.level3: f.rewrite for f in seed_findings if f.code == "D04"}
    assert strict == {"家长测评满意度": "≥90(%)", "群众对市文化宫活动举办满意度": "≥80.00(分)"}
    assert not [f for f in seed_findings if f.code in ("D01", "D02", "M01", "S05", "S06", "C01")]


def test_lint_seed_writes_csv_and_workbook(run_cli, seed_path: Path, tmp_path: Path) -> None:
    result = run_cli("lint", seed_path, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "12 个项目，125 个三级指标" in result.stdout and "P1 必须修改 11 条" in result.stdout
    raw = (tmp_path / "lint.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((tmp_path / "lint.csv").open(encoding="utf-8-sig")))
    assert list(rows[0])[:9] == [
        "文件",
        "项目名称",
        "一级指标",
        "二级指标",
        "三级指标",
        "code",
        "问题",
        "严重程度",
        "建议",
    ]
    assert {r["严重程度"] for r in rows} == {"P1", "P2", "P3"}
    assert all(r["文件"] == "shanghai_ftu_2024_targets.txt" for r in rows)
    wb = load_workbook(tmp_path / "目标审核意见.xlsx")
    assert wb.sheetnames[:2] == ["审核汇总", "全部问题"] and wb.sheetnames[-1] == "审核规则"
    assert len(wb.sheetnames) == 12 + 3
    assert wb["全部问题"].max_row == len(rows) + 1
    sheet = wb["上海市总工会专项业务经费"]
    texts = [[c.value for c in row] for row in sheet.iter_rows()]
    strict_row = next(r for r in texts if r[2] == "家长测评满意度")
    assert strict_row[3] == ">90(%)" and strict_row[5] == "P3" and strict_row[6] == "≥90(%)"
    assert "D04" in strict_row[4]


def test_strict_exits_1_on_p1(run_cli, seed_path: Path, tmp_path: Path) -> None:
    result = run_cli("lint", seed_path, "-o", tmp_path, "--strict")
    assert result.returncode == 1 and "--strict" in result.stdout
    assert (tmp_path / "lint.csv").exists()


def _clean_declaration(path: Path) -> Path:
    rows = [
        ("成本指标", "经济成本指标", "人均培训成本", "≤500元"),
        ("产出指标", "数量指标", "培训人次", "≥3000人次"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "时效指标", "培训完成时间", "2024年12月31日前完成"),
        ("效益指标", "社会效益指标", "学员技能提升率（问卷调查）", "≥80%"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"),
    ]
    indicators = tuple(Indicator(a, b, c, d) for a, b, c, d in rows)
    project = Project(
        name="职工技能培训项目",
        total_funds=1_000_000.0,
        fiscal_funds=1_000_000.0,
        annual_goal="完成培训3000人次，学员满意度90%以上。",
        indicators=indicators,
        year=2024,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        source=SourceRef(path.name),
    )
    write_targets_workbook(Declarations(projects=(project,), source_file=path.name), path)
    return path


def test_strict_exits_0_without_p1(run_cli, tmp_path: Path) -> None:
    clean = _clean_declaration(tmp_path / "clean.xlsx")
    result = run_cli("lint", clean, "-o", tmp_path / "out", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "P1 必须修改 0 条，P2 建议修改 0 条，P3 提示 0 条" in result.stdout
    assert list(csv.reader((tmp_path / "out" / "lint.csv").open(encoding="utf-8-sig")))[1:] == []


def test_folder_means_every_file_and_skips_what_cannot_be_read(run_cli, seed_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    _clean_declaration(folder / "b.xlsx")
    (folder / "old.xls").write_bytes(b"not really")
    result = run_cli("lint", folder, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "13 个项目" in result.stdout
    assert "已跳过（无法读取）：old.xls" in result.stdout


def test_a_named_file_that_cannot_be_read_fails_in_chinese(run_cli, tmp_path: Path) -> None:
    result = run_cli("lint", tmp_path / "nope.txt", "-o", tmp_path / "out")
    assert result.returncode == 1 and "文件不存在" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
