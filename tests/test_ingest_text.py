from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.common.text import normalize_text, normalized_if_changed
from evaluator.errors import EvaluatorError
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.text_form import parse_declarations_text, read_declarations_text
from evaluator.models import Declarations
from seed_expectations import END, SEED_PROJECTS, START, expected_rows


@pytest.fixture(scope="module")
def seed_decl() -> Declarations:
    from conftest import SEED

    return read_declarations_text(SEED)


# ---------------------------------------------------------------------------------------------
# The seed, against what the document says
# ---------------------------------------------------------------------------------------------


def test_seed_has_twelve_projects_in_document_order(seed_decl: Declarations) -> None:
    assert [p.name for p in seed_decl.projects] == [e.name for e in SEED_PROJECTS]


@pytest.mark.parametrize("index", range(len(SEED_PROJECTS)), ids=[e.name for e in SEED_PROJECTS])
def test_seed_project_header(seed_decl: Declarations, index: int) -> None:
    project, expected = seed_decl.projects[index], SEED_PROJECTS[index]
    assert project.department == "上海市总工会"
    assert project.implementer == "上海市总工会"
    assert project.nature == "其他经常性项目"
    assert project.category == expected.category
    assert project.start_date == START
    assert project.end_date == END
    assert project.year == 2024
    # every form: the whole amount is this year's appropriation, nothing carried over, no other funds
    assert project.total_funds == pytest.approx(expected.total, abs=0.001)
    assert project.fiscal_funds == pytest.approx(expected.total, abs=0.001)
    assert project.carryover_funds == 0.0
    assert project.other_funds == 0.0
    assert project.annual_goal.startswith(expected.goal_start)


@pytest.mark.parametrize("index", range(len(SEED_PROJECTS)), ids=[e.name for e in SEED_PROJECTS])
def test_seed_project_indicators(seed_decl: Declarations, index: int) -> None:
    project, expected = seed_decl.projects[index], SEED_PROJECTS[index]
    got = [(i.level1, i.level2, i.level3, i.target_text) for i in project.indicators]
    assert got == expected_rows(expected)


def test_seed_total_indicator_count(seed_decl: Declarations) -> None:
    assert sum(len(p.indicators) for p in seed_decl.projects) == 125


def test_seed_sources_point_at_lines(seed_decl: Declarations) -> None:
    from conftest import SEED

    lines = SEED.read_text(encoding="utf-8").splitlines()
    for project in seed_decl.projects:
        assert project.source is not None and "财政项目支出绩效目标申报表" in lines[project.source.line - 1]
        for indicator in project.indicators:
            assert indicator.source is not None and indicator.source.file == SEED.name
            line = lines[indicator.source.line - 1]
            assert indicator.level3 in line and indicator.target_text in line


def test_seed_latex_targets_are_normalised_and_raw_kept(seed_decl: Declarations) -> None:
    first = seed_decl.projects[0].indicators[-1]
    assert first.target_text == r"$\geq 90.00\%$"
    assert first.target_normalized == "≥90.00%"
    model = seed_decl.projects[8]
    assert model.indicators[0].target_text == r"\leq 10.00(%)"
    assert model.indicators[0].target_normalized == "≤10.00(%)"
    assert model.indicators[1].target_normalized == "≥2000.00(人次)"
    assert "\\geq" not in model.annual_goal and "≥80%" in model.annual_goal
    plain = seed_decl.projects[0].indicators[1]
    assert plain.target_text == "≥100.00(个)" and plain.target_normalized is None


def _repairs_at(decl: Declarations, line: int) -> list[str]:
    return [f"{r.kind}:{r.found}:{r.decision}" for r in decl.repairs if r.source.line == line]


