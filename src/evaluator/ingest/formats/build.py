"""Turning a format's cells (with their spans) into one dense `Grid`, the same way for every reader.

Each reader knows where its cells are (a sheet row, a Word table's tr, a PDF cell's box) but not
how the grid model wants them laid out. Doing the layout once here keeps the rules identical for
every format: the grid starts at the first cell with text, a merged region's text sits in its
top-left cell, every position it covers is present with `origin`, and every cell has a source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from evaluator.errors import InputError
from evaluator.ingest.grid import Grid, GridCell
from evaluator.models import SourceRef

# A dense grid larger than this is no fiscal table; refusing it keeps memory bounded (a published
# 自评表 has a few hundred cells, a large workbook of many projects some tens of thousands).
MAX_GRID_CELLS = 2_000_000

Ref = Callable[[int, int], SourceRef]  # (row, col) in the format's own coordinates → where it is


def column_letter(index: int) -> str:
    """Spreadsheet-style column name for a 1-based index (1 → A, 27 → AA), used for every format's messages."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class _Placed:
    text: str
    value: object
    rowspan: int
    colspan: int
    note: str


@dataclass(frozen=True, slots=True)
class Box:
    """An inclusive rectangle in the format's coordinates."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def area(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)


class GridBuilder:
    """Collects cells in a format's coordinates, then lays them out as one or more dense grids."""

    def __init__(self, file: str, name: str, kind: str, ref: Ref) -> None:
        self.file = file
        self.name = name
        self.kind = kind
        self._ref = ref
        self._cells: dict[tuple[int, int], _Placed] = {}
        self.notes: list[str] = []

    def put(
        self,
        row: int,
        col: int,
        text: str,
        *,
        value: object = None,
        rowspan: int = 1,
        colspan: int = 1,
        note: str = "",
    ) -> None:
        """Place one cell (the top-left one of a merged region); a later cell at the same place is ignored."""
        self._cells.setdefault((row, col), _Placed(text, value, max(1, rowspan), max(1, colspan), note))

    def widen(self, row: int, col: int, *, rowspan: int, colspan: int) -> None:
        """Make the cell at (row, col) the top-left of a merged region (placing an empty one if needed)."""
        placed = self._cells.get((row, col))
        if placed is None:
            placed = _Placed("", None, 1, 1, "")
        self._cells[(row, col)] = _Placed(placed.text, placed.value, max(1, rowspan), max(1, colspan), placed.note)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def content_positions(self) -> list[tuple[int, int]]:
        """Positions of cells with something in them (text or a note)."""
        return [pos for pos, cell in self._cells.items() if cell.text or cell.note]

    def extent(self, *, with_spans: bool) -> Box | None:
        """The box the grid covers: every placed cell and its merged region (a Word or HTML table is its
        own extent), or only the cells with content (a sheet, whose formatting may reach far past the data)."""
        if with_spans:
            cells = list(self._cells.items())
            if not cells:
                return None
            return Box(
                min(r for (r, _), _ in cells),
                min(c for (_, c), _ in cells),
                max(r + cell.rowspan - 1 for (r, _), cell in cells),
                max(c + cell.colspan - 1 for (_, c), cell in cells),
            )
        positions = self.content_positions()
        if not positions:
            return None
        rows = [r for r, _ in positions]
        cols = [c for _, c in positions]
        return Box(min(rows), min(cols), max(rows), max(cols))

    def build(self, box: Box | None = None, *, with_spans: bool = True, extra_notes: Iterable[str] = ()) -> Grid:
        """The dense grid over `box` (default: the extent); merged regions are clipped to the box."""
        box = box or self.extent(with_spans=with_spans)
        notes = (*self.notes, *extra_notes)
        if box is None:
            return Grid(self.file, self.name, self.kind, (), notes)
        if box.area > MAX_GRID_CELLS:
            raise InputError(
                f"「{self.name}」的表格范围过大（{box.bottom - box.top + 1} 行 × {box.right - box.left + 1} 列），"
                "超出可读取的上限；请删除表格以外的内容后另存",
                SourceRef(self.file),
            )
        height = box.bottom - box.top + 1
        width = box.right - box.left + 1
        slots: list[list[GridCell | None]] = [[None] * width for _ in range(height)]
        for (row, col), placed in sorted(self._cells.items()):
            if not (box.top <= row <= box.bottom and box.left <= col <= box.right):
                continue
            r, c = row - box.top, col - box.left
            if slots[r][c] is not None:  # covered by an earlier merged region (overlapping spans)
                continue
            rowspan = min(placed.rowspan, height - r)
            colspan = min(placed.colspan, width - c)
            for dr in range(rowspan):
                for dc in range(colspan):
                    if (dr or dc) and slots[r + dr][c + dc] is None:
                        slots[r + dr][c + dc] = GridCell("", self._ref(row + dr, col + dc), origin=(r, c))
            slots[r][c] = GridCell(
                placed.text,
                self._ref(row, col),
                rowspan=rowspan,
                colspan=colspan,
                value=placed.value,
                note=placed.note,
            )
        rows = tuple(
            tuple(cell or GridCell("", self._ref(box.top + r, box.left + c)) for c, cell in enumerate(line))
            for r, line in enumerate(slots)
        )
        return Grid(self.file, self.name, self.kind, rows, notes)


