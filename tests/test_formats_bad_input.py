"""What the file readers do with hostile and sloppy files: a Chinese message naming the file, or a note.

Each case here was seen in files people send: empty downloads, encrypted workbooks, an .xls or a
csv renamed to .xlsx, cut-off zips, zip bombs, scanned PDFs, hidden sheets, a stray cell at
K1048576, formulas saved without their results, csv in GB18030 or UTF-16.
"""

from __future__ import annotations

import shutil
import sys
import time
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest

from evaluator.errors import EvaluatorError, InputError
from evaluator.ingest.formats import read_grids, require_xlsx
from evaluator.ingest.grid import Grid, GridCell
from evaluator.models import SourceRef

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
XLSX = FIXTURES / "self_eval_2024.xlsx"
XLS = FIXTURES / "self_eval_2024.xls"
CSV = FIXTURES / "self_eval_2024.csv"


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:  # bad input: exit code 1, never a bug
        read_grids(path)
    message = str(caught.value)
    assert message.startswith(path.name), message  # every refusal names the file
    return message


# --- files that cannot be read say why -------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert "文件为空" in refusal(path)


def test_encrypted_workbook(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    shutil.copy(FIXTURES / "encrypted_123456.xlsx", path)
    message = refusal(path)
    assert "已加密" in message and "解除密码后另存" in message


def test_truncated_zip_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "半截.xlsx"
    data = XLSX.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "文件已损坏" in refusal(path)


def test_sheet_xml_cut_half_way_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "截断.xlsx"
    with zipfile.ZipFile(XLSX) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    message = refusal(path)
    assert "文件已损坏" in message


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(XLSX) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
        target.writestr("xl/worksheets/sheet9.xml", b"\0" * (40 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 1024 * 1024
    message = refusal(path)
    assert "压缩炸弹" in message and "sheet9.xml" in message


def test_unknown_binary_and_other_zips(tmp_path: Path) -> None:
    binary = tmp_path / "图片.xlsx"
    binary.write_bytes(bytes(range(256)) * 8)
    assert "无法识别的文件格式" in refusal(binary)
    other = tmp_path / "资料.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "x")
    assert "不是 .xlsx 工作簿或 .docx 文档" in refusal(other)


def test_word_97_document_asks_for_docx(tmp_path: Path) -> None:
    # A Compound File's directory names its streams in UTF-16; a .doc has a WordDocument stream.
    path = tmp_path / "申报表.doc"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 512
    )
    assert "另存为 .docx" in refusal(path)


def test_scanned_pdf_says_it_has_no_text(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    assert "这是扫描件，没有可读取的文字" in refusal(path)


def test_nul_byte_in_csv_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    path.write_bytes("项目名称,甲\n一级指标,二级指标\n".encode() + b"\x00abc\n")
    message = refusal(path)
    assert "第3行" in message and "NUL" in message


def test_text_reader_hook_is_used_for_txt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "申报表.txt"
    path.write_text("项目名称 | 甲\n", encoding="utf-8")
    seen: list[Path] = []
    grid = Grid(path.name, "文本", "text", ((GridCell("项目名称", SourceRef(path.name, line=1)),),))

    def read_text_grids(given: Path) -> list[Grid]:
        seen.append(given)
        return [grid]

    fake = types.ModuleType("evaluator.ingest.formats.text")
    fake.read_text_grids = read_text_grids  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evaluator.ingest.formats.text", fake)
    assert read_grids(path) == [grid]
    assert seen == [path]


# --- renamed files are read by what they are, with a note -----------------------------------


def test_xls_renamed_to_xlsx_is_read_as_xls_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "自评表.xlsx"
    shutil.copy(XLS, path)
    grids = read_grids(path)
    assert grids[0].texts()[2][1] == "2024年社区养老服务补贴项目"
    assert "实际是.xls 工作簿（Excel 97-2003）格式" in grids[0].notes[0]
    with pytest.raises(EvaluatorError, match=r"实际是.*请在 Excel/WPS 中另存为 \.xlsx，或改回原扩展名"):
        require_xlsx(path)


def test_csv_renamed_to_xlsx_is_read_as_csv_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "自评表.xlsx"
    shutil.copy(CSV, path)
    grids = read_grids(path)
    assert grids[0].kind == "csv"
    assert grids[0].notes[0].startswith("文件扩展名为 .xlsx，实际是CSV 文本")
    with pytest.raises(EvaluatorError, match="实际是CSV 文本格式"):
        require_xlsx(path)
    require_xlsx(XLSX)  # a real workbook passes


def test_html_saved_as_xls_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>项目名称</td><td>甲</td></tr></table></body></html>", encoding="utf-8")
    grids = read_grids(path)
    assert grids[0].kind == "html_table"
    assert grids[0].texts() == [["项目名称", "甲"]]


# --- workbooks: hidden sheets, stray cells, formulas ----------------------------------------


def test_hidden_sheet_is_skipped_and_the_visible_copy_read(tmp_path: Path) -> None:
    path = tmp_path / "实际.xlsx"
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "实际完成"
    hidden["A1"] = "旧数据"
    hidden.sheet_state = "hidden"
    visible = workbook.create_sheet("实际完成 (2)")
    visible["A1"] = "新数据"
    workbook.save(path)
    grids = read_grids(path)
    assert [g.name for g in grids] == ["实际完成 (2)"]
    assert grids[0].texts() == [["新数据"]]
    assert any("已跳过隐藏的工作表「实际完成」" in note for note in grids[0].notes)


def test_only_hidden_sheets_is_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "全隐藏.xlsx"
    saved = tmp_path / "saved.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("b")["A1"] = "y"
    workbook.active = 1
    workbook.save(saved)  # openpyxl refuses to save with no visible sheet: hide the last one in the XML
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'state="visible" r:id', b'state="hidden" r:id')
                assert data.count(b'state="hidden"') == 2
            target.writestr(info, data)
    assert "都已隐藏" in refusal(path)


def test_stray_cell_far_below_does_not_stretch_the_grid(tmp_path: Path) -> None:
    path = tmp_path / "远处.xlsx"
    workbook = openpyxl.load_workbook(XLSX)
    workbook["项目1"]["K1048576"] = "x"
    workbook.save(path)
    started = time.perf_counter()
    grids = read_grids(path)
    assert time.perf_counter() - started < 10
    assert [len(g.rows) for g in grids] == [22, 1, 22]
    stray = grids[1]
    assert stray.texts() == [["x"]]
    assert (stray.rows[0][0].source.row, stray.rows[0][0].source.column) == (1048576, "K")
    assert "第1048576行「K」列起另有内容" in stray.notes[0]


def test_formatting_far_past_the_data_is_not_content(tmp_path: Path) -> None:
    path = tmp_path / "格式.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "项目名称"
    sheet["XFD1048576"].number_format = "0.00"  # a styled empty cell
    workbook.save(path)
    grids = read_grids(path)
    assert [g.texts() for g in grids] == [[["项目名称"]]]


def test_formula_without_cached_value_is_a_note_on_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "公式.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "得分"
    sheet["B1"] = "=SUM(C1:C3)"  # openpyxl stores no result: as if saved by a program that never calculated
    sheet["A2"] = "执行率"
    sheet["B2"] = "#DIV/0!"  # an error value, as Excel caches it
    workbook.save(path)
    grid = read_grids(path)[0]
    formula = grid.rows[0][1]
    assert formula.text == ""
    assert "公式「=SUM(C1:C3)」没有保存计算结果" in formula.note
    error = grid.rows[1][1]
    assert error.text == "#DIV/0!"
    assert error.note == "公式错误：#DIV/0!"


def test_cached_nan_names_its_cell(tmp_path: Path) -> None:
    saved = tmp_path / "saved.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "实际完成"
    workbook.active["A1"] = "得分"
    workbook.active["B1"] = 12345
    workbook.save(saved)
    path = tmp_path / "NaN.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>12345</v>" in data
                data = data.replace(b"<v>12345</v>", b"<v>NaN</v>")
            target.writestr(info, data)
    message = refusal(path)
    assert "工作表「实际完成」 第1行 「B」列" in message and "'NaN'" in message


def test_large_sheets_are_streamed_with_their_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.ingest.formats import xlsx

    whole = read_grids(XLSX)
    monkeypatch.setattr(xlsx, "STREAM_PART_BYTES", 0)
    streamed = read_grids(XLSX)
    assert [g.texts() for g in streamed] == [g.texts() for g in whole]
    assert [[(c.rowspan, c.colspan, c.origin) for row in g.rows for c in row] for g in streamed] == [
        [(c.rowspan, c.colspan, c.origin) for row in g.rows for c in row] for g in whole
    ]
    assert any("流式读取" in note for note in streamed[0].notes)


# --- text tables: encodings and separators ---------------------------------------------------

ROWS = [["一级指标", "二级指标", "三级指标", "年度指标值"], ["产出指标", "数量指标", "补贴发放人数", "≥12000人"]]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "named"),
    [
        ("gb18030", b"", ",", "GB18030"),
        ("utf-8", b"", ";", "UTF-8"),
        ("utf-16-le", b"\xff\xfe", "\t", "UTF-16"),
        ("utf-16-le", b"", "\t", "UTF-16-LE"),
        ("utf-16-be", b"", "|", "UTF-16-BE"),
    ],
)
def test_csv_encodings_and_separators(tmp_path: Path, encoding: str, bom: bytes, delimiter: str, named: str) -> None:
    path = tmp_path / "表.csv"
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    grid = read_grids(path)[0]
    assert grid.texts() == ROWS
    assert grid.notes[0].startswith(f"按 {named} 编码")


