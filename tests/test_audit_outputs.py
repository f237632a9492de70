"""Audit outputs: findings.csv, audit.json, 复核底稿.xlsx and 复核报告 agree with the findings, and the CLI runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from audit_fixtures import FILE, clean_rows, decl, project, with_row
from evaluator.audit import audit_projects
from evaluator.audit.bundle import write_audit_outputs
from evaluator.audit.outputs import FINDING_COLUMNS, summary_lines
from evaluator.audit.paper import ROW_HEADERS, SUMMARY_HEADERS, sheet_names
from evaluator.config.profiles import load_profile


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def result():
    broken = with_row(clean_rows(), "受益人次", published_score=24)  # score_deviation P1
    return audit_projects(
        decl(project(), project(broken, name="职工帮扶项目", total_score=94, grade="良")), load_profile()
    )


@pytest.fixture(scope="module")
def outdir(result, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    write_audit_outputs(result, folder)
    return folder


def test_findings_csv_has_bom_columns_and_one_row_per_finding(result, outdir: Path) -> None:
    raw = (outdir / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(outdir / "findings.csv")
    assert tuple(rows[0].keys()) == FINDING_COLUMNS
    assert len(rows) == len(result.findings) >= 2
    deviation = next(r for r in rows if r["code"] == "score_deviation")
    assert (deviation["文件"], deviation["项目名称"], deviation["三级指标"]) == (FILE, "职工帮扶项目", "受益人次")
    assert (deviation["自评值"], deviation["复核值"], deviation["差异"], deviation["严重程度"]) == (
        "24.00",
        "27.00",
        "-3.0",
        "P1",
    )
    assert "规则键 audit.score_tolerance" in deviation["依据"]
    grade = next(r for r in rows if r["code"] == "grade_mismatch")
    assert grade["一级指标"] == "" and grade["问题"] == "等级与总分不符"


def test_audit_json_carries_the_same_findings(result, outdir: Path) -> None:
    data = json.loads((outdir / "audit.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in data["findings"]] == [f.code for f in result.findings]
    assert data["rows_in"] == data["rows_rescored"] + data["rows_unverifiable"] == 10
    second = data["projects"][1]
    assert (second["published_total"], second["review_total"], second["difference"]) == (94, 96.5, -2.5)
    assert second["rows"][3]["codes"] == ["score_deviation"]


def test_working_paper_has_summary_and_one_sheet_per_project(result, outdir: Path) -> None:
    wb = load_workbook(outdir / "复核底稿.xlsx")
    assert wb.sheetnames == ["汇总", *sheet_names(["职工培训项目", "职工帮扶项目"])]
    summary = wb["汇总"]
    assert tuple(c.value for c in summary[1]) == SUMMARY_HEADERS
    assert [c.value for c in summary[3]][2:6] == ["职工帮扶项目", 94, 96.5, -2.5]
    assert summary.cell(3, 7).value == pytest.approx(-2.5 / 94, abs=1e-4)  # 偏离度 = (自评 − 复核) ÷ 自评
    sheet = wb[wb.sheetnames[2]]
    assert tuple(c.value for c in sheet[3]) == ROW_HEADERS
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == "受益人次")
    assert row[4:10] == (30, "900人次", 24, 27, -3, pytest.approx(-3 / 24, abs=1e-4))
    assert "自评得分与复核得分不一致" in row[10] and row[12] in ("", None)
    last = [r for r in sheet.iter_rows(min_row=4, values_only=True)][-1]
    assert last[0] == "总分" and last[6:9] == (94, 96.5, -2.5)


def test_review_report_docx_and_html(outdir: Path) -> None:
    text = "\n".join(p.text for p in Document(str(outdir / "复核报告.docx")).paragraphs)
    assert "一、复核概况" in text and "职工帮扶项目" in text and "图1 各项目自评总分与复核总分" in text
    html = (outdir / "复核报告.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "自评得分与复核得分不一致" in html
    assert (outdir / "复核总分对比.png").stat().st_size > 5000


def test_summary_lines_reconcile(result) -> None:
    lines = summary_lines(result)
    assert lines[-1] == "指标行 10 行 = 已复核 10 行 + 无法复核 0 行（2 个项目）"
    assert any("职工帮扶项目：自评 94.00，复核 96.50" in line for line in lines)


def test_cli_audit_runs_and_lists_every_row(run_cli, seed_path: Path, tmp_path: Path) -> None:
    """An unfilled declaration audited: every row is unverifiable (no actual), nothing dropped, exit 0."""
    out = tmp_path / "out"
    proc = run_cli("audit", seed_path, "-o", out, "--no-reports")
    assert proc.returncode == 0, proc.stderr
    assert "指标行 125 行 = 已复核 0 行 + 无法复核 125 行（12 个项目）" in proc.stdout
    rows = read_csv(out / "findings.csv")
    assert sum(r["code"] == "unverifiable" and r["一级指标"] != "" for r in rows) == 125
    assert not (out / "复核报告.docx").exists()


def test_cli_audit_refuses_a_missing_file(run_cli, tmp_path: Path) -> None:
    proc = run_cli("audit", tmp_path / "none.xlsx", "-o", tmp_path / "o")
    assert proc.returncode == 1 and "文件不存在" in proc.stderr  # the one message read_declarations gives


def test_cli_audit_reads_a_published_table_through_the_table_reader(run_cli, tmp_path: Path) -> None:
    """南华 2023 (tests/corpus, pipe text): 配套烘干杀菌设备 550 → 20 scored 9.3/9.3, as the fixture's notes say."""
    source = Path(__file__).resolve().parent / "corpus" / "se_yunnan_2023_nanhua_mushroom" / "source.txt"
    proc = run_cli("audit", source, "-o", tmp_path, "--no-reports")
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(tmp_path / "findings.csv")
    missed = [r for r in rows if r["code"] == "missed_scored_full"]
    assert [(r["三级指标"], r["自评值"], r["严重程度"]) for r in missed] == [
        ("配套烘干杀菌设备及包装设备购置及安装", "9.30", "P0")
    ]
