"""What a user sees on the bundled sample (issue 14, "What users see"): the 自评表, the template, the
CSVs, the run log and the terminal, each checked against one real run of the CLI.

The declaration `inputs/shanghai_ftu_2024_targets.txt` is a real published table whose targets were
extracted from PDF with LaTeX left in (`\\leq 10.00(%)`, `$\\geq 90.00\\%$`); the actuals are the
invented sample.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # end to end: most of these run the real CLI on the sample and read what it wrote

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
SEED = INPUTS / "shanghai_ftu_2024_targets.txt"
SAMPLE_ACTUALS = INPUTS / "实际完成值_样例.xlsx"
LATEX_MARKS = ("\\leq", "\\geq", "$", "\\%")


def _cli(*args: str | Path, cwd: Path = ROOT, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", MPLBACKEND="Agg", COLUMNS="200")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
    )


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "outputs"
    done = _cli("score", "-o", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("template") / "模板.xlsx"
    done = _cli("template", SEED, "-o", out)
    assert done.returncode == 0, done.stderr
    return out


def _has_latex(text: object) -> bool:
    return any(mark in str(text) for mark in LATEX_MARKS)


# -- item 1: LaTeX in 年度指标值 ----------------------------------------------------------------


def test_targets_show_without_latex_in_csv_form_and_template(sample_run: Path, template: Path) -> None:
    scores = pd.read_csv(sample_run / "scores.csv", encoding="utf-8-sig", keep_default_na=False)
    targets = scores["年度指标值"]
    assert not targets.map(_has_latex).any(), targets[targets.map(_has_latex)].tolist()
    assert "≤10.00(%)" in set(targets) and "≥90.00%" in set(targets)

    form = load_workbook(sample_run / "劳模专项补助资金" / "自评表.xlsx")["自评表"]
    shown = [c.value for row in form.iter_rows(min_col=4, max_col=4) for c in row if c.value]
    assert "≥2000.00(人次)" in shown and not any(_has_latex(v) for v in shown)

    sheet = load_workbook(template)["实际完成"]
    column = [c.value for c in sheet["E"][1:] if c.value]
    assert sheet["E1"].value == "年度指标值"
    assert "≤10.00(%)" in column and not any(_has_latex(v) for v in column)


def test_run_log_keeps_the_raw_target(sample_run: Path) -> None:
    log = (sample_run / "核对与修复记录.txt").read_text(encoding="utf-8")
    assert "\\leq 10.00(%) → 年度指标值在各输出中显示为「≤10.00(%)」" in log


# -- item 2: the total under a rescale ----------------------------------------------------------

RESCALED = "上海市工人文化宫图书馆专项补贴"  # declares no 满意度指标: 89.50 of 90 → 99.44 of 100


def _labelled_rows(ws) -> dict[str, tuple[object, object]]:
    return {str(r[0].value): (r[5].value, r[6].value) for r in ws.iter_rows(min_row=1) if r[0].value}


def test_rescaled_total_shows_both_lines_in_the_form(sample_run: Path) -> None:
    ws = load_workbook(sample_run / RESCALED / "自评表.xlsx")["自评表"]
    lines = _labelled_rows(ws)
    assert lines["指标得分合计"] == (90.0, 89.5)
    (rescaled,) = [label for label in lines if label.startswith("折算总分")]
    assert lines[rescaled] == (100.0, 99.44)
    assert "未设置满意度指标" in rescaled and "按百分制折算" in rescaled and "89.50 × 100 ÷ 90" in rescaled
    assert "总分" not in lines
    # No 得分 above the 分值 beside it, anywhere in the form.
    for row in ws.iter_rows(min_row=1):
        points, got = row[5].value, row[6].value
        if isinstance(points, float) and isinstance(got, float):
            assert got <= points, (row[0].row, points, got)


def test_rescaled_total_in_word_and_html(sample_run: Path) -> None:
    from docx import Document

    table = Document(str(sample_run / RESCALED / "自评报告.docx")).tables[-1]
    last_two = [[c.text for c in row.cells][-3:] for row in table.rows[-2:]]
    assert last_two[0] == ["指标得分合计", "90.00", "89.50"]
    assert last_two[1][0].startswith("折算总分") and last_two[1][1:] == ["100.00", "99.44"]
    html = (sample_run / RESCALED / "自评报告.html").read_text(encoding="utf-8")
    assert '指标得分合计</td><td class="num">90.00</td><td class="num">89.50' in html
    assert '<td class="num">100.00</td><td class="num">99.44</td>' in html


# -- items 3 and 4: a project nobody filled in; rows not scored in the 一级指标 chart -------------

BLANK = "职工物价监督工作经费"  # its actuals and budget execution are removed below


def _without_actuals(source: Path, target: Path, project: str) -> Path:
    """The sample actuals with everything the unit fills in for `project` left empty."""
    wb = load_workbook(source)
    for row in wb["实际完成"].iter_rows(min_row=2):
        if row[0].value == project:
            for cell in row[5:]:
                cell.value = None
    for row in wb["预算执行"].iter_rows(min_row=2):
        if row[0].value == project:
            for cell in row[3:]:
                cell.value = None
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def blank_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path_factory.mktemp("blank")
    actuals = _without_actuals(SAMPLE_ACTUALS, folder / "actuals.xlsx", BLANK)
    done = _cli("score", SEED, actuals, "-o", folder / "out")
    assert done.returncode == 0, done.stderr
    return done, folder / "out"


def test_project_without_actuals_is_unreported_not_graded(blank_run) -> None:
    done, out = blank_run
    projects = pd.read_csv(out / "projects.csv", encoding="utf-8-sig", keep_default_na=False)
    record = projects[projects["项目名称"] == BLANK].iloc[0]
    assert record["等级"] == "未填报" and record["评分状态"] == "未填报" and record["总分"] == ""
    assert (projects.loc[projects["项目名称"] != BLANK, "等级"].isin(["优", "良", "中", "差"])).all()

    summary = load_workbook(out / "汇总.xlsx")
    ranked = [summary["项目汇总"].cell(r, 2).value for r in range(2, summary["项目汇总"].max_row + 1)]
    assert BLANK not in ranked and len(ranked) == 11
    assert [c.value for c in summary["未填报项目"]["B"][1:]] == [BLANK]
    assert BLANK not in {c.value for c in summary["标记指标"]["A"]}
    assert BLANK not in {c.value for c in summary["未评分指标"]["A"]}

    form = load_workbook(out / BLANK / "自评表.xlsx")["自评表"]
    grade = [r for r in form.iter_rows() if str(r[7].value or "").startswith("自评等级")]
    assert grade[0][7].value == "自评等级：未填报" and grade[0][6].value is None

    # Terminal: listed apart, out of the ranking and the lost-points table.
    table, _, rest = done.stdout.partition("未填报的项目（1 个")
    assert BLANK in rest.splitlines()[0] and BLANK not in table and BLANK not in rest.split("\n", 1)[1]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "未填报的项目（1 个）" in index


def test_unreported_projects_stay_out_of_the_portfolio_charts(blank_run) -> None:
    from evaluator.api import score
    from evaluator.reports.charts import grade_count_figure, totals_figure, write_portfolio_charts

    run = score(SEED, blank_run[1].parent / "actuals.xlsx").run
    (blank,) = [p for p in run.projects if p.unreported]
    assert blank.project.name == BLANK
    drawn: list[list[str]] = []
    import evaluator.reports.charts as charts

    real_totals, real_grades = totals_figure, grade_count_figure

    def spy_totals(projects):
        drawn.append([p.project.name for p in projects])
        return real_totals(projects)

    def spy_grades(projects, *args):
        drawn.append([p.project.name for p in projects])
        return real_grades(projects, *args)

    charts.totals_figure, charts.grade_count_figure = spy_totals, spy_grades
    try:
        write_portfolio_charts(run.projects, blank_run[1] / "charts-check")
    finally:
        charts.totals_figure, charts.grade_count_figure = real_totals, real_grades
    assert len(drawn) == 2 and all(BLANK not in names and len(names) == 11 for names in drawn)


def test_level1_rate_counts_scored_rows_only_and_marks_the_gap(sample_run: Path) -> None:
    from dataclasses import replace

    from evaluator.api import score
    from evaluator.models import RowStatus
    from evaluator.reports.view import level1_open_rows, level1_rates

    run = score(SEED, SAMPLE_ACTUALS).run
    project = next(p for p in run.projects if any(r.status is RowStatus.NOT_SCORED for r in p.rows))
    open_row = next(r for r in project.rows if r.status is RowStatus.NOT_SCORED)
    scored = [r for r in project.rows if r.level1 == open_row.level1 and r.status is RowStatus.SCORED]
    rate = level1_rates(project)[open_row.level1]
    assert rate == pytest.approx(sum(r.score for r in scored) / sum(r.weight for r in scored))
    assert level1_open_rows(project)[open_row.level1] >= 1
    # A first level whose rows are all waiting is a gap (None), never 0%.
    waiting = replace(
        project,
        rows=tuple(
            replace(r, status=RowStatus.NOT_SCORED, score=0.0) if r.level1 == open_row.level1 else r
            for r in project.rows
        ),
    )
    assert level1_rates(waiting)[open_row.level1] is None


# -- item 7: the run log must not contradict the score -----------------------------------------


def _one_row_run(target: str, actual: str, level2: str = "时效指标", name: str = "采购及时性"):
    from evaluator.config.profiles import load_profile
    from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Indicator, Project, SourceRef
    from evaluator.pipeline import evaluate

    indicators = (
        Indicator("产出指标", level2, name, target, source=SourceRef("t.txt", line=7)),
        Indicator("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    )
    project = Project(name="P", year=2024, indicators=indicators, total_funds=100.0)
    rows = (
        ActualRow("P", "产出指标", level2, name, actual, source=SourceRef("a.xlsx", sheet="实际完成", row=2)),
        ActualRow("P", "满意度指标", "服务对象满意度指标", "满意度", "95%"),
    )
    actuals = Actuals(rows, (BudgetRow("P", 100.0, 100.0, 100.0),))
    return evaluate(Declarations((project,), source_file="t.txt"), actuals, load_profile(None))


def test_log_says_the_words_decided_when_they_did() -> None:
    run = _one_row_run("及时", "滞后2个月")
    row = run.projects[0].rows[0]
    assert row.score < row.weight  # 滞后 made it 未达成 …
    logged = [r.decision for r in run.repairs if r.found == "滞后2个月"]
    assert logged and not any("未参与比较" in d for d in logged), logged  # … so the log may not say it was unused
    assert any("按文字判断为「未达成」" in d for d in logged)


def test_log_keeps_the_note_where_the_number_was_compared() -> None:
    run = _one_row_run("≥100人", "约120人", level2="数量指标", name="服务人数")
    assert run.projects[0].rows[0].score == run.projects[0].rows[0].weight
    assert any("「约」未参与比较" in r.decision for r in run.repairs if r.found == "约120人")


# -- item 6: form details ----------------------------------------------------------------------


def test_form_has_stamp_contact_and_date_lines_and_dashes_in_empty_parts(sample_run: Path) -> None:
    ws = load_workbook(sample_run / "劳模专项补助资金" / "自评表.xlsx")["自评表"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    sign = next(t for t in texts if t.startswith("填报单位（盖章）："))
    contact = next(t for t in texts if t.startswith("联系人："))
    assert "联系电话：" in contact and "填报日期：" in contact and "年" in contact
    assert texts.index(sign) > texts.index(next(t for t in texts if t.startswith("自评等级")))
    parts = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(3, 9)] for r in range(6, 9)}
    assert set(parts) == {"其中：当年财政拨款", "上年结转资金", "其他资金"}
    for values in parts.values():
        assert values[3:] == ["—", "—", "—"]  # 分值 / 执行率 / 得分 belong to the total line only
        assert all(v == "—" or isinstance(v, int | float) for v in values)


def test_a_bare_number_on_a_percent_row_shows_with_its_percent() -> None:
    row = _one_row_run("≥95%", "99.5", level2="质量指标", name="合格率").projects[0].rows[0]
    assert row.actual_text == "99.5%" and row.score == row.weight
    row = _one_row_run("≥100人", "120", level2="数量指标", name="服务人数").projects[0].rows[0]
    assert row.actual_text == "120"


def test_summary_numbers_are_numbers_and_rows_even(blank_run) -> None:
    ws = load_workbook(blank_run[1] / "汇总.xlsx")["项目汇总"]
    header = [c.value for c in ws[1]]
    numeric = [k for k, h in enumerate(header) if h.endswith("得分") or h in ("预算执行率", "总分")]
    for row in ws.iter_rows(min_row=2):
        for k in numeric:
            assert row[k].value is None or isinstance(row[k].value, int | float), (row[0].row, header[k], row[k].value)
    heights = {ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)}
    assert len(heights) == 1


# -- item 8: messages in Chinese everywhere ----------------------------------------------------

ENGLISH = (
    "usage:",
    "options",
    "invalid choice",
    "unrecognized arguments",
    "invalid int value",
    "error:",
    "required",
    "show this help",
)


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("scor",), "无效的选择 'scor'"),
        (("score", "--jobs", "x"), "参数 --jobs：不是有效的整数：'x'"),
        (("score", "a", "b", "c"), "无法识别的参数：c"),
        (("template",), "缺少必需的参数：TARGETS"),
    ],
)
def test_argument_errors_are_chinese(args: tuple[str, ...], wanted: str) -> None:
    done = _cli(*args)
    assert done.returncode == 2
    assert wanted in done.stderr and done.stderr.startswith("用法：evaluator")
    assert not any(word in done.stderr for word in ENGLISH), done.stderr


def test_help_is_chinese() -> None:
    for args in (("--help",), ("score", "--help"), ("template", "-h")):
        done = _cli(*args)
        assert done.returncode == 0 and done.stdout.startswith("用法：")
        assert "选项" in done.stdout and "显示本帮助并退出" in done.stdout
        assert not any(word in done.stdout for word in ENGLISH), done.stdout


def test_swapped_inputs_say_which_file_is_which(tmp_path: Path) -> None:
    done = _cli("score", SAMPLE_ACTUALS, SEED, "-o", tmp_path / "out")
    assert done.returncode == 1 and "顺序反了" in done.stderr
    assert f"「{SAMPLE_ACTUALS.name}」是实际完成值工作簿，应作为第二个参数" in done.stderr
    assert not (tmp_path / "out").exists()
    done = _cli("score", SAMPLE_ACTUALS, "-o", tmp_path / "out")
    assert done.returncode == 1 and "是实际完成值工作簿（含「实际完成」工作表），应作为第二个参数" in done.stderr
    done = _cli("score", SEED, SEED, "-o", tmp_path / "out")
    assert done.returncode == 1 and f"「{SEED.name}」是文本文件，不是实际完成值工作簿" in done.stderr


def test_output_that_is_a_file_is_a_user_error(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep me", encoding="utf-8")
    cases = (
        ("score", "-o", taken),
        ("score", "-o", taken / "sub"),
        ("template", SEED, "-o", tmp_path),
        ("lint", SEED, "-o", taken),
        ("audit", SEED, "-o", taken / "sub"),
    )
    for args in cases:  # every command's -o goes through the one check, before any work
        done = _cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert "这不是输入文件的问题" not in done.stderr and "内部错误" not in done.stderr
        assert "参数 -o/--output：" in done.stderr, done.stderr
    assert taken.read_text(encoding="utf-8") == "keep me"


def test_unwritable_folder_is_refused_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse
    import os

    from evaluator.cli import arguments

    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as on a read-only mount
    with pytest.raises(argparse.ArgumentTypeError, match=r"没有在.*写入的权限"):
        arguments.output_folder(str(tmp_path / "new" / "out"))


def test_os_errors_during_the_run_are_user_errors(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import errno

    from evaluator.cli import app

    def read_only(_args):
        raise OSError(errno.EROFS, "Read-only file system", "/mnt/ro/scores.csv")

    import evaluator.cli.score as score_command

    monkeypatch.setattr(score_command, "run", read_only)  # the CLI loads the chosen command's run at dispatch
    assert app.main(["score"]) == 2
    err = capsys.readouterr().err
    assert "「/mnt/ro/scores.csv」：文件系统为只读" in err and "内部错误" not in err


# -- reproducible: the same inputs give the same bytes -----------------------------------------


def _office_files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.suffix in (".xlsx", ".docx")
    }


def test_xlsx_and_docx_are_byte_identical_across_runs_and_jobs(sample_run: Path, tmp_path: Path) -> None:
    import time

    time.sleep(2.1)  # zip entries keep time to two seconds: a second run must be seen to be later
    again = tmp_path / "again"
    done = _cli("score", "-o", again, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    first, second = _office_files(sample_run), _office_files(again)
    assert len(first) == 12 * 2 + 1 and first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_template_is_byte_identical_and_stamped_from_the_input(template: Path, tmp_path: Path) -> None:
    import time
    import zipfile

    time.sleep(2.1)
    again = tmp_path / "t.xlsx"
    assert _cli("template", SEED, "-o", again).returncode == 0
    assert again.read_bytes() == template.read_bytes()
    with zipfile.ZipFile(template) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        assert {info.date_time for info in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}  # the year after 2024
    assert "2025-01-01T00:00:00Z</dcterms:created>" in core and "2025-01-01T00:00:00Z</dcterms:modified>" in core
    epoch = tmp_path / "epoch.xlsx"
    assert _cli("template", SEED, "-o", epoch, env_extra={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    with zipfile.ZipFile(epoch) as z:
        assert "2023-11-14T22:13:20Z</dcterms:modified>" in z.read("docProps/core.xml").decode("utf-8")


# -- item 5: printing --------------------------------------------------------------------------


def test_template_prints_landscape_one_page_wide_with_header_and_full_rows(template: Path) -> None:
    from evaluator.ingest.cells import wrapped_lines

    wb = load_workbook(template)
    for name in ("实际完成", "预算执行"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows.replace("$", "") == "1:1"
        assert not ws.row_breaks.brk  # the printer breaks the pages
    ws = wb["实际完成"]
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    for row in ws.iter_rows(min_row=2, max_col=5):
        needed = max(wrapped_lines(str(c.value or ""), widths[c.column_letter]) for c in row)
        assert ws.row_dimensions[row[0].row].height >= needed * 15, row[0].row  # no text cut off


def test_form_prints_one_page_wide_with_the_header_repeated(sample_run: Path) -> None:
    ws = load_workbook(sample_run / RESCALED / "自评表.xlsx")["自评表"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    assert ws.print_title_rows.replace("$", "") == f"{head}:{head}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
