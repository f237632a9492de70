"""The HTML 自评报告 and index.html: self-contained, every row shown, names escaped, links resolve."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from evaluator.reports.bundle import project_folders
from evaluator.reports.view import PLACEHOLDER, reason_text, two


def _pages(reports_dir, run):
    folders = project_folders([p.project.name for p in run.projects])
    return [(reports_dir / f / "自评报告.html").read_text(encoding="utf-8") for f in folders]


def test_every_row_and_the_total_appear(reports_dir, report_run):
    for page, score in zip(_pages(reports_dir, report_run), report_run.projects, strict=True):
        text = html.unescape(page)
        for row in score.rows:
            assert row.level3 in text and row.calculation in text
        assert f'<td class="num">{two(score.total)}</td>' in page
        assert page.count(PLACEHOLDER) >= sum(reason_text(r) == PLACEHOLDER for r in score.rows)
        assert ("评分未完成" in page) == (not score.complete)


def test_pages_are_self_contained_and_escaped(reports_dir, report_run):
    for page in _pages(reports_dir, report_run):
        # the project's three charts are inline SVG since issue 15 (drawn without matplotlib, ~7x smaller)
        assert page.count("<svg ") == 3 and page.count("</svg>") == 3
        assert 'src="data:image/png;base64,' not in page
        assert not re.search(r'src="(?!data:)', page)
        assert "<script" not in page
        assert "<帮扶>" not in page  # a project name with angle brackets stays text


def test_index_links_every_report_and_the_links_resolve(reports_dir, report_run):
    page = (reports_dir / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', page)
    for href in hrefs:
        assert (reports_dir / unquote(html.unescape(href))).is_file(), href
    for kind in ("自评报告.html", "自评报告.docx", "自评表.xlsx"):
        assert sum(unquote(h).endswith(kind) for h in hrefs) >= len(report_run.projects)
    for score in report_run.projects:
        assert score.project.name in html.unescape(page)
    assert page.count('src="data:image/png;base64,') == 3
