"""The layout reader over the corpus of real published tables (tests/corpus/<id>/).

Every readable fixture must give every expected row — levels, 三级指标, 年度指标值 and, for a filled
自评表, 实际完成值, 分值, 得分 and 偏差原因 — exactly as meta.toml (written by hand) says. Fixtures marked
readable = false must be refused with a Chinese reason, and so must those in EXPECTED_REFUSALS (legible
to a person, but the text lost what tells the rows apart). Layouts the reader does not handle yet are
listed in KNOWN_GAPS with what is missing; they are strict xfails, so one that starts passing fails
the run until it is taken off the list.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaluator.errors import EvaluatorError
from evaluator.ingest.formats.text import read_text_grids
from evaluator.ingest.layout import read_forms
from evaluator.models import Project

CORPUS = Path(__file__).resolve().parent / "corpus"
FIXTURES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NO_TARGET_OPS = ("定性", "正向", "反向")

# Layouts not read right yet, with what goes wrong (kept short; see the fixture's notes).
KNOWN_GAPS: dict[str, str] = {}

# Header fields (项目名称, 主管部门, 实施单位) not read right yet, with what goes wrong.
KNOWN_FIELD_GAPS: dict[str, str] = {}

# Fixtures a person can read (meta.toml transcribes them) but whose text lost what tells rows
# apart: the reader must refuse them, with this reason and the line where reading stopped.
EXPECTED_REFUSALS: dict[str, tuple[str, str]] = {
    "se_yunnan_2022_yongde_nutrition": ("表头与指标行挤在同一行", "第15行"),
}


def _meta(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8"))


def _expected_target(row: dict[str, Any]) -> str:
    if row.get("target"):
        return row["target"]
    op = row.get("target_op", "")
    return ("" if op in _NO_TARGET_OPS else op) + row.get("target_value", "") + row.get("target_unit", "")


def _params() -> list[Any]:
    out = []
    for folder in FIXTURES:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[folder.name])] if folder.name in KNOWN_GAPS else []
        out.append(pytest.param(folder, id=folder.name, marks=marks))
    return out


@pytest.mark.parametrize("folder", _params())
def test_corpus_fixture_reads_as_transcribed(folder: Path) -> None:
    meta = _meta(folder)
    grids = read_text_grids(folder / "source.txt")
    if folder.name in EXPECTED_REFUSALS:
        reason, line = EXPECTED_REFUSALS[folder.name]
        with pytest.raises(EvaluatorError) as refused:
            read_forms(grids)
        assert reason in str(refused.value) and line in str(refused.value), str(refused.value)
        return
    if not meta["readable"]:
        with pytest.raises(EvaluatorError) as info:
            read_forms(grids)
        assert _CJK.search(str(info.value)), str(info.value)
        return
    decl = read_forms(grids)
    expected_projects = [p for p in meta["projects"] if p.get("rows")]
    got_projects = [p for p in decl.projects if p.indicators]
    assert len(got_projects) == len(expected_projects), [p.name for p in got_projects]
    filled = meta["kind"] == "self_evaluation"
    for expected, project in zip(expected_projects, got_projects, strict=True):
        want = []
        for row in expected["rows"]:
            level3 = f"{row['level3']}（{row['place']}）" if row.get("place") else row["level3"]  # a target per place
            item = [row["level1"], row["level2"], level3, _expected_target(row), row.get("sub_row", False)]
            if filled:
                item += [row.get("actual"), row.get("weight"), row.get("score"), row.get("reason", "")]
            want.append(tuple(item))
        got = []
        for ind in project.indicators:
            item = [ind.level1, ind.level2, ind.level3, ind.target_text, ind.sub_row]
            if filled:
                item += [ind.published_actual, ind.weight, ind.published_score, ind.deviation_reason]
            got.append(tuple(item))
        assert got == want, project.name


def _read_params(gaps: dict[str, str], keep: Callable[[dict[str, Any]], bool] = lambda meta: True) -> list[Any]:
    """The fixtures the reader reads (not refused) that `keep` selects, each in `gaps` a strict xfail."""
    out = []
    for folder in FIXTURES:
        meta = _meta(folder)
        if not meta["readable"] or folder.name in EXPECTED_REFUSALS or not keep(meta):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=gaps[folder.name])] if folder.name in gaps else []
        out.append(pytest.param(folder, id=folder.name, marks=marks))
    return out


@pytest.mark.parametrize("folder", _read_params(KNOWN_FIELD_GAPS))
def test_corpus_header_fields_read_as_transcribed(folder: Path) -> None:
    """项目名称, 主管部门 and 实施单位 (meta `unit`) of every project with indicator rows."""
    meta = _meta(folder)
    decl = read_forms(read_text_grids(folder / "source.txt"))
    expected = [(p["name"], p["department"], p["unit"]) for p in meta["projects"] if p.get("rows")]
    got = [(p.name, p.department, p.implementer) for p in decl.projects if p.indicators]
    assert got == expected


# 年度目标 and 年度资金总额 (meta `goal`, `budget_total`) not read right yet, with what goes wrong.
KNOWN_GOAL_GAPS: dict[str, str] = {}
KNOWN_TOTAL_GAPS: dict[str, str] = {
    "shaanxi_2021_qingjian_roads": "表中没写金额单位（通知正文写万元，夹具按万元），读表按元并提示核对",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pairs(folder: Path) -> list[tuple[dict[str, Any], Project]]:
    """Each project the fixture lists with rows, beside the project the reader gives with rows."""
    decl = read_forms(read_text_grids(folder / "source.txt"))
    expected = [p for p in _meta(folder)["projects"] if p.get("rows")]
    return list(zip(expected, [p for p in decl.projects if p.indicators], strict=True))


def _gives(key: str) -> Callable[[dict[str, Any]], bool]:
    """Fixtures where a project with rows gives `key`."""
    return lambda meta: any(p.get(key) not in (None, "") for p in meta["projects"] if p.get("rows"))


@pytest.mark.parametrize("folder", _read_params(KNOWN_GOAL_GAPS, _gives("goal")))
def test_corpus_annual_goal_read_as_transcribed(folder: Path) -> None:
    """年度目标: the reader's text starts with the meta's (which may be cut at 200 characters)."""
    for want, project in _pairs(folder):
        if want.get("goal"):
            assert _squash(project.annual_goal).startswith(_squash(want["goal"])), project.annual_goal


@pytest.mark.parametrize("folder", _read_params(KNOWN_TOTAL_GAPS, _gives("budget_total")))
def test_corpus_total_funds_read_as_transcribed(folder: Path) -> None:
    """年度资金总额 in 元: the meta's budget_total in its money_unit."""
    for want, project in _pairs(folder):
        if want.get("budget_total") is not None:
            factor = 10000 if want["money_unit"] == "万元" else 1
            assert project.total_funds == pytest.approx(want["budget_total"] * factor), project.name


