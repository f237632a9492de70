"""RunResult as flat tables — for the CSV outputs, notebooks (the API) and other tools.

Column headers are Chinese because people open these files in Excel; CSVs are written as UTF-8
with BOM, which is what makes Excel detect the encoding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pandas as pd

from evaluator.common.files import describe_os_error, write_atomically
from evaluator.errors import EvaluatorError, OutputError
from evaluator.ingest.cells import csv_safe
from evaluator.models import ProjectScore, RowStatus, RunResult, SourceRef
from evaluator.reports.view import ROW_HEADERS, rules_of

SCORE_COLUMNS = [
    "项目名称",
    *ROW_HEADERS,
    "分值",
    "得分",
    "状态",
    "标记",
    "计算过程",
    "未评分原因",
    "偏差原因分析及改进措施",
    "来源",
]


def project_columns(level1_order: Sequence[str]) -> list[str]:
    """projects.csv columns: one 得分 column per first-level indicator of the run's profile, in its order."""
    return [*PROJECT_COLUMNS_BEFORE, *(f"{name}得分" for name in level1_order), *PROJECT_COLUMNS_AFTER]


PROJECT_COLUMNS_BEFORE = ["项目名称", "预算执行率", "预算执行得分"]
PROJECT_COLUMNS_AFTER = [
    "总分",
    "等级",
    "评分状态",
    "红色标记数",
    "黄色标记数",
    "未评分指标数",
    "说明",
]


def scores_frame(run: RunResult) -> pd.DataFrame:
    """One line per indicator row, built column by column: a million rows never become a million dicts."""
    rows = [row for project in run.projects for row in project.rows]
    columns = {
        "项目名称": [row.project for row in rows],
        "一级指标": [row.level1 for row in rows],
        "二级指标": [row.level2 for row in rows],
        "三级指标": [row.level3 for row in rows],
        "年度指标值": [row.target_text for row in rows],
        "实际完成值": [row.actual_text for row in rows],
        "分值": [row.weight for row in rows],
        "得分": [row.score for row in rows],
        "状态": [str(row.status) for row in rows],
        "标记": ["；".join(flag.message for flag in row.flags) if row.flags else "" for row in rows],
        "计算过程": [row.calculation for row in rows],
        "未评分原因": [row.reason for row in rows],
        "偏差原因分析及改进措施": [row.deviation_reason for row in rows],
        "来源": [row.source.describe() if row.source else "" for row in rows],
    }
    if not rows:  # as from_records gives it: no rows, every column of object dtype
        return pd.DataFrame.from_records([], columns=SCORE_COLUMNS)
    return pd.DataFrame(columns, columns=SCORE_COLUMNS)


def level1_score(project: ProjectScore, level1: str) -> float | None:
    for level in project.levels:
        if level.level2 is None and level.level1 == level1:
            return level.score
    return None


def project_status(project: ProjectScore) -> str:
    if project.unreported:
        return "未填报"
    return "完成" if project.complete else "评分未完成"


def projects_frame(run: RunResult) -> pd.DataFrame:
    level1_order = rules_of(run).level1_order
    records = []
    for project in run.projects:
        flags = [flag for row in project.rows for flag in row.flags] + list(project.budget.flags)
        record = {
            "项目名称": project.project.name,
            "预算执行率": project.budget.rate,
            "预算执行得分": project.budget.score if project.budget.scored else None,
            "总分": None if project.unreported else project.total,  # 未填报 is not 0.00
            "等级": project.grade,
            "评分状态": project_status(project),
            "红色标记数": sum(flag.severity == "red" for flag in flags),
            "黄色标记数": sum(flag.severity == "yellow" for flag in flags),
            "未评分指标数": sum(row.status is RowStatus.NOT_SCORED for row in project.rows),
            "说明": "；".join(project.notes),
        }
        for name in level1_order:
            record[f"{name}得分"] = level1_score(project, name)
        records.append(record)
    return pd.DataFrame.from_records(records, columns=project_columns(level1_order))


