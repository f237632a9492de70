"""Scoring past one machine: the portfolio as a table of rows partitioned by project.

Nothing in the score of one project depends on another project once two portfolio-wide facts
are fixed: which actual row belongs to which indicator (matching, done once over the whole
portfolio) and the evaluation year for projects that name none. So the scoring kernel is a pure
function over a table of rows that holds every project whole:

    table = row_table(decl, actuals)           # one row per declared indicator, matched
    write_row_dataset(table, "rows/")          # Parquet, each file a run of whole projects
    scores = score_dataset_with_dask("rows/")  # the kernel under dask.dataframe.map_partitions

and `score_table(table)` is that same kernel in one process, so a partition's result equals the
single-process run's rows for its projects (tested). The kernel rebuilds the records of its
partition and runs the ordinary `evaluate()`; each row carries its project, indicator, matched
actual and budget as JSON records (a tagged encoding of the model dataclasses), and plain columns
beside them for people and tools reading the Parquet files.

Dask, distributed and pyarrow are optional (`pip install 'evaluator[scale]'`); this module
imports them only when a function needs them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pandas as pd

from evaluator import models
from evaluator.config.profiles import Profile, load_profile
from evaluator.errors import EvaluatorError
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Project
from evaluator.pipeline import evaluate, run_year
from evaluator.reports.tables import scores_frame
from evaluator.scoring.matching import match_actuals

KEY = "project_index"
ORDER = "indicator_index"
RECORD_COLUMNS = ("project_record", "indicator_record", "actual_record", "budget_record")
PLAIN_COLUMNS = ("项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值")
_CLASSES = {
    cls.__name__: cls
    for cls in vars(models).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == models.__name__
}


# ---------------------------------------------------------------------------------------------
# Records as JSON: dataclasses, tuples and dates tagged, so they come back as the same objects
# ---------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": type(value).__name__, **fields}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise EvaluatorError(f"无法写入分区表的值（类型 {type(value).__name__}）", value=repr(value))


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$type" in value:
        cls = _CLASSES[value["$type"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "$type"})
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in value["$dict"]}
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$time" in value:
        return dt.time.fromisoformat(value["$time"])
    return {k: _decode(v) for k, v in value.items()}


def dumps(record: object) -> str | None:
    return None if record is None else json.dumps(_encode(record), ensure_ascii=False)


def loads(text: str | None) -> Any:
    return None if text is None or text != text else _decode(json.loads(text))


# ---------------------------------------------------------------------------------------------
# The row table and the kernel
# ---------------------------------------------------------------------------------------------


def row_table(decl: Declarations, actuals: Actuals) -> pd.DataFrame:
    """One row per declared indicator with its matched actual and its project's budget row.

    Matching runs here, once, over the whole portfolio; actual rows that reach no indicator are
    not in the table (the single-process run lists them in unmatched_actuals.csv).
    """
    match = match_actuals(decl, actuals)
    year = run_year(decl)
    records: list[dict[str, object]] = []
    for p_index, project in enumerate(decl.projects):
        shell = dumps(dataclasses.replace(project, indicators=()))
        budget = dumps(match.budgets.get(p_index))
        for i_index, indicator in enumerate(project.indicators):
            actual = match.rows.get((p_index, i_index))
            records.append(
                {
                    KEY: p_index,
                    ORDER: i_index,
                    "year": year,
                    "项目名称": project.name,
                    "一级指标": indicator.level1,
                    "二级指标": indicator.level2,
                    "三级指标": indicator.level3,
                    "年度指标值": indicator.target_text,
                    "实际完成值": actual.actual_text if actual else None,
                    "project_record": shell,
                    "indicator_record": dumps(indicator),
                    "actual_record": dumps(_as_declared(actual, project.name, indicator)),
                    "budget_record": budget,
                }
            )
    columns = [KEY, ORDER, "year", *PLAIN_COLUMNS, *RECORD_COLUMNS]
    return pd.DataFrame.from_records(records, columns=columns)


def _as_declared(actual: ActualRow | None, project: str, indicator: models.Indicator) -> ActualRow | None:
    """The matched actual row named as its indicator is, so matching inside a partition is exact.

    Only the pairing matters to scoring, and it was decided over the whole portfolio already.
    """
    if actual is None:
        return None
    return dataclasses.replace(
        actual, project=project, level1=indicator.level1, level2=indicator.level2, level3=indicator.level3
    )


def _inputs(part: pd.DataFrame) -> tuple[Declarations, Actuals, int | None]:
    part = part.sort_values([KEY, ORDER], kind="stable")
    projects: list[Project] = []
    rows: list[ActualRow] = []
    budgets: list[BudgetRow] = []
    for _index, group in part.groupby(KEY, sort=True):
        shell = loads(group["project_record"].iloc[0])
        indicators = tuple(loads(text) for text in group["indicator_record"])
        projects.append(dataclasses.replace(shell, indicators=indicators))
        rows.extend(row for row in map(loads, group["actual_record"]) if row is not None)
        budget = loads(group["budget_record"].iloc[0])
        if budget is not None:
            budgets.append(budget)
    years = part["year"].dropna()
    year = int(years.iloc[0]) if len(years) else None
    return Declarations(projects=tuple(projects)), Actuals(rows=tuple(rows), budgets=tuple(budgets)), year


def score_table(part: pd.DataFrame, rules: str | Profile | None = None) -> pd.DataFrame:
    """The kernel: row results (scores.csv's columns) of the whole projects in `part`.

    Pure: the same rows in give the same rows out, whatever process or machine runs it. The
    result keeps the table's project and indicator index first, so parts can be put in order.
    """
    profile = rules if isinstance(rules, Profile) else load_profile(rules)
    if part.empty:
        return _empty_result()
    decl, acts, year = _inputs(part)
    run = evaluate(decl, acts, profile, year=year)
    frame = scores_frame(run)
    keys = part.sort_values([KEY, ORDER], kind="stable")[[KEY, ORDER]].reset_index(drop=True)
    if len(keys) != len(frame):
        raise EvaluatorError(f"分区评分结果行数（{len(frame)}）与输入行数（{len(keys)}）不一致")
    return pd.concat([keys, frame], axis=1)


def _empty_result() -> pd.DataFrame:
    from evaluator.reports.tables import SCORE_COLUMNS

    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in SCORE_COLUMNS})
    frame.insert(0, ORDER, pd.Series(dtype="int64"))
    frame.insert(0, KEY, pd.Series(dtype="int64"))
    for column in ("分值", "得分"):
        frame[column] = frame[column].astype("float64")
    return frame


def in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by project and indicator, without the index columns: scores.csv's order and columns."""
    ordered = frame.sort_values([KEY, ORDER], kind="stable").drop(columns=[KEY, ORDER])
    return ordered.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Parquet and Dask
# ---------------------------------------------------------------------------------------------


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EvaluatorError(
            f"此功能需要可选依赖 {module.split('.')[0]}：pip install 'evaluator[scale]'", value=module
        ) from exc


def write_row_dataset(table: pd.DataFrame, folder: Path, rows_per_file: int = 200_000) -> Path:
    """The table as a Parquet dataset of numbered files, each holding whole projects in order."""
    pq = _need("pyarrow.parquet")
    pa = _need("pyarrow")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    starts = table.groupby(KEY, sort=False).head(1).index  # a file may end only where a project starts
    cut_points: list[int] = [0]
    for start in starts:
        if start - cut_points[-1] >= rows_per_file:
            cut_points.append(int(start))
    cut_points.append(len(table))
    for number, (begin, end) in enumerate(itertools.pairwise(cut_points)):
        chunk = table.iloc[begin:end]
        pq.write_table(pa.Table.from_pandas(chunk, preserve_index=False), folder / f"part-{number:05d}.parquet")
    return folder


def score_dataset_with_dask(
    folder: Path, rules: str | None = None, *, scheduler: str | None = None, client: Any = None
) -> pd.DataFrame:
    """Every file of the dataset scored by the kernel under `dask.dataframe.map_partitions`.

    Each Parquet file is one partition and holds whole projects, so no project is split. Pass a
    `distributed.Client` (or nothing, for dask's default scheduler); the result is in order.
    """
    dd = _need("dask.dataframe")
    files = sorted(Path(folder).glob("part-*.parquet"))
    if not files:
        raise EvaluatorError("分区目录中没有 part-*.parquet 文件", value=str(folder))
    frame = dd.read_parquet([str(f) for f in files], split_row_groups=False)
    scored = frame.map_partitions(score_table, rules, meta=_empty_result())
    kwargs: dict[str, Any] = {}
    if scheduler is not None:
        kwargs["scheduler"] = scheduler
    result = client.compute(scored).result() if client is not None else scored.compute(**kwargs)
    return in_order(result)
