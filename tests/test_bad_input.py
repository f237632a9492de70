"""Hostile and sloppy input files (issue 14, "What bad input gets"): each is refused with a Chinese
message that names the file, sheet, row or cell and value, or read with the liberty taken said in
the run log — never a silent wrong result, an English library message or an internal error."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.api import score
from evaluator.errors import EvaluatorError, InputError
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.targets_workbook import write_targets_workbook
from evaluator.ingest.text_form import read_declarations_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "inputs" / "shanghai_ftu_2024_targets.txt"
ACTUALS = ROOT / "inputs" / "实际完成值_样例.xlsx"
ROWS = 125  # indicator rows of the bundled sample


def _actuals_copy(tmp_path: Path, change, name: str = "填好的.xlsx") -> Path:
    wb = load_workbook(ACTUALS)
    change(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def _refusal(read, path: Path) -> str:
    with pytest.raises(InputError) as caught:  # bad input: exit code 1, never a bug
        read(path)
    message = str(caught.value)
    assert path.name in message, message
    for english in ("File is not a zip file", "Traceback", "codec", "line 1", "expected"):
        assert english not in message, message
    return message


def _balanced(run) -> None:
    assert run.rows_in == run.rows_scored + run.rows_not_scored == ROWS


# --------------------------------------------------------------------------------------------
# The actuals workbook
# --------------------------------------------------------------------------------------------


def test_hidden_sheet_gives_way_to_its_visible_filled_copy(tmp_path: Path) -> None:
    def change(wb) -> None:
        copy = wb.copy_worksheet(wb["实际完成"])
        copy.title = "实际完成 (2)"
        copy["F2"] = "填在副本里"
        wb["实际完成"].sheet_state = "hidden"

    actuals = read_actuals_workbook(_actuals_copy(tmp_path, change))
    assert actuals.rows[0].actual_text == "填在副本里"
    assert actuals.rows[0].source.sheet == "实际完成 (2)"
    notes = [r for r in actuals.repairs if "隐藏" in r.decision]
    assert len(notes) == 1 and "「实际完成」" in notes[0].decision


def test_two_visible_copies_of_the_sheet_are_refused_by_name(tmp_path: Path) -> None:
    def change(wb) -> None:
        wb.copy_worksheet(wb["实际完成"]).title = "实际完成 (2)"

    message = _refusal(read_actuals_workbook, _actuals_copy(tmp_path, change))
    assert "「实际完成」" in message and "「实际完成 (2)」" in message


def test_a_merged_actual_belongs_to_its_first_row_only(tmp_path: Path) -> None:
    def change(wb) -> None:
        wb["实际完成"].merge_cells("F3:F4")

    actuals = read_actuals_workbook(_actuals_copy(tmp_path, change))
    third, fourth = actuals.rows[1], actuals.rows[2]
    assert third.actual_text != "" and fourth.actual_text == ""
    note = [r for r in actuals.repairs if r.source.row == 4 and "合并" in r.decision]
    assert len(note) == 1 and note[0].found == third.actual_text and "第3行" in note[0].decision


def test_a_stray_cell_at_the_last_row_costs_nothing_and_is_listed(tmp_path: Path) -> None:
    def change(wb) -> None:
        wb["实际完成"]["K1048576"] = "x"

    path = _actuals_copy(tmp_path, change)
    started = time.perf_counter()
    run = score(SEED, path).run
    assert time.perf_counter() - started < 30  # was 124–170 s and 4 GB
    _balanced(run)
    assert [row.source.row for row in run.unmatched_actuals] == [1048576]


def test_a_formula_without_its_result_is_not_called_unfilled(tmp_path: Path) -> None:
    def change(wb) -> None:
        wb["实际完成"]["F3"] = "=1+1"  # openpyxl saves no cached result

    run = score(SEED, _actuals_copy(tmp_path, change)).run
    _balanced(run)
    row = next(r for p in run.projects for r in p.rows if r.source and r.source.row == 3)
    assert "公式" in row.reason and "未填写实际完成值" not in row.reason
    assert row.score is None or row.status != "已评分"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("空的.xlsx", b"", "文件为空"),
        (
            "旧版.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 600,
            "另存为 .xlsx",
        ),
        ("导出.xlsx", "项目名称,实际完成值\n甲,1\n".encode(), "另存为 .xlsx"),
        (
            "加密.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600,
            "已加密",
        ),
    ],
    ids=["empty", "xls-renamed", "csv-renamed", "encrypted"],
)
def test_files_that_are_not_workbooks_say_what_they_are(tmp_path: Path, name: str, content: bytes, expected: str):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _refusal(read_actuals_workbook, path)
    targets = tmp_path / f"目标{name}"
    targets.write_bytes(content)
    message = _refusal(read_declarations, targets)
    if name != "导出.xlsx":  # the declarations reader reads a csv by its content, whatever its name
        assert expected in message


def _rewrite_sheet(src: Path, dest: Path, change) -> None:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            new.writestr(info.filename, data)


def test_a_sheet_cut_half_way_is_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "截断.xlsx"
    _rewrite_sheet(ACTUALS, path, lambda data: data[: len(data) // 2])
    assert "损坏" in _refusal(read_actuals_workbook, path)


def test_a_sheet_far_larger_than_any_table_is_refused_before_loading(tmp_path: Path) -> None:
    path = tmp_path / "巨大.xlsx"
    padding = b" " * (65 * 1024 * 1024)  # compresses to some 60 KB: a small file that would unpack huge
    _rewrite_sheet(ACTUALS, path, lambda data: data.replace(b"<sheetData>", b"<sheetData>" + padding, 1))
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    message = _refusal(read_actuals_workbook, path)
    assert time.perf_counter() - started < 10
    assert "MB" in message and ("未读取" in message or "上限" in message)


# --------------------------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _forms(text: str) -> list[str]:
    heading = "财政项目支出绩效目标申报表"
    first = text.index(heading)
    parts = text[first:].split(heading)
    return [heading + part for part in parts if part.strip()]


def test_the_same_form_twice_in_a_text_file_is_refused(tmp_path: Path, seed_text: str) -> None:
    forms = _forms(seed_text)
    path = tmp_path / "重复.txt"
    path.write_text("\n".join([*forms, forms[2]]), encoding="utf-8")
    message = _refusal(read_declarations, path)
    assert "同名" in message and "第" in message


def _targets_workbook(tmp_path: Path, change, name: str = "目标.xlsx") -> Path:
    path = tmp_path / name
    write_targets_workbook(read_declarations_text(SEED), path)
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def test_names_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    def change(wb) -> None:
        projects, indicators = wb["项目"], wb["绩效指标"]
        old = projects["A3"].value
        projects["A3"] = "项目a"
        projects["A2"].value, first = "项目A", projects["A2"].value
        for row in indicators.iter_rows(min_row=2):
            if row[0].value == first:
                row[0].value = "项目A"
            elif row[0].value == old:
                row[0].value = "项目a"

    message = _refusal(read_declarations, _targets_workbook(tmp_path, change))
    assert "项目a" in message and "项目A" in message and "大小写" in message


@pytest.mark.parametrize(
    ("cell", "value", "expected"), [("H2", -5000, "负数"), ("I3", -1, "负数")], ids=["total", "fiscal"]
)
def test_negative_money_is_refused(tmp_path: Path, cell: str, value: float, expected: str) -> None:
    def change(wb) -> None:
        wb["项目"][cell] = value

    message = _refusal(read_declarations, _targets_workbook(tmp_path, change))
    assert expected in message and str(value) in message


@pytest.mark.parametrize("weight", [1000, -10])
def test_a_weight_outside_0_to_100_is_refused(tmp_path: Path, weight: float) -> None:
    def change(wb) -> None:
        wb["绩效指标"]["F2"] = weight

    message = _refusal(read_declarations, _targets_workbook(tmp_path, change))
    assert "分值" in message and "第2行" in message and str(weight) in message


def test_a_merged_project_name_column_is_read_from_its_top_cell(tmp_path: Path) -> None:
    def change(wb) -> None:
        ws = wb["绩效指标"]
        name = ws["A2"].value
        last = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == name)
        ws.merge_cells(f"A2:A{last}")

    decl = read_declarations(_targets_workbook(tmp_path, change))
    assert sum(len(p.indicators) for p in decl.projects) == ROWS


def test_a_file_cut_mid_form_warns(tmp_path: Path, seed_text: str) -> None:
    cut = seed_text[: seed_text.rindex("\n\t满意度指标")]  # the last form loses its last line
    path = tmp_path / "截断.txt"
    path.write_text(cut, encoding="utf-8")
    decl = read_declarations(path)
    notes = [r for r in decl.repairs if "截断" in r.decision]
    assert len(notes) == 1 and "满意度指标" in notes[0].decision and decl.projects[-1].name in notes[0].decision
    assert not [r for r in read_declarations(SEED).repairs if "截断" in r.decision]


# --------------------------------------------------------------------------------------------
# Outputs: never over an input, never half-written, nothing stale, nothing live in a CSV
# --------------------------------------------------------------------------------------------


def test_template_refuses_to_overwrite_its_input_or_to_misname_itself(tmp_path: Path, run_cli) -> None:
    targets = tmp_path / "t.xlsx"
    write_targets_workbook(read_declarations_text(SEED), targets)
    before = targets.read_bytes()
    done = run_cli("template", targets, "-o", targets)
    assert done.returncode != 0 and "覆盖" in done.stderr and "t.xlsx" in done.stderr
    assert targets.read_bytes() == before
    done = run_cli("template", targets, "-o", tmp_path / "t.csv")
    assert done.returncode != 0 and ".xlsx" in done.stderr and not (tmp_path / "t.csv").exists()


def test_template_killed_while_saving_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    from openpyxl import Workbook

    from evaluator.ingest.actuals_template import write_actuals_template

    def dies(self, filename) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", dies)
    out = tmp_path / "模板.xlsx"
    with pytest.raises(EvaluatorError):
        write_actuals_template(read_declarations_text(SEED), out)
    assert list(tmp_path.iterdir()) == []


def test_score_refuses_an_output_that_is_a_file(tmp_path: Path, run_cli) -> None:
    taken = tmp_path / "结果"
    taken.write_text("用户自己的文件", encoding="utf-8")
    done = run_cli("score", SEED, ACTUALS, "--no-reports", "-o", taken)
    assert done.returncode == 2, done.stderr  # a user error about the command line (issue 14: exit 2)
    assert "不是文件夹" in done.stderr and "结果" in done.stderr and "内部错误" not in done.stderr
    assert taken.read_text(encoding="utf-8") == "用户自己的文件"


def test_an_unwritable_output_folder_is_a_user_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    from evaluator.cli.outdir import staged_output

    def read_only(self, *args, **kwargs) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(EvaluatorError) as caught, staged_output(tmp_path / "out"):
        pass
    assert "只读" in str(caught.value) and "out" in str(caught.value)


def test_a_run_appears_whole_and_a_rerun_removes_only_what_the_last_run_wrote(tmp_path: Path) -> None:
    from evaluator.cli.outdir import staged_output

    out = tmp_path / "out"
    with staged_output(out) as stage:
        (stage / "scores.csv").write_text("old", encoding="utf-8")
        (stage / "旧项目").mkdir()
        (stage / "旧项目" / "自评表.xlsx").write_text("old", encoding="utf-8")
    (out / "我的笔记.txt").write_text("mine", encoding="utf-8")
    (out / "旧项目" / "手写.docx").write_text("mine", encoding="utf-8")

    with pytest.raises(RuntimeError), staged_output(out) as stage:  # killed half-way
        (stage / "scores.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("killed")
    assert (out / "scores.csv").read_text(encoding="utf-8") == "old"
    assert (out / "旧项目" / "自评表.xlsx").exists()

    with staged_output(out) as stage:
        (stage / "scores.csv").write_text("new", encoding="utf-8")
        (stage / "新项目").mkdir()
        (stage / "新项目" / "自评表.xlsx").write_text("new", encoding="utf-8")
    assert (out / "scores.csv").read_text(encoding="utf-8") == "new"
    assert (out / "新项目" / "自评表.xlsx").exists()
    assert not (out / "旧项目" / "自评表.xlsx").exists()  # listed by the last run: removed
    assert (out / "我的笔记.txt").exists() and (out / "旧项目" / "手写.docx").exists()  # never listed: kept
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


HOSTILE_NAME = "$\\sqrt{$项目\x1b\x07 #50%"
CLEANED_NAME = "$\\sqrt{$项目 #50%"  # what an xlsx can hold of it, and what the reader makes of it
GOAL = "学校管理有效、运行高效"
LONG_GOAL = "长" * 200_000


def _hostile_inputs(tmp_path: Path) -> tuple[Path, Path]:
    first = read_declarations_text(SEED).projects[0].name
    text = SEED.read_text(encoding="utf-8").replace(first, HOSTILE_NAME).replace(GOAL, LONG_GOAL)
    targets = tmp_path / "申报表.txt"
    targets.write_text(text, encoding="utf-8")

    def change(wb) -> None:
        for sheet in ("实际完成", "预算执行"):
            for row in wb[sheet].iter_rows(min_row=2):
                if row[0].value == first:
                    row[0].value = CLEANED_NAME
        ws = wb["实际完成"]
        ws["J3"] = '=HYPERLINK("http://example.invalid","点击")'
        ws["J3"].data_type = "s"  # typed as text, as a unit's own export would hold it
        ws["J4"] = "-1+1"
        ws["J5"] = "@SUM(1)"

    return targets, _actuals_copy(tmp_path, change)


def test_hostile_names_and_formula_openings_end_to_end(tmp_path: Path, run_cli) -> None:
    import pandas as pd

    targets, actuals = _hostile_inputs(tmp_path)
    out = tmp_path / "out"
    done = run_cli("score", targets, actuals, "-o", out, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert len(scores) == ROWS
    assert (scores["项目名称"] == CLEANED_NAME).sum() == 8  # control characters removed, the rest as typed
    reasons = scores["偏差原因分析及改进措施"].tolist()
    assert '\'=HYPERLINK("http://example.invalid","点击")' in reasons
    assert "'-1+1" in reasons and "'@SUM(1)" in reasons
    for csv in out.glob("*.csv"):
        fields = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False, dtype=str).to_numpy().ravel()
        assert not [f for f in fields if f.startswith(("=", "+", "@")) or (f.startswith("-") and not _number(f))]
    log = (out / "核对与修复记录.txt").read_text(encoding="utf-8")
    assert "控制字符" in log and "\\x1b\\x07" in log
    summary = load_workbook(out / "汇总.xlsx")
    links = [c.hyperlink.target for row in summary.worksheets[0].iter_rows() for c in row if c.hyperlink]
    assert len(links) == 12 and not [link for link in links if "#" in link]
    assert any("%2350%25" in link for link in links)  # the folder's own # and %, encoded
    cut = [
        c.value
        for path in out.glob("*/自评表.xlsx")
        for ws in load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("长" * 100)
    ]
    assert cut and all(len(v) <= 32767 and v.endswith("已截断）") for v in cut)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_a_name_of_200000_characters_is_refused(tmp_path: Path) -> None:
    first = read_declarations_text(SEED).projects[0].name
    path = tmp_path / "长名称.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace(first, "长" * 200_000), encoding="utf-8")
    message = _refusal(read_declarations, path)
    assert "200000" in message and "项目名称" in message and len(message) < 2000


# --------------------------------------------------------------------------------------------
# Encodings: rules files from Notepad, UTF-16 without a BOM, a NUL byte
# --------------------------------------------------------------------------------------------

RULES_TEXT = 'base = "mof2020"\nname = "本地规则"\n'


@pytest.mark.parametrize(
    "data",
    [b"\xef\xbb\xbf" + RULES_TEXT.encode("utf-8"), RULES_TEXT.encode("gbk")],
    ids=["utf8-bom", "gbk"],
)
def test_a_rules_file_from_notepad_is_read(tmp_path: Path, data: bytes) -> None:
    from evaluator.config.profiles import load_profile

    path = tmp_path / "规则.toml"
    path.write_bytes(data)
    assert load_profile(str(path)).name == "本地规则"


def test_a_rules_syntax_error_is_named_in_chinese(tmp_path: Path) -> None:
    from evaluator.config.profiles import load_profile

    path = tmp_path / "规则.toml"
    path.write_text(RULES_TEXT + "[points\nbudget = 10\n", encoding="utf-8")
    with pytest.raises(EvaluatorError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert "第3行" in message and "[points" in message and "Expected" not in message


def test_utf16_without_bom_is_read_and_a_nul_byte_is_named_by_line(tmp_path: Path, seed_text: str) -> None:
    utf16 = tmp_path / "申报表.txt"
    utf16.write_bytes(seed_text.encode("utf-16-le"))
    assert sum(len(p.indicators) for p in read_declarations(utf16).projects) == ROWS
    nul = tmp_path / "坏字节.txt"
    data = seed_text.encode("utf-8")
    at = data.index("项目名称".encode())
    nul.write_bytes(data[:at] + b"\x00" + data[at:])
    message = _refusal(read_declarations, nul)
    line = data[:at].count(b"\n") + 1
    assert f"第{line}行" in message and "NUL" in message and "UTF-16" in message


def test_a_fraction_typed_on_a_percent_row_is_read_as_written_with_a_hint() -> None:
    """0.985 in a General cell beside ≥95% scored 0.11/10 with no hint that it looks like 98.5%."""
    from evaluator.grammar import parse_actual, parse_target
    from evaluator.grammar.actuals import in_target_unit

    target = parse_target("≥95%")
    read = in_target_unit(parse_actual("0.985"), target)
    assert read.value == 0.985 and read.unit is None  # not silently turned into 98.5%
    assert "像是以小数填写的百分比（98.5%）" in read.note
    # No hint where a small percentage is plausible, or where the value carries its own unit.
    assert in_target_unit(parse_actual("0.5"), parse_target("≤1%")).note == ""
    assert in_target_unit(parse_actual("98.5"), target).note == ""
    assert in_target_unit(parse_actual("0.985%"), target).note == ""
