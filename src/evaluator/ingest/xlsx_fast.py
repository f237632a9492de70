"""A fast read of a large .xlsx: calamine for the values, the sheet XML only where formats matter.

openpyxl's full load builds a styled `Cell` object per cell and was half of a 100,000-row run; a
formula anywhere made the actuals reader load the whole file a second time. calamine reads the
values of the same file ten times faster but drops three things the readers depend on, which are
put back here from the sheet's own XML, scanned as bytes, a block at a time, for the few places
they occur:

- number formats: only whether a cell's style shows a percentage changes what a person reads
  (`0.985` in a `0.0%` cell is 98.5%). styles.xml names the percent styles; the sheet XML is
  searched for cells carrying one of those `s="…"` indices, so no other cell's style is looked at;
- formulas: calamine gives a formula's cached result, or nothing when it was never calculated;
  the formula text comes from the `<f>` elements (searched only where the sheet has any);
- error values (`#DIV/0!`): calamine gives an empty cell; cells typed `t="e"` keep their text.

Typed values follow openpyxl's conventions, so both paths hand the readers the same
`SheetValues`: integers as `int`, a date cell as a `datetime`, an empty cell as `None`. Values are
taken from calamine a block of rows at a time into columns, one shared object per distinct value,
and calamine's copy of a sheet is dropped as soon as its columns exist.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string

from evaluator.errors import EvaluatorError
from evaluator.ingest.cells import is_percent_format
from evaluator.ingest.workbook_open import Book, SheetValues, extent, give_back_memory

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f(?=[\s>/])([^>]*?)(/?)>")
_FORMULA_END = re.compile(rb"</(?:\w+:)?f>")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_ATTR = re.compile(rb'\b(t|si|ref)="([^"]*)"')
# Every formula start tag (`<f>`, `<x:f t="shared" …/>`) holds this; searching for it alone is ~8× faster
# than `_FORMULA`, which tries a match at every `<` of the sheet (0.34 of 0.39 CPU s of a 100k scan).
_FORMULA_HINT = re.compile(rb"f[\s>/]")


_CHUNK_ROWS = 65_536  # rows taken from calamine at a time: the Python copies of one chunk, never of the sheet
_XML_CHUNK = 8 << 20  # bytes of sheet XML scanned at a time


def _typed(value: object) -> object:
    """calamine's value as openpyxl gives it."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _typed_column(values: tuple[object, ...], typed: dict[object, object]) -> list[object]:
    """The values as openpyxl gives them, one shared object per distinct value across the sheet.

    Why shared: a million rows repeat a few thousand names and targets; one str object each keeps
    the columns small. Only values not met before are converted, in a loop over the distinct ones;
    the cells themselves are mapped at C speed. Keys compare by value, so a column holding booleans
    (True == 1) is converted cell by cell instead.
    """
    distinct = set(values)
    # A boolean equals 0 or 1, so a column without either holds none; only then are types looked at.
    if (0 in distinct or 1 in distinct) and bool in set(map(type, values)):
        return [v if type(v) is bool else _typed(v) for v in values]
    # set.difference(dict) looks each new value up in `typed`; `keys() - keys()` walked all of `typed`
    # (every distinct value of the sheet so far) once per column and block: 5 of 30 CPU s at 1M rows.
    for value in distinct.difference(typed):
        typed[value] = _typed(value)
    return list(map(typed.__getitem__, values))