def test_seed_repairs_are_recorded_where_they_happened(seed_decl: Declarations) -> None:
    assert any("贝里顶外" in r and "质量指标" in r for r in _repairs_at(seed_decl, 53))
    assert any("双基指标" in r and "可持续影响指标" in r for r in _repairs_at(seed_decl, 232))
    assert any("双星指标" in r and "社会效益指标" in r for r in _repairs_at(seed_decl, 321))
    assert any("效果指标" in r for r in _repairs_at(seed_decl, 319))
    assert any("效益指标" in r and "单独成行" in r for r in _repairs_at(seed_decl, 230))
    assert any("社会效益指标" in r and "一级指标为空" in r for r in _repairs_at(seed_decl, 316))
    assert any("经济效益指标" in r and "一级指标为空" in r for r in _repairs_at(seed_decl, 284))
    assert any("错位" in r and "资金到位及时性" in r for r in _repairs_at(seed_decl, 108))
    assert any("错位" in r and "演出类职工公共文化活动完成数" in r for r in _repairs_at(seed_decl, 278))
    assert any("Markdown" in r for r in _repairs_at(seed_decl, 28))
    assert any("LaTeX" in r for r in _repairs_at(seed_decl, 218))
    assert all(r.source.file == "shanghai_ftu_2024_targets.txt" and r.source.line for r in seed_decl.repairs)
    assert all(r.decision for r in seed_decl.repairs)


def test_seed_nothing_unplaced_and_one_judgement_warning(seed_decl: Declarations) -> None:
    assert [r for r in seed_decl.repairs if r.kind == "unplaced"] == []
    warnings = [r for r in seed_decl.repairs if r.kind == "warning"]
    assert [(w.source.line, w.found) for w in warnings] == [(293, "文化推广机制健全性")]


def test_read_declarations_dispatches_text(seed_path: Path) -> None:
    decl = read_declarations(seed_path)
    assert len(decl.projects) == 12
    assert decl.source_file == str(seed_path)


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "prefix"), [("gb18030", b""), ("utf-8", codecs.BOM_UTF8), ("utf-8", b"")])
def test_encodings_read_the_same(tmp_path: Path, seed_path: Path, seed_decl: Declarations, encoding, prefix) -> None:
    text = seed_path.read_text(encoding="utf-8")
    copy = tmp_path / "seed.txt"
    copy.write_bytes(prefix + text.encode(encoding))
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            copy.read_bytes().decode("utf-8")  # the test file really is not UTF-8
    decl = read_declarations(copy)
    assert [p.name for p in decl.projects] == [p.name for p in seed_decl.projects]
    for got, want in zip(decl.projects, seed_decl.projects, strict=True):
        assert [(i.level1, i.level2, i.level3, i.target_text) for i in got.indicators] == [
            (i.level1, i.level2, i.level3, i.target_text) for i in want.indicators
        ]
        assert got.annual_goal == want.annual_goal
        assert got.total_funds == want.total_funds


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("财政项目支出绩效目标申报表\n".encode() + b"\x80\xff\xfe\x81 abc \xff\n")
    with pytest.raises(EvaluatorError) as err:
        read_declarations(bad)
    message = str(err.value)
    assert "bad.txt" in message and "编码" in message and "GB18030" in message


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\n")
    with pytest.raises(EvaluatorError, match=r"empty\.txt.*文件为空"):
        read_declarations(empty)


def test_binary_file(tmp_path: Path) -> None:
    blob = tmp_path / "picture.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(EvaluatorError, match=r"picture\.txt.*不是文本文件"):
        read_declarations(blob)


