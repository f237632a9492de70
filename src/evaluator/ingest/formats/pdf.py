"""Read a text-based PDF into grids with pdfplumber: ruled tables as tables, the rest as text lines.

Published 自评表 PDFs are mostly Word or Excel files printed to PDF, so their tables are drawn with
lines; pdfplumber finds those cells from the ruling (the "lines" strategy) and keeps each cell's
box, from which the merged 一级/二级 cells' spans are recovered. The title and header lines outside
the tables become text grids, in reading order per page. pdfplumber was chosen over camelot or
tabula because it is pure Python (no Ghostscript or Java) and maintained.

A scanned PDF has no characters at all; it is refused with a plain message instead of giving an
empty result, since no reader here does OCR.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.ingest.formats.build import GridBuilder, GridSequence, column_letter
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
MAX_PAGES = 500


def read_pdf_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Per page, in reading order: text above a table, the table, text below it."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    file = file or path.name
    where = SourceRef(file)
    try:
        pdf = pdfplumber.open(str(path))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError("PDF 已加密（设有打开密码），请解除密码后另存再读取", where) from None
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, OSError) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InputError("PDF 已加密（设有打开密码），请解除密码后另存再读取", where) from None
        raise InputError(f"文件已损坏，无法作为 PDF 读取（{type(exc).__name__}）", where) from None
    grids: list[Grid] = []
    blank_pages: list[int] = []
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError(f"PDF 有 {len(pdf.pages)} 页，超出可读取的上限（{MAX_PAGES} 页）", where)
        try:
            for number, page in enumerate(pdf.pages, start=1):
                if not page.chars:
                    blank_pages.append(number)
                    continue
                grids.extend(_page_grids(file, number, page))
        except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"文件已损坏：PDF 第{number}页无法读取（{type(exc).__name__}）", where) from None
    if not grids:
        raise InputError(
            "这是扫描件，没有可读取的文字；请提供原始 .xlsx/.docx 文件，或先用文字识别（OCR）转成可复制文字的 PDF",
            where,
        )
    if blank_pages:
        pages = "、".join(str(n) for n in blank_pages)
        first = grids[0]
        note = f"第{pages}页没有可读取的文字（可能是扫描页或空白页），已跳过"
        grids[0] = Grid(first.file, first.name, first.kind, first.rows, (*first.notes, note))
    return grids


def _page_grids(file: str, number: int, page: Any) -> list[Grid]:
    tables = sorted(page.find_tables(_TABLE_SETTINGS), key=lambda t: t.bbox[1])
    boxes = [table.bbox for table in tables]
    items: list[tuple[float, str, Any]] = [(table.bbox[1], "table", table) for table in tables]
    for line in page.extract_text_lines():
        middle_x = (line["x0"] + line["x1"]) / 2
        middle_y = (line["top"] + line["bottom"]) / 2
        if not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes):
            items.append((line["top"], "line", line["text"]))
    items.sort(key=lambda item: item[0])
    sequence = GridSequence(file, prefix=f"第{number}页")
    lines = 0
    for _, kind, item in items:
        if kind == "line":
            lines += 1
            sequence.line(item, SourceRef(file, sheet=f"第{number}页", line=lines, part="page"))
        else:
            sequence.table(lambda name, table=item: _table_grid(file, name, table))
    return sequence.result()


def _table_grid(file: str, name: str, table: Any) -> Grid:
    """Cells by their boxes: a cell's span is how many row tops / column lefts its box reaches over."""

    def ref(row: int, col: int) -> SourceRef:
        return SourceRef(file, sheet=name, row=row, column=column_letter(col), part="table")

    builder = GridBuilder(file, name, "pdf_table", ref)
    tops = sorted({round(cell[1], 1) for cell in table.cells})
    lefts = sorted({round(cell[0], 1) for cell in table.cells})
    for row, texts in zip(table.rows, table.extract(), strict=True):
        for bbox, text in zip(row.cells, texts, strict=True):
            if bbox is None:
                continue
            x0, top, x1, bottom = (round(v, 1) for v in bbox)
            r = tops.index(top)
            c = lefts.index(x0)
            rowspan = sum(1 for t in tops if top <= t < bottom)
            colspan = sum(1 for left in lefts if x0 <= left < x1)
            builder.put(r + 1, c + 1, _cell_text(text), rowspan=rowspan, colspan=colspan)
    return builder.build()


def _cell_text(text: str | None) -> str:
    """A cell's text with the wraps of the printed page undone.

    pdfplumber gives a line per printed line, and a PDF does not say whether a line ended because
    the cell was narrow or because the writer pressed Enter. Cells of these forms wrap far more
    often than they hold deliberate breaks, so lines are joined: directly between Chinese
    characters, with a space between two Latin words or numbers.
    """
    joined = ""
    for part in (text or "").splitlines():
        part = part.strip()
        if not part:
            continue
        if joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return joined
