"""End-to-end benchmark of issue 15: the real CLI against a plain read and a naive per-row loop.

    python3 benchmarks/bench_end_to_end.py [--rows 10000 --rows 100000] [--seed 1] [--profile]

For each N it generates (once; cached under benchmarks/.cache/) a seeded portfolio of N indicator
rows in ≈N/10 projects as the engine's own two inputs — a targets workbook and a filled actuals
workbook — then, each in a fresh child process:
  (a) `python -m evaluator score TARGETS ACTUALS --no-reports -o TMP`: wall time and peak RSS of
      the child (os.wait4 gives that child's own rusage);
  (b) pandas.read_excel(engine="calamine") of every sheet of both files: the read-only baseline;
  (c) benchmarks/naive_baseline.py: calamine read + a per-row regex/pint loop;
  (c') the engine's two readers alone (api.load_inputs, as the CLI runs them): CPU and peak RSS;
  (d) the public readers and evaluator.pipeline.evaluate in-process, timed stage by stage, which
      also checks that every row was placed and matched.
It prints one table with the goals of the issue beside the figures; no figure is asserted.
With --profile it also runs the CLI under cProfile at the largest N (profile kept in the cache
folder, never committed) and prints where the time went, with the garbage collector's share.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

from portfolio_gen import portfolio  # noqa: E402

GOAL_CLI_OVER_READ = 1.5
GOAL_RSS_MB = 1536
GOAL_NAIVE_OVER_EVALUATE = 50.0

# Where the engine's public entry points live, newest layout first (issue 9 moves modules).
_ENTRY_POINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "read_declarations": (("evaluator", "read_declarations"), ("evaluator.ingest", "read_declarations")),
    "read_actuals": (
        ("evaluator", "read_actuals_workbook"),
        ("evaluator.ingest", "read_actuals_workbook"),
        ("evaluator.ingest.actuals_workbook", "read_actuals_workbook"),
        ("evaluator.actuals_workbook", "read_actuals_workbook"),
    ),
    "load_profile": (("evaluator.api", "load_profile"), ("evaluator.rules", "load_profile")),
    "evaluate": (("evaluator.pipeline", "evaluate"),),
    "load_inputs": (("evaluator.api", "load_inputs"),),
    "cli_main": (("evaluator.cli", "main"),),
}


def engine(name: str) -> Callable[..., Any]:
    """The one adapter to engine internals: the first of the known homes that has `name`."""
    for module_name, attribute in _ENTRY_POINTS[name]:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, attribute, None)
        if callable(found):
            return found
    raise SystemExit(f"找不到引擎入口 {name}（已尝试：{_ENTRY_POINTS[name]}）")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT / "src"), env.get("PYTHONPATH"))))
    return env


def measure(command: list[str], log: Path) -> tuple[float, float, int, float]:
    """Run a child to the end → (wall s, peak RSS in MB of that child alone, exit code, its CPU s).

    CPU seconds (user + system) stay comparable when the machine is shared; wall time does not.
    """
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=_child_env(), cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, child.returncode, usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------------
# Child processes (this same file, run with --child MODE)
# ---------------------------------------------------------------------------------------------


class _GcClock:
    """Seconds spent in the garbage collector, and full (generation 2) passes, while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._start = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.full += info.get("generation") == 2


def child_read(targets: Path, actuals: Path) -> dict[str, Any]:
    import pandas as pd

    started, cpu = time.perf_counter(), time.process_time()
    cells = 0
    for path in (targets, actuals):
        for frame in pd.read_excel(path, sheet_name=None, engine="calamine").values():
            cells += frame.size
    return {"read_s": time.perf_counter() - started, "read_cpu_s": time.process_time() - cpu, "cells": int(cells)}


def child_readers(targets: Path, actuals: Path) -> dict[str, Any]:
    """The engine's two readers as the CLI runs them (`api.load_inputs`: collector paused, one pass
    after each read), each timed in CPU and wall seconds; the child's peak RSS is the read's."""
    load_inputs = engine("load_inputs")
    for module in ("evaluator.ingest.declarations", "evaluator.ingest.actuals_workbook", "python_calamine"):
        importlib.import_module(module)  # imports are not reading (the calamine child imports pandas first too)
    marks: dict[str, float] = {}  # stage name → CPU seconds when it started

    def stage(name: str) -> None:
        marks[name] = time.process_time()

    started, cpu = time.perf_counter(), time.process_time()
    decl, acts = load_inputs(targets, actuals, stage=stage)
    end, end_cpu = time.perf_counter(), time.process_time()
    c0, c1 = marks["读取目标"], marks["读取实际完成值"]
    return {
        "readers_s": end - started,
        "readers_cpu_s": end_cpu - cpu,
        "readers_targets_cpu_s": c1 - c0,
        "readers_actuals_cpu_s": end_cpu - c1,
        "readers_indicators": sum(len(p.indicators) for p in decl.projects),
        "readers_actual_rows": len(acts.rows),
    }