class FastWorkbook:
    """The sheets of one .xlsx as `SheetValues`: calamine for values, the sheet XML for the rest."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self.path = Path(path)
        self._calamine = CalamineWorkbook.from_path(str(self.path))
        self.sheetnames: list[str] = list(self._calamine.sheet_names)
        with zipfile.ZipFile(self.path) as archive:
            self._sheet_parts, self._states = _sheet_parts(archive)
            self._sizes = {item.filename: item.file_size for item in archive.infolist()}
            self._percent_styles = _percent_styles(archive)

    def state(self, title: str) -> str:
        return self._states.get(title, "visible")

    def sheet(self, title: str) -> SheetValues:
        """Read one sheet now; nothing of it is kept here, so it is freed once the caller is done."""
        part = self._sheet_parts.get(title)
        found = None
        if part is not None and self._sizes.get(part, 0) >= PIECEWISE_SHEET_BYTES:
            scan = _SheetScan(self._percent_styles)
            try:
                found = _read_in_pieces(self.path, part, title, scan)
            except Exception:  # a layout the pieces do not take, or anything failing in them: read it whole
                found = None
        if found is None:
            scan = _SheetScan(self._percent_styles)
            found = self._whole(title)
            if part is not None:
                with zipfile.ZipFile(self.path) as archive, archive.open(part) as stream:
                    scan.read(stream)
        columns, merged, height = found
        for (row, col), text in scan.errors.items():  # calamine leaves error cells empty
            while len(columns) < col:
                columns.append([None] * height)
            if row <= height:
                columns[col - 1][row - 1] = text
        columns, used, width = extent(columns, scan.formulas)
        last = len(columns[0]) if columns else 0
        percent = {  # kept where a value is, as openpyxl's load shows them
            (row, col): fmt
            for (row, col), fmt in scan.percent_cells.items()
            if row <= last and col <= width and columns[col - 1][row - 1] is not None
        }
        return SheetValues(title, self.state(title), columns, used, width, percent, scan.formulas, merged)

    def _whole(self, title: str) -> tuple[list[list[object]], _Merged, int]:
        """(columns, merged ranges, height) of a sheet calamine parses whole."""
        sheet = self._calamine.get_sheet_by_name(title)
        merged = _merged_of(sheet)
        first_col = sheet.start[1] if sheet.start is not None else 0
        columns: list[list[object]] = [[] for _ in range(first_col)]
        typed: dict[object, object] = {}
        rows = sheet.iter_rows()
        height = 0
        while chunk := list(islice(rows, _CHUNK_ROWS)):
            for index, values in enumerate(zip(*chunk, strict=True), start=first_col):
                if index == len(columns):
                    columns.append([None] * height)
                columns[index].extend(_typed_column(values, typed))
            height += len(chunk)
            del chunk
        del sheet, rows, typed
        give_back_memory()  # calamine's copy of the sheet is gone
        for values in columns[:first_col]:
            values.extend([None] * height)
        return columns, merged, height

    def close(self) -> None:
        self._calamine.close()


_Merged = tuple[tuple[int, int, int, int], ...]


def _merged_of(sheet: object) -> _Merged:
    """calamine's merged ranges as (min_row, min_col, max_row, max_col), 1-based."""
    ranges = getattr(sheet, "merged_cell_ranges", None) or ()
    return tuple((start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1) for start, end in ranges)


PIECEWISE_SHEET_BYTES = 16 << 20
"""A sheet whose XML unpacks to at least this (about 25,000 actuals rows) is handed to calamine in pieces.

Why: calamine parses a sheet whole into its own cells before giving any row back; for the 1M-row
实际完成 sheet that held ~600 MB beside the targets records already read, the peak of reading. The
pieces are also cheaper: at 100,000 rows `load_inputs` took 5.7–6.3 CPU s with whole sheets and
4.5–4.6 s in pieces (peak RSS 293 → 248 MB), calamine's one large allocation per sheet being gone."""

_PIECE_BYTES = 8 << 20  # sheet XML per piece: calamine holds one piece's cells at a time

_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'


class _NotInPieces(Exception):
    """The sheet's XML is not laid out as the piecewise read expects: it is read whole instead."""


