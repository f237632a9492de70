"""The layout reader over the corpus of real published tables (tests/corpus/<id>/).

Every readable fixture must give every expected row — levels, 三级指标, 年度指标值 and, for a filled
自评表, 实际完成值, 分值 and 得分 — exactly as meta.toml (written by hand) says. Fixtures marked
readable = false must be refused with a Chinese reason. Layouts the reader does not handle yet are
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
KNOWN_GAPS: dict[str, str] = {
    "anhui_2025_jinan_sports_events": "第二张表未分开；一个三级指标名被拆成两格",
    "fujian_2022_anxi_small_water": "每格一行且指标值按村分列（七栏），表头未识别",
    "hunan_2023_xiangtan_dust_trucks": "每格一行、行首另有「|」行的表头未识别",
    "ningxia_2022_yuanzhou_forest": "「经济效益 指标 (选填)」拆成多格，二级指标未识别",
    "se_anhui_2023_xiaoxian_farming": "「……」省略行与合并的效益指标块错位",
    "se_anhui_2023_xiaoxian_yanglou": "合并单元格留下的「(50分)」与分值栏错位",
    "se_hebei_2019_langfang_heating": "表头之外的栏目顺序未识别",
    "se_shandong_2019_licheng_culture": "丢失一级指标名称的空格分列行错位",
    "se_sichuan_2023_daying_justice": "一级指标按原表为「产出指标」，指标体系把经济成本指标归入成本指标",
    "se_yunnan_2019_shidian_agri_entities": "多行表头下年初目标值/实际值与数字名称错位",
    "se_yunnan_2020_lijiang_satellite": "单元格内换行把一行拆成多行",
    "se_yunnan_2022_yongde_nutrition": "两行表头与指标行压在同一行中",
    "se_yunnan_2023_nanhua_mushroom": "缺格的行把得分读到了实际完成值",
    "sichuan_2023_jingyan_town_budget": "表题在表外，第二个项目未分开",
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
            item = [row["level1"], row["level2"], row["level3"], _expected_target(row)]
            if filled:
                item += [row.get("actual"), row.get("weight"), row.get("score")]
            want.append(tuple(item))
        got = []
        for ind in project.indicators:
            item = [ind.level1, ind.level2, ind.level3, ind.target_text]
            if filled:
                item += [ind.published_actual, ind.weight, ind.published_score]
            got.append(tuple(item))
        assert got == want, project.name
