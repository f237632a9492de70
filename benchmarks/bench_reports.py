"""Time to write every report (charts, 自评表, Word, HTML, summary) — figures only, no asserts.

    python3 benchmarks/bench_reports.py [--copies 4]

Uses the seed declarations with fabricated year-end facts (tests/report_fixtures.py), repeated
`--copies` times, and prints seconds per project and per output kind.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from evaluator.reports.bundle import write_all_reports  # noqa: E402
from evaluator.reports.charts import write_portfolio_charts, write_project_charts  # noqa: E402
from evaluator.reports.report_docx import write_report_docx  # noqa: E402
from evaluator.reports.report_html import write_report_html  # noqa: E402
from evaluator.reports.self_evaluation import write_self_evaluation_workbook  # noqa: E402
from report_fixtures import make_run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    base = make_run()
    projects = tuple(
        replace(p, project=replace(p.project, name=f"{p.project.name}（{k}）"))
        for k in range(args.copies)
        for p in base.projects
    )
    run = replace(base, projects=projects)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        write_all_reports(run, out)
        total = time.perf_counter() - start
        print(f"write_all_reports: {len(projects)} projects in {total:.2f} s ({total / len(projects):.3f} s/project)")
        sample = projects[:10]
        timings = {"charts": 0.0, "自评表.xlsx": 0.0, "自评报告.docx": 0.0, "自评报告.html": 0.0}
        for k, p in enumerate(sample):
            folder = out / f"s{k}"
            t = time.perf_counter()
            charts = write_project_charts(p, folder)
            timings["charts"] += time.perf_counter() - t
            t = time.perf_counter()
            write_self_evaluation_workbook(p, folder / "a.xlsx", 2024)
            timings["自评表.xlsx"] += time.perf_counter() - t
            t = time.perf_counter()
            write_report_docx(p, folder / "a.docx", 2024, charts)
            timings["自评报告.docx"] += time.perf_counter() - t
            t = time.perf_counter()
            write_report_html(p, folder / "a.html", 2024, charts)
            timings["自评报告.html"] += time.perf_counter() - t
        for name, seconds in timings.items():
            print(f"  {name:12s} {seconds / len(sample):.3f} s/project")
        t = time.perf_counter()
        write_portfolio_charts(projects, out / "charts2")
        print(f"  portfolio charts {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
