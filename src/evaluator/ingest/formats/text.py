"""Text copied out of web pages and PDFs → `Grid`s, with the cell separator detected per block.

Published tables reach people as text in many shapes: `a | b | c` pipe rows (the commonest),
markdown tables, tab-separated cells, columns separated by runs of spaces, and one cell per line
(a label on one line, its value on the next). A document often mixes them — a title line, a
header block in one shape and the indicator table in another — so every line is split by the
separator it shows, and consecutive lines of one shape form one grid. Every cell remembers its
line number, so that messages can name the line where something was found.

One-cell-per-line blocks stay one grid of one-cell rows; the layout stage reads such a grid as a
stream of cells. A line holding only a no-break or ideographic space is kept as an empty cell
(web pages write `&nbsp;` for an empty table cell); a truly empty line only separates cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from evaluator.errors import EvaluatorError
from evaluator.ingest.grid import Grid, GridCell
from evaluator.ingest.text_form import decode_text
from evaluator.models import SourceRef

_RULE_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")  # markdown |---|:--:|
_SPACE_RUN = re.compile(r"[ \u3000\xa0]{2,}")
_EMPTY_CELL_LINE = re.compile(r"^[\xa0\u3000]+$")

SHAPES = ("pipe", "tabs", "spaces", "single")
_SHAPE_NAMES = {"pipe": "竖线分隔", "tabs": "制表符分隔", "spaces": "空格分隔", "single": "每行一个单元格"}


def line_shape(line: str) -> str:
    """How one line separates its cells: 'pipe', 'tabs', 'spaces' or 'single' (one cell)."""
    if "|" in line:
        return "pipe"
    if "\t" in line.strip():
        return "tabs"
    if _SPACE_RUN.search(line.strip(" \u3000\xa0")):
        return "spaces"
    return "single"


def split_line(line: str, shape: str) -> list[str]:
    """The cells of one line in its shape, stripped; the empty cells a row ends with are dropped."""
    if shape == "pipe":
        body = line.strip()
        parts = body.split("|")
        if body.startswith("|"):
            parts = parts[1:]
    elif shape == "tabs":
        parts = line.split("\t")
    elif shape == "spaces":
        parts = _SPACE_RUN.split(line.strip(" \u3000\xa0"))
    else:
        parts = [line]
    cells = [part.strip(" \t\u3000\xa0") for part in parts]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _grid(file: str, index: int, shape: str, lines: list[tuple[int, list[str]]], notes: list[str]) -> Grid:
    rows = tuple(
        tuple(GridCell(text=text, source=SourceRef(file, line=number)) for text in cells) for number, cells in lines
    )
    return Grid(file=file, name=f"文本第{index}段（{_SHAPE_NAMES[shape]}）", kind="text", rows=rows, notes=tuple(notes))


def text_grids(text: str, file: str) -> list[Grid]:
    """Split `text` into grids: one per run of lines with the same cell separator.

    A single-cell line between two pipe (or tab, space) lines belongs to that block — a title,
    a long merged cell, or a cell whose text wrapped onto its own line — so blocks change only
    where the shape of two or more lines in a row changes.
    """
    raw_lines = text.splitlines()
    shaped: list[tuple[int, str, str]] = []  # (line number, shape, text)
    for number, line in enumerate(raw_lines, start=1):
        if _EMPTY_CELL_LINE.match(line):
            shaped.append((number, "single", ""))
            continue
        if not line.strip():
            continue
        if _RULE_ROW.match(line) and "-" in line:
            continue  # markdown rule rows carry no data
        shaped.append((number, line_shape(line), line))

    grids: list[Grid] = []
    block: list[tuple[int, list[str]]] = []
    block_shape = ""
    notes: list[str] = []
    for k, (number, shape, line) in enumerate(shaped):
        effective = shape
        if shape == "single" and block_shape in ("pipe", "tabs", "spaces"):
            following = next((s for _n, s, _l in shaped[k + 1 : k + 3] if s != "single"), None)
            if following == block_shape:
                effective = block_shape  # a one-cell line inside a table block
        if block and effective != block_shape:
            grids.append(_grid(file, len(grids) + 1, block_shape, block, notes))
            block, notes = [], []
        block_shape = effective
        cells = [line] if shape == "single" else split_line(line, shape)
        if shape == "single":
            cells = [line.strip(" \t\u3000\xa0")]
        block.append((number, cells))
    if block:
        grids.append(_grid(file, len(grids) + 1, block_shape, block, notes))
    if not grids:
        raise EvaluatorError("文件中没有任何文字内容", SourceRef(file))
    return grids


def read_text_grids(path: Path) -> list[Grid]:
    """Read a `.txt`/`.md` file (UTF-8, UTF-8 with BOM, UTF-16 or GB18030) into grids."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvaluatorError(f"无法读取文件：{exc.strerror or exc}", SourceRef(path.name)) from exc
    text, _encoding = decode_text(data, path.name)
    return text_grids(text, path.name)
