"""One reader per idea: the date reader, the text key, the number formatter, atomic writers.

Each defect the restructure fixed has a test here that failed before it: 2024年12月31号 stopped a
declaration, the terminal said 98.12% where the 自评表 says 98.13%, the run log, the CSVs and the
actuals template wrote past `write_atomically`.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from rich.console import Console

from evaluator.cli.score import print_summary, write_run_log
from evaluator.common.dates import DateProblem, from_excel_serial, read_date
from evaluator.common.numbers import format_number, format_percent
from evaluator.common.text import fold_key
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError
from evaluator.grammar.actuals import parse_actual
from evaluator.grammar.targets import parse_target
from evaluator.ingest.actuals_template import write_actuals_template
from evaluator.ingest.targets_workbook import INDICATOR_COLUMNS, PROJECT_COLUMNS, read_targets_workbook
from evaluator.ingest.text_form import parse_declarations_text
from evaluator.models import ActualKind, Declarations, Indicator, Project, RunResult
from evaluator.reports.tables import write_csv
from evaluator.scoring.core import score_projects
from scoring_fixtures import project, quant

# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2024-12-31", None, dt.date(2024, 12, 31)),
        ("2024/6/30", None, dt.date(2024, 6, 30)),
        ("2024.06.30", None, dt.date(2024, 6, 30)),
        ("2024年12月31日", None, dt.date(2024, 12, 31)),
        ("2024年12月31号", None, dt.date(2024, 12, 31)),
        ("2024 年 12 月 31 日", None, dt.date(2024, 12, 31)),
        ("２０２４年１２月３１日", None, dt.date(2024, 12, 31)),
        ("2024年6月底", None, dt.date(2024, 6, 30)),
        ("2024年2月", None, dt.date(2024, 2, 29)),
        ("2024年底", None, dt.date(2024, 12, 31)),
        ("2024年上半年", None, dt.date(2024, 6, 30)),
        ("下半年", 2023, dt.date(2023, 12, 31)),
        ("11月30日", 2024, dt.date(2024, 11, 30)),
    ],
)
def test_read_date(text: str, year: int | None, expected: dt.date) -> None:
    reading = read_date(text, year)
    assert reading is not None and reading.date == expected


def test_read_date_says_what_it_assumed() -> None:
    assert read_date("2024年12月31号").exact
    month = read_date("2024年6月底")
    assert not month.exact and "6月30日" in "".join(month.notes)
    no_year = read_date("11月30日", 2024)
    assert "未写年份，按2024年理解" in no_year.notes
    words = read_date("2024年11月30日已完成")
    assert words.after == "已完成" and not words.exact


@pytest.mark.parametrize("text", ["3000人次", "完成", "", "6月份", "45657"])
def test_read_date_leaves_non_dates_alone(text: str) -> None:
    assert read_date(text) is None


def test_excel_serials_only_where_a_date_is_expected() -> None:
    assert read_date("45657", serials=True).date == dt.date(2024, 12, 31)
    assert from_excel_serial(45292) == dt.date(2024, 1, 1)
    assert from_excel_serial(1) == dt.date(1900, 1, 1)
    assert from_excel_serial(61) == dt.date(1900, 3, 1)
    with pytest.raises(DateProblem):
        from_excel_serial(60)  # Excel's imaginary 1900-02-29


@pytest.mark.parametrize("text", ["2024年2月30日", "2024-13-01", "2023年2月29号"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(DateProblem, match="不存在"):
        read_date(text)


def test_month_day_without_any_year_is_refused() -> None:
    with pytest.raises(DateProblem, match="没有写年份"):
        read_date("11月30日")


_FORM = (
    "财政项目支出绩效目标申报表\n(2024年度)\n"
    "项目名称\t甲项目\t项目性质\t其他经常性项目\t项目类别\t特定目标类\n"
    "主管部门\t某局\t实施单位\t某中心\n"
    "计划开始日期\t2024年1月1号\t计划完成日期\t{end}\n"
    "项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t1,000.00\n"
    "\t其中：财政资金\t\t其中：当年财政拨款\t1,000.00\n"
    "\t\t\t上年结转资金\t0.00\n"
    "\t其他资金\t\t其他资金\t0.00\n"
    "项目 绩效 目标\t项目总目标\t\t年度总体目标\n"
    "\t\t\t完成任务。\n"
    "\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\n"
    "绩效 指标\t产出指标\t时效指标\t完成时间\t{end}前\n"
)


def test_declaration_date_with_hao_is_read_like_the_grammar_reads_it() -> None:
    """`2024年12月31号` stopped `evaluator parse` with 日期无法识别, yet was a valid deadline."""
    decl = parse_declarations_text(_FORM.format(end="2024年12月31号"), "form.txt")
    first = decl.projects[0]
    assert (first.start_date, first.end_date) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    target = parse_target(first.indicators[0].target_text, year=2024)
    assert target.deadline == first.end_date
    assert parse_actual("2024年12月31号").date == first.end_date


@pytest.mark.parametrize("end", ["2024年6月", "2024年12月31日前后", "年底"])
def test_declaration_date_is_not_guessed(end: str) -> None:
    with pytest.raises(EvaluatorError, match="日期无法识别"):
        parse_declarations_text(_FORM.format(end=end), "form.txt")


def test_declaration_workbook_date_column_reads_serials(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append([c[0] for c in PROJECT_COLUMNS])
    ws.append(
        ["甲项目", "某局", "某中心", "其他经常性项目", "特定目标类", 45292, "2024年12月31号", 1000, 1000, 0, 0, "完成"]
    )
    wb.create_sheet("绩效指标").append(list(INDICATOR_COLUMNS))
    wb["绩效指标"].append(["甲项目", "产出指标", "数量指标", "培训人次", "≥100人次"])
    wb.save(tmp_path / "t.xlsx")
    decl = read_targets_workbook(tmp_path / "t.xlsx")
    assert (decl.projects[0].start_date, decl.projects[0].end_date) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_actual_half_year_is_its_last_day() -> None:
    """`2024年上半年` used to read as 2024-12-31 with 上半年 thrown away."""
    actual = parse_actual("2024年上半年")
    assert actual.kind is ActualKind.DATE and actual.date == dt.date(2024, 6, 30)


# --- text key --------------------------------------------------------------------------------


def test_fold_key_variants() -> None:
    assert fold_key("服务对象满意度 指标") == fold_key("服务对象满意度指标") == "服务对象满意度指标"
    assert fold_key("（甲）项目") == "(甲)项目"
    assert fold_key("“五一”专项，工作", punctuation=True) == "五一专项工作"
    assert fold_key("ABC 项目", punctuation=True, casefold=True) == "abc项目"
    assert fold_key("已 完成。≥90%", symbols=True) == "已完成90"
    assert fold_key(None) == ""


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "kwargs", "expected"),
    [
        (785 / 800, {}, "98.13%"),
        (0.5, {}, "50.00%"),
        (1.0, {}, "100.00%"),
        (0.985, {"trim": True}, "98.5%"),
        (0.98125, {"trim": True}, "98.13%"),
        (None, {}, "—"),
        (float("nan"), {}, "—"),
    ],
)
def test_format_percent(ratio: float | None, kwargs: dict, expected: str) -> None:
    assert format_percent(ratio, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(1234567.5, 4, "1,234,567.5"), (3000.0, 4, "3,000"), (0.125, 2, "0.13"), (2.675, 2, "2.68"), (-0.0, 4, "0")],
)
def test_format_number(value: float, digits: int, expected: str) -> None:
    assert format_number(value, digits) == expected


def test_terminal_budget_rate_agrees_with_the_workbook(tmp_path: Path) -> None:
    """The terminal printed f"{rate:.2%}" (98.12%) where the 自评表 and 汇总 show 98.13%."""
    [scored] = score_projects([project([quant("q", 100, 100)], adjusted=800_000, executed=785_000)], load_profile())
    assert scored.budget.rate == pytest.approx(0.98125)
    out = io.StringIO()
    print_summary(Console(file=out, width=200), RunResult(projects=(scored,), profile_name="mof2020"), tmp_path)
    assert "98.13%" in out.getvalue() and "98.12%" not in out.getvalue()


# --- atomic writers --------------------------------------------------------------------------


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """An output folder that cannot exist: its name is taken by a file."""
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    return tmp_path / "taken"


def test_csv_writer_is_atomic(tmp_path: Path, blocked: Path) -> None:
    path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "s.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "taken"]  # no .tmp left behind
    with pytest.raises(EvaluatorError, match="无法"):
        write_csv(pd.DataFrame({"a": [1]}), blocked / "s.csv")


def test_run_log_writer_is_atomic(blocked: Path) -> None:
    with pytest.raises(EvaluatorError, match="无法"):
        write_run_log(RunResult(projects=()), blocked / "run.log")


def test_template_writer_is_atomic(tmp_path: Path, blocked: Path) -> None:
    decl = Declarations(projects=(Project(name="甲", indicators=(Indicator("产出指标", "数量指标", "人次", "≥1"),)),))
    write_actuals_template(decl, tmp_path / "t.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx", "taken"]
    with pytest.raises(EvaluatorError, match="无法写入填报模板"):
        write_actuals_template(decl, blocked / "t.xlsx")
