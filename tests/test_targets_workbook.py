from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from evaluator.common.files import write_atomically
from evaluator.errors import EvaluatorError
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.targets_workbook import (
    INDICATOR_COLUMNS,
    PROJECT_COLUMNS,
    read_targets_workbook,
    write_targets_workbook,
)
from evaluator.ingest.text_form import read_declarations_text
from evaluator.models import Declarations, Indicator, Project


def _without_sources(projects: tuple[Project, ...]) -> tuple[Project, ...]:
    return tuple(
        replace(p, source=None, indicators=tuple(replace(i, source=None) for i in p.indicators)) for p in projects
    )


@pytest.fixture(scope="module")
def seed_decl() -> Declarations:
    from conftest import SEED

    return read_declarations_text(SEED)


@pytest.fixture
def seed_workbook(tmp_path: Path, seed_decl: Declarations) -> Path:
    path = tmp_path / "targets.xlsx"
    write_targets_workbook(seed_decl, path)
    return path


def test_round_trip_text_to_workbook_to_model_is_lossless(seed_decl: Declarations, seed_workbook: Path) -> None:
    back = read_targets_workbook(seed_workbook)
    assert _without_sources(back.projects) == _without_sources(seed_decl.projects)
    assert back.repairs == ()
    assert sum(len(p.indicators) for p in back.projects) == 125
    # a change anywhere is caught by the comparison
    changed = replace(back.projects[0], other_funds=1.0)
    assert _without_sources((changed,)) != _without_sources(seed_decl.projects[:1])


def test_round_trip_keeps_weights_and_full_width(tmp_path: Path) -> None:
    project = Project(
        name="=甲项目",
        start_date=dt.date(2023, 3, 1),
        total_funds=1234.5,
        indicators=(
            Indicator(
                "产出指标", "数量指标", "培训人次", "≥１００（人次）", weight=12.5, target_normalized="≥100(人次)"
            ),
            Indicator("满意度指标", "服务对象满意度指标", "满意度", "=100(%)", weight=None),
        ),
    )
    decl = Declarations((project,))
    path = tmp_path / "w.xlsx"
    write_targets_workbook(decl, path)
    back = read_targets_workbook(path)
    assert _without_sources(back.projects) == _without_sources(decl.projects)


def test_sources_name_sheet_and_row(seed_workbook: Path) -> None:
    back = read_targets_workbook(seed_workbook)
    assert back.projects[1].source.sheet == "项目" and back.projects[1].source.row == 3
    first = back.projects[0].indicators[0]
    assert first.source.sheet == "绩效指标" and first.source.row == 2 and first.source.file == "targets.xlsx"
    assert back.projects[1].indicators[0].source.row == 2 + len(back.projects[0].indicators)


def test_equals_targets_stay_text_not_formulas(seed_workbook: Path) -> None:
    wb = load_workbook(seed_workbook)
    ws = wb["绩效指标"]
    cells = [row[4] for row in ws.iter_rows(min_row=2) if str(row[4].value).startswith("=")]
    assert cells, "the seed has =100(%) targets"
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in cells)
    assert any(c.value == "=100(%)" for c in cells)
    with zipfile.ZipFile(seed_workbook) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and all("<f>" not in zf.read(n).decode("utf-8") for n in sheets)


def test_money_is_numeric_with_format_and_dates_are_dates(seed_workbook: Path) -> None:
    ws = load_workbook(seed_workbook)["项目"]
    header = [c.value for c in ws[1]]
    assert header[: len(PROJECT_COLUMNS)] == [c[0] for c in PROJECT_COLUMNS]
    money = ws.cell(row=10, column=header.index("年度资金总额") + 1)
    assert money.value == pytest.approx(69263800.0) and money.data_type == "n"
    assert money.number_format == "#,##0.00"
    start = ws.cell(row=2, column=header.index("计划开始日期") + 1)
    assert isinstance(start.value, dt.datetime) and start.value.date() == dt.date(2024, 1, 1)
    assert [c.value for c in load_workbook(seed_workbook)["绩效指标"][1]][:5] == list(INDICATOR_COLUMNS)


def test_read_declarations_dispatches_workbooks(seed_workbook: Path) -> None:
    assert len(read_declarations(seed_workbook).projects) == 12


# ---------------------------------------------------------------------------------------------
# Hand-made workbooks and errors
# ---------------------------------------------------------------------------------------------