def split_on_gaps(positions: Iterable[tuple[int, int]], row_gap: int, col_gap: int) -> list[Box]:
    """Boxes of cells that stand together: bands of rows apart by more than `row_gap` empty rows, then
    blocks of columns within a band apart by more than `col_gap` empty columns.

    A stray value at K1048576 would otherwise stretch one dense grid over a million empty rows.
    """
    boxes: list[Box] = []
    for band in _clusters(sorted(set(positions)), key=lambda p: p[0], gap=row_gap):
        for block in _clusters(sorted(band, key=lambda p: p[1]), key=lambda p: p[1], gap=col_gap):
            boxes.append(
                Box(
                    min(r for r, _ in block),
                    min(c for _, c in block),
                    max(r for r, _ in block),
                    max(c for _, c in block),
                )
            )
    return sorted(boxes, key=lambda b: (b.top, b.left))


def _clusters(
    items: list[tuple[int, int]], key: Callable[[tuple[int, int]], int], gap: int
) -> list[list[tuple[int, int]]]:
    groups: list[list[tuple[int, int]]] = []
    last: int | None = None
    for item in items:
        at = key(item)
        if last is None or at - last > gap + 1:
            groups.append([])
        groups[-1].append(item)
        last = at if last is None else max(last, at)
    return groups


class GridSequence:
    """The grids of a document in reading order: its tables, and a text grid (one cell per line) for
    each run of lines between them (title, 项目名称 lines, signatures), named `{prefix}文字N`."""

    def __init__(self, file: str, prefix: str = "") -> None:
        self.file = file
        self.prefix = prefix
        self.grids: list[Grid] = []
        self._lines: list[tuple[str, SourceRef]] = []
        self._runs = 0
        self.tables = 0

    def line(self, text: str, source: SourceRef) -> None:
        if text.strip():
            self._lines.append((text.strip(), source))

    def table(self, make: Callable[[str], Grid]) -> None:
        """Close the text run before it and add the grid `make(name)` builds for the next 表格N."""
        self.end_text()
        self.tables += 1
        self.grids.append(make(f"{self.prefix}表格{self.tables}"))

    def end_text(self) -> None:
        if self._lines:
            self._runs += 1
            rows = tuple((GridCell(text, source),) for text, source in self._lines)
            self.grids.append(Grid(self.file, f"{self.prefix}文字{self._runs}", "text", rows))
            self._lines = []

    def result(self) -> list[Grid]:
        self.end_text()
        return [grid for grid in self.grids if grid.rows]
