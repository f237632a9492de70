"""The text reader (separator detected per block) and the traditional → simplified conversion."""

from evaluator.common.text import to_simplified
from evaluator.ingest.formats.text import read_text_grids, text_grids


def test_traditional_level_names_and_labels_become_simplified() -> None:
    assert to_simplified("產出指標") == "产出指标"
    assert to_simplified("資金情況(萬元)") == "资金情况(万元)"
    assert to_simplified("服務對象滿意度指標") == "服务对象满意度指标"


def test_simplified_and_ascii_text_is_unchanged() -> None:
    assert to_simplified("项目支出绩效自评表 ≥95%") == "项目支出绩效自评表 ≥95%"
    assert to_simplified("100%") == "100%"
    assert to_simplified("") == ""


# --- the text splitter ------------------------------------------------------------------------


def _texts(text: str) -> list[list[list[str]]]:
    return [grid.texts() for grid in text_grids(text, "t.txt")]


def test_pipe_rows_drop_the_row_end_pipes_and_keep_inner_empty_cells() -> None:
    (grid,) = _texts("项目名称 | 主体班 | 项目负责人 | ||||\n项目主管部门 | | 实施单位 | 党校 |\n")
    assert grid == [["项目名称", "主体班", "项目负责人"], ["项目主管部门", "", "实施单位", "党校"]]


def test_markdown_tables_lose_their_rule_rows() -> None:
    (grid,) = _texts("| 一级指标 | 三级指标 | 指标值 |\n|---|:---:|---|\n| 产出指标 | 培训人次 | ≥100人次 |\n")
    assert grid == [["一级指标", "三级指标", "指标值"], ["产出指标", "培训人次", "≥100人次"]]


def test_tabs_and_space_runs_and_one_cell_per_line_are_separate_blocks() -> None:
    text = "项目名称\t某项目\n主管部门  某局  实施单位  某中心\n\n年度目标\n\n完成建设\n"
    grids = text_grids(text, "t.txt")
    assert [g.texts() for g in grids] == [
        [["项目名称", "某项目"]],
        [["主管部门", "某局", "实施单位", "某中心"]],
        [["年度目标"], ["完成建设"]],
    ]
    assert "每行一个单元格" in grids[2].name


def test_a_no_break_space_line_is_an_empty_cell_and_cells_know_their_line() -> None:
    (grid,) = text_grids("数量指标\n\n\xa0\n\n培训人次\n", "t.txt")
    assert grid.texts() == [["数量指标"], [""], ["培训人次"]]
    assert [row[0].source.line for row in grid.rows] == [1, 3, 5]


def test_a_title_line_inside_a_pipe_block_stays_in_the_block() -> None:
    (grid,) = _texts("a | b |\n绩效目标表\nc | d |\n")
    assert grid == [["a", "b"], ["绩效目标表"], ["c", "d"]]


def test_read_text_grids_decodes_gb18030(tmp_path) -> None:
    path = tmp_path / "表.txt"
    path.write_bytes("项目名称 | 测试项目 |\n".encode("gb18030"))
    (grid,) = read_text_grids(path)
    assert grid.texts() == [["项目名称", "测试项目"]]
    assert grid.rows[0][1].source.describe() == "表.txt 第1行"