def child_evaluate(targets: Path, actuals: Path) -> dict[str, Any]:
    read_declarations, read_actuals = engine("read_declarations"), engine("read_actuals")
    load_profile, evaluate = engine("load_profile"), engine("evaluate")
    clock = _GcClock()
    marks = [time.perf_counter()]
    decl = read_declarations(targets)
    marks.append(time.perf_counter())
    acts = read_actuals(actuals)
    marks.append(time.perf_counter())
    profile = load_profile(None)
    marks.append(time.perf_counter())
    gc_before = clock.seconds
    cpu = time.process_time()
    run = evaluate(decl, acts, profile)
    evaluate_cpu = time.process_time() - cpu
    marks.append(time.perf_counter())
    gc_after = clock.seconds
    warm = _warm_evaluate(evaluate, decl, acts, profile)
    kinds: dict[str, int] = {}
    for repair in run.repairs:
        kinds[repair.kind] = kinds.get(repair.kind, 0) + 1
    return {
        "read_targets_s": marks[1] - marks[0],
        "read_actuals_s": marks[2] - marks[1],
        "evaluate_s": marks[4] - marks[3],
        "evaluate_cpu_s": evaluate_cpu,
        "gc_s": clock.seconds,
        "gc_evaluate_s": gc_after - gc_before,
        "gc_full_passes": clock.full,
        "rows_in": run.rows_in,
        "rows_scored": run.rows_scored,
        "projects": len(run.projects),
        "unmatched": len(run.unmatched_actuals),
        "repair_kinds": kinds,
        **warm,
    }


def _warm_evaluate(evaluate: Callable[..., Any], decl: Any, acts: Any, profile: Any) -> dict[str, float]:
    """evaluate() again with the parsers' caches warm, on the columnar core and on the scalar core.

    The cold figure above includes parsing every distinct string once; the warm pair isolates the
    core, and scalar against columnar in the same process is the speed-up of issue 15's item 3.
    An engine without `score_projects(columnar=...)` gives only the columnar figure.
    """
    import inspect

    out: dict[str, float] = {}
    cpu = time.process_time()
    evaluate(decl, acts, profile)
    out["evaluate_warm_cpu_s"] = time.process_time() - cpu
    pipeline = importlib.import_module("evaluator.pipeline")
    core = importlib.import_module("evaluator.scoring.core")
    original = getattr(pipeline, "score_projects", None)
    if original is None or "columnar" not in inspect.signature(core.score_projects).parameters:
        return out
    pipeline.score_projects = lambda inputs, p: core.score_projects(inputs, p, columnar=False)
    try:
        cpu = time.process_time()
        evaluate(decl, acts, profile)
        out["evaluate_scalar_warm_cpu_s"] = time.process_time() - cpu
    finally:
        pipeline.score_projects = original
    return out


def child_profile(targets: Path, actuals: Path, out: Path, stats: Path) -> dict[str, Any]:
    import cProfile

    cli_main = engine("cli_main")
    clock = _GcClock()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    code = cli_main(["score", str(targets), str(actuals), "--no-reports", "-o", str(out)])
    profiler.disable()
    wall = time.perf_counter() - started
    profiler.dump_stats(stats)
    return {"code": code, "wall_s": wall, "gc_s": clock.seconds, "gc_full_passes": clock.full}


def run_child(mode: str, paths: list[str], result: Path) -> None:
    args = [Path(p) for p in paths]
    children = {"read": child_read, "readers": child_readers, "evaluate": child_evaluate, "profile": child_profile}
    outcome = children[mode](*args)
    result.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------


def _child(mode: str, work: Path, *paths: Path) -> tuple[dict[str, Any], float, float]:
    result = work / f"{mode}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--result", str(result)]
    wall, rss, code, _cpu = measure([*command, *map(str, paths)], work / f"{mode}.log")
    if code != 0:
        raise SystemExit(f"子进程 {mode} 失败（退出码 {code}），见 {work / f'{mode}.log'}")
    return json.loads(result.read_text(encoding="utf-8")), wall, rss


def _cli_check(out: Path, rows: int) -> str:
    """Every generated row must reach scores.csv and no actual row may stay unmatched."""
    scored = sum(1 for _ in (out / "scores.csv").open(encoding="utf-8-sig")) - 1
    unmatched = sum(1 for _ in (out / "unmatched_actuals.csv").open(encoding="utf-8-sig")) - 1
    problems = []
    if scored != rows:
        problems.append(f"scores.csv 有 {scored} 行，应为 {rows} 行")
    if unmatched:
        problems.append(f"unmatched_actuals.csv 有 {unmatched} 行")
    return "；".join(problems)


