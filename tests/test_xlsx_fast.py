"""The fast (calamine) read and the openpyxl read must give the same records, cell kind by cell kind."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from evaluator.common.resources import sample_inputs_dir
from evaluator.ingest import xlsx_fast
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.targets_workbook import read_targets_workbook, write_targets_workbook
from evaluator.ingest.workbook_open import OpenpyxlBook, open_xlsx
from evaluator.ingest.xlsx_fast import FastWorkbook, _SheetScan
from workbook_readers_golden import actuals_every_kind

SAMPLE = sample_inputs_dir()
SAMPLE_ACTUALS = SAMPLE / "实际完成值_样例.xlsx"
SAMPLE_TARGETS = SAMPLE / "shanghai_ftu_2024_targets.txt"


def both(monkeypatch: pytest.MonkeyPatch, read, path: Path):
    """(openpyxl records, calamine records) of the same file."""
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 10**15)
    slow = read(path)
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    fast = read(path)
    return slow, fast


def test_the_fast_path_is_taken_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = object()
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 10**15)
    assert xlsx_fast.open_book(SAMPLE_ACTUALS, lambda: slow) is slow
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    book = xlsx_fast.open_book(SAMPLE_ACTUALS, lambda: slow)
    assert book is not slow and book.sheet("实际完成").rows[:3] == [1, 2, 3]


def test_a_renamed_file_is_refused_in_the_openpyxl_paths_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.errors import EvaluatorError
    from evaluator.ingest.workbook_open import open_xlsx

    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(b"a,b\n1,2\n" * 100)
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    with pytest.raises(EvaluatorError) as fast:
        xlsx_fast.open_book(renamed, lambda: pytest.fail("the fast path refuses it itself"))
    with pytest.raises(EvaluatorError) as slow:
        open_xlsx(renamed, data_only=False)
    assert str(fast.value) == str(slow.value)


def test_a_zip_calamine_cannot_parse_goes_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet calamine fails on is read by openpyxl, which gives its own Chinese message for it."""
    from evaluator.errors import EvaluatorError

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(SAMPLE_ACTUALS) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row" if item.filename == "xl/worksheets/sheet1.xml" else data)
    asked: list[str] = []

    def slow() -> OpenpyxlBook:
        asked.append("openpyxl")
        return OpenpyxlBook(open_xlsx(broken, data_only=False))

    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    book = xlsx_fast.open_book(broken, slow)
    assert book.sheetnames == ["实际完成", "预算执行", "填写说明"] and not asked
    with pytest.raises(EvaluatorError, match="文件已损坏"):
        book.sheet("实际完成")
    assert asked == ["openpyxl"]
    with pytest.raises(EvaluatorError) as fast:
        read_actuals_workbook(broken)
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 10**15)
    with pytest.raises(EvaluatorError) as slow_error:
        read_actuals_workbook(broken)
    assert str(fast.value) == str(slow_error.value)


def _same_sheets(fast: FastWorkbook, slow: OpenpyxlBook) -> None:
    assert fast.sheetnames == slow.sheetnames
    for title in fast.sheetnames:
        a, b = fast.sheet(title), slow.sheet(title)
        assert (a.title, a.state, a.rows, a.width, a.merged) == (b.title, b.state, b.rows, b.width, b.merged), title
        assert a.percent == b.percent and a.formulas == b.formulas, title
        assert len(a.columns) == len(b.columns), title
        for col, (x, y) in enumerate(zip(a.columns, b.columns, strict=True), start=1):
            assert [(type(v), v) for v in x] == [(type(v), v) for v in y], (title, col)


def test_the_extent_is_the_data_not_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "extent.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C3"], ws["B5"] = "a", "c", "  "
    ws["D7"] = "=1+1"  # no cached value: no value, but a formula
    ws["F20"].number_format = "0%"  # formatted, empty
    wb.save(path)
    fast, slow = FastWorkbook(path), OpenpyxlBook(open_xlsx(path, data_only=False))
    _same_sheets(fast, slow)
    sheet = fast.sheet(fast.sheetnames[0])
    assert sheet.rows == [1, 3, 7] and sheet.width == 4
    assert sheet.formulas == {(7, 4): "=1+1"}
    assert len(sheet.columns) == 4 and all(len(column) == 7 for column in sheet.columns)


