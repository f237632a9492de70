"""The CSV frames built by columns give the tables the per-record build gave, byte for byte (issue 15).

`scores_frame` builds each column as a list and `csv_safe_frame` asks csv_safe only about the texts
a regex finds; the references here are the straightforward forms they replace.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from evaluator.api import score
from evaluator.common.resources import sample_inputs_dir
from evaluator.ingest import cells
from evaluator.models import RunResult
from evaluator.reports.tables import (
    _MAY_CHANGE_RE,
    SCORE_COLUMNS,
    csv_safe_frame,
    projects_frame,
    scores_frame,
    unmatched_frame,
)


def _records_frame(run: RunResult) -> pd.DataFrame:
    records = [
        {
            "项目名称": row.project,
            "一级指标": row.level1,
            "二级指标": row.level2,
            "三级指标": row.level3,
            "年度指标值": row.target_text,
            "实际完成值": row.actual_text,
            "分值": row.weight,
            "得分": row.score,
            "状态": str(row.status),
            "标记": "；".join(flag.message for flag in row.flags),
            "计算过程": row.calculation,
            "未评分原因": row.reason,
            "偏差原因分析及改进措施": row.deviation_reason,
            "来源": row.source.describe() if row.source else "",
        }
        for project in run.projects
        for row in project.rows
    ]
    return pd.DataFrame.from_records(records, columns=SCORE_COLUMNS)


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def run() -> RunResult:
    base = sample_inputs_dir()
    return score(base / "shanghai_ftu_2024_targets.txt", base / "实际完成值_样例.xlsx").run


def test_scores_frame_by_columns_is_the_records_frame(run: RunResult) -> None:
    pd.testing.assert_frame_equal(scores_frame(run), _records_frame(run))
    empty = RunResult(projects=())
    pd.testing.assert_frame_equal(scores_frame(empty), _records_frame(empty))


def test_csv_safe_frame_is_map_csv_safe_on_the_sample(run: RunResult) -> None:
    for frame in (scores_frame(run), projects_frame(run), unmatched_frame(run)):
        assert _csv(csv_safe_frame(frame)) == _csv(frame.map(cells.csv_safe))


TRICKY = ["=SUM(A1)", "+1", "-5", "@x", "\t=x", "\r1", "a\x07b", "\x1b=1", "ok", "", "中文", "a=b", "x\n-y"]


def test_csv_safe_frame_is_map_csv_safe_on_every_kind_of_cell() -> None:
    frame = pd.DataFrame(
        {
            "text": TRICKY,
            "object": pd.Series([*TRICKY[:-3], None, 1.5, "-"], dtype=object),
            "number": [float(k) for k in range(len(TRICKY))],
            "whole": list(range(len(TRICKY))),
        }
    )
    before = _csv(frame)
    got = csv_safe_frame(frame)
    assert _csv(got) == _csv(frame.map(cells.csv_safe))
    assert _csv(frame) == before  # the input frame is left as it was
    assert got["text"].tolist()[:3] == ["'=SUM(A1)", "'+1", "'-5"]


@pytest.mark.parametrize("code", range(0x80))
def test_the_prefilter_finds_every_text_csv_safe_would_change(code: int) -> None:
    for text in (chr(code), f"a{chr(code)}b", f"{chr(code)}x"):
        if cells.csv_safe(text) != text:
            assert _MAY_CHANGE_RE.search(text), repr(text)
        frame = pd.DataFrame({"t": [text, "plain"]})
        assert _csv(csv_safe_frame(frame)) == _csv(frame.map(cells.csv_safe)), repr(text)
