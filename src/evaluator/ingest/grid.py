"""The one grid model every file format is read into before its layout is recognised.

Published tables reach us as xlsx sheets with merged cells, Word tables, PDF pages, csv, HTML and
text copied out of web pages. Each format has its own reader, and each reader only turns its file
into `Grid`s: rows of cells with their spans and where they stand in the file. Recognising the
form (headings, header fields, the indicator table and its columns) then happens once, on grids,
whatever the file was — so the same table as xlsx, docx, pdf, csv or pipe text gives the same
records.

Rows are dense: a merged region's text sits in its top-left cell, and every other position it
covers is present with empty text and `origin` pointing at that top-left cell. Layout code decides
whether a blank cell continues the one above (a merged 一级指标) or is simply empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluator.models import SourceRef


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell: its text as a person reads it, and where it is."""

    text: str  # as displayed: numbers as written (never 1.23e+06), percent cells as 98.5%, dates as 2024-06-30
    source: SourceRef  # file / sheet / row / column letter, or text line, for messages
    rowspan: int = 1  # > 1 on the top-left cell of a merged region
    colspan: int = 1
    origin: tuple[int, int] | None = None  # (row, col) in this grid, 0-based, of the merged region's top-left cell
    value: object = None  # the typed value where the format has one (float, int, datetime); None for text
    note: str = ""  # what the reader saw in this cell and could not show as text (formula without a cached value …)


@dataclass(frozen=True, slots=True)
class Grid:
    """One table-like region of a file: a sheet, a Word table, a PDF page's table, a block of text."""

    file: str  # file name as the user gave it
    name: str  # 工作表名 / 表格3 / 第2页 / 文本 — shown in messages
    kind: str  # "sheet" | "word_table" | "pdf_table" | "csv" | "html_table" | "text"
    rows: tuple[tuple[GridCell, ...], ...] = ()
    notes: tuple[str, ...] = field(default=())  # what the reader noticed (hidden sheet, glued cells …), Chinese

    def texts(self) -> list[list[str]]:
        """Row-major texts, handy for layout code and tests."""
        return [[cell.text for cell in row] for row in self.rows]