def test_text_without_any_form(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("这是一份会议纪要。\n没有申报表。\n", encoding="utf-8")
    with pytest.raises(EvaluatorError, match="未找到指标表表头"):
        read_declarations(other)


FORM_HEADER = (
    "财政项目支出绩效目标申报表\n(2023年度)\n"
    "项目名称\t{name}\t项目性质\t其他经常性项目\t项目类别\t特定目标类\n"
    "主管部门\t某局\t实施单位\t某中心\n"
    "计划开始日期\t2023-01-01\t计划完成日期\t2023-12-31\n"
    "项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t{total}\n"
    "\t其中：财政资金\t\t其中：当年财政拨款\t1,000.00\n"
    "\t\t\t上年结转资金\t0.00\n"
    "\t其他资金\t\t其他资金\t0.00\n"
    "项目 绩效 目标\t项目总目标\t\t年度总体目标\n"
    "\t\t\t完成任务。\n"
)
TABLE_HEADER = "\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\n"


def test_form_without_indicator_table(tmp_path: Path) -> None:
    text = FORM_HEADER.format(name="甲项目", total="1,000.00") + "\n"
    with pytest.raises(EvaluatorError) as err:
        parse_declarations_text(text, "form.txt")
    message = str(err.value)
    assert "form.txt 第1行" in message and "甲项目" in message and "没有绩效指标表" in message


def test_duplicate_level3_in_text(tmp_path: Path) -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1,000.00")
        + TABLE_HEADER
        + "绩效 指标\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
        + "\t\t质量指标\t培训人次\t=100(%)\n"
    )
    with pytest.raises(EvaluatorError) as err:
        parse_declarations_text(text, "dup.txt")
    message = str(err.value)
    assert "dup.txt 第14行" in message and "培训人次" in message and "重复" in message and "第13行" in message


def test_money_not_a_number(tmp_path: Path) -> None:
    row = "\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
    text = FORM_HEADER.format(name="甲项目", total="一千元") + TABLE_HEADER + row
    with pytest.raises(EvaluatorError) as err:
        parse_declarations_text(text, "money.txt")
    message = str(err.value)
    assert "money.txt 第6行" in message and "金额不是数字" in message and "一千元" in message


def test_money_in_wan_yuan_is_converted(tmp_path: Path) -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1.5")
        .replace("项目资金 (元)", "项目资金 (万元)")
        .replace("1,000.00", "1.5")
        + TABLE_HEADER
        + "\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
    )
    decl = parse_declarations_text(text, "wan.txt")
    assert decl.projects[0].total_funds == pytest.approx(15000.0)
    assert decl.projects[0].fiscal_funds == pytest.approx(15000.0)
    assert any("万元" in r.decision for r in decl.repairs)


def test_unplaced_line_is_listed_not_dropped() -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1,000.00")
        + TABLE_HEADER
        + "\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
        + "\t\t\t一段无法归类的说明文字\n"
        + "\t\t时效指标\t完成及时性\t及时\n"
    )
    decl = parse_declarations_text(text, "u.txt")
    unplaced = [r for r in decl.repairs if r.kind == "unplaced"]
    assert [(r.source.line, r.found) for r in unplaced] == [(14, "一段无法归类的说明文字")]
    assert [i.level3 for i in decl.projects[0].indicators] == ["培训人次", "完成及时性"]


def test_cost_indicator_both_layouts() -> None:
    new_layout = (
        FORM_HEADER.format(name="新", total="1,000.00")
        + TABLE_HEADER
        + "绩效 指标\t成本指标\t经济成本指标\t人均成本\t≤100(元)\n"
        + "\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
    )
    old_layout = (
        FORM_HEADER.format(name="旧", total="1,000.00")
        + TABLE_HEADER
        + "绩效 指标\t产出指标\t数量指标\t培训人次\t≥100(人次)\n"
        + "\t\t成本指标\t人均成本\t≤100(元)\n"
    )
    new = parse_declarations_text(new_layout, "n.txt").projects[0].indicators
    old = parse_declarations_text(old_layout, "o.txt").projects[0].indicators
    assert [(i.level1, i.level2) for i in new] == [("成本指标", "经济成本指标"), ("产出指标", "数量指标")]
    assert [(i.level1, i.level2) for i in old] == [("产出指标", "数量指标"), ("产出指标", "成本指标")]


