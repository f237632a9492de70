"""Write everything people read for a run: per project the 自评表, the Word and HTML 自评报告 and
their charts; for the portfolio 汇总.xlsx, index.html and charts.

    outdir/<project folder>/自评表.xlsx, 自评报告.docx, 自评报告.html, chart_*.png
    outdir/汇总.xlsx, outdir/index.html, outdir/charts/*.png

Folder names come from `safe_filename`, so they are valid on every common file system, the same
on every run, and different for different projects.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

from evaluator.common.files import ensure_output_folder
from evaluator.models import ProjectScore, ReportRules, RunResult
from evaluator.reports.charts import write_project_charts
from evaluator.reports.report_docx import write_report_docx
from evaluator.reports.report_html import write_report_html
from evaluator.reports.self_evaluation import write_self_evaluation_workbook
from evaluator.reports.view import REPORT_FILES, rules_of

MAX_NAME_BYTES = 100  # leaves room under the usual 255-byte limit for the file names inside
HASH_LENGTH = 8
FORBIDDEN = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{k}" for k in range(1, 10)), *(f"LPT{k}" for k in range(1, 10))}
FALLBACK = "项目"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        bad = ch in FORBIDDEN or category[0] == "C" or category in ("Zl", "Zp") or (ch.isspace() and ch != " ")
        out.append("_" if bad else ch)
    cleaned = "".join(out).strip(" .")
    if cleaned.startswith("-"):
        cleaned = "_" + cleaned[1:]
    if cleaned.split(".")[0].upper() in RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def _truncate(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore").rstrip(" .")


def safe_filename(name: str) -> str:
    """A file or folder name for `name`: at most MAX_NAME_BYTES bytes of UTF-8, no path separators,
    reserved characters or device names, never hidden or empty.

    A name that needs no change is kept as it is; any other gets a short hash of the original name
    appended, so two names that clean up alike (`A/B` and `A_B`, or two long names sharing their
    first 90 bytes) still get different folders, and the same name always gets the same one.
    """
    cleaned = _clean(name)
    if cleaned == name and cleaned and len(cleaned.encode("utf-8")) <= MAX_NAME_BYTES:
        return cleaned
    stem = _truncate(cleaned, MAX_NAME_BYTES - HASH_LENGTH - 1) or FALLBACK
    return f"{stem}-{_digest(name)}"


def project_folders(names: Sequence[str]) -> list[str]:
    """Folder names for a run's projects, unique even on case-insensitive file systems and when two
    projects share a name (the later ones get a hash of name and position: stable for the same input).
    """
    used: set[str] = set()
    out: list[str] = []
    for k, name in enumerate(names):
        folder = safe_filename(name)
        if folder.casefold() in used:
            stem = _truncate(folder, MAX_NAME_BYTES - HASH_LENGTH - 1)
            folder = f"{stem}-{_digest(name + chr(0) + str(k))}"
        used.add(folder.casefold())
        out.append(folder)
    return out


PARALLEL_FROM = 24  # projects; below this, starting worker processes costs more than it saves


def _write_project(
    score: ProjectScore, target: Path, year: int | None, profile_name: str, rules: ReportRules
) -> list[Path]:
    """One project's folder. Module level and self-contained so a worker process can run it."""
    charts = write_project_charts(score, target)
    written = [c.path for c in charts]
    written.append(write_self_evaluation_workbook(score, target / REPORT_FILES["xlsx"], year, rules))
    written.append(write_report_docx(score, target / REPORT_FILES["docx"], year, charts, rules))
    written.append(write_report_html(score, target / REPORT_FILES["html"], year, charts, profile_name, rules))
    return written


def default_workers(projects: int) -> int:
    return 1 if projects < PARALLEL_FROM else max(1, min(os.cpu_count() or 1, 8))


def write_all_reports(
    run: RunResult,
    outdir: Path,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write every report; returns the paths written. `progress(project_name)` after each project.

    About 0.07 CPU s a project since issue 15 (charts, 自评表, Word, HTML; it was ~0.7 s), and a
    large portfolio is written by `workers` processes (default: one per core from PARALLEL_FROM
    projects) while this process writes the portfolio files. Each project owns its folder, so the
    files are the same whichever process writes them.
    """
    outdir = ensure_output_folder(Path(outdir))
    folders = project_folders([p.project.name for p in run.projects])
    rules = rules_of(run)
    jobs = [
        (score, outdir / folder, score.project.year or run.year, run.profile_name, rules)
        for score, folder in zip(run.projects, folders, strict=True)
    ]
    workers = default_workers(len(jobs)) if workers is None else max(1, workers)
    per_project: list[list[Path]] = [[] for _ in jobs]
    if workers == 1 or len(jobs) < 2:
        for k, job in enumerate(jobs):
            per_project[k] = _write_project(*job)
            if progress is not None:
                progress(job[0].project.name)
        portfolio = _write_portfolio(run, folders, outdir, rules)
    else:
        # spawn, not fork: the parent may hold threads (progress bar) and matplotlib state.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(_write_project, *job): k for k, job in enumerate(jobs)}
            # The parent would only wait: it writes the portfolio files (summary workbook, portfolio
            # charts, index page; several CPU seconds for 1,000 projects) while the workers run.
            with ThreadPoolExecutor(max_workers=1) as side:
                portfolio_future = side.submit(_write_portfolio, run, folders, outdir, rules)
                for future in as_completed(futures):
                    k = futures[future]
                    per_project[k] = future.result()
                    if progress is not None:
                        progress(jobs[k][0].project.name)
                portfolio = portfolio_future.result()
    return [path for paths in per_project for path in paths] + portfolio


def _write_portfolio(run: RunResult, folders: Sequence[str], outdir: Path, rules: ReportRules) -> list[Path]:
    """The portfolio's charts, 汇总.xlsx and index.html: they need only the scores and folder names.
    Imported here, so a worker process never loads matplotlib and pandas for them."""
    from evaluator.reports.charts import write_portfolio_charts
    from evaluator.reports.index_html import write_index_html
    from evaluator.reports.summary import write_summary_workbook

    charts = write_portfolio_charts(run.projects, outdir / "charts", rules.level1_order)
    written = [c.path for c in charts]
    written.append(write_summary_workbook(run, folders, outdir / "汇总.xlsx"))
    written.append(write_index_html(run, folders, outdir / "index.html", charts))
    return written
