"""`read_grids`: one entry for every table file, choosing the reader from the file's bytes.

Callers (the layout recogniser, `evaluator parse`) hand over whatever the user has; the readers'
libraries are imported only when their format turns up, so reading a csv never loads pdfplumber.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from evaluator.errors import EvaluatorError
from evaluator.ingest.formats.sniff import sniff_format
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef

# format → (module under evaluator.ingest.formats, reader function)
_READERS = {
    "xlsx": ("xlsx", "read_xlsx_grids"),
    "xls": ("xls", "read_xls_grids"),
    "docx": ("word", "read_docx_grids"),
    "pdf": ("pdf", "read_pdf_grids"),
    "csv": ("delimited", "read_csv_grids"),
    "html": ("web", "read_html_grids"),
    "text": ("text", "read_text_grids"),  # pipes, markdown, tabs, space runs: the text splitter
}


def read_grids(path: str | os.PathLike[str]) -> list[Grid]:
    """Every table-like region of the file as grids, whatever its format; refusals are Chinese and name the file."""
    path = Path(path)
    sniffed = sniff_format(path)
    module_name, function = _READERS[sniffed.format]
    try:
        module = importlib.import_module(f"evaluator.ingest.formats.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"evaluator.ingest.formats.{module_name}":
            raise
        raise EvaluatorError("暂不能读取这种文本表格（文本分列读取尚未提供）", SourceRef(path.name)) from None
    grids: list[Grid] = getattr(module, function)(path)
    if sniffed.note and grids:
        first = grids[0]
        grids[0] = Grid(first.file, first.name, first.kind, first.rows, (sniffed.note, *first.notes))
    return grids