class _Pieces:
    """The rows of one sheet XML, passed on in pieces of whole `<row>`s, each read by calamine alone.

    Each piece becomes a workbook of its own, written uncompressed to a temporary file as the XML
    arrives (on disk, not in memory: calamine reads it from there): the
    file's other parts as they are (styles, shared strings, workbook.xml: so dates, the 1904 system
    and shared strings read the same), the other sheets empty, this sheet's XML head, the piece's
    rows and a closing tag; the last piece keeps the sheet's real tail (merged ranges). Cells keep
    their own `r` references, so calamine places every value where the whole read does; the pieces'
    values are laid end to end, which asks that the rows come in ascending order, as the format
    requires and every writer does (a piece starting above the last one's end is refused).
    """

    def __init__(self, archive: zipfile.ZipFile, part: str, title: str, limit: int) -> None:
        self._others = [
            (item.filename, _EMPTY_SHEET if _is_worksheet(item.filename) else archive.read(item))
            for item in archive.infolist()
            if item.filename != part and not item.is_dir()
        ]
        self._part, self._title, self._limit = part, title, limit
        self._head: bytes | None = None
        self._closing = b""
        self._open: tuple[str, zipfile.ZipFile, IO[bytes]] | None = None  # the piece being written
        self._size = 0
        self.columns: list[list[object]] = []
        self.height = 0
        self.merged: _Merged = ()
        self._typed: dict[object, object] = {}
        self._last: bytes = b""  # the latest piece, held back: the sheet's tail may follow in it

    def add(self, piece: bytes) -> None:
        if not piece:
            return
        if self._head is None:
            found = _SHEET_DATA.search(piece)
            root = _ROOT.search(piece)  # the document element, whatever its prefix
            if found is None or found.group(2) or root is None or not root.group(1).endswith(b"worksheet"):
                raise _NotInPieces
            self._head = piece[: found.end()]
            self._closing = b"</" + found.group(1) + b"sheetData></" + root.group(1) + b">"
            piece = piece[found.end() :]
        if self._last:
            self._write(self._last)
        self._last = piece
        if self._size >= self._limit:
            self._read(self._closing, last=False)

    def finish(self) -> tuple[list[list[object]], _Merged, int]:
        rest, self._last = self._last, b""
        ends = list(_SHEET_DATA_END.finditer(rest))
        if self._head is None or not ends:
            raise _NotInPieces
        cut = ends[-1].start()
        self._write(rest[:cut])
        self._read(rest[cut:], last=True)
        for values in self.columns:
            values.extend([None] * (self.height - len(values)))
        give_back_memory()  # the pieces' cells in calamine are gone
        return self.columns, self.merged, self.height

    def discard(self) -> None:
        """Remove the piece being written, if any (a read that stopped half way leaves no file behind)."""
        if self._open is not None:
            name, out, member = self._open
            self._open = None
            try:
                member.close()
                out.close()
            finally:
                os.unlink(name)

    def _write(self, rows: bytes) -> None:
        if self._open is None:
            handle, name = tempfile.mkstemp(prefix="evaluator-piece-", suffix=".xlsx")
            os.close(handle)
            try:
                out = zipfile.ZipFile(name, "w", zipfile.ZIP_STORED)
                for part, data in self._others:
                    out.writestr(part, data)
                member = out.open(self._part, "w", force_zip64=True)
            except BaseException:
                os.unlink(name)
                raise
            member.write(self._head or b"")
            self._open = (name, out, member)
        self._open[2].write(rows)
        self._size += len(rows)

    def _read(self, closing: bytes, *, last: bool) -> None:
        from python_calamine import CalamineWorkbook

        if self._open is None:
            self._write(b"")
        assert self._open is not None
        name, out, member = self._open
        self._open, self._size = None, 0
        try:
            member.write(closing)
            member.close()
            out.close()
            book = CalamineWorkbook.from_path(name)
            sheet = book.get_sheet_by_name(self._title)
            if last:
                self.merged = _merged_of(sheet)
            start = sheet.start
            values = sheet.to_python(skip_empty_area=True) if start is not None else []
            book.close()
            del sheet, book
        finally:
            os.unlink(name)
        if not values:
            return
        first_row, first_col = start
        if first_row < self.height:  # rows out of order across pieces: only the whole read places them
            raise _NotInPieces
        columns, typed = self.columns, self._typed
        end = first_row + len(values)
        for index, column in enumerate(zip(*values, strict=True), start=first_col):
            while index >= len(columns):
                columns.append([])
            target = columns[index]
            target.extend([None] * (first_row - len(target)))
            target.extend(_typed_column(column, typed))
        del values
        for target in columns:
            target.extend([None] * (end - len(target)))
        self.height = end


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name


def _read_in_pieces(path: Path, part: str, title: str, scan: _SheetScan) -> tuple[list[list[object]], _Merged, int]:
    """(columns, merged ranges, height) of a large sheet, calamine reading it a piece at a time; the same
    pass of the XML feeds `scan`, so the sheet is unpacked once."""
    with zipfile.ZipFile(path) as archive:
        pieces = _Pieces(archive, part, title, _PIECE_BYTES)
        try:
            with archive.open(part) as stream:
                scan.read(stream, _XML_CHUNK, also=pieces.add)
            return pieces.finish()
        finally:
            pieces.discard()


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names in order, from workbook.xml alone.

    Why: telling a targets workbook from an actuals workbook needs only the names, and openpyxl's
    read-only load took 1.5 s for a 100,000-row workbook to give them. Raises what zipfile and the
    XML parser raise for a file that is no workbook (callers treat that as "not this kind").
    """
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" in archive.NameToInfo:
            return list(_sheet_parts(archive)[1])
    from openpyxl import load_workbook  # a workbook part named otherwise: openpyxl finds it

    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """(sheet name → its XML part, sheet name → its state), from workbook.xml and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    states: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        states[sheet.get("name", "")] = sheet.get("state", "visible")
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = path
    return parts, states


