"""Throughput of the whole evaluate stage (parse → compare → score) — figures only, no asserts.

    python3 benchmarks/bench_pipeline.py [--copies 250] [--seed 1] [--reports 0]

The portfolio is the twelve seed declarations repeated `--copies` times under distinct project
names, with the bundled sample actuals perturbed at random (numbers ±30%, some rows emptied, some
answers swapped for 基本完成 / 未完成), so the parsers see a realistic mix of distinct strings.
Prints rows/s for evaluate(), the number of distinct strings parsed, and peak memory.
With `--reports N` it also times writing the reports for the first N projects.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evaluator.config.profiles import load_profile  # noqa: E402
from evaluator.grammar.actuals import parse_actual  # noqa: E402
from evaluator.grammar.targets import parse_target  # noqa: E402
from evaluator.ingest.actuals_workbook import read_actuals_workbook  # noqa: E402
from evaluator.ingest.declarations import read_declarations  # noqa: E402
from evaluator.models import Actuals, Declarations  # noqa: E402
from evaluator.pipeline import evaluate  # noqa: E402

_NUMBER = re.compile(r"\d[\d,]*(\.\d+)?")


def _perturb(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return ""
    if roll < 0.06 and not _NUMBER.search(text):
        return rng.choice(["基本完成", "未完成", "部分达成"])
    match = _NUMBER.search(text)
    if not match:
        return text
    value = float(match.group().replace(",", "")) * rng.uniform(0.7, 1.3)
    shown = f"{value:,.1f}" if "%" in text or "." in match.group() else f"{round(value):,}"
    return text[: match.start()] + shown + text[match.end() :]


def portfolio(copies: int, seed: int) -> tuple[Declarations, Actuals]:
    rng = random.Random(seed)
    decl = read_declarations(ROOT / "inputs" / "shanghai_ftu_2024_targets.txt")
    sample = read_actuals_workbook(ROOT / "inputs" / "实际完成值_样例.xlsx")
    projects, rows, budgets = [], [], []
    for k in range(copies):
        names = {p.name: f"{p.name}（{k + 1:05d}）" for p in decl.projects}
        projects += [replace(p, name=names[p.name]) for p in decl.projects]
        rows += [
            replace(r, project=names[r.project], actual_text=_perturb(r.actual_text, rng), actual_value=None)
            for r in sample.rows
        ]
        budgets += [
            replace(b, project=names[b.project], executed=(b.executed or 0) * rng.uniform(0.8, 1.02))
            for b in sample.budgets
        ]
    return Declarations(tuple(projects)), Actuals(tuple(rows), tuple(budgets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=250, help="copies of the 12 seed projects (default 250 → 3,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reports", type=int, default=0, help="also time the reports for the first N projects")
    args = parser.parse_args()

    t0 = time.perf_counter()
    decl, actuals = portfolio(args.copies, args.seed)
    build = time.perf_counter() - t0
    profile = load_profile(None)
    rows = sum(len(p.indicators) for p in decl.projects)
    t0 = time.perf_counter()
    run = evaluate(decl, actuals, profile)
    took = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"projects            {len(decl.projects):>12,}")
    print(f"indicator rows      {rows:>12,}")
    print(f"build portfolio     {build:>12.2f} s")
    print(f"evaluate()          {took:>12.2f} s   {rows / took:,.0f} rows/s")
    print(f"scored / not scored {run.rows_scored:>6,} / {run.rows_not_scored:,}")
    print(f"distinct targets    {parse_target.cache_info().currsize:>12,}")
    print(f"distinct actuals    {parse_actual.cache_info().currsize:>12,}")
    print(f"peak RSS            {peak_mb:>12,.0f} MB")
    if args.reports:
        from evaluator.reports.bundle import write_all_reports

        subset = replace(run, projects=run.projects[: args.reports])
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            write_all_reports(subset, Path(out))
            took = time.perf_counter() - t0
        print(f"reports             {took:>12.2f} s   {took / args.reports:.2f} s/project")


if __name__ == "__main__":
    main()
