"""Resident memory after each stage of `score --no-reports`, whole against part by part (issue 15).

Each mode runs in a fresh child process on a generated portfolio (cached, see portfolio_gen):

- whole: `api.load_inputs`, `pipeline.evaluate`, `reports.tables.scores_frame`, then the CSVs;
- parts: `api.load_inputs`, then `cli.score.write_in_parts` over `pipeline.evaluate_in_parts`
  (what `evaluator score --no-reports` runs), with RSS sampled after every part.

Each stage prints VmRSS at its end and the peak (VmHWM) during it; the peak is reset between
stages through /proc/self/clear_refs (Linux), so each figure is that stage's own. Figures only.

    python3 benchmarks/bench_memory_parts.py --rows 100000
    python3 benchmarks/bench_memory_parts.py --rows 1000000 --mode parts --part-rows 20000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _status() -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak then runs from the start
        pass


def _child(targets: Path, actuals: Path, mode: str, part_rows: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from rich.console import Console

    from evaluator.api import load_inputs
    from evaluator.cli import score as cmd_score
    from evaluator.common.collector import collector_paused
    from evaluator.config.profiles import load_profile
    from evaluator.pipeline import evaluate, evaluate_in_parts
    from evaluator.reports.tables import projects_frame, scores_frame, write_table

    stages: list[dict[str, float | str]] = []
    clock = [time.process_time()]

    def mark(name: str) -> None:
        rss, peak = _status()
        now = time.process_time()
        stages.append({"stage": name, "rss_mb": round(rss), "peak_mb": round(peak), "cpu_s": round(now - clock[0], 2)})
        clock[0] = now
        _reset_peak()

    _reset_peak()
    mark("imports")
    profile = load_profile(None)
    with collector_paused(freeze=True):
        decl, acts = load_inputs(targets, actuals)
    mark("read both workbooks")
    out = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    if mode == "whole":
        with collector_paused(freeze=True):
            run = evaluate(decl, acts, profile)
        mark("evaluate()")
        scores = scores_frame(run)
        mark("scores_frame")
        write_table(scores, out, "scores")
        write_table(projects_frame(run), out, "projects")
        mark("CSVs written")
    else:
        parts = evaluate_in_parts(decl, acts, profile, part_rows=part_rows)
        del decl, acts  # the generator holds the inputs now, as in the command line
        samples: list[float] = []
        scoring = [0.0]

        def sampled():
            while True:
                started = time.process_time()
                part = next(parts, None)
                scoring[0] += time.process_time() - started
                if part is None:
                    return
                yield part
                del part
                samples.append(_status()[0])

        errors = Console(stderr=True, quiet=True)
        cmd_score.write_in_parts(sampled(), out / "run", "csv", errors)
        mark(f"scored and written in parts ({len(samples)} parts)")
        stages[-1]["rss_after_parts_mb"] = [round(s) for s in samples]  # type: ignore[assignment]
        stages[-1]["scoring_cpu_s"] = round(scoring[0], 2)
    gc.collect()
    print(json.dumps(stages, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=("whole", "parts", "both"), default="both")
    parser.add_argument("--part-rows", type=int, default=20_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]), args.mode, args.part_rows)
        return
    sys.path.insert(0, str(HERE))
    from portfolio_gen import portfolio

    targets, actuals, _projects = portfolio(args.rows, args.seed, HERE / ".cache")
    for mode in ("whole", "parts") if args.mode == "both" else (args.mode,):
        command = [sys.executable, __file__, "--mode", mode, "--part-rows", str(args.part_rows)]
        command += ["--child", str(targets), str(actuals)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=dict(os.environ))
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(done.returncode)
        stages = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{args.rows:,} rows, {mode}" + (f" (parts of {args.part_rows:,} rows)" if mode == "parts" else ""))
        for s in stages:
            figures = f"RSS {s['rss_mb']:>6,} MB   peak during {s['peak_mb']:>6,} MB   {s['cpu_s']:>7} CPU s"
            print(f"  {s['stage']:<42} {figures}")
            if "rss_after_parts_mb" in s:
                print(f"  {'':<42} of which matching and scoring (the parts' generator): {s['scoring_cpu_s']} CPU s")
                print(f"  {'':<42} RSS after each part: {s['rss_after_parts_mb']}")


if __name__ == "__main__":
    main()