def test_both_libraries_give_the_same_sheet_values(tmp_path: Path) -> None:
    """The workbook of every cell kind (merged, percent, formulas cached and not, errors, dates, booleans)."""
    from workbook_readers_golden import actuals_every_kind

    path = actuals_every_kind(tmp_path)
    _same_sheets(FastWorkbook(path), OpenpyxlBook(open_xlsx(path, data_only=False), open_xlsx(path, data_only=True)))


def test_bundled_actuals_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    slow, fast = both(monkeypatch, read_actuals_workbook, SAMPLE_ACTUALS)
    assert len(slow.rows) == 125 and slow.budgets
    assert fast == slow


def test_bundled_targets_as_a_workbook_give_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "targets.xlsx"
    write_targets_workbook(read_declarations(SAMPLE_TARGETS), path)
    slow, fast = both(monkeypatch, read_targets_workbook, path)
    assert len(slow.projects) == 12
    assert fast == slow


@pytest.fixture
def every_kind(tmp_path: Path) -> Path:
    """The bundled actuals with rows of every cell kind appended (invented values)."""
    return actuals_every_kind(tmp_path)


def test_every_cell_kind_gives_the_same_records(every_kind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow, fast = both(monkeypatch, read_actuals_workbook, every_kind)
    by_name = {row.level3: row for row in slow.rows}
    # The openpyxl path reads them as a person does: the fast path must agree with it exactly.
    assert by_name["合格率"].actual_text == "93.5%"
    assert by_name["达标率"].actual_text == "100%"
    assert by_name["完成时间"].actual_text == "2024-06-28"
    assert by_name["开课时间"].actual_text == "2024-06-01 09:30"
    assert by_name["公式已计算"].actual_text == "12"
    assert by_name["公式未计算"].actual_text == ""
    assert by_name["错误值文字"].actual_text == "#DIV/0!"
    assert by_name["错误值"].actual_text == "#N/A"
    assert by_name["大数"].actual_text == "1234567.5"
    assert by_name["合格率"].project == "上海市退休职工大学教育业务补助"  # from the merged name cell
    assert any("=SUM(F1:F2)" in r.found for r in slow.repairs)
    assert any("=1000+2000" in r.found for r in slow.repairs)
    assert fast.rows == slow.rows
    assert fast.budgets == slow.budgets
    assert fast.repairs == slow.repairs
    assert fast == slow


def test_typed_values_follow_openpyxl(every_kind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow, fast = both(monkeypatch, read_actuals_workbook, every_kind)
    for a, b in zip(slow.rows, fast.rows, strict=True):
        assert type(a.actual_value) is type(b.actual_value), (a.level3, a.actual_value, b.actual_value)


SCAN_XML = (
    b'<x:worksheet xmlns:x="main"><x:sheetData><x:row r="1">'
    b'<x:c r="A1" s="3"><x:v>0.5</x:v></x:c>'
    b'<x:c r="B1"><x:f t="shared" ref="B1:B3" si="0">A1*2</x:f><x:v>1</x:v></x:c>'
    b'<x:c r="C1" t="e"><x:v>#N/A</x:v></x:c></x:row><x:row r="2" s="3" customFormat="1">'
    b'<x:c r="B2"><x:f t="shared" si="0"/></x:c>'
    b'<x:c r="C2"><x:f>IF(A2&gt;1,"&#23436;","b")</x:f></x:c></x:row></x:sheetData></x:worksheet>'
)


def test_sheet_xml_scan_finds_shared_formulas_errors_and_prefixed_tags() -> None:
    scan = _SheetScan({b"3": "0.0%"})
    scan.feed(SCAN_XML)
    scan.finish()
    assert scan.percent_cells == {(1, 1): "0.0%"}  # the row's own s="3" is not a cell
    assert scan.errors == {(1, 3): "#N/A"}
    assert scan.formulas == {(1, 2): "=A1*2", (2, 2): "=A2*2", (2, 3): '=IF(A2>1,"完","b")'}


@pytest.mark.parametrize("chunk", [1, 7, 64, 10**6])
def test_the_scan_in_blocks_finds_what_the_whole_scan_finds(chunk: int) -> None:
    """Blocks cut anywhere, even inside a tag: each is scanned up to its last whole row."""
    import io

    whole = _SheetScan({b"3": "0.0%"})
    whole.feed(SCAN_XML)
    whole.finish()
    blocks = _SheetScan({b"3": "0.0%"})
    blocks.read(io.BytesIO(SCAN_XML), chunk=chunk)
    assert (blocks.percent_cells, blocks.errors, blocks.formulas) == (whole.percent_cells, whole.errors, whole.formulas)


def test_the_scan_never_holds_the_whole_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large sheet is fed in blocks of at most a block and one row."""
    import io

    rows = b"".join(b'<row r="%d"><c r="A%d" s="3"><v>0.5</v></c></row>' % (i, i) for i in range(1, 20001))
    xml = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
    seen: list[int] = []
    scan = _SheetScan({b"3": "0%"})
    feed = scan.feed
    monkeypatch.setattr(scan, "feed", lambda piece: (seen.append(len(piece)), feed(piece)))
    scan.read(io.BytesIO(xml), chunk=4096)
    assert len(scan.percent_cells) == 20000
    assert max(seen) <= 4096 + 64 and len(seen) > 100


def test_hidden_sheets_are_hidden_on_both_paths(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "可见"
    wb.create_sheet("隐藏").sheet_state = "hidden"
    wb.create_sheet("深度隐藏").sheet_state = "veryHidden"
    wb.save(path)
    fast, slow = FastWorkbook(path), OpenpyxlBook(open_xlsx(path, data_only=False))
    assert [fast.state(t) for t in fast.sheetnames] == [slow.state(t) for t in slow.sheetnames]
    assert [fast.state(t) for t in fast.sheetnames] == ["visible", "hidden", "veryHidden"]


def test_the_fast_path_has_its_own_workbook_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million-row workbook unpacks past the 512 MB other readers refuse; the fast path's limit is its own."""
    from evaluator.errors import InputError

    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    assert xlsx_fast.open_book(SAMPLE_ACTUALS, lambda: pytest.fail("not the slow path")) is not None
    monkeypatch.setattr(xlsx_fast, "MAX_FAST_WORKBOOK_BYTES", 1000)
    with pytest.raises(InputError, match="文件解压后达"):
        xlsx_fast.open_book(SAMPLE_ACTUALS, lambda: pytest.fail("not the slow path"))


def test_sheet_names_are_openpyxls(tmp_path: Path) -> None:
    """Telling the two workbooks apart reads workbook.xml only; the names and their order are openpyxl's."""
    from evaluator.cli.score import _is_actuals_workbook
    from evaluator.ingest.declarations import _is_targets_workbook

    targets = tmp_path / "targets.xlsx"
    write_targets_workbook(read_declarations(SAMPLE_TARGETS), targets)
    for path in (SAMPLE_ACTUALS, targets):
        assert xlsx_fast.sheet_names(path) == openpyxl.load_workbook(path, read_only=True).sheetnames
    assert _is_actuals_workbook(SAMPLE_ACTUALS) and not _is_actuals_workbook(targets)
    assert _is_targets_workbook(targets) and not _is_targets_workbook(SAMPLE_ACTUALS)
    assert not _is_targets_workbook(SAMPLE_TARGETS) and not _is_actuals_workbook(tmp_path / "missing.xlsx")


def _in_pieces(monkeypatch: pytest.MonkeyPatch, piece: int, block: int) -> None:
    """Every sheet read in pieces of about `piece` bytes of XML, from blocks of `block` bytes."""
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 0)
    monkeypatch.setattr(xlsx_fast, "_PIECE_BYTES", piece)
    monkeypatch.setattr(xlsx_fast, "_XML_CHUNK", block)


def _whole_and_pieces(monkeypatch: pytest.MonkeyPatch, path: Path, piece: int, block: int):
    """(whole calamine reading, piecewise reading) of every sheet of the file, and how many pieces were read."""
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 10**15)
    whole = {title: FastWorkbook(path).sheet(title) for title in FastWorkbook(path).sheetnames}
    _in_pieces(monkeypatch, piece, block)
    read = xlsx_fast._Pieces._read
    count: list[int] = []

    def counted(self, closing: bytes, *, last: bool) -> None:
        count.append(1)
        read(self, closing, last=last)

    monkeypatch.setattr(xlsx_fast._Pieces, "_read", counted)
    pieces = {title: FastWorkbook(path).sheet(title) for title in FastWorkbook(path).sheetnames}
    return whole, pieces, len(count)


