"""Read a .csv (or a tab-separated export under any spreadsheet suffix) into one grid.

Finance systems export CSV in UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8"), GB18030/GBK (Excel's
plain "CSV" on a Chinese Windows) or UTF-16 (Excel's "Unicode text", tab-separated). The encoding
is judged from the bytes and the separator from the text, and both are named in the grid's notes,
so a wrong guess is visible to the user instead of silently garbling the table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from evaluator.errors import InputError
from evaluator.ingest.formats.build import GridBuilder, column_letter
from evaluator.ingest.formats.sniff import decode_table_text
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef

MAX_CSV_BYTES = 64 * 1024 * 1024
_DELIMITERS = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}


def read_csv_grids(path: Path, file: str | None = None) -> list[Grid]:
    """The whole file as one grid (forms stacked in it stay apart by their blank rows)."""
    file = file or path.name
    where = SourceRef(file)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise InputError(f"CSV 文件超过 {MAX_CSV_BYTES // 1024 // 1024} MB，不是可读取的绩效表格", where)
    text, encoding = decode_table_text(path.read_bytes(), file)
    delimiter = sniff_delimiter(text)

    first_lines: list[int] = []  # record number - 1 → the file line the record starts on

    def ref(record: int, col: int) -> SourceRef:
        line = first_lines[record - 1] if record <= len(first_lines) else None
        return SourceRef(file, line=line, column=column_letter(col))

    builder = GridBuilder(file, path.name, "csv", ref)
    builder.note(f"按 {encoding} 编码、以{_DELIMITERS[delimiter]}分列读取")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for number, record in enumerate(reader, start=1):
            first_lines.append(start)
            for col, value in enumerate(record, start=1):
                if value.strip():
                    builder.put(number, col, value.strip())
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"CSV 第{start}行无法分列（{exc}）", SourceRef(file, line=start)) from None
    grid = builder.build(with_spans=False)
    if not grid.rows:
        raise InputError("文件中没有可读取的内容", where)
    return [grid]


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines most consistently (comma when nothing does)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","