def _percent_styles(archive: zipfile.ZipFile) -> dict[bytes, str]:
    """The `s` indices (as written in the sheet XML) whose number format shows a percentage → that format."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return {}
    codes = {int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "") for fmt in styles.iter(f"{_MAIN}numFmt")}
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    found: dict[bytes, str] = {}
    for index, xf in enumerate(() if cell_xfs is None else cell_xfs.iter(f"{_MAIN}xf")):
        number = int(xf.get("numFmtId", "0"))
        code = codes.get(number, BUILTIN_FORMATS.get(number, ""))
        if is_percent_format(code):
            found[str(index).encode()] = code
    return found


def _tag_around(xml: bytes, pos: int) -> tuple[int, bytes] | None:
    """The `<c …>` start tag containing byte `pos`, or None when `pos` is in another element."""
    start = xml.rfind(b"<", 0, pos)
    end = xml.find(b">", pos)
    if start < 0 or end < 0:
        return None
    tag = xml[start : end + 1]
    name = tag[1:].split(None, 1)[0].split(b":")[-1]
    return (start, tag) if name == b"c" else None


def _ref(tag: bytes) -> tuple[int, int] | None:
    match = _REF.search(tag)
    if match is None:
        return None
    letters = match.group(1)
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_index_from_string(letters.decode())
    return int(match.group(2)), col


_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_COLUMNS: dict[bytes, int] = {}


class _SheetScan:
    """Percent-styled cells, formula texts and error values of one sheet's XML, read a block at a time.

    Blocks are cut after a `</row>`, so no cell is split between two; each thing is searched for by
    its own bytes, so a block without any costs one pass of `re` over it.
    """

    def __init__(self, percent_styles: dict[bytes, str]) -> None:
        self.percent_cells: dict[tuple[int, int], str] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.errors: dict[tuple[int, int], str] = {}
        self._styles = [(b's="' + style + b'"', code) for style, code in percent_styles.items()]
        self._shared: dict[str, tuple[str, tuple[int, int]]] = {}
        self._pending: list[tuple[tuple[int, int], str]] = []

    def read(self, stream: IO[bytes], chunk: int = _XML_CHUNK, also: Callable[[bytes], None] | None = None) -> None:
        """Scan the stream; `also` is given the same pieces (whole rows), in order, and the rest at the end."""
        tail = b""
        while block := stream.read(chunk):
            data = tail + block
            cut = _last_row_end(data)
            piece = data[:cut]
            self.feed(piece)
            if also is not None:
                also(piece)
            tail = data[cut:]
            del data, piece
        self.feed(tail)
        if also is not None:
            also(tail)
        self.finish()

    def feed(self, xml: bytes) -> None:
        for needle, code in self._styles:  # a literal search: the percent cells are few, the bytes many
            at = xml.find(needle)
            while at >= 0:
                if xml[at - 1 : at].isspace():  # an attribute, not the end of another one's name
                    found = _tag_around(xml, at)
                    ref = _ref(found[1]) if found else None
                    if ref:
                        self.percent_cells[ref] = code
                at = xml.find(needle, at + len(needle))
        if b't="e"' in xml:
            for match in re.finditer(rb'\st="e"', xml):
                found = _tag_around(xml, match.start())
                ref = _ref(found[1]) if found else None
                if found and ref:
                    value = _VALUE.search(xml, found[0], xml.find(b"</", found[0]) + 64)
                    if value:
                        self.errors[ref] = value.group(1).decode("utf-8")
        if _FORMULA_HINT.search(xml) is None:  # no formula start tag can be there: the common sheet
            return
        for match in _FORMULA.finditer(xml):
            found = _tag_around(xml, xml.rfind(b"<", 0, match.start()) + 1)
            ref = _ref(found[1]) if found else None
            if not ref:
                continue
            attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(match.group(1))}
            text = ""
            if not match.group(2):  # not self-closing: the formula text runs to </f>
                end = _FORMULA_END.search(xml, match.end())
                text = _unescape(xml[match.end() : end.start()].decode("utf-8")) if end else ""
            if attrs.get("t") == "shared":
                if text:
                    self._shared[attrs.get("si", "")] = (text, ref)
                else:
                    self._pending.append((ref, attrs.get("si", "")))
                    continue
            self.formulas[ref] = "=" + text

    def finish(self) -> None:
        """A shared formula's followers hold only its index: translate the master's text to each."""
        for ref, si in self._pending:
            master = self._shared.get(si)
            self.formulas[ref] = _translate(master[0], master[1], ref) if master else "="
        self._pending.clear()


def _last_row_end(data: bytes) -> int:
    """Just past the last `</row>` in `data` (0 when there is none yet)."""
    end = 0
    at = data.rfind(b"row>")
    while at >= 0:
        match = _ROW_END.match(data, max(data.rfind(b"<", 0, at), 0))
        if match and match.end() == at + 4:
            return match.end()
        at = data.rfind(b"row>", 0, at)
    return end


def _translate(text: str, origin: tuple[int, int], ref: tuple[int, int]) -> str:
    from openpyxl.formula.translate import Translator
    from openpyxl.utils import get_column_letter

    def name(cell: tuple[int, int]) -> str:
        return f"{get_column_letter(cell[1])}{cell[0]}"

    return Translator("=" + text, origin=name(origin)).translate_formula(name(ref))


_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|quot|apos|amp));")
_NAMED = {"lt": "<", "gt": ">", "quot": '"', "apos": "'", "amp": "&"}


def _unescape(text: str) -> str:
    """XML text as written: the five named entities and numeric references (openpyxl writes a formula's
    Chinese as `&#23436;`), in one pass so `&amp;lt;` stays `&lt;`."""
    if "&" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if name:
            return _NAMED[name]
        return chr(int(decimal) if decimal else int(hexadecimal, 16))

    return _ENTITY.sub(one, text)


MAX_FAST_SHEET_XML_BYTES = 1024 * 1024 * 1024
"""calamine holds values, not styled cell objects: a sheet of up to ~1.5M indicator rows (1 GiB of
XML) is read this way, where the openpyxl load refuses more than 64 MB (about 100,000 rows)."""

MAX_FAST_WORKBOOK_BYTES = 2 * MAX_FAST_SHEET_XML_BYTES
"""All parts of a workbook read this way, unpacked: a million-row targets workbook is about 650 MB,
past the 512 MB every other reader refuses."""

FAST_READ_BYTES = 256_000
"""Workbooks at least this large (about 4,500 indicator rows) are read this way; smaller ones by openpyxl.

