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
from pathlib import Path
from typing import Any

import pytest

from evaluator.errors import EvaluatorError
from evaluator.ingest.formats.text import read_text_grids
from evaluator.ingest.layout import read_forms

CORPUS = Path(__file__).resolve().parent / "corpus"
FIXTURES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NO_TARGET_OPS = ("定性", "正向", "反向")

# Layouts not read right yet, with what goes wrong (kept short; see the fixture's notes).
KNOWN_GAPS: dict[str, str] = {}

# Header fields (项目名称, 主管部门, 实施单位) not read right yet, with what goes wrong.
KNOWN_FIELD_GAPS: dict[str, str] = {
    "chongqing_2023_fengjie_dryingyard": "空格分隔的表头块：项目名称、主管部门未读到，实施单位读成另一格",
    "guangdong_2018_lechang_secondary_aid": "主管部门一栏有两行（中央、省），读到的是省级一行",
    "hunan_2018_nanyue_tourism": "项目名称未读到",
    "se_anhui_2023_xiaoxian_yanglou": "项目名称未读到",
    "se_yunnan_2020_lijiang_satellite": "项目名称只写在表题里，未读到",
    "sichuan_2021_zhaohua_family_aid": "项目名称、主管部门未读到",
    "jiangxi_2026_fuliang_forestry_department": "部门整体目标表没有项目名称，只有部门名称（期望的 name 取部门名称）",
}

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


def _field_params() -> list[Any]:
    out = []
    for folder in FIXTURES:
        if not _meta(folder)["readable"] or folder.name in EXPECTED_REFUSALS:
            continue
        reason = KNOWN_FIELD_GAPS.get(folder.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(folder, id=folder.name, marks=marks))
    return out


@pytest.mark.parametrize("folder", _field_params())
def test_corpus_header_fields_read_as_transcribed(folder: Path) -> None:
    """项目名称, 主管部门 and 实施单位 (meta `unit`) of every project with indicator rows."""
    meta = _meta(folder)
    decl = read_forms(read_text_grids(folder / "source.txt"))
    expected = [(p["name"], p["department"], p["unit"]) for p in meta["projects"] if p.get("rows")]
    got = [(p.name, p.department, p.implementer) for p in decl.projects if p.indicators]
    assert got == expected
