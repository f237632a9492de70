"""A fast read of a large .xlsx: calamine for the values, the sheet XML only where formats matter.

openpyxl's full load builds a styled `Cell` object per cell and was half of a 100,000-row run; a
formula anywhere made the actuals reader load the whole file a second time. calamine reads the
values of the same file ten times faster but drops three things the readers depend on, which are
put back here from the sheet's own XML, scanned as bytes for the few places they occur:

- number formats: only whether a cell's style shows a percentage changes what a person reads
  (`0.985` in a `0.0%` cell is 98.5%). styles.xml names the percent styles; the sheet XML is
  searched for cells carrying one of those `s="…"` indices, so no other cell's style is looked at;
- formulas: calamine gives a formula's cached result, or nothing when it was never calculated;
  the formula text comes from the `<f>` elements (searched only where the sheet has any);
- error values (`#DIV/0!`): calamine gives an empty cell; cells typed `t="e"` keep their text.

Typed values follow openpyxl's conventions, so both paths hand the readers the same values:
integers as `int`, a date cell as a `datetime`, an empty cell as `None`.

`FastWorkbook` offers the few workbook and worksheet attributes the two workbook readers use
(`sheetnames`, `ws[title]`, `max_row`, `max_column`, `cell(row=, column=)`, `iter_rows`,
`merged_cells.ranges`, and cells with `value`, `number_format`, `data_type`), in two views like
openpyxl's two loads: cached values (`data_only=True`) and formulas (formula text where a cell
holds one).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string

from evaluator.ingest.cells import is_percent_format

GENERAL = "General"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f(?=[\s>/])([^>]*?)(/?)>")
_FORMULA_END = re.compile(rb"</(?:\w+:)?f>")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_ATTR = re.compile(rb'\b(t|si|ref)="([^"]*)"')


@dataclass(slots=True)
class FastCell:
    """What the readers ask of a cell; `data_type` is "f" on a formula cell of the formulas view."""

    value: object = None
    number_format: str = GENERAL
    data_type: str = "n"


@dataclass(frozen=True, slots=True)
class _Range:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass(frozen=True, slots=True)
class _Merged:
    ranges: tuple[_Range, ...]


def _typed(value: object) -> object:
    """calamine's value as openpyxl gives it."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


@dataclass
class _SheetData:
    """One sheet's values plus the sparse facts read from its XML, shared by both views."""

    title: str
    values: list[list[object]]
    merged: _Merged
    state: str = "visible"  # workbook.xml's visible / hidden / veryHidden, as openpyxl's sheet_state
    percent_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def max_row(self) -> int:
        merged = max((r.max_row for r in self.merged.ranges), default=0)
        return max(len(self.values), merged, 1)

    @property
    def max_column(self) -> int:
        merged = max((r.max_col for r in self.merged.ranges), default=0)
        return max(max((len(row) for row in self.values), default=0), merged, 1)


class FastSheet:
    """A worksheet look-alike over `_SheetData`; `formulas=True` is openpyxl's non-data-only view."""

    def __init__(self, data: _SheetData, *, formulas: bool) -> None:
        self._data = data
        self._formulas = formulas
        self.title = data.title
        self.merged_cells = data.merged
        self.sheet_state = data.state

    @property
    def max_row(self) -> int:
        return self._data.max_row

    @property
    def max_column(self) -> int:
        return self._data.max_column

    @property
    def has_formulas(self) -> bool:
        return bool(self._data.formulas)

    def used_rows(self) -> list[int]:
        """Rows (1-based) holding content in this view: values, error values, and formulas in the formulas view."""
        data = self._data
        rows = {
            number
            for number, line in enumerate(data.values, start=1)
            if any(v is not None and not (type(v) is str and not v.strip()) for v in line)
        }
        rows.update(row for row, _col in data.errors)
        if self._formulas:
            rows.update(row for row, _col in data.formulas)
        return sorted(rows)

    def used_columns(self) -> int:
        """The last column (1-based) holding content in this view; 0 for an empty sheet."""
        data = self._data
        last = 0
        for line in data.values:
            for index in range(len(line), last, -1):
                value = line[index - 1]
                if value is not None and not (type(value) is str and not value.strip()):
                    last = index
                    break
        keys = [*data.errors, *(data.formulas if self._formulas else ())]
        return max([last, *(col for _row, col in keys)])

    def cell(self, row: int, column: int) -> FastCell:
        data = self._data
        if data.formulas or data.errors:  # rare: most large sheets have neither
            key = (row, column)
            if self._formulas and key in data.formulas:
                return FastCell(data.formulas[key], GENERAL, "f")
            if key in data.errors:
                return FastCell(data.errors[key], GENERAL, "e")
        try:
            value = data.values[row - 1][column - 1]
        except IndexError:
            value = None
        fmt = data.percent_cells.get((row, column), GENERAL) if data.percent_cells else GENERAL
        return FastCell(value, fmt, "s" if type(value) is str else "n")

    def iter_rows(self, min_row: int = 1, max_row: int | None = None) -> Iterator[tuple[FastCell, ...]]:
        last = self.max_row if max_row is None else max_row
        columns = range(1, self.max_column + 1)
        cell = self.cell
        for row in range(min_row, last + 1):
            yield tuple([cell(row, col) for col in columns])


