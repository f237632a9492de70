"""Issue 15, item 5: the reports of 1,000 projects with 2 workers, today's renderer beside a baseline.

    python3 benchmarks/bench_reports_1000.py [--rows 10000] [--workers 2] [--sample 50]
                                             [--baseline-rev a74db13] [--baseline-full] [--json FILE]

Generates (once; cached by portfolio_gen) a seeded portfolio of `--rows` indicator rows (10,000
rows ≈ 1,005 projects), then in fresh child processes, each reading and scoring the portfolio with
its own engine code first (not timed):

  * current:  this checkout's `src/`; `write_all_reports` of every project with `--workers`
    processes (wall time; CPU of the parent and of the workers), then every part alone, serially,
    on the first `--sample` projects (CPU s per project: charts, 自评表.xlsx, 自评报告.docx,
    自评报告.html) and the portfolio files once (charts, 汇总.xlsx, index.html);
  * baseline: the renderer as it was at `--baseline-rev` (its `src/` taken out of git into a
    temporary folder), the same per-part sample. Its full run takes minutes, so by default its
    wall time for all projects is *extrapolated* from the sample ((per-project CPU × projects) /
    workers + portfolio CPU), and printed as such; `--baseline-full` runs it for real.

Prints a table of CPU seconds per project by part and the wall times against the goal (≤ 60 s).
CPU seconds are the figure to compare on a shared machine; wall time moves with the load (the
load average is printed). No figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
GOAL_WALL_S = 60.0
PARTS = ("charts", "自评表.xlsx", "自评报告.docx", "自评报告.html")
DEFAULT_BASELINE = "a74db13"  # main before issue 15's report work: matplotlib charts, python-docx per report


# ---------------------------------------------------------------------------------------------
# Child: runs with PYTHONPATH set to the engine under test
# ---------------------------------------------------------------------------------------------


def _score(targets: Path, actuals: Path):
    from evaluator.api import score

    return score(targets, actuals).run


def _cpu() -> float:
    return time.process_time()


def child(targets: Path, actuals: Path, out: Path, sample: int, workers: int, full: bool) -> dict[str, Any]:
    from evaluator.reports.bundle import project_folders, write_all_reports
    from evaluator.reports.charts import write_portfolio_charts, write_project_charts
    from evaluator.reports.index_html import write_index_html
    from evaluator.reports.report_docx import write_report_docx
    from evaluator.reports.report_html import write_report_html
    from evaluator.reports.self_evaluation import write_self_evaluation_workbook
    from evaluator.reports.summary import write_summary_workbook
    from evaluator.reports.view import rules_of

    run = _score(targets, actuals)
    rules = rules_of(run)
    result: dict[str, Any] = {"projects": len(run.projects), "rows": sum(len(p.rows) for p in run.projects)}
    if full:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, cpu = time.perf_counter(), _cpu()
        written = write_all_reports(run, out / "all", workers=workers)
        result["full_wall_s"] = time.perf_counter() - wall
        result["full_parent_cpu_s"] = _cpu() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["full_workers_cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        result["files"] = len(written)
    # Each part alone, serially, on a sample (the first project warms caches: fonts, template).
    projects = run.projects[: sample + 1]
    seconds = dict.fromkeys(PARTS, 0.0)
    for k, score in enumerate(projects):
        folder = out / "parts" / f"p{k}"
        year = score.project.year or run.year
        t0 = _cpu()
        charts = write_project_charts(score, folder)
        t1 = _cpu()
        write_self_evaluation_workbook(score, folder / "a.xlsx", year, rules)
        t2 = _cpu()
        write_report_docx(score, folder / "a.docx", year, charts, rules)
        t3 = _cpu()
        write_report_html(score, folder / "a.html", year, charts, run.profile_name, rules)
        t4 = _cpu()
        if k == 0:
            result["first_project_cpu_s"] = t4 - t0
            continue
        for part, spent in zip(PARTS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            seconds[part] += spent
    result["per_project_cpu_s"] = {part: spent / max(len(projects) - 1, 1) for part, spent in seconds.items()}
    folders = project_folders([p.project.name for p in run.projects])
    t0 = _cpu()
    charts = write_portfolio_charts(run.projects, out / "portfolio", rules.level1_order)
    write_summary_workbook(run, folders, out / "portfolio" / "汇总.xlsx")
    write_index_html(run, folders, out / "portfolio" / "index.html", charts)
    result["portfolio_cpu_s"] = _cpu() - t0
    return result


# ---------------------------------------------------------------------------------------------
# Parent
# ---------------------------------------------------------------------------------------------


def _baseline_src(rev: str, into: Path) -> Path:
    """`src/` of `rev` with the rule files beside it, unpacked from git (no checkout, no worktree touched)."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src", "scoring_rules", "inputs"],
            check=True,
            capture_output=True,
        ).stdout
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"无法从 git 取出基线版本 {rev} 的 src/：{exc.stderr.decode(errors='replace')}") from exc
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run_child(src: Path, work: Path, args: argparse.Namespace, full: bool, targets: Path, actuals: Path) -> dict:
    result = work / "result.json"
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(result),
        str(targets),
        str(actuals),
        str(work),
        str(args.sample),
        str(args.workers),
        "1" if full else "0",
    ]
    log = work / "child.log"
    with log.open("wb") as out:
        code = subprocess.run(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{tail}\n子进程失败（退出码 {code}），输出见上")
    return json.loads(result.read_text(encoding="utf-8"))


def _extrapolated_wall(figures: dict, workers: int) -> float:
    per_project = sum(figures["per_project_cpu_s"].values())
    return per_project * figures["projects"] / workers + figures["portfolio_cpu_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="indicator rows (10,000 ≈ 1,005 projects)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=50, help="projects timed part by part (both renderers)")
    parser.add_argument("--baseline-rev", default=DEFAULT_BASELINE, help="git revision of the baseline renderer")
    parser.add_argument("--baseline-full", action="store_true", help="run the baseline on every project too (slow)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        targets, actuals, work, sample, workers, full = args.paths
        figures = child(Path(targets), Path(actuals), Path(work), int(sample), int(workers), full == "1")
        Path(args.child).write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
        return

    sys.path.insert(0, str(HERE))
    from portfolio_gen import portfolio

    targets, actuals, projects = portfolio(args.rows, args.seed, CACHE)
    print(f"portfolio: {args.rows:,} rows, {projects:,} projects ({targets.parent})")
    load_before = os.getloadavg()[0]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(tmp)
        (work / "current").mkdir()
        results["current"] = _run_child(ROOT / "src", work / "current", args, True, targets, actuals)
        if not args.skip_baseline:
            (work / "baseline").mkdir()
            src = _baseline_src(args.baseline_rev, work / "baseline-src")
            results["baseline"] = _run_child(src, work / "baseline", args, args.baseline_full, targets, actuals)
    load_after = os.getloadavg()[0]
    print_table(results, args, (load_before, load_after))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def print_table(results: dict[str, dict], args: argparse.Namespace, load: tuple[float, float]) -> None:
    current, baseline = results["current"], results.get("baseline")
    print(f"load average (1 min) before / after: {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    print(f"\nCPU s per project, serial, {args.sample} projects after a warm-up one:")
    head = f"| part | current | baseline ({args.baseline_rev}) | speed-up |" if baseline else "| part | current |"
    print(head)
    print("|---|---|---|---|" if baseline else "|---|---|")
    parts = [*PARTS, "all four"]
    for part in parts:
        now = (
            current["per_project_cpu_s"].get(part) if part != "all four" else sum(current["per_project_cpu_s"].values())
        )
        if baseline:
            then = (
                baseline["per_project_cpu_s"].get(part)
                if part != "all four"
                else sum(baseline["per_project_cpu_s"].values())
            )
            print(f"| {part} | {now:.4f} | {then:.4f} | {then / now:.1f}× |")
        else:
            print(f"| {part} | {now:.4f} |")
    print(
        f"| portfolio files (once) | {current['portfolio_cpu_s']:.2f} s |"
        + (f" {baseline['portfolio_cpu_s']:.2f} s | |" if baseline else "")
    )
    n = current["projects"]
    print(f"\nAll {n:,} projects, write_all_reports with {args.workers} workers (goal ≤ {GOAL_WALL_S:.0f} s wall):")
    cpu = current["full_parent_cpu_s"] + current["full_workers_cpu_s"]
    print(
        f"  current:  wall {current['full_wall_s']:.1f} s; CPU {cpu:.1f} s (parent {current['full_parent_cpu_s']:.1f}, "
        f"workers {current['full_workers_cpu_s']:.1f}) = {cpu / n:.3f} CPU s a project; {current['files']:,} files"
    )
    print(f"            CPU / {args.workers} workers = {cpu / args.workers:.1f} s: estimated wall time when idle")
    if baseline:
        if "full_wall_s" in baseline:
            bcpu = baseline["full_parent_cpu_s"] + baseline["full_workers_cpu_s"]
            print(f"  baseline: wall {baseline['full_wall_s']:.1f} s; CPU {bcpu:.1f} s ({bcpu / n:.3f} a project)")
        else:
            print(
                f"  baseline: ≈ {_extrapolated_wall(baseline, args.workers):.0f} s wall on an idle machine, "
                f"EXTRAPOLATED from the {args.sample}-project sample (per-project CPU × {n:,} / {args.workers} "
                f"+ portfolio); --baseline-full measures it"
            )


if __name__ == "__main__":
    main()
