"""Both workbook readers, on both paths (openpyxl for small files, calamine for large), give what the
cell-by-cell readers gave before the column-wise rewrite: every record, repair and error, in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluator.ingest import xlsx_fast
from workbook_readers_golden import GOLDEN, cases, dump


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, Path]]:
    return cases(tmp_path_factory.mktemp("workbooks"))


@pytest.fixture(scope="module")
def golden() -> dict[str, list[str]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fast", [False, True], ids=["openpyxl", "calamine"])
def test_every_workbook_reads_as_before(
    workbooks: list[tuple[str, str, Path]], golden: dict[str, list[str]], fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0 if fast else 10**15)
    assert sorted(label for label, _reader, _path in workbooks) == sorted(golden)
    for label, reader, path in workbooks:
        assert dump(reader, path) == golden[label], label


def test_the_golden_file_covers_every_kind(golden: dict[str, list[str]]) -> None:
    """The dump is not trivially empty: the cell kinds and repairs it was written for are in it."""
    every = "\n".join(golden["actuals_every_kind"])
    for expected in (
        "actual_text='93.5%'",
        "actual_value=datetime.datetime(2024, 6, 1, 9, 30)",
        "actual_text='#N/A'",
        "UncalculatedFormula(formula='=SUM(F1:F2)')",
        "合并单元格的值只属于第",
        "重复的表头行",
        "actual_text='TRUE'",
        "actual_value=108)",
        "单元格内写明了单位",
    ):
        assert expected in every, expected
    targets = "\n".join(golden["targets_every_kind"])
    for expected in ("按满分100分中的20分读取", "单元格被保存为公式", "不是指标体系中的二级指标名称", "没有任何指标"):
        assert expected in targets, expected
    assert sum(lines[0].startswith("error ") for lines in golden.values()) == 22
