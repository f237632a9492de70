"""Checks the corpus fixtures themselves, not any reader.

Each folder under tests/corpus/ holds a real published table (source.txt, as the page gave it) and
the rows a person read from it (meta.toml). The reader tests compare the engine with meta.toml, so a
slip in transcribing meta.toml would be a wrong expectation; these checks catch the slips that can be
caught mechanically: missing keys, wrong types, and names or values that do not occur in the text.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
FIXTURES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

ID_PATTERN = re.compile(r"^(se_)?[a-z]+_(19|20)\d\d_[a-z0-9_]+$")
LAYOUTS = {"pipe", "markdown", "tabs", "spaces", "one_cell_per_line", "glued"}
KINDS = {"declaration", "self_evaluation"}
MONEY_UNITS = {"元", "万元"}
# 一级指标: the four of 财预〔2020〕10号 / 财预〔2021〕101号, and the blocks of the 2019/2020
# evaluation framework (决策 / 过程 / 产出 / 效益), which some published 自评表 still use.
LEVEL1 = {"成本指标", "产出指标", "效益指标", "满意度指标"} | {
    prefix + block for prefix in ("", "项目") for block in ("决策", "过程", "管理", "产出", "效益")
}
PROVINCES = set(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 新疆生产建设兵团".split()
)
GOAL_MAX = 200

TOP_KEYS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "title": str,
    "url": str,
    "publisher": str,
    "province": str,
    "year": int,
    "kind": str,
    "layout": str,
    "readable": bool,
    "unreadable_reason": str,
    "notes": str,
    "projects": list,
}
PROJECT_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "department": str,
    "unit": str,
    "money_unit": str,
}
PROJECT_NUMBERS = (
    "budget_total",
    "budget_executed",
    "budget_weight",
    "budget_score",
    "total_weight",
    "total_score",
)
PROJECT_OPTIONAL_TEXT = ("grade", "goal")
ROW_KEYS: dict[str, type | tuple[type, ...]] = {"level1": str, "level2": str, "level3": str, "target": str}
ROW_OPTIONAL_TEXT = (
    "level1_written",
    "level2_written",
    "target_op",
    "target_value",
    "target_unit",
    "actual",
    "reason",
    "place",  # a table with a target column per place (village, town): the column the row's target is from
)
ROW_NUMBERS = ("weight", "score")
# levels_lost: the table lost this row's 一级 and 二级 cells (a merged cell not exported), both left empty;
# level1_inferred: only the 一级 cell is missing and level1 follows from the second level (时效指标 → 产出指标).
ROW_FLAGS = ("levels_lost", "level1_inferred")
TARGET_OPS = {"≥", "≤", "=", ">", "<", "＞", "＜", ">=", "<=", "定性", "正向", "反向"}


def _squash(text: str) -> str:
    """Whitespace removed: a cell broken over lines or padded with spaces still counts as present."""
    return re.sub(r"\s+", "", text)


def _load(folder: Path) -> tuple[dict[str, Any], str]:
    meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8"))
    source = (folder / "source.txt").read_text(encoding="utf-8")
    return meta, source


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_types(where: str, table: dict[str, Any], keys: dict[str, type | tuple[type, ...]]) -> list[str]:
    problems = []
    for key, kind in keys.items():
        if key not in table:
            problems.append(f"{where}: 缺少键 {key}")
        elif not isinstance(table[key], kind) or (kind is int and isinstance(table[key], bool)):
            problems.append(f"{where}: 键 {key} 的类型应为 {kind}，实为 {type(table[key]).__name__}")
    return problems


def test_corpus_has_fixtures() -> None:
    assert FIXTURES, f"{CORPUS} 下没有夹具"


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_fixture_files_present(folder: Path) -> None:
    for name in ("source.txt", "meta.toml"):
        path = folder / name
        assert path.is_file(), f"{folder.name}: 缺少 {name}"
        assert path.read_text(encoding="utf-8").strip(), f"{folder.name}: {name} 是空的"


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_fixture_header(folder: Path) -> None:
    meta, _ = _load(folder)
    problems = _check_types(folder.name, meta, TOP_KEYS)
    assert not problems, "\n".join(problems)
    assert meta["id"] == folder.name, f"{folder.name}: id = {meta['id']!r} 与目录名不符"
    assert ID_PATTERN.match(meta["id"]), f"{folder.name}: id 应为 <省拼音>_<年份>_<简称>（小写 ascii）"
    assert meta["url"].startswith(("http://", "https://")), f"{folder.name}: url 应为网址"
    assert meta["title"].strip() and meta["publisher"].strip(), f"{folder.name}: title/publisher 为空"
    assert meta["province"] in PROVINCES, f"{folder.name}: province = {meta['province']!r} 不是省级行政区名"
    assert 2010 <= meta["year"] <= 2030, f"{folder.name}: year = {meta['year']} 不合理"
    assert meta["kind"] in KINDS, f"{folder.name}: kind = {meta['kind']!r}"
    if meta["kind"] == "declaration":
        assert not meta["id"].startswith("se_"), f"{folder.name}: se_ 前缀留给自评表夹具"
    layout = meta["layout"]
    assert layout in LAYOUTS or re.fullmatch(r"other:[a-z_]+", layout), f"{folder.name}: layout = {layout!r}"
    if meta["readable"]:
        assert meta["unreadable_reason"] == "", f"{folder.name}: 可读的表不应写 unreadable_reason"
    else:
        assert meta["unreadable_reason"].strip(), f"{folder.name}: 不可读的表须写明原因 unreadable_reason"
    assert meta["projects"], f"{folder.name}: projects 为空"


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_fixture_projects(folder: Path) -> None:
    meta, source = _load(folder)
    squashed = _squash(source)
    problems: list[str] = []
    for index, project in enumerate(meta["projects"], start=1):
        where = f"{folder.name} 项目{index}"
        problems += _check_types(where, project, PROJECT_KEYS)
        money_unit = project.get("money_unit")
        has_money = any(key in project for key in ("budget_total", "budget_executed"))
        if money_unit not in MONEY_UNITS and not (money_unit == "" and not has_money):
            problems.append(f"{where}: money_unit = {money_unit!r} 应为 元 或 万元（表中无金额时可留空）")
        if isinstance(project.get("name"), str) and _squash(project["name"]) not in squashed:
            problems.append(f"{where}: 项目名称 {project['name']!r} 在 source.txt 中找不到")
        for key in PROJECT_NUMBERS:
            if key in project and not _is_number(project[key]):
                problems.append(f"{where}: {key} 应为数字，实为 {project[key]!r}")
        for key in PROJECT_OPTIONAL_TEXT:
            if key in project and not isinstance(project[key], str):
                problems.append(f"{where}: {key} 应为文字")
        goal = project.get("goal", "")
        if isinstance(goal, str) and len(goal) > GOAL_MAX:
            problems.append(f"{where}: goal 超过 {GOAL_MAX} 字，应截取前 {GOAL_MAX} 字")
        if isinstance(goal, str) and goal and _squash(goal) not in squashed:
            problems.append(f"{where}: goal 在 source.txt 中找不到")
        rows = project.get("rows", [])
        if not isinstance(rows, list):
            problems.append(f"{where}: rows 应为表数组")
            continue
        if meta["readable"] is False and rows:
            problems.append(f"{where}: 不可读的表不应列出指标行")
    if meta["readable"]:
        assert any(p.get("rows") for p in meta["projects"]), f"{folder.name}: 可读的表至少要有一行指标"
    assert not problems, "\n".join(problems)


def _check_row(where: str, row: dict[str, Any], squashed: str, kind: str) -> list[str]:
    problems = _check_types(where, row, ROW_KEYS)
    if problems:
        return problems
    for key in ROW_FLAGS:
        if key in row and not isinstance(row[key], bool):
            problems.append(f"{where}: {key} 应为 true/false")
    lost = row.get("levels_lost") is True
    if lost:
        if row["level1"] or row["level2"]:
            problems.append(f"{where}: levels_lost 的行一级、二级指标应留空（原表没有这两格）")
    elif row["level1"] not in LEVEL1:
        problems.append(f"{where}: level1 = {row['level1']!r} 不是规范的一级指标名")
    written1 = row.get("level1_written", row["level1"])
    if not lost and row.get("level1_inferred") is not True and _squash(written1) not in squashed:
        problems.append(f"{where}: 一级指标 {written1!r} 在 source.txt 中找不到（写法不同请给 level1_written）")
    if row["level2"]:
        written2 = row.get("level2_written", row["level2"])
        if _squash(written2) not in squashed:
            problems.append(f"{where}: 二级指标 {written2!r} 在 source.txt 中找不到（写法不同请给 level2_written）")
    if not row["level3"].strip():
        problems.append(f"{where}: level3 为空")
    elif _squash(row["level3"]) not in squashed:
        problems.append(f"{where}: 三级指标 {row['level3']!r} 在 source.txt 中找不到")
    if row["target"]:
        if _squash(row["target"]) not in squashed:
            problems.append(f"{where}: 指标值 {row['target']!r} 在 source.txt 中找不到")
        for key in ("target_op", "target_value", "target_unit"):
            if key in row:
                problems.append(f"{where}: 已有 target 时不应再给 {key}")
    else:
        if "target_op" in row and row["target_op"] and row["target_op"] not in TARGET_OPS:
            problems.append(f"{where}: target_op = {row['target_op']!r}")
        for key in ("target_value", "target_unit"):
            if row.get(key) and _squash(row[key]) not in squashed:
                problems.append(f"{where}: {key} = {row[key]!r} 在 source.txt 中找不到")
    for key in ROW_OPTIONAL_TEXT:
        if key in row and not isinstance(row[key], str):
            problems.append(f"{where}: {key} 应为文字")
    for key in ("actual", "reason", "place"):
        if row.get(key) and _squash(row[key]) not in squashed:
            problems.append(f"{where}: {key} = {row[key]!r} 在 source.txt 中找不到")
    if kind == "declaration" and ("actual" in row or "score" in row):
        problems.append(f"{where}: 申报表不应有实际完成值或得分")
    for key in ROW_NUMBERS:
        if key in row and not _is_number(row[key]):
            problems.append(f"{where}: {key} 应为数字，实为 {row[key]!r}")
    if "sub_row" in row and not isinstance(row["sub_row"], bool):
        problems.append(f"{where}: sub_row 应为 true/false")
    return problems


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_fixture_rows_occur_in_source(folder: Path) -> None:
    meta, source = _load(folder)
    squashed = _squash(source)
    problems: list[str] = []
    for p_index, project in enumerate(meta["projects"], start=1):
        for r_index, row in enumerate(project.get("rows", []), start=1):
            where = f"{folder.name} 项目{p_index} 第{r_index}行"
            problems += _check_row(where, row, squashed, meta["kind"])
    assert not problems, "\n".join(problems)


def test_readme_lists_every_fixture() -> None:
    listed = ""
    for name in ("README.md", "README.se.md"):
        path = CORPUS / name
        if path.is_file():
            listed += path.read_text(encoding="utf-8")
    missing = [p.name for p in FIXTURES if f"`{p.name}`" not in listed]
    assert not missing, f"tests/corpus/README.md（或 README.se.md）未列出：{missing}"


def test_readme_counts_tables_and_provinces() -> None:
    """The count at the top of README.md is the corpus as it stands, not as it was."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    match = re.search(r"共 (\d+) 张表，来自 (\d+) 个省级行政区", text)
    assert match, "tests/corpus/README.md 开头应写明「共 N 张表，来自 M 个省级行政区」"
    provinces = {_load(folder)[0]["province"] for folder in FIXTURES}
    assert (int(match.group(1)), int(match.group(2))) == (len(FIXTURES), len(provinces))