class FastWorkbook:
    """The sheets of one .xlsx, read on first use; `formulas=True` mirrors `load_workbook(data_only=False)`."""

    def __init__(self, path: Path, *, formulas: bool = False) -> None:
        from python_calamine import CalamineWorkbook

        self.path = Path(path)
        self._formulas = formulas
        self._calamine = CalamineWorkbook.from_path(str(self.path))
        self.sheetnames: list[str] = list(self._calamine.sheet_names)
        with zipfile.ZipFile(self.path) as archive:
            self._sheet_parts, self._states = _sheet_parts(archive)
            self._percent_styles = _percent_styles(archive)
        self._data: dict[str, _SheetData] = {}

    def __getitem__(self, title: str) -> FastSheet:
        return FastSheet(self.sheet_data(title), formulas=self._formulas)

    @property
    def worksheets(self) -> list[FastSheet]:
        return [self[title] for title in self.sheetnames]

    def with_formulas(self) -> FastWorkbook:
        """The same data in the other view, without reading anything again."""
        other = object.__new__(FastWorkbook)
        other.__dict__.update(self.__dict__)
        other._formulas = not self._formulas
        return other

    def sheet_data(self, title: str) -> _SheetData:
        if title not in self._data:
            sheet = self._calamine.get_sheet_by_name(title)
            values = [[_typed(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            ranges = tuple(
                _Range(start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1)
                for start, end in (sheet.merged_cell_ranges or ())
            )
            data = _SheetData(title, values, _Merged(ranges), self._states.get(title, "visible"))
            part = self._sheet_parts.get(title)
            if part is not None:
                with zipfile.ZipFile(self.path) as archive:
                    xml = archive.read(part)
                _scan_sheet_xml(xml, self._percent_styles, data)
            self._data[title] = data
        return self._data[title]

    def close(self) -> None:
        self._calamine.close()


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
    return (int(match.group(2)), column_index_from_string(match.group(1).decode())) if match else None


def _scan_sheet_xml(xml: bytes, percent_styles: dict[bytes, str], data: _SheetData) -> None:
    """Percent-styled cells, formula texts and error values: each searched for by its own bytes."""
    for style, code in percent_styles.items():
        for match in re.finditer(rb'\ss="' + re.escape(style) + rb'"', xml):
            found = _tag_around(xml, match.start())
            ref = _ref(found[1]) if found else None
            if ref:
                data.percent_cells[ref] = code
    if re.search(rb'\st="e"', xml):
        for match in re.finditer(rb'\st="e"', xml):
            found = _tag_around(xml, match.start())
            ref = _ref(found[1]) if found else None
            if found and ref:
                value = _VALUE.search(xml, found[0], xml.find(b"</", found[0]) + 64)
                if value:
                    data.errors[ref] = value.group(1).decode("utf-8")
    if _FORMULA.search(xml) is None:
        return
    shared: dict[str, tuple[str, tuple[int, int]]] = {}
    pending: list[tuple[tuple[int, int], str]] = []
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
                shared[attrs.get("si", "")] = (text, ref)
            else:
                pending.append((ref, attrs.get("si", "")))
                continue
        data.formulas[ref] = "=" + text
    for ref, si in pending:  # a shared formula's followers hold only its index: translate the master's text
        master = shared.get(si)
        data.formulas[ref] = _translate(master[0], master[1], ref) if master else "="


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

FAST_READ_BYTES = 256_000
"""Workbooks at least this large (about 4,500 indicator rows) are read this way; smaller ones by openpyxl.

Below it openpyxl's load costs under a second, and the bundled sample and hand-made files keep
the reader they have always had."""


def open_fast(path: Path, *, formulas: bool) -> FastWorkbook | None:
    """A FastWorkbook for a large file, or None: small files, and any file calamine cannot read, go to
    openpyxl, whose messages for a damaged or foreign file the readers already turn into Chinese."""
    from evaluator.ingest.formats.sniff import require_xlsx
    from evaluator.ingest.workbook_open import check_sheet_sizes

    path = Path(path)
    try:
        if path.stat().st_size < FAST_READ_BYTES:
            return None
    except OSError:
        return None
    require_xlsx(path)  # the same refusals as the openpyxl path, in the same words
    check_sheet_sizes(path, MAX_FAST_SHEET_XML_BYTES)
    try:
        workbook = FastWorkbook(path, formulas=formulas)
        for title in workbook.sheetnames:  # read now, so a damaged sheet fails here and not in a reader
            workbook.sheet_data(title)
    except Exception:  # calamine's and zipfile's many kinds: the openpyxl path reports them properly
        return None
    return workbook
