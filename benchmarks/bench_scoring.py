"""Throughput of `score_projects` on a synthetic portfolio — figures only, no asserts.

    python3 benchmarks/bench_scoring.py [--projects 3000] [--rows 15] [--seed 1] [--repeat 3]

The portfolio is built directly as ProjectInput records (as the parse and evaluate stages would
hand them over), with the mix of row kinds seen in real declarations: mostly ≥ counts and
percentages, some ≤ rates, ranges, deadlines and qualitative rows, a few missing actuals.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from evaluator.config.profiles import load_profile
from evaluator.models import (
    ActualRow,
    Assessment,
    BudgetRow,
    Direction,
    Indicator,
    Op,
    Project,
    ProjectInput,
    RowInput,
    Target,
    TargetKind,
    Tier,
)
from evaluator.scoring.core import score_projects

_SLOTS = [
    ("产出指标", "数量指标"),
    ("产出指标", "数量指标"),
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("成本指标", "经济成本指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
]


def _row(rng: random.Random, project: str, index: int) -> RowInput:
    level1, level2 = _SLOTS[index % len(_SLOTS)]
    name = f"指标{index + 1}"
    kind = rng.random()
    missing = rng.random() < 0.03
    if kind < 0.55:
        t = float(rng.choice([4, 10, 100, 500, 3000, 10000]))
        a = None if missing else round(t * rng.uniform(0.5, 1.5))
        target = Target(f"≥{t:g}人次", TargetKind.COMPARISON, op=Op.GE, value=t, unit="人次")
        asm = Assessment(Direction.HIGHER, a is not None, actual_value=a, target_value=t, unit="人次")
        text = "" if a is None else f"{a:g}人次"
    elif kind < 0.7:
        t = float(rng.choice([1, 5, 10]))
        a = round(t * rng.uniform(0, 2.5), 2)
        target = Target(f"≤{t:g}%", TargetKind.COMPARISON, op=Op.LE, value=t, unit="percent")
        asm = Assessment(Direction.LOWER, True, actual_value=a, target_value=t, unit="%")
        text = f"{a:g}%"
    elif kind < 0.8:
        a = round(rng.uniform(70, 100), 1)
        target = Target("80%-95%", TargetKind.RANGE, low=80, high=95, unit="percent")
        asm = Assessment(Direction.RANGE, True, actual_value=a, unit="%")
        text = f"{a:g}%"
    elif kind < 0.85:
        days = rng.choice([0, 0, 0, 10, 45, 120])
        target = Target("2024年6月底前完成", TargetKind.DEADLINE)
        asm = Assessment(Direction.DEADLINE, True, days_late=days)
        text = "2024-07-15"
    else:
        tier = rng.choice([Tier.ACHIEVED, Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED, None])
        target = Target("有效提升", TargetKind.QUALITATIVE, expectation="有效提升")
        asm = Assessment(Direction.QUALITATIVE, tier is not None, tier=tier)
        text = "有效提升" if tier else "情况良好"
    actual = ActualRow(project, level1, level2, name, text, deviation_reason=rng.choice(["", "原因说明"]))
    return RowInput(Indicator(level1, level2, name, target.raw), target, asm, actual)


def portfolio(projects: int, rows: int, seed: int) -> list[ProjectInput]:
    rng = random.Random(seed)
    out = []
    for p in range(projects):
        name = f"项目{p + 1:05d}"
        n = max(1, rows + rng.randint(-3, 3))
        row_inputs = tuple(_row(rng, name, i) for i in range(n))
        adjusted = float(rng.choice([200_000, 1_000_000, 5_000_000]))
        budget = BudgetRow(name, adjusted, adjusted, round(adjusted * rng.uniform(0.6, 1.1)))
        out.append(
            ProjectInput(Project(name=name, indicators=tuple(r.indicator for r in row_inputs)), row_inputs, budget)
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="score_projects 吞吐量（行/秒）")
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=15, help="average rows per project")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", default=None, help="profile name or path (default mof2020)")
    args = parser.parse_args()
    profile = load_profile(args.rules)
    started = time.perf_counter()
    inputs = portfolio(args.projects, args.rows, args.seed)
    built = time.perf_counter() - started
    n_rows = sum(len(p.rows) for p in inputs)
    print(f"portfolio: {len(inputs)} projects, {n_rows} rows (built in {built:.2f} s), profile {profile.name}")
    best = float("inf")
    for run in range(args.repeat):
        t0 = time.perf_counter()
        results = score_projects(inputs, profile)
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed)
        scored = sum(1 for r in results for row in r.rows if row.status == "已评分")
        print(f"run {run + 1}: {elapsed:.3f} s, {n_rows / elapsed:,.0f} rows/s ({scored} scored)")
    print(f"best: {n_rows / best:,.0f} rows/s, {len(inputs) / best:,.0f} projects/s")


if __name__ == "__main__":
    main()