def bench(rows: int, seed: int, skip_naive: bool, keep: bool) -> dict[str, Any]:
    started = time.perf_counter()
    targets, actuals, projects = portfolio(rows, seed, CACHE)
    generate_s = time.perf_counter() - started
    print(f"[{rows:,} 行] 组合：{projects:,} 个项目，{targets.parent}（生成/缓存 {generate_s:.1f} s）", flush=True)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{rows}-"))
    figures: dict[str, Any] = {"rows": rows, "projects": projects, "seed": seed}
    failed = True
    try:
        out = work / "cli_out"
        cli = [sys.executable, "-m", "evaluator", "score", str(targets), str(actuals), "--no-reports", "-o", str(out)]
        wall, rss, code, cli_cpu = measure(cli, work / "cli.log")
        if code != 0:
            raise SystemExit(f"evaluator score 失败（退出码 {code}）：{(work / 'cli.log').read_text()[-2000:]}")
        figures.update(cli_s=wall, cli_cpu_s=cli_cpu, cli_rss_mb=rss, cli_problems=_cli_check(out, rows))
        print(f"  CLI {wall:.1f} s, {rss:.0f} MB", flush=True)

        read, read_wall, _ = _child("read", work, targets, actuals)
        figures.update(read_s=read["read_s"], read_cpu_s=read["read_cpu_s"], read_child_s=read_wall)
        print(f"  calamine 读取 {read['read_s']:.2f} s", flush=True)

        readers, _wall, readers_rss = _child("readers", work, targets, actuals)
        figures.update(readers, readers_rss_mb=readers_rss)
        print(f"  引擎读取 {readers['readers_cpu_s']:.2f} CPU s, {readers_rss:.0f} MB", flush=True)

        evaluation, _wall, eval_rss = _child("evaluate", work, targets, actuals)
        figures.update(evaluation, evaluate_rss_mb=eval_rss)
        print(f"  evaluate() {evaluation['evaluate_s']:.2f} s", flush=True)

        if not skip_naive:
            naive_result = work / "naive.json"
            naive_cmd = [sys.executable, str(HERE / "naive_baseline.py"), str(targets), str(actuals)]
            naive_cmd += ["--out", str(work / "naive_out"), "--result", str(naive_result)]
            naive_wall, naive_rss, code, naive_cpu = measure(naive_cmd, work / "naive.log")
            if code != 0:
                raise SystemExit(f"naive_baseline 失败（退出码 {code}），见 {work / 'naive.log'}")
            naive = json.loads(naive_result.read_text(encoding="utf-8"))
            figures.update(
                naive_s=naive_wall,
                naive_cpu_s=naive_cpu,
                naive_loop_s=naive["loop_s"],
                naive_loop_cpu_s=naive.get("loop_cpu_s"),
                naive_rss_mb=naive_rss,
            )
            print(f"  naive {naive_wall:.1f} s（循环 {naive['loop_s']:.1f} s）", flush=True)
        failed = False
    finally:
        if keep or failed:  # a failed child's log is the only clue: keep it
            print(f"  输出保留在 {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def profile(rows: int, seed: int, top: int) -> None:
    import pstats

    targets, actuals, _projects = portfolio(rows, seed, CACHE)
    stats = CACHE / f"cli-profile-r{rows}.pstats"
    work = Path(tempfile.mkdtemp(prefix=f"profile-{rows}-"))
    try:
        result, wall, rss = _child("profile", work, targets, actuals, work / "out", stats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ncProfile of `evaluator score --no-reports` at {rows:,} rows: {result['wall_s']:.1f} s under the")
    print(f"profiler ({wall:.1f} s child wall, {rss:.0f} MB); garbage collector {result['gc_s']:.1f} s in")
    print(f"{result['gc_full_passes']} full passes. Profile: {stats}")
    for key in ("cumulative", "tottime"):
        print(f"\n--- top {top} by {key} ---")
        pstats.Stats(str(stats)).sort_stats(key).print_stats(top)


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_table(results: list[dict[str, Any]]) -> None:
    headers = (
        "rows",
        "projects",
        "CLI wall s",
        "CLI peak RSS MB",
        "rows/s",
        "calamine read s",
        "CLI/read",
        "evaluate() s",
        "naive s (loop s)",
        "naive loop/evaluate",
    )
    lines = []
    for r in results:
        naive_loop = r.get("naive_loop_s")
        lines.append(
            (
                f"{r['rows']:,}",
                f"{r['projects']:,}",
                f"{r['cli_s']:.1f}",
                f"{r['cli_rss_mb']:.0f}",
                f"{r['rows'] / r['cli_s']:,.0f}",
                f"{r['read_s']:.2f}",
                f"{r['cli_s'] / r['read_s']:.1f}×",
                f"{r['evaluate_s']:.2f}",
                "—" if naive_loop is None else f"{r['naive_s']:.1f} ({naive_loop:.1f})",
                "—" if naive_loop is None else f"{naive_loop / r['evaluate_s']:.2f}×",
            )
        )
    goals = (
        "",
        "",
        "",
        f"≤ {GOAL_RSS_MB} at 1M",
        "linear",
        "",
        f"≤ {GOAL_CLI_OVER_READ}×",
        "",
        "",
        f"≥ {GOAL_NAIVE_OVER_EVALUATE:g}×",
    )
    widths = [max(len(h), *(len(line[i]) for line in [*lines, goals])) for i, h in enumerate(headers)]
    print()
    print(" | ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))
    print(" | ".join(("goal" if i == 0 else g).rjust(w) for i, (g, w) in enumerate(zip(goals, widths, strict=True))))
    print("\nevaluate child, stage by stage (s):")
    for r in results:
        print(
            f"  {r['rows']:>9,}: read targets {r['read_targets_s']:.2f}, read actuals {r['read_actuals_s']:.2f}, "
            f"evaluate {r['evaluate_s']:.2f}; gc {r['gc_s']:.2f} ({r['gc_full_passes']} full passes, "
            f"{r['gc_evaluate_s']:.2f} inside evaluate); peak RSS {r['evaluate_rss_mb']:.0f} MB; "
            f"rows in {r['rows_in']:,}, scored {r['rows_scored']:,}, unmatched {r['unmatched']}, "
            f"repairs {r['repair_kinds']}"
        )
    print("\nCPU seconds (user + system; comparable when the machine is shared, wall time is not):")
    for r in results:
        naive = ""
        if r.get("naive_loop_cpu_s") is not None:
            ratio = r["naive_loop_cpu_s"] / r["evaluate_cpu_s"]
            naive = f"; naive child {r['naive_cpu_s']:.1f}, its loop {r['naive_loop_cpu_s']:.2f}"
            naive += f", loop/evaluate {ratio:.2f}×"
        print(
            f"  {r['rows']:>9,}: CLI {r['cli_cpu_s']:.1f}, calamine read {r['read_cpu_s']:.2f}, "
            f"CLI/read {r['cli_cpu_s'] / r['read_cpu_s']:.1f}×; evaluate() {r['evaluate_cpu_s']:.2f}{naive}"
        )
        if r.get("evaluate_warm_cpu_s") is not None:
            warm = f"             evaluate() again, parsers' caches warm: {r['evaluate_warm_cpu_s']:.2f}"
            if r.get("evaluate_scalar_warm_cpu_s") is not None:
                warm += f" (columnar core), {r['evaluate_scalar_warm_cpu_s']:.2f} (scalar core)"
            if r.get("naive_loop_cpu_s") is not None:
                warm += f"; naive loop / warm evaluate {r['naive_loop_cpu_s'] / r['evaluate_warm_cpu_s']:.2f}×"
            print(warm)
    print("\nThe engine's readers (api.load_inputs, as the CLI runs them) beside the plain calamine read:")
    for r in results:
        print(
            f"  {r['rows']:>9,}: targets {r['readers_targets_cpu_s']:.2f} + actuals {r['readers_actuals_cpu_s']:.2f}"
            f" = {r['readers_cpu_s']:.2f} CPU s ({r['readers_s']:.2f} wall), "
            f"{r['readers_cpu_s'] / r['read_cpu_s']:.2f}× the calamine read's {r['read_cpu_s']:.2f} CPU s; "
            f"peak RSS {r['readers_rss_mb']:.0f} MB (records of {r['readers_indicators']:,} indicators and "
            f"{r['readers_actual_rows']:,} actual rows held)"
        )
    for r in results:
        if r["cli_problems"] or r["unmatched"] or r["rows_in"] != r["rows"]:
            print(f"  注意 {r['rows']:,} 行：{r['cli_problems'] or ''} 未匹配 {r['unmatched']}，读入 {r['rows_in']}")
    print(
        "\nCLI wall includes interpreter start and imports; calamine read s is the read alone "
        "(pandas.read_excel of every sheet of both files). naive loop excludes its read."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="indicator rows (repeatable; default 10000, 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--profile", action="store_true", help="also cProfile the CLI at the largest --rows")
    parser.add_argument("--top", type=int, default=30, help="functions shown per profile listing")
    parser.add_argument("--keep", action="store_true", help="keep the CLI and naive outputs (prints where)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.paths, args.result)
        return
    sizes = args.rows or [10_000, 100_000]
    results = [bench(rows, args.seed, args.skip_naive, args.keep) for rows in sizes]
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.profile:
        profile(max(sizes), args.seed, args.top)


if __name__ == "__main__":
    main()
