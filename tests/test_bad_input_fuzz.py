"""A table of mutations of the bundled inputs, each held to the same invariants (issue 14).

Whatever is done to the actuals workbook or the declaration text, a run either refuses it with a
Chinese EvaluatorError that names the file, or scores it with every input row scored or listed
(rows in = scored + not scored). An internal error, an English library message or a lost row
fails. Seeded, so a failure names the mutation and reproduces.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.api import score
from evaluator.errors import EvaluatorError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "inputs" / "shanghai_ftu_2024_targets.txt"
ACTUALS = ROOT / "inputs" / "实际完成值_样例.xlsx"
ROWS = 125

HOSTILE_VALUES: tuple[object, ...] = (
    "",
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "=1/0",
    "-5",
    "+1",
    "@SUM(1)",
    '=HYPERLINK("http://example.invalid")',
    "$\\sqrt{$",
    "[31m红",  # the control characters themselves cannot be saved in an xlsx; the text mutations carry them
    "长" * 40_000,
    float("nan"),
    float("inf"),
    -1e308,
    1e308,
    0.985,
    True,
    "2024-13-45",
    "98.5%%",
    "≥≥",
    "１２３",
    "〇",
)
_ENGLISH = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{3,}){2,}")  # three English words in a row: a library's message


def _set(ws, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "f" if value == "=1/0" else "s"


def _mutate_workbook(rng: random.Random, path: Path) -> list[str]:
    wb = load_workbook(ACTUALS)
    actual, budget = wb["实际完成"], wb["预算执行"]
    done: list[str] = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(("cell", "cell", "cell", "budget", "merge", "blank", "hide", "header", "stray", "rename"))
        if kind == "cell":
            row, col, value = rng.randint(2, actual.max_row), rng.randint(1, 11), rng.choice(HOSTILE_VALUES)
            _set(actual, row, col, value)
        elif kind == "budget":
            row, col, value = rng.randint(2, budget.max_row), rng.randint(1, 5), rng.choice(HOSTILE_VALUES)
            _set(budget, row, col, value)
        elif kind == "merge":
            row, col = rng.randint(2, actual.max_row - 3), rng.randint(1, 11)
            actual.merge_cells(start_row=row, start_column=col, end_row=row + rng.randint(1, 3), end_column=col)
        elif kind == "blank":
            actual.insert_rows(rng.randint(2, actual.max_row), rng.randint(1, 3))
        elif kind == "hide":
            wb.copy_worksheet(actual).title = "实际完成 (2)"
            actual.sheet_state = "hidden"
        elif kind == "header":
            _set(actual, 1, rng.randint(1, 11), rng.choice(HOSTILE_VALUES))
        elif kind == "stray":
            actual.cell(row=rng.randint(10_000, 1_048_576), column=rng.randint(1, 16), value="x")
        elif kind == "rename":
            budget.title = rng.choice(("预算执行 ", "预算", "Sheet2"))
        done.append(kind)
    wb.save(path)
    if rng.random() < 0.15:
        data = path.read_bytes()
        cut = rng.randint(0, len(data))
        path.write_bytes(data[:cut])
        done.append(f"cut@{cut}")
    elif rng.random() < 0.15:
        _damage_sheet(rng, path)
        done.append("sheet-xml")
    return done


def _damage_sheet(rng: random.Random, path: Path) -> None:
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    at = rng.randint(0, len(xml) - 1)
    parts["xl/worksheets/sheet1.xml"] = xml[:at] + bytes([rng.randint(0, 255)]) + xml[at + 1 :]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def _mutate_text(rng: random.Random, path: Path) -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    done: list[str] = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("drop", "repeat", "control", "money", "cut"))
        k = rng.randrange(len(lines))
        if kind == "drop":
            del lines[k]
        elif kind == "repeat":
            lines.insert(k, lines[k])
        elif kind == "control":
            lines[k] = lines[k].replace("\t", "\t\x1b", 1)
        elif kind == "money":
            lines[k] = lines[k].replace("0.00", "-0.50", 1)
        elif kind == "cut":
            lines = lines[: max(k, 10)]
        done.append(kind)
    path.write_text("\n".join(lines), encoding="utf-8")
    return done


def _check(targets: Path, actuals: Path, what: list[str]) -> None:
    try:
        run = score(targets, actuals).run
    except EvaluatorError as err:
        message = str(err)
        assert re.search(r"[\u4e00-\u9fff]", message), (what, message)
        assert not _ENGLISH.search(message.replace(str(targets), "").replace(str(actuals), "")), (what, message)
        assert targets.name in message or actuals.name in message or "评分规则" in message, (what, message)
        return
    assert run.rows_in == run.rows_scored + run.rows_not_scored, what
    kept = sum(len(p.rows) for p in run.projects)
    assert kept == run.rows_in, what


SLOW_SEEDS = frozenset({19})  # seed 19's mutation takes ~11 s to read; it runs in the full suite, not the fast lane


@pytest.mark.parametrize("seed", [pytest.param(s, marks=pytest.mark.slow) if s in SLOW_SEEDS else s for s in range(24)])
def test_mutated_actuals_workbook(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "实际完成值.xlsx"
    what = _mutate_workbook(rng, path)
    _check(SEED, path, what)


@pytest.mark.parametrize("seed", range(12))
def test_mutated_declaration_text(tmp_path: Path, seed: int) -> None:
    rng = random.Random(1000 + seed)
    path = tmp_path / "申报表.txt"
    what = _mutate_text(rng, path)
    _check(path, ACTUALS, what)