def test_squash_catches_a_slip() -> None:
    """The occurrence check must be able to fail: a mistyped value is not found."""
    source = "数量指标 | 年度开设班级数 | ≥100.00(个)\n"
    assert _squash("≥100.00(个)") in _squash(source)
    assert _squash("≥100(个)") not in _squash(source)
    problems = _check_row(
        "示例",
        {"level1": "产出指标", "level2": "数量指标", "level3": "年度开设班级数", "target": "≥10.00(个)"},
        _squash("产出指标\n" + source),
        "declaration",
    )
    assert problems and "指标值" in problems[0]


def test_lost_levels_must_be_flagged() -> None:
    """An empty 一级指标 passes only on a row that says the table lost it, and then must stay empty."""
    source = _squash("绩效指标 | 贫困地区新增特色产业数量 | ≥1个 | 时效指标 | 开工时限 | 2021年7月")
    row = {"level1": "", "level2": "", "level3": "贫困地区新增特色产业数量", "target": "≥1个"}
    assert _check_row("示例", row, source, "declaration")
    assert not _check_row("示例", {**row, "levels_lost": True}, source, "declaration")
    assert _check_row("示例", {**row, "level2": "数量指标", "levels_lost": True}, source, "declaration")
    inferred = {"level1": "产出指标", "level2": "时效指标", "level3": "开工时限", "target": "2021年7月"}
    assert _check_row("示例", inferred, source, "declaration")
    assert not _check_row("示例", {**inferred, "level1_inferred": True}, source, "declaration")