# The published budget block and totals of a filled 自评表 (meta budget_executed, budget_weight,
# budget_score, total_weight, total_score, grade) not read right yet, with what goes wrong.
KNOWN_PUBLISHED_GAPS: dict[str, str] = {}

_PUBLISHED_KEYS = (
    ("budget_executed", "executed"),
    ("budget_weight", "budget_weight"),
    ("budget_score", "budget_score"),
    ("total_weight", "total_weight"),
    ("total_score", "total_score"),
    ("grade", "grade"),
)


@pytest.mark.parametrize("folder", _read_params(KNOWN_PUBLISHED_GAPS, lambda meta: meta["kind"] == "self_evaluation"))
def test_corpus_published_budget_and_totals_read_as_transcribed(folder: Path) -> None:
    """Each value the fixture gives of the budget block and totals; amounts in 元."""
    for want, project in _pairs(folder):
        assert project.published is not None, project.name
        factor = 10000 if want["money_unit"] == "万元" else 1
        for key, attribute in _PUBLISHED_KEYS:
            if key not in want:
                continue
            value = getattr(project.published, attribute)
            expected_value = want[key] * factor if key == "budget_executed" else want[key]
            assert value == (expected_value if key == "grade" else pytest.approx(expected_value)), (key, value)


# Fixtures whose year is not in the table itself (the fixture took it from the page around it):
# the reader must give no year for them, with where the fixture's year came from.
YEAR_NOT_IN_TABLE: dict[str, str] = {
    "jiangxi_2026_fuliang_forestry_department": "年度取自页面目录中的另一张表名",
    "se_sichuan_2023_daying_justice": "第一张表的表题不在存储页内，年度写在第二张表的表题里",
    "se_yunnan_2023_nanhua_mushroom": "存储页没有表题和年度，夹具的年度是推断值",
}
# Years not read right yet, with what goes wrong.
KNOWN_YEAR_GAPS: dict[str, str] = {}


@pytest.mark.parametrize("folder", _read_params(KNOWN_YEAR_GAPS))
def test_corpus_year_read_from_the_table(folder: Path) -> None:
    """The year of every project with rows: from the heading or header, else from the project name."""
    meta = _meta(folder)
    decl = read_forms(read_text_grids(folder / "source.txt"))
    want = None if folder.name in YEAR_NOT_IN_TABLE else meta["year"]
    assert [p.year for p in decl.projects if p.indicators] == [want] * sum(1 for p in meta["projects"] if p.get("rows"))
