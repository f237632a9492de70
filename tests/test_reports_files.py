"""write_all_reports (what goes where, progress, stable reruns) and safe_filename's guarantees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.reports.bundle import MAX_NAME_BYTES, project_folders, safe_filename, write_all_reports
from report_fixtures import make_run

RESERVED_CHARS = set('<>:"/\\|?*')
PER_PROJECT = {
    "自评表.xlsx",
    "自评报告.docx",
    "自评报告.html",
    "chart_level1.png",
    "chart_indicators.png",
    "chart_budget.png",
}


def _valid(name: str) -> bool:
    return (
        bool(name)
        and len(name.encode("utf-8")) <= MAX_NAME_BYTES
        and not RESERVED_CHARS & set(name)
        and all(ch.isprintable() for ch in name)
        and name == name.strip(" .")
        and name not in (".", "..")
    )


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_any_string_gives_a_valid_stable_name(name: str):
    result = safe_filename(name)
    assert _valid(result), result
    assert safe_filename(name) == result


@settings(max_examples=300)
@given(st.text(max_size=200), st.text(max_size=200))
def test_distinct_names_stay_distinct(a: str, b: str):
    if a != b:
        assert safe_filename(a) != safe_filename(b)


def test_examples():
    assert safe_filename("上海市总工会房屋租赁费") == "上海市总工会房屋租赁费"  # clean names are kept as they are
    assert safe_filename("“五一”专项工作经费") == "“五一”专项工作经费"
    slashed = safe_filename('A/B "项目"')
    assert slashed.startswith("A_B _项目_-") and slashed != safe_filename('A_B "项目"')
    assert safe_filename("A_B _项目_") == "A_B _项目_"
    assert safe_filename("CON").startswith("_CON") and safe_filename("").startswith("项目-")
    assert safe_filename("..").startswith("项目-") and safe_filename(".hidden").startswith("hidden-")
    long_a, long_b = "长" * 200 + "甲", "长" * 200 + "乙"
    assert safe_filename(long_a) != safe_filename(long_b)
    assert len(safe_filename(long_a).encode()) <= MAX_NAME_BYTES


def test_folders_unique_for_duplicates_and_case(tmp_path: Path):
    names = ["项目A", "项目a", "项目A", "x/y", "x_y"]
    folders = project_folders(names)
    assert len({f.casefold() for f in folders}) == len(names)
    assert folders == project_folders(names)
    assert folders[0] == "项目A"
    for folder in folders:  # really creatable
        (tmp_path / folder).mkdir()


@pytest.mark.slow  # writes every report of the sample
def test_write_all_reports_layout_progress_and_rerun(tmp_path: Path):
    report_run = make_run(limit=2)  # two seed projects plus the awkward synthetic ones
    seen: list[str] = []
    written = write_all_reports(report_run, tmp_path, progress=seen.append)
    assert seen == [p.project.name for p in report_run.projects]
    assert all(p.is_file() for p in written)
    folders = project_folders(seen)
    for folder in folders:
        assert {p.name for p in (tmp_path / folder).iterdir()} == PER_PROJECT
    assert (tmp_path / "汇总.xlsx").is_file() and (tmp_path / "index.html").is_file()
    assert {p.name for p in (tmp_path / "charts").iterdir()} == {"totals.png", "grades.png", "heatmap.png"}
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]
    again = write_all_reports(report_run, tmp_path)
    assert again == written  # same names on a second run, files replaced in place
    long_folder = next(f for f in folders if f.startswith("关于"))
    assert len(os.fsencode(long_folder)) <= MAX_NAME_BYTES


@pytest.mark.slow  # writes every report of the sample
def test_parallel_writing_gives_the_same_files(tmp_path: Path):
    from openpyxl import load_workbook

    report_run = make_run(limit=3)
    one, two = tmp_path / "one", tmp_path / "two"
    seen: list[str] = []
    first = write_all_reports(report_run, one, workers=1)
    second = write_all_reports(report_run, two, progress=seen.append, workers=2)
    assert sorted(seen) == sorted(p.project.name for p in report_run.projects)
    assert [p.relative_to(one) for p in first] == [p.relative_to(two) for p in second]
    for a, b in zip(first, second, strict=True):
        if a.suffix == ".xlsx":
            for sa, sb in zip(load_workbook(a).worksheets, load_workbook(b).worksheets, strict=True):
                assert [[c.value for c in r] for r in sa.iter_rows()] == [[c.value for c in r] for r in sb.iter_rows()]
        elif a.suffix == ".html":
            assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
