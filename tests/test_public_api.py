"""The public API in `evaluator/__init__.py`: pinned names, loaded lazily, and a CLI whose help loads nothing heavy.

`evaluator --help` used to take 1.2 s because every command module (pandas, openpyxl, pint) was
imported to build the parser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import evaluator

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("pandas", "numpy", "openpyxl", "pint", "matplotlib", "docx", "jinja2", "pydantic", "rich")
PUBLIC = [
    "EvaluatorError",
    "__version__",
    "describe_target",
    "evaluate",
    "load_profile",
    "parse_actual",
    "parse_target",
    "read_actuals_workbook",
    "read_declarations",
    "score",
    "write_actuals_template",
    "write_all_reports",
    "write_targets_workbook",
]


def _loaded_after(code: str) -> list[str]:
    """Run `code` in a fresh interpreter and list the heavy packages it left in sys.modules."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_all_is_pinned() -> None:
    assert sorted(evaluator.__all__) == PUBLIC


def test_names_are_the_stages_own() -> None:
    from evaluator.api import score
    from evaluator.errors import EvaluatorError
    from evaluator.grammar.targets import parse_target
    from evaluator.ingest.actuals_template import write_actuals_template
    from evaluator.reports import write_all_reports

    assert evaluator.score is score and evaluator.parse_target is parse_target
    assert evaluator.EvaluatorError is EvaluatorError and evaluator.write_all_reports is write_all_reports
    assert evaluator.write_actuals_template is write_actuals_template
    assert all(callable(getattr(evaluator, name)) for name in PUBLIC if name != "__version__")
    assert evaluator.describe_target(evaluator.parse_target("≥3000人次")).startswith("不低于")
    assert set(PUBLIC) <= set(dir(evaluator))


def test_import_evaluator_loads_nothing_heavy() -> None:
    assert _loaded_after("import evaluator") == []
    assert _loaded_after("import evaluator; evaluator.__version__; evaluator.EvaluatorError") == []


def test_help_loads_no_command_module() -> None:
    code = "from evaluator.cli.app import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _loaded_after(code) == []


def test_help_lists_every_command() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "evaluator", "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0
    assert all(name in done.stdout for name in ("parse", "template", "score", "lint", "audit"))


def test_a_command_loads_only_when_chosen() -> None:
    from evaluator.cli.app import build_parser, chosen_command

    assert chosen_command(["--version"]) is None and chosen_command(["score", "-o", "x"]) == "score"
    args = build_parser("template").parse_args(["template", "t.txt", "--rules", "hubei"])
    assert args._module == "evaluator.cli.template" and args.rules == "hubei"
