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

from evaluator.errors import InputError
from evaluator.ingest.grid import Grid, GridCell
from evaluator.ingest.text_form import read_text_file
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


_PIPE_LINES_MIN_CELLS = 4  # cell lines a block needs before it is read as one cell a line with pipes
_PIPE_LINES_MAX_ROW = 16  # cells between two pipe-only lines beyond which they cannot be row ends


def _wrapped_cells(lines: list[tuple[int, list[str]]], raw: list[str]) -> list[tuple[int, list[str]]] | None:
    """One cell a line with a pipe after each cell: a line without a pipe is the start of the next
    cell, whose text wrapped (`一级` on one line, `指标 |` on the next). None when nothing wraps."""
    if any(len(cells) > 1 for _n, cells in lines):
        return None
    ended = sum(1 for n, cells in lines if cells and cells[0] and raw[n - 1].rstrip().endswith("|"))
    if ended < _PIPE_LINES_MIN_CELLS:
        return None
    out: list[tuple[int, list[str]]] = []
    carry: list[tuple[int, str]] = []  # the lines without a pipe since the last cell
    joined = titles = False
    for number, cells in lines:
        if "|" not in raw[number - 1]:
            carry.append((number, cells[0] if cells else ""))
            continue
        if carry and _is_title("".join(text for _n, text in carry)):
            # 附件2 / 2022年…绩效目标表 above `项目名称 |`: the next form's title lines, each a row of
            # its own between row ends, not the start of the next cell
            for n, text in carry:
                out.extend([(n, []), (n, [text]), (n, [])])
            carry = []
            titles = True
        if carry:
            number, cells = carry[0][0], ["".join(text for _n, text in carry) + (cells[0] if cells else "")]
            carry = []
            joined = True
        out.append((number, cells))
    if carry:
        out.append((carry[0][0], ["".join(text for _n, text in carry)]))
        joined = joined or len(carry) > 1
    return out if joined or titles else None


def _is_title(text: str) -> bool:
    """Whether text is a form's heading (项目支出绩效目标表 …), by the table vocabulary."""
    from evaluator.config.labels import default_labels

    return default_labels().is_heading(text)


def _pipe_lines_rows(lines: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]] | None:
    """A pipe block written one cell a line (`名称 |`): regroup it into the table's rows, or None.

    Some pages flatten each table cell onto a line of its own followed by a pipe, and write the
    row ends and merged cells as lines of pipes only (`|`, `|||`). Read line by line that block is
    a column of one-cell rows whose row structure is lost; the pipe-only lines are where the rows
    end, so the cells between two of them are one row. Empty cells inside a row cannot be told
    from row ends and are dropped (the layout reads text rows from their first cell anyway).
    """
    if any(len(cells) > 1 for _n, cells in lines):
        return None
    filled = sum(1 for _n, cells in lines if cells and cells[0])
    breaks = sum(1 for _n, cells in lines if not cells)
    if filled < _PIPE_LINES_MIN_CELLS or breaks < 2:
        return None
    run = longest = 0
    for _n, cells in lines:
        run = run + 1 if cells else 0
        longest = max(longest, run)
    if longest > _PIPE_LINES_MAX_ROW:
        return None  # the pipe-only lines are empty cells here, not row ends: rows cannot be told
    rows: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, cells in lines:
        if not cells:
            if current:
                rows.append((first, current))
            current = []
            continue
        if not current:
            first = number
        if cells[0]:
            current.append(cells[0])
    if current:
        rows.append((first, current))
    return rows


_ROW_START_SHARE = 0.6  # of a block's pipe lines beginning with `|` before the others count as continued rows


def _continued_rows(lines: list[tuple[int, list[str]]], raw: list[str]) -> list[tuple[int, list[str]]] | None:
    """A pipe block whose rows begin with `|`: a pipe line that does not continues the row above.

    Merged and wrapped cells break a markdown-style row over several lines (`| 项目名称 |` and on
    the next line `道路硬化 |`). Where most pipe lines begin with a pipe, one that does not is the
    rest of the row above: its cells follow that row's cells, and when the line above did not end
    with a pipe its first cell is the rest of that row's last cell. None when the block has no
    such lines.
    """
    piped = [(n, raw[n - 1].strip()) for n, _cells in lines if "|" in raw[n - 1]]
    starts = sum(1 for _n, text in piped if text.startswith("|"))
    if starts < 2 or starts == len(piped) or starts < _ROW_START_SHARE * len(piped):
        return None
    out: list[tuple[int, list[str]]] = []
    previous = ""
    for number, cells in lines:
        text = raw[number - 1].strip()
        if out and "|" in text and not text.startswith("|"):
            first, above = out[-1]
            if above and not previous.endswith("|") and cells:
                cells = [above[-1] + cells[0], *cells[1:]]
                above = above[:-1]
            out[-1] = (first, [*above, *cells])
        else:
            out.append((number, cells))
        previous = text
    return out


def _grid(
    file: str, index: int, shape: str, lines: list[tuple[int, list[str]]], notes: list[str], raw: list[str]
) -> Grid:
    if shape == "pipe" and (unwrapped := _wrapped_cells(lines, raw)) is not None:
        lines = unwrapped
        notes = [*notes, "每格一行：不带竖线的行是下一格换行前的文字，已接上"]
    if shape == "pipe" and (regrouped := _pipe_lines_rows(lines)) is not None:
        lines = regrouped
        notes = [*notes, "每格一行、行尾带竖线：按只有竖线的行分行，行内空格未保留"]
    elif shape == "pipe" and (continued := _continued_rows(lines, raw)) is not None:
        lines = continued
        notes = [*notes, "以竖线开头的行之间、不以竖线开头的行接在上一行之后（单元格内换行）"]
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
            grids.append(_grid(file, len(grids) + 1, block_shape, block, notes, raw_lines))
            block, notes = [], []
        block_shape = effective
        cells = [line] if shape == "single" else split_line(line, shape)
        if shape == "single":
            cells = [line.strip(" \t\u3000\xa0")]
        block.append((number, cells))
    if block:
        grids.append(_grid(file, len(grids) + 1, block_shape, block, notes, raw_lines))
    if not grids:
        raise InputError("文件中没有任何文字内容", SourceRef(file))
    return grids


def read_text_grids(path: Path) -> list[Grid]:
    """Read a `.txt`/`.md` file (UTF-8, UTF-8 with BOM, UTF-16 or GB18030) into grids."""
    path = Path(path)
    return text_grids(read_text_file(path), path.name)
