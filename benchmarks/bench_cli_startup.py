"""Wall time of `evaluator --help` beside a bare `python -c pass`, in the same run — figures only.

    python3 benchmarks/bench_cli_startup.py [--repeat 10]

Each command is started as a fresh process `repeat` times; the minimum and median are printed for
both, and the difference is what the package itself costs at start-up (target: `--help` under
0.3 s on the development machine). A command module that imports pandas, openpyxl or pint at the
top of the CLI shows here as roughly a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _times(command: list[str], repeat: int) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    out: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    runs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "evaluator --help": [sys.executable, "-m", "evaluator", "--help"],
        "evaluator --version": [sys.executable, "-m", "evaluator", "--version"],
    }
    figures = {name: _times(command, args.repeat) for name, command in runs.items()}
    base = statistics.median(figures["python -c pass"])
    print(f"{'command':<22}{'min s':>8}{'median s':>10}{'over python':>13}   ({args.repeat} runs each)")
    for name, times in figures.items():
        median = statistics.median(times)
        print(f"{name:<22}{min(times):>8.3f}{median:>10.3f}{median - base:>13.3f}")


if __name__ == "__main__":
    main()
