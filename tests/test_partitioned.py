"""The scoring kernel over a table partitioned by project gives the single-process run's rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from evaluator import partitioned as P
from evaluator.api import score
from evaluator.common.resources import sample_inputs_dir
from evaluator.models import ActualRow, BudgetPart, BudgetRow, Indicator, Project, SourceRef

SAMPLE = sample_inputs_dir()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def evaluation():
    return score(SAMPLE / "shanghai_ftu_2024_targets.txt", SAMPLE / "实际完成值_样例.xlsx")


@pytest.fixture(scope="module")
def table(evaluation) -> pd.DataFrame:
    return P.row_table(evaluation.declarations, evaluation.actuals)


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False)


def test_records_come_back_as_the_same_objects() -> None:
    where = SourceRef("a.xlsx", sheet="实际完成", row=7, column="F")
    records = [
        Project(
            "项目",
            start_date=dt.date(2024, 1, 1),
            total_funds=1.5,
            indicators=(Indicator("产出指标", "数量指标", "人次", "≥3000(人次)", weight=8.33, source=where),),
            year=2024,
        ),
        ActualRow(
            "项目", "产出指标", "数量指标", "人次", "2024-06-30", source=where, actual_value=dt.datetime(2024, 6, 30)
        ),
        ActualRow("项目", "", "", "比例", "98.5%", actual_value=0.985),
        BudgetRow("项目", 100.0, None, 95.5, parts=(BudgetPart("当年财政拨款", 100.0, None, 95.5, where),)),
    ]
    for record in records:
        assert P.loads(P.dumps(record)) == record
    assert P.loads(P.dumps(None)) is None


def test_the_table_has_one_row_per_indicator_with_projects_whole(evaluation, table) -> None:
    assert len(table) == sum(len(p.indicators) for p in evaluation.declarations.projects) == 125
    assert table[P.KEY].is_monotonic_increasing
    assert (table.groupby(P.KEY)["项目名称"].nunique() == 1).all()


def test_the_kernel_on_the_whole_table_is_the_single_process_run(evaluation, table) -> None:
    assert _csv(P.in_order(P.score_table(table))) == _csv(evaluation.scores)


def test_partitions_scored_apart_give_the_same_rows(evaluation, table) -> None:
    parts = [P.score_table(table[table[P.KEY] % 4 == k]) for k in range(4)]
    assert _csv(P.in_order(pd.concat(parts))) == _csv(evaluation.scores)


def test_the_year_is_the_whole_portfolios(table) -> None:
    """Projects that name no year (nor an end date) read a yearless deadline in the portfolio's year."""
    planted = table.copy()
    first = planted.index[0]
    indicator = P.loads(planted.at[first, "indicator_record"])
    actual = P.loads(planted.at[first, "actual_record"])
    planted.at[first, "indicator_record"] = P.dumps(dataclasses.replace(indicator, target_text="6月30日前完成"))
    planted.at[first, "actual_record"] = P.dumps(dataclasses.replace(actual, actual_text="2024年6月28日"))
    expected = P.in_order(P.score_table(planted))
    assert expected.loc[0, "状态"] == "已评分", expected.loc[0, "未评分原因"]
    no_year = planted.copy()
    no_year["project_record"] = [
        P.dumps(dataclasses.replace(P.loads(text), year=None, end_date=None)) for text in no_year["project_record"]
    ]
    parts = [P.score_table(no_year[no_year[P.KEY] == k]) for k in sorted(set(no_year[P.KEY]))]
    assert _csv(P.in_order(pd.concat(parts))) == _csv(expected)


def test_an_empty_partition_has_the_result_columns() -> None:
    empty = P.score_table(pd.DataFrame(columns=[P.KEY, P.ORDER, "year", *P.PLAIN_COLUMNS, *P.RECORD_COLUMNS]))
    assert list(empty.columns) == list(P._empty_result().columns) and empty.empty


def test_the_dataset_files_hold_whole_projects(table, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    folder = P.write_row_dataset(table, tmp_path / "rows", rows_per_file=30)
    files = sorted(folder.glob("part-*.parquet"))
    assert len(files) >= 3
    seen: set[int] = set()
    total = 0
    for file in files:
        keys = set(pq.read_table(file).column(P.KEY).to_pylist())
        assert not keys & seen  # no project in two files
        seen |= keys
        total += pq.read_metadata(file).num_rows
    assert total == len(table)


def test_dask_synchronous_gives_the_single_process_rows(evaluation, table, tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe")
    folder = P.write_row_dataset(table, tmp_path / "rows", rows_per_file=30)
    result = P.score_dataset_with_dask(folder, scheduler="synchronous")
    assert _csv(result) == _csv(evaluation.scores)


@pytest.mark.slow
def test_a_local_two_worker_cluster_gives_the_single_process_rows(
    evaluation, table, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, (str(ROOT / "src"), os.environ.get("PYTHONPATH")))))
    folder = P.write_row_dataset(table, tmp_path / "rows", rows_per_file=30)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = P.score_dataset_with_dask(folder, client=client)
        workers = client.run(os.getpid)
    assert len(set(workers.values())) == 2 and os.getpid() not in workers.values()
    assert _csv(result) == _csv(evaluation.scores)