Below it openpyxl's load costs under a second, and the bundled sample and hand-made files keep
the reader they have always had."""


class _FastOrSlow:
    """calamine's reading of a workbook until calamine fails on a sheet, openpyxl's from then on.

    Why: a file calamine cannot parse (a truncated sheet, an odd writer) still gets openpyxl's
    reading, or openpyxl's Chinese message for a damaged file; parsing every sheet up front just to
    find out would parse each large sheet twice.
    """

    def __init__(self, fast: FastWorkbook, slow: Callable[[], Book]) -> None:
        self._fast: FastWorkbook | None = fast
        self._slow_factory = slow
        self._slow: Book | None = None
        self.sheetnames = fast.sheetnames

    def state(self, title: str) -> str:
        return self._fast.state(title) if self._fast is not None else self._fallback().state(title)

    def sheet(self, title: str) -> SheetValues:
        if self._fast is not None:
            try:
                return self._fast.sheet(title)
            except EvaluatorError:
                raise
            except Exception:  # calamine's and zipfile's many kinds: the openpyxl path reports them properly
                self._fast.close()
                self._fast = None
        return self._fallback().sheet(title)

    def _fallback(self) -> Book:
        if self._slow is None:
            self._slow = self._slow_factory()
        return self._slow


def open_book(path: Path, slow: Callable[[], Book]) -> Book:
    """The workbook at `path` as the readers read it: calamine for a large file, `slow()` (openpyxl)
    for a small one or one calamine cannot open. Both refuse empty, encrypted, renamed, oversized
    and damaged files in the same words."""
    from evaluator.ingest.formats.sniff import require_xlsx
    from evaluator.ingest.workbook_open import check_sheet_sizes

    path = Path(path)
    try:
        small = path.stat().st_size < FAST_READ_BYTES
    except OSError:
        small = True
    if small:
        return slow()
    require_xlsx(path, max_unpacked=MAX_FAST_WORKBOOK_BYTES)
    check_sheet_sizes(path, MAX_FAST_SHEET_XML_BYTES)
    try:
        fast = FastWorkbook(path)
    except Exception:
        return slow()
    return _FastOrSlow(fast, slow)