UNMATCHED_COLUMNS = ["项目名称", "一级指标", "二级指标", "三级指标", "实际完成值", "原因", "来源"]


def unmatched_frame(run: RunResult) -> pd.DataFrame:
    """Input rows that reached no target or project — listed with why, never silently dropped."""
    reasons = list(run.unmatched_reasons) + [""] * (len(run.unmatched_actuals) - len(run.unmatched_reasons))
    records = [
        {
            "项目名称": row.project,
            "一级指标": row.level1,
            "二级指标": row.level2,
            "三级指标": row.level3,
            "实际完成值": row.actual_text,
            "原因": reason,
            "来源": row.source.describe() if row.source else "",
        }
        for row, reason in zip(run.unmatched_actuals, reasons, strict=True)
    ]
    records += [
        {
            "项目名称": row.project,
            "一级指标": "",
            "二级指标": "",
            "三级指标": "（预算执行）",
            "实际完成值": "" if row.executed is None else f"全年执行数 {row.executed:,.2f} 元",
            "原因": "预算执行行未对应到申报表中的项目，或与已填写的行重复",
            "来源": row.source.describe() if row.source else "",
        }
        for row in run.unmatched_budgets
    ]
    return pd.DataFrame.from_records(records, columns=UNMATCHED_COLUMNS)