def _typed_values(sheet) -> tuple:
    columns = tuple(tuple((type(v), v) for v in column) for column in sheet.columns)
    return (sheet.title, sheet.state, sheet.rows, sheet.width, sheet.percent, sheet.formulas, sheet.merged, columns)


@pytest.mark.parametrize(("piece", "block"), [(1, 64), (700, 256), (1 << 20, 1 << 20)])
def test_a_sheet_read_in_pieces_is_the_sheet_read_whole(
    every_kind: Path, monkeypatch: pytest.MonkeyPatch, piece: int, block: int
) -> None:
    """Merged name cells, percent cells, formulas with and without results, errors, dates, booleans:
    calamine reading each piece of the XML alone gives the values, types and places of the whole read."""
    whole, pieces, count = _whole_and_pieces(monkeypatch, every_kind, piece, block)
    assert count >= (30 if piece == 1 else 3)  # one piece a block, or one workbook for each sheet
    assert whole.keys() == pieces.keys()
    for title in whole:
        assert _typed_values(pieces[title]) == _typed_values(whole[title]), title
    assert whole["实际完成"].merged and whole["实际完成"].formulas and whole["实际完成"].percent


def test_records_read_in_pieces_are_the_records_read_whole(every_kind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 10**15)
    whole = read_actuals_workbook(every_kind)
    _in_pieces(monkeypatch, 512, 256)
    pieces = read_actuals_workbook(every_kind)
    assert repr(pieces) == repr(whole)