def test_full_width_and_year_and_weight_column() -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1,000.00")
        + "\t一级指标\t二级指标\t三级指标\t年度指标值\t分值\n"
        + "\t产出指标\t数量指标\t培训人次\t≥１００（人次）\t20\n"
        + "\t满意度指标\t服务对象满意度 指标\t满意度\t＞９０％\t10\n"
    )
    decl = parse_declarations_text(text, "w.txt")
    project = decl.projects[0]
    assert project.year == 2023
    first, second = project.indicators
    assert first.target_text == "≥１００（人次）" and first.target_normalized == "≥100(人次)"
    assert first.weight == 20.0 and second.weight == 10.0
    assert second.level2 == "服务对象满意度指标" and second.target_normalized == ">90%"
    assert second.level3 == "满意度"  # looks like a level alias, but it stands where the 三级指标 goes


def test_weight_written_as_a_percentage_or_with_fen_is_the_weight() -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1,000.00")
        + "\t一级指标\t二级指标\t三级指标\t年度指标值\t分值\n"
        + "\t产出指标\t数量指标\t培训人次\t≥100(人次)\t20%\n"
        + "\t满意度指标\t服务对象满意度指标\t满意度\t>90%\t10分\n"
    )
    decl = parse_declarations_text(text, "w.txt")
    first, second = decl.projects[0].indicators
    assert (first.level3, first.target_text, first.weight) == ("培训人次", "≥100(人次)", 20.0)
    assert (second.level3, second.target_text, second.weight) == ("满意度", ">90%", 10.0)
    noted = [r for r in decl.repairs if r.found == "20%"]
    assert len(noted) == 1 and noted[0].source.line == 13 and "按满分100分中的20分读取" in noted[0].decision
    assert not [r for r in decl.repairs if "错位" in r.decision]


def test_missing_target_is_kept_with_a_warning() -> None:
    text = (
        FORM_HEADER.format(name="甲项目", total="1,000.00")
        + TABLE_HEADER
        + "\t产出指标\t数量指标\t培训人次\n"
        + "\t\t时效指标\t完成及时性\t及时\n"
    )
    decl = parse_declarations_text(text, "m.txt")
    assert [(i.level2, i.level3, i.target_text) for i in decl.projects[0].indicators] == [
        ("数量指标", "培训人次", ""),
        ("时效指标", "完成及时性", "及时"),
    ]
    assert any(r.kind == "warning" and r.source.line == 13 and "缺少年度指标值" in r.decision for r in decl.repairs)


def test_form_without_heading_starts_at_project_name() -> None:
    one = FORM_HEADER.format(name="甲项目", total="1,000.00") + TABLE_HEADER + "\t产出指标\t数量指标\t甲\t1\n"
    two = one.replace("财政项目支出绩效目标申报表\n(2023年度)\n", "").replace("甲", "乙")
    decl = parse_declarations_text(one + two, "two.txt")
    assert [p.name for p in decl.projects] == ["甲项目", "乙项目"]
    assert any("缺少" in r.decision and r.source.line == 14 for r in decl.repairs)


# ---------------------------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"$\geq 90.00\%$", "≥90.00%"),
        (r"\leq 10.00(%)", "≤10.00(%)"),
        (r"\geq 2000.00(人次)", "≥2000.00(人次)"),
        ("＞９０（％）", ">90(%)"),
        ("ＡＢＣ１２３", "ABC123"),
        ("服务对象满意度 指标", "服务对象满意度指标"),
        ("加大帮扶力度，减轻生活困难", "加大帮扶力度，减轻生活困难"),
        ("  a   b  ", "a b"),
        ("≥ 95 %", "≥95 %"),
        ("100 $", "100 $"),
    ],
)
def test_normalize_text(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_normalized_if_changed_is_none_for_clean_text() -> None:
    assert normalized_if_changed("=100(%)") is None
    assert normalized_if_changed(r"\geq 1") == "≥1"


_MESSY = list("≥≤=<>%％（）()０１９0.19 \t　$\\geqlt人次满意度，、指标abcＡ")


@given(st.text(alphabet=st.sampled_from(_MESSY), max_size=40))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\t" not in once and "　" not in once
