"""Shared test fixtures: paths to the bundled sample and a runner for the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
INPUTS = ROOT / "inputs"
SEED = INPUTS / "shanghai_ftu_2024_targets.txt"

if str(SRC) not in sys.path:  # test this tree's code even if another checkout is installed
    sys.path.insert(0, str(SRC))


# End-to-end fixtures: a test using one runs the real CLI in a subprocess or writes every report of
# the sample, so it is marked slow and left out of the fast lane (`pytest -m "not slow"`).
SLOW_FIXTURES = frozenset({"run_cli", "reports_dir"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def run_cli():
    """Run `python -m evaluator ARGS` as a subprocess of this tree's code; returns CompletedProcess."""

    def _run(*args: str | os.PathLike, cwd: Path | None = None, timeout: int = 600):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
        env["PYTHONIOENCODING"] = "utf-8"
        env.setdefault("MPLBACKEND", "Agg")
        return subprocess.run(
            [sys.executable, "-m", "evaluator", *map(str, args)],
            cwd=cwd or ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )

    return _run


@pytest.fixture(scope="session")
def report_run():
    """Seed projects with fabricated year-end facts plus awkward synthetic ones, scored (mof2020)."""
    from report_fixtures import make_run

    return make_run()


@pytest.fixture(scope="session")
def reports_dir(report_run, tmp_path_factory) -> Path:
    """Every report for `report_run`, written once for all report tests."""
    from evaluator.reports.bundle import write_all_reports

    outdir = tmp_path_factory.mktemp("outputs")
    write_all_reports(report_run, outdir)
    return outdir