# Only a text with a control character or a formula opening can change under csv_safe (the same
# characters as ingest.cells' _CONTROL and FORMULA_OPENINGS; test_columnar_frames checks the two agree).
_MAY_CHANGE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|^[=+\-@\t\r]"
_MAY_CHANGE_RE = re.compile(_MAY_CHANGE)


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """frame.map(csv_safe), asking csv_safe only about the texts it could change.

    One regex pass per text column finds them (in pyarrow for string columns), so a million-row
    table is not sent cell by cell through Python to change the few cells that open with = or hold
    a control character.
    """
    safe = frame.copy(deep=False)
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
            continue
        if isinstance(column.dtype, pd.StringDtype):
            hits = column.str.contains(_MAY_CHANGE, regex=True, na=False).to_numpy().nonzero()[0].tolist()
        else:
            hits = [k for k, v in enumerate(column.tolist()) if isinstance(v, str) and _MAY_CHANGE_RE.search(v)]
        if hits:
            texts = column.tolist()
            for k in hits:
                texts[k] = csv_safe(texts[k])
            safe.isetitem(position, pd.Series(texts, index=frame.index, dtype=column.dtype, name=column.name))
    return safe


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Whole or not at all, like every other output (a failed write leaves no half CSV and no .tmp).

    Text fields that a spreadsheet would open as a formula are guarded as the xlsx writers guard them.
    """
    safe = csv_safe_frame(frame)
    write_atomically(path, lambda temp: safe.to_csv(temp, index=False, encoding="utf-8-sig"))
    return path


OUTPUT_FORMATS = ("csv", "parquet")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise EvaluatorError("输出 Parquet 需要可选依赖 pyarrow：pip install 'evaluator[parquet]'") from exc
    return pa, pq


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """The same table as Parquet (pyarrow): typed columns, for tools that read millions of rows."""
    pa, pq = _pyarrow()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    write_atomically(path, lambda temp: pq.write_table(table, temp))
    return path


def write_table(frame: pd.DataFrame, folder: Path, stem: str, output_format: str = "csv") -> Path:
    """`folder/stem.csv` or `folder/stem.parquet`."""
    if output_format == "parquet":
        return write_parquet(frame, folder / f"{stem}.parquet")
    return write_csv(frame, folder / f"{stem}.csv")


# The number columns of scores.csv and projects.csv (one 得分 column per first-level indicator).
_NUMBER_COLUMNS = frozenset({"分值", "得分", "预算执行率", "预算执行得分", "总分"})


def _kind(column: str) -> str:
    """The dtype of a column with no value in the first part: what it holds in the others."""
    return "float64" if column in _NUMBER_COLUMNS or column.endswith("得分") else "str"


class TableInParts:
    """`folder/stem.csv` (or `.parquet`) written a part at a time: the whole table never in memory.

    Why: at a million rows the scores frame alone is ~0.6 GB, and the command line scores a
    portfolio part by part (pipeline.evaluate_in_parts) to stay within 1.5 GB. The CSV has the
    header once and the BOM once, and each part is guarded and written exactly as `write_csv`
    writes a whole table, so the bytes equal the whole table's (tested). Parquet gets one row group
    per part under column types fixed by the first part (a text column without any value in that
    part is typed as text, not as null, so later parts fit). A failure leaves no partial file.
    """

    def __init__(self, folder: Path, stem: str, output_format: str = "csv") -> None:
        self.output_format = output_format
        self.path = Path(folder) / f"{stem}.{'parquet' if output_format == 'parquet' else 'csv'}"
        self._handle: IO[str] | None = None
        self._parquet: Any = None
        self._schema: Any = None
        self._empty: pd.DataFrame | None = None

    def append(self, frame: pd.DataFrame) -> None:
        """Add a part's rows; an empty part still fixes the columns (a table of no rows has its header)."""
        if self._empty is None:
            self._empty = frame.iloc[:0]
        if frame.empty:
            return
        try:
            if self.output_format == "parquet":
                self._append_parquet(frame)
            else:
                self._append_csv(frame)
        except OSError as exc:
            self.discard()
            raise OutputError(f"无法写入输出文件：{describe_os_error(exc)}", SourceRef(str(self.path))) from exc

    def _append_csv(self, frame: pd.DataFrame) -> None:
        first = self._handle is None
        if self._handle is None:
            # utf-8-sig writes the BOM once, at the start; newline="" as pandas opens a path itself
            self._handle = open(self.path, "w", encoding="utf-8-sig", newline="")
        csv_safe_frame(frame).to_csv(self._handle, index=False, header=first)

    def _append_parquet(self, frame: pd.DataFrame) -> None:
        pa, pq = _pyarrow()
        if self._parquet is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            empty = [f.name for f in table.schema if pa.types.is_null(f.type)]
            if empty:  # typed (and described in the pandas metadata) as what the other parts hold
                table = pa.Table.from_pandas(frame.astype({c: _kind(c) for c in empty}), preserve_index=False)
            self._schema = table.schema
            self._parquet = pq.ParquetWriter(self.path, self._schema)
        table = pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
        self._parquet.write_table(table.replace_schema_metadata(self._schema.metadata))

    def close(self) -> Path:
        """Finish the file; with no rows at all it is the empty table, as write_table writes it."""
        if self._handle is None and self._parquet is None:
            empty = self._empty if self._empty is not None else pd.DataFrame()
            return write_table(empty, self.path.parent, self.path.stem, self.output_format)
        try:
            if self._handle is not None:
                self._handle.close()
            if self._parquet is not None:
                self._parquet.close()
        except OSError as exc:
            self.discard()
            raise OutputError(f"无法写入输出文件：{describe_os_error(exc)}", SourceRef(str(self.path))) from exc
        self._handle = self._parquet = None
        return self.path

    def discard(self) -> None:
        """Close and remove what was written (after a failure): no half table is left behind."""
        for closer in (self._handle, self._parquet):
            if closer is not None:
                try:
                    closer.close()
                except OSError:
                    pass
        self._handle = self._parquet = None
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> TableInParts:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()


def reconciliation_line(run: RunResult) -> str:
    """Nothing lost: every input row is either scored or listed as not scored."""
    balanced = run.rows_in == run.rows_scored + run.rows_not_scored
    mark = "" if balanced else "（不平衡！请报告此问题）"
    return (
        f"核对：输入指标 {run.rows_in} 行 = 已评分 {run.rows_scored} 行 + 未评分 {run.rows_not_scored} 行{mark}；"
        f"未匹配到目标的实际值 {len(run.unmatched_actuals)} 行"
    )
