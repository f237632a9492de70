"""The Word 自评报告, opened back with python-docx: sections, score table, charts, placeholders, fonts."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from evaluator.reports.bundle import project_folders
from evaluator.reports.report_docx import SCORE_HEADERS, SECTIONS
from evaluator.reports.view import PLACEHOLDER, is_flagged, ordered_rows, two, visible_flags


@pytest.fixture(scope="module")
def documents(reports_dir, report_run):
    folders = project_folders([p.project.name for p in report_run.projects])
    return [Document(str(reports_dir / f / "自评报告.docx")) for f in folders]


def _section(document, title: str, next_title: str | None) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    start = texts.index(title)
    end = texts.index(next_title) if next_title else len(texts)
    return texts[start + 1 : end]


def test_headings_in_order(documents):
    for document in documents:
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == list(SECTIONS)


def test_score_table_has_every_row_and_the_total(documents, report_run):
    for document, score in zip(documents, report_run.projects, strict=True):
        table = next(t for t in document.tables if t.rows[0].cells[0].text == SCORE_HEADERS[0])
        assert [c.text for c in table.rows[0].cells] == list(SCORE_HEADERS)
        rows = ordered_rows(score)
        totals = 2 if score.missing_categories else 1  # 总分, or 指标得分合计 and 折算总分
        assert len(table.rows) == 1 + 1 + len(rows) + totals  # header, budget, indicators, totals
        assert table.rows[1].cells[0].text == "预算执行率"
        assert table.rows[1].cells[6].text == two(score.budget.score)
        for k, row in enumerate(rows):
            cells = table.rows[2 + k].cells
            assert [cells[2].text, cells[3].text, cells[5].text, cells[6].text] == [
                row.level3,
                row.target_text,
                two(row.weight),
                two(row.score),
            ]
        last = table.rows[-1].cells
        assert last[0].text.startswith("折算总分" if totals == 2 else "总分") and last[6].text == two(score.total)


def test_charts_are_embedded(documents):
    for document in documents:
        assert len(document.inline_shapes) == 3
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        assert captions == ["图1  预算执行情况", "图2  各一级指标得分率", "图3  三级指标完成情况"]


def test_every_flagged_row_is_discussed_with_reason_or_placeholder(documents, report_run):
    placeholders_seen = 0
    for document, score in zip(documents, report_run.projects, strict=True):
        part = _section(document, SECTIONS[3], SECTIONS[4])
        flagged = [r for r in ordered_rows(score) if is_flagged(r)]
        titles = [t for t in part if t.startswith("（")]
        expected = (["预算执行率"] if visible_flags(score.budget.flags) else []) + [r.level3 for r in flagged]
        assert [t.split("）", 1)[1] for t in titles] == expected
        reasons = [t.removeprefix("偏差原因分析及改进措施：") for t in part if t.startswith("偏差原因分析及改进措施：")]
        wanted = ([PLACEHOLDER] if visible_flags(score.budget.flags) else []) + [
            r.deviation_reason or PLACEHOLDER for r in flagged
        ]
        assert reasons == wanted
        placeholders_seen += reasons.count(PLACEHOLDER)
    assert placeholders_seen > 0


def test_conclusion_states_total_grade_and_incompleteness(documents, report_run):
    for document, score in zip(documents, report_run.projects, strict=True):
        text = _section(document, SECTIONS[4], None)[0]
        assert f"总分 {two(score.total)} 分" in text and f"「{score.grade}」" in text
        assert ("评分未完成" in text) == (not score.complete)


def test_chinese_text_has_an_east_asian_font(documents):
    for document in documents[:2]:
        for name in ("Normal", "Heading 1", "Heading 2", "Title"):
            fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")) in ("宋体", "黑体")
            assert fonts.get(qn("w:asciiTheme")) is None


def test_docx_is_stamped_with_the_build_time_and_reproducible(report_run, tmp_path, monkeypatch):
    """The package is written once with fixed times (zip entries and core properties), not restamped."""
    import zipfile

    from evaluator.reports.report_docx import write_report_docx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    first = write_report_docx(report_run.projects[0], tmp_path / "a.docx", 2024)
    second = write_report_docx(report_run.projects[0], tmp_path / "b.docx", 2024)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert package.read("docProps/core.xml").decode("utf-8").count("2023-11-14T22:13:20Z") == 2
        assert package.testzip() is None
    assert len(Document(str(first)).inline_shapes) == 0  # no charts given, no pictures
