"""Tables that cannot be read are bad input: an InputError naming the place, exit code 1 from the CLI.

The layout reader and the filled-自评表 reader refuse whole files (glued cells, no indicator table,
a declaration given where a filled 自评表 is needed). Those are the user's files, not bugs, so
they are InputErrors (API users catch them as such) and the CLI exits 1 with the Chinese reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.errors import EXIT_INPUT, InputError
from evaluator.ingest.formats.text import read_text_grids, text_grids
from evaluator.ingest.layout import read_forms
from evaluator.ingest.self_evaluation import read_self_evaluations

CORPUS = Path(__file__).resolve().parent / "corpus"
DECLARATION = (
    "项目支出绩效目标表\n项目名称 | 道路养护 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 养护里程 | ≥20公里 |\n"
)


def test_glued_cells_are_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        read_forms(read_text_grids(CORPUS / "hebei_2019_ningjin_glued" / "source.txt"))
    message = str(caught.value)
    assert message.startswith("source.txt 第") and "单元格粘连" in message and "值：" in message


def test_no_indicator_table_is_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        read_forms(text_grids("项目名称 | 道路养护 |\n主管部门 | 交通局 |\n", "t.txt"))
    assert str(caught.value).startswith("t.txt 第2行") and "未找到指标表表头" in str(caught.value)


def test_a_declaration_given_as_a_filled_table_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "申报表.txt"
    path.write_text(DECLARATION, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_self_evaluations(path)
    assert str(caught.value).startswith("申报表.txt：这不是填好的项目支出绩效自评表")
    with pytest.raises(InputError):
        read_self_evaluations(tmp_path / "没有.txt")
    empty = tmp_path / "空目录"
    empty.mkdir()
    with pytest.raises(InputError):
        read_self_evaluations(empty)


@pytest.mark.parametrize(
    ("command", "source", "expected"),
    [
        ("parse", "hebei_2019_ningjin_glued", "单元格粘连，无法分列"),
        ("parse", "se_yunnan_2022_yongde_nutrition", "表头与指标行挤在同一行"),
        ("score", None, "这不是填好的项目支出绩效自评表"),
    ],
    ids=["parse-glued", "parse-pressed", "score-declaration-alone"],
)
def test_the_cli_exits_1_with_the_reason(tmp_path: Path, run_cli, command: str, source: str | None, expected: str):
    path = tmp_path / "表.txt"
    if source is None:
        path.write_text(DECLARATION, encoding="utf-8")
    else:
        path.write_bytes((CORPUS / source / "source.txt").read_bytes())
    out = tmp_path / ("out.xlsx" if command == "parse" else "out")
    done = run_cli(command, path, "-o", out, cwd=tmp_path)
    assert done.returncode == EXIT_INPUT, done.stderr
    assert "表.txt" in done.stderr and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