def test_csv_quoted_newline_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text('名称,说明\n甲,"第一行\n第二行"\n乙,丙\n', encoding="utf-8")
    grid = read_grids(path)[0]
    assert grid.texts()[1] == ["甲", "第一行\n第二行"]
    assert [row[0].source.line for row in grid.rows] == [1, 2, 4]


# --- html spans as a browser lays them out ---------------------------------------------------


def test_html_rowspan_pushes_later_cells_right(tmp_path: Path) -> None:
    path = tmp_path / "表.html"
    path.write_text(
        "<table>"
        "<tr><th rowspan=3>产出指标</th><th rowspan='2'>数量指标</th><td>甲</td><td>1</td></tr>"
        "<tr><td>乙</td><td>2</td></tr>"
        "<tr><td>质量指标</td><td>丙<br>说明</td><td>3</td></tr>"
        "<tr><td colspan=abc>总分</td><td colspan=3>100</td></tr>"
        "</table>",
        encoding="utf-8",
    )
    grid = read_grids(path)[0]
    assert grid.texts() == [
        ["产出指标", "数量指标", "甲", "1"],
        ["", "", "乙", "2"],
        ["", "质量指标", "丙\n说明", "3"],
        ["总分", "100", "", ""],
    ]
    assert grid.rows[2][0].origin == (0, 0)
    assert grid.rows[1][1].origin == (0, 1)
    assert (grid.rows[3][1].colspan, grid.rows[3][3].origin) == (3, (3, 1))
