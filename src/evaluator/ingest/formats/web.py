"""Read an HTML page (a published table, or an .xls that a government system exported as HTML) into grids.

Every top-level <table> becomes a grid with rowspan/colspan honoured the way browsers lay them
out: a cell goes to the first free column of its row, after the cells that reach down from rows
above. Text outside the tables (the heading, 项目名称 lines, a signature line) becomes text grids,
in document order. BeautifulSoup with the standard library's html.parser reads broken markup
without a compiled parser, and works out the encoding from the bytes and the page's meta charset.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.ingest.formats.build import GridBuilder, GridSequence, column_letter
from evaluator.ingest.grid import Grid
from evaluator.models import SourceRef

MAX_HTML_BYTES = 32 * 1024 * 1024
MAX_SPAN = 1000  # browsers clamp rowspan to 65534 and colspan to 1000; a table needs far less
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "pre", "section", "article", "header"}
    | {"footer", "blockquote", "center", "form", "hr", "dl", "dt", "dd", "address", "caption", "body"}
)
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def read_html_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Tables and the text blocks between them, in document order."""
    from bs4 import BeautifulSoup

    file = file or path.name
    where = SourceRef(file)
    if path.stat().st_size > MAX_HTML_BYTES:
        raise InputError(f"网页文件超过 {MAX_HTML_BYTES // 1024 // 1024} MB，不是可读取的绩效表格", where)
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    sequence = GridSequence(file)
    current: list[str] = []
    current_line: list[int | None] = [None]

    def end_line() -> None:
        sequence.line(_SPACES.sub(" ", "".join(current)), SourceRef(file, line=current_line[0]))
        current.clear()
        current_line[0] = None

    def visit(node: Any) -> None:
        from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

        for child in node.children:
            if isinstance(child, Tag):
                if child.name in _SKIP:
                    continue
                if child.name == "table":
                    end_line()
                    sequence.table(lambda name, table=child: _table_grid(file, name, table))
                elif child.name == "br":
                    end_line()
                elif child.name in _BLOCKS:
                    end_line()
                    visit(child)
                    end_line()
                else:
                    visit(child)
            elif isinstance(child, NavigableString) and not isinstance(
                child, Comment | Declaration | Doctype | ProcessingInstruction
            ):
                text = str(child).replace("\n", " ")
                if text.strip() and current_line[0] is None:
                    current_line[0] = getattr(child.parent, "sourceline", None)
                current.append(text)

    visit(soup)
    end_line()
    found = sequence.result()
    if not found:
        raise InputError("网页中没有可读取的文字或表格", where)
    return found


def _table_grid(file: str, name: str, table: Any) -> Grid:
    def ref(row: int, col: int) -> SourceRef:
        return SourceRef(file, sheet=name, row=row, column=column_letter(col), part="table")

    builder = GridBuilder(file, name, "html_table", ref)
    taken: set[tuple[int, int]] = set()
    for row_no, tr in enumerate(_rows(table), start=1):
        col = 1
        for cell in tr.find_all(("td", "th"), recursive=False):
            while (row_no, col) in taken:
                col += 1
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            builder.put(row_no, col, _cell_text(cell), rowspan=rowspan, colspan=colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((row_no + dr, col + dc))
            col += colspan
    if table.find("table") is not None:
        builder.note(f"{name}内嵌了表格，只读取了外层表格（内层表格的文字并入所在单元格）")
    return builder.build()


def _rows(table: Any) -> list[Any]:
    """The table's own rows (through thead/tbody/tfoot), not those of tables nested in its cells."""
    rows = []
    for child in table.find_all(("tr", "thead", "tbody", "tfoot"), recursive=False):
        if child.name == "tr":
            rows.append(child)
        else:
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def _span(raw: Any) -> int:
    try:
        return max(1, min(int(str(raw).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell: Any) -> str:
    for br in cell.find_all("br"):
        br.replace_with("\n")
    for block in cell.find_all(("p", "div", "li")):
        block.insert_after("\n")
    lines = (_SPACES.sub(" ", line).strip() for line in cell.get_text().split("\n"))
    return "\n".join(line for line in lines if line)
