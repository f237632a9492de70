"""Read a .docx into grids: every Word table with its merged cells, and the text around the tables.

A 申报表 or 自评表 in Word is a title and a few label lines (项目名称：…, 主管部门：…) in paragraphs,
then one or more tables whose 一级/二级 cells are merged: horizontally by gridSpan, vertically by
vMerge (a "restart" cell followed by "continue" cells below it). python-docx's row.cells repeats
a merged cell's object per position, which hides where a region starts, so the table XML is read
directly here. Paragraph runs between tables become text grids, in document order, so the layout
code finds the header fields and signature lines where they stand.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.ingest.formats.build import GridBuilder, GridSequence, column_letter
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef


def read_docx_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Tables and the paragraph blocks between them, in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    file = file or path.name
    where = SourceRef(file)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError) as exc:
        raise InputError(
            f"文件已损坏，无法作为 .docx 读取（{type(exc).__name__}），请在 Word/WPS 中另存为 .docx", where
        ) from None
    sequence = GridSequence(file)
    paragraphs = 0

    def visit(parent: Any) -> None:
        nonlocal paragraphs
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                paragraphs += 1
                sequence.line(_paragraph_text(child, qn), SourceRef(file, line=paragraphs))
            elif child.tag == qn("w:tbl"):
                sequence.table(lambda name, tbl=child: _table_grid(file, name, tbl, qn))
            elif child.tag == qn("w:sdt"):  # a content control wrapping paragraphs or tables
                for content in child.iterchildren(qn("w:sdtContent")):
                    visit(content)

    visit(document.element.body)
    grids = sequence.result()
    if not grids:
        raise InputError("文档中没有可读取的文字或表格", where)
    return grids


def _paragraph_text(paragraph: Any, qn: Any) -> str:
    """A paragraph's text as Word shows it: runs joined, tabs as tabs, line breaks as new lines."""
    parts: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _table_grid(file: str, name: str, tbl: Any, qn: Any) -> Grid:
    def ref(row: int, col: int) -> SourceRef:
        return SourceRef(file, sheet=name, row=row, column=column_letter(col), part="table")

    builder = GridBuilder(file, name, "word_table", ref)
    spans: dict[tuple[int, int], list[int]] = {}  # top-left (row, col) → [rowspan, colspan]
    texts: dict[tuple[int, int], str] = {}
    open_regions: dict[int, tuple[int, int]] = {}  # grid column → top-left of the vMerge region running there
    for row_no, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
        col = 1 + _grid_before(tr, qn)
        for tc in tr.iterchildren(qn("w:tc")):
            colspan = _int_val(tc.find(qn("w:tcPr")), qn, "w:gridSpan") or 1
            vmerge = _vmerge(tc, qn)
            if tc.find(f".//{qn('w:tbl')}") is not None:
                builder.note(f"{name}第{row_no}行「{column_letter(col)}」列内嵌了表格，只读取了其中的文字")
            if vmerge == "continue" and col in open_regions:
                top_left = open_regions[col]
                spans[top_left][0] = row_no - top_left[0] + 1
            else:
                spans[(row_no, col)] = [1, colspan]
                texts[(row_no, col)] = "\n".join(line.strip() for line in _cell_lines(tc, qn) if line.strip())
                for covered in range(col, col + colspan):
                    open_regions.pop(covered, None)
                if vmerge == "restart":
                    open_regions[col] = (row_no, col)
            col += colspan
    for (row, col), (rowspan, colspan) in spans.items():
        builder.put(row, col, texts[(row, col)], rowspan=rowspan, colspan=colspan)
    return builder.build()


def _cell_lines(tc: Any, qn: Any) -> list[str]:
    return [_paragraph_text(p, qn) for p in tc.iter(qn("w:p"))]


def _grid_before(tr: Any, qn: Any) -> int:
    return _int_val(tr.find(qn("w:trPr")), qn, "w:gridBefore") or 0


def _int_val(properties: Any, qn: Any, tag: str) -> int | None:
    """The integer w:val of a property element (tcPr/trPr child), None when absent."""
    if properties is None:
        return None
    found = properties.find(qn(tag))
    if found is None:
        return None
    try:
        return int(found.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


def _vmerge(tc: Any, qn: Any) -> str | None:
    """'restart', 'continue' or None; a bare <w:vMerge/> means continue (the schema's default)."""
    properties = tc.find(qn("w:tcPr"))
    if properties is None:
        return None
    found = properties.find(qn("w:vMerge"))
    if found is None:
        return None
    return found.get(qn("w:val")) or "continue"