def test_a_targets_workbook_read_in_pieces_gives_the_same_declarations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "targets.xlsx"
    write_targets_workbook(read_declarations(SAMPLE_TARGETS), path)
    monkeypatch.setattr(xlsx_fast, "FAST_READ_BYTES", 0)
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 10**15)
    whole = read_targets_workbook(path)
    _in_pieces(monkeypatch, 2048, 1024)
    assert repr(read_targets_workbook(path)) == repr(whole)


def test_rows_out_of_order_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet whose rows are not in ascending order cannot be laid end to end: the whole read places them."""
    path = tmp_path / "order.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in range(1, 41):
        ws.cell(row=row, column=1, value=f"第{row}行")
        ws.cell(row=row, column=2, value=row * 1.5)
    wb.save(path)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        items = [(item, archive.read(item)) for item in archive.infolist()]
    moved = path.with_name("moved.xlsx")
    with zipfile.ZipFile(moved, "w") as out:
        for item, data in items:
            if item.filename == part:
                rows = re.findall(rb"<row .*?</row>", data)
                data = data.replace(b"".join(rows), b"".join(rows[20:] + rows[:20]))
            out.writestr(item, data)
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 10**15)
    expected = FastWorkbook(path).sheet("Sheet")
    assert _typed_values(FastWorkbook(moved).sheet("Sheet")) == _typed_values(expected)
    _in_pieces(monkeypatch, 1, 200)
    got = FastWorkbook(moved).sheet("Sheet")
    assert _typed_values(got) == _typed_values(expected)
    assert got.columns[0][:3] == ["第1行", "第2行", "第3行"]


def test_pieces_leave_no_temporary_file(every_kind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    _in_pieces(monkeypatch, 1, 256)
    written: list[str] = []
    mkstemp = tempfile.mkstemp

    def spy(*args, **kwargs):
        handle, name = mkstemp(*args, **kwargs)
        written.append(name)
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    FastWorkbook(every_kind).sheet("实际完成")
    assert len(written) > 3 and all(Path(name).parent == folder for name in written)
    assert list(folder.iterdir()) == []


def test_a_piece_that_fails_leaves_the_whole_read_and_no_file(
    every_kind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything failing half way through the pieces (a full disk, an odd layout) falls back to the whole read."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(xlsx_fast, "PIECEWISE_SHEET_BYTES", 10**15)
    expected = FastWorkbook(every_kind).sheet("实际完成")
    _in_pieces(monkeypatch, 1, 256)
    read = xlsx_fast._Pieces._read
    calls: list[int] = []

    def failing(self, closing: bytes, *, last: bool) -> None:
        calls.append(1)
        if len(calls) == 3:
            self._write(b"")  # a piece is open when it fails
            raise OSError("设备上没有空间")
        read(self, closing, last=last)

    monkeypatch.setattr(xlsx_fast._Pieces, "_read", failing)
    got = FastWorkbook(every_kind).sheet("实际完成")
    assert len(calls) == 3
    assert _typed_values(got) == _typed_values(expected)
    assert list(folder.iterdir()) == []