def _hand_made(path: Path, projects: list[list[object]], indicators: list[list[object]], **drop: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = drop.get("project_sheet", "项目")
    ws.append([c[0] for c in PROJECT_COLUMNS if c[0] != drop.get("project_column")])
    for row in projects:
        ws.append(row)
    ws2 = wb.create_sheet(drop.get("indicator_sheet", "绩效指标"))
    ws2.append([*list(INDICATOR_COLUMNS), "分值"])
    for row in indicators:
        ws2.append(row)
    wb.save(path)
    return path


PROJECT_ROW = ["甲项目", "某局", "某中心", "其他经常性项目", "特定目标类", "2024-01-01", dt.date(2024, 12, 31)]
MONEY = ["1,000.00", 1000, 0, 0, "完成任务"]


def test_hand_made_workbook_is_read_leniently(tmp_path: Path) -> None:
    path = _hand_made(
        tmp_path / "h.xlsx",
        [PROJECT_ROW + MONEY],
        [
            ["甲项目", "", "社会效益指标", "知晓率", "≥80%", 30],
            ["甲项目", "产出指标", "数量", "培训人次", "=100(%)", None],  # typed without apostrophe → formula
        ],
    )
    decl = read_targets_workbook(path)
    project = decl.projects[0]
    assert project.total_funds == 1000.0 and project.start_date == dt.date(2024, 1, 1)
    assert project.end_date == dt.date(2024, 12, 31)
    first, second = project.indicators
    assert (first.level1, first.level2, first.weight) == ("效益指标", "社会效益指标", 30.0)
    assert (second.level2, second.target_text) == ("数量指标", "=100(%)")
    decisions = " ".join(r.decision for r in decl.repairs)
    assert "效益指标" in decisions and "公式" in decisions


def _error(path: Path) -> str:
    with pytest.raises(EvaluatorError) as err:
        read_targets_workbook(path)
    return str(err.value)


def test_missing_sheet(tmp_path: Path) -> None:
    path = _hand_made(tmp_path / "s.xlsx", [PROJECT_ROW + MONEY], [], indicator_sheet="指标")
    message = _error(path)
    assert "s.xlsx" in message and "缺少工作表「绩效指标」" in message


def test_missing_column(tmp_path: Path) -> None:
    path = _hand_made(tmp_path / "c.xlsx", [], [], project_column="当年财政拨款")
    message = _error(path)
    assert "c.xlsx 工作表「项目」 第1行" in message and "当年财政拨款" in message


def test_money_not_a_number(tmp_path: Path) -> None:
    row = [*PROJECT_ROW, "一千元", 1000, 0, 0, "x"]
    message = _error(_hand_made(tmp_path / "m.xlsx", [row], [["甲项目", "产出指标", "数量指标", "a", "1"]]))
    assert "m.xlsx 工作表「项目」 第2行 「年度资金总额」列" in message and "金额不是数字" in message
    assert "一千元" in message


def test_duplicate_level3_within_a_project(tmp_path: Path) -> None:
    rows = [["甲项目", "产出指标", "数量指标", "培训人次", "1"], ["甲项目", "产出指标", "质量指标", "培训人次", "2"]]
    message = _error(_hand_made(tmp_path / "d.xlsx", [PROJECT_ROW + MONEY], rows))
    assert "d.xlsx 工作表「绩效指标」 第3行" in message and "培训人次" in message and "第2行" in message


def test_indicator_of_unknown_project(tmp_path: Path) -> None:
    rows = [["乙项目", "产出指标", "数量指标", "培训人次", "1"]]
    message = _error(_hand_made(tmp_path / "p.xlsx", [PROJECT_ROW + MONEY], rows))
    assert "p.xlsx 工作表「绩效指标」 第2行" in message and "乙项目" in message and "不在工作表「项目」" in message


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    message = _error(fake)
    assert "fake.xlsx" in message and "不是 .xlsx 工作簿" in message


# ---------------------------------------------------------------------------------------------
# Atomic writing
# ---------------------------------------------------------------------------------------------


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out" / "t.xlsx"

    def half_then_fail(temp: Path) -> None:
        temp.write_bytes(b"PK half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, half_then_fail)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, seed_decl: Declarations, seed_workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seed_workbook.read_bytes()

    def fails(self, filename) -> None:  # a write that dies half-way (disk full)
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", fails)
    with pytest.raises(EvaluatorError):
        write_targets_workbook(seed_decl, seed_workbook)
    assert seed_workbook.read_bytes() == before
    assert sorted(p.name for p in seed_workbook.parent.iterdir()) == ["targets.xlsx"]
