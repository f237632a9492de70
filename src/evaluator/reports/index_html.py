"""index.html: the portfolio page linking every project's reports, with the portfolio charts inlined.

Read off the same ProjectScores as everything else, through `view`, so a total on the page is the
total in the project's 自评表.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from evaluator.common.files import write_text_atomically
from evaluator.common.numbers import format_percent
from evaluator.models import RowStatus, RunResult, Severity
from evaluator.reports.html import environment, inline, severity_class
from evaluator.reports.tables import level1_score, reconciliation_line
from evaluator.reports.view import REPORT_FILES, ChartFile, flag_counts, rules_of, two


def _href(folder: str, name: str) -> str:
    return f"{quote(folder)}/{quote(name)}"


def render_index_html(
    run: RunResult, folders: Sequence[str], charts: Sequence[ChartFile] = (), summary_name: str = "汇总.xlsx"
) -> str:
    level1_order = rules_of(run).level1_order
    projects = []
    apart = []  # 未填报: listed apart, out of the ranking
    for p, folder in zip(run.projects, folders, strict=True):
        links = {kind: _href(folder, name) for kind, name in REPORT_FILES.items()}
        if p.unreported:
            apart.append({"name": p.project.name, "rows": len(p.rows), **links})
            continue
        red, yellow = flag_counts(p)
        projects.append(
            {
                "name": p.project.name,
                "rate": format_percent(p.budget.rate),
                "level1": [two(level1_score(p, n)) or "—" for n in level1_order],
                "total": two(p.total),
                "complete": p.complete,
                "grade": p.grade,
                "red": red,
                "yellow": yellow,
                "not_scored": sum(r.status is RowStatus.NOT_SCORED for r in p.rows),
                "css": severity_class(Severity.RED if red else Severity.YELLOW if not p.complete else None),
                **{kind: _href(folder, name) for kind, name in REPORT_FILES.items()},
            }
        )
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            projects=projects,
            unreported=apart,
            year_text=f"{run.year}年度" if run.year else "",
            profile=run.profile_name,
            reconciliation=reconciliation_line(run),
            level1_names=[f"{n}得分" for n in level1_order],
            charts=[inline(c) for c in charts],
            summary_href=quote(summary_name),
        )
    )


def write_index_html(run: RunResult, folders: Sequence[str], path: Path, charts: Sequence[ChartFile] = ()) -> Path:
    write_text_atomically(path, render_index_html(run, folders, charts))
    return path
