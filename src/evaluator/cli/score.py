"""`evaluator score`: the main run — score, reconcile, and write everything people read."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evaluator.cli.arguments import output_folder
from evaluator.cli.outdir import staged_output
from evaluator.common.collector import collector_paused
from evaluator.common.files import ensure_output_folder, write_text_atomically
from evaluator.common.numbers import format_percent
from evaluator.common.resources import sample_inputs_dir
from evaluator.errors import EvaluatorError
from evaluator.models import RunResult
from evaluator.reports.tables import (
    OUTPUT_FORMATS,
    projects_frame,
    reconciliation_line,
    scores_frame,
    unmatched_frame,
    write_table,
)

SAMPLE_TARGETS = "shanghai_ftu_2024_targets.txt"
SAMPLE_ACTUALS = "实际完成值_样例.xlsx"
_KIND_LABELS = {"repair": "修复", "unplaced": "无法归位", "warning": "提示", "assumption": "理解方式"}
PROGRESS_THRESHOLD = 20  # projects; below this a progress bar is noise
LARGE_PORTFOLIO = 50  # projects; above this the terminal shows a summary of constant size


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "targets",
        nargs="?",
        help="绩效目标申报表（任何格式）或目标工作簿；只给这一项时为填好的自评表（文件或目录）；省略时使用内置样例",
    )
    parser.add_argument("actuals", nargs="?", help="年末实际完成值工作簿；省略时使用内置样例")
    parser.add_argument("--rules", default=None, help="评分规则：内置名称（mof2020、hubei）或 TOML 文件路径")
    parser.add_argument(
        "-o", "--output", default="outputs", type=output_folder, metavar="OUTDIR", help="输出目录（默认 outputs/）"
    )
    parser.add_argument("--no-reports", action="store_true", help="只输出 CSV，不生成自评表、报告和图表")
    parser.add_argument(
        "--jobs", type=int, default=None, help="生成报告的并行进程数（默认：项目较多时按 CPU 核数，较少时为 1）"
    )
    parser.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        default="csv",
        help="逐行结果（scores、projects、unmatched_actuals）的文件格式：csv（默认）或 parquet（需要 pyarrow）",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"在终端列出每个项目（默认：超过 {LARGE_PORTFOLIO} 个项目时只显示汇总、最低分项目和失分最多的指标）",
    )


def resolve_inputs(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """(targets, actuals); actuals is None when one filled 自评表 (or a folder of them) stands for both."""
    if args.targets and not args.actuals:
        return Path(args.targets), None
    if args.targets:
        return Path(args.targets), Path(args.actuals)
    local = Path("inputs")
    base = local if (local / SAMPLE_TARGETS).exists() else sample_inputs_dir()
    return base / SAMPLE_TARGETS, base / SAMPLE_ACTUALS


def _is_actuals_workbook(path: Path) -> bool:
    """A workbook with the 实际完成 sheet the template writes: the second input, not the first."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from evaluator.ingest.actuals_workbook import ACTUALS_SHEET

    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    try:
        workbook = load_workbook(path, read_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        return False  # the reader will say what is wrong with it
    try:
        return ACTUALS_SHEET in workbook.sheetnames
    finally:
        workbook.close()


TEXT_SUFFIXES = (".txt", ".md", ".text")


def check_order(targets: Path, actuals: Path | None) -> None:
    """Name the file that is in the wrong place, rather than fail to read it as something it is not."""
    usage = "evaluator score 申报表或目标工作簿 实际完成值工作簿"
    if _is_actuals_workbook(targets):
        if actuals is None:
            raise EvaluatorError(
                f"「{targets.name}」是实际完成值工作簿（含「实际完成」工作表），应作为第二个参数；"
                f"第一个参数请给出绩效目标申报表或目标工作簿：{usage}"
            )
        raise EvaluatorError(
            f"两个输入文件的顺序反了：「{targets.name}」是实际完成值工作簿，应作为第二个参数；"
            f"「{actuals.name}」应作为第一个参数：evaluator score {actuals} {targets}"
        )
    if actuals is not None and actuals.suffix.lower() in TEXT_SUFFIXES:
        raise EvaluatorError(
            f"「{actuals.name}」是文本文件，不是实际完成值工作簿；申报表应作为第一个参数，"
            f"第二个参数是 evaluator template 生成并由单位填好的 .xlsx 工作簿：{usage}"
        )


def write_run_log(run: RunResult, path: Path) -> Path:
    """Every repair and every unplaced line, so a person can check what the engine decided."""
    lines = [f"评分规则：{run.profile_name}", reconciliation_line(run), ""]
    if run.repairs:
        lines.append(f"读取时的修复与提示（{len(run.repairs)} 条）：")
        for repair in run.repairs:
            kind = _KIND_LABELS.get(repair.kind, repair.kind)
            lines.append(f"- 【{kind}】{repair.source.describe()}：{repair.found} → {repair.decision}")
    else:
        lines.append("读取时没有需要修复的内容。")
    write_text_atomically(path, "\n".join(lines) + "\n")
    return path


WORST_PROJECTS = 10
GRADE_ORDER = ("优", "良", "中", "差")


def print_summary(
    console: Console, run: RunResult, outdir: Path, frame: pd.DataFrame | None = None, *, show_all: bool = False
) -> None:
    """Every project for a small portfolio (or with --all); a summary of constant size otherwise.

    Laying out a table of 10,000 projects took rich longer than scoring them, and nobody reads it
    on a terminal: the full list is in projects.csv and 汇总.xlsx. Projects not reported (未填报)
    are named apart and take no part in the table, the grades or the ranking.
    """
    frame = projects_frame(run) if frame is None else frame
    reported = frame[[not project.unreported for project in run.projects]]
    apart = [p.project.name for p in run.projects if p.unreported]
    if show_all or len(reported) <= LARGE_PORTFOLIO:
        console.print(_projects_table(reported, f"项目支出绩效自评结果（规则：{run.profile_name}）"))
    else:
        print_overview(console, run, reported)
    if apart:
        shown = apart if show_all or len(apart) <= WORST_PROJECTS else [*apart[:WORST_PROJECTS], "…"]
        console.print(f"未填报的项目（{len(apart)} 个，不评分、不定级、不参与排名）：" + "、".join(shown))
    print_top_losses(console, run)
    console.print(reconciliation_line(run))
    console.print(f"结果已写入：{outdir}")


def _projects_table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title)
    for header, justify in (
        ("项目名称", "left"),
        ("预算执行率", "right"),
        ("总分", "right"),
        ("等级", "center"),
        ("状态", "center"),
        ("红", "right"),
        ("黄", "right"),
        ("未评分", "right"),
    ):
        table.add_column(header, justify=justify)
    for record in frame.to_dict("records"):
        rate = record["预算执行率"]
        table.add_row(
            str(record["项目名称"]),
            format_percent(rate),
            f"{record['总分']:.2f}",
            str(record["等级"]),
            str(record["评分状态"]),
            str(record["红色标记数"]),
            str(record["黄色标记数"]),
            str(record["未评分指标数"]),
        )
    return table


def print_overview(console: Console, run: RunResult, frame: pd.DataFrame, worst: int | None = None) -> None:
    """Counts, the grade distribution and the lowest-scoring projects: the same size for any portfolio."""
    worst = WORST_PROJECTS if worst is None else worst
    incomplete = sum(not project.complete for project in run.projects if not project.unreported)
    console.print(
        f"项目支出绩效自评结果（规则：{run.profile_name}）：{len(frame):,} 个项目，"
        f"指标 {run.rows_in:,} 行（已评分 {run.rows_scored:,}，未评分 {run.rows_not_scored:,}），"
        f"评分未完成的项目 {incomplete:,} 个；逐项目结果见 projects.csv（或加 --all 在此列出全部项目）"
    )
    counts = frame["等级"].astype(str).value_counts()
    grades = Table(title="等级分布")
    grades.add_column("等级", justify="center")
    grades.add_column("项目数", justify="right")
    grades.add_column("占比", justify="right")
    ordered = [g for g in GRADE_ORDER if g in counts.index] + sorted(set(counts.index) - set(GRADE_ORDER))
    for grade in ordered:
        grades.add_row(grade or "（无）", f"{counts[grade]:,}", f"{counts[grade] / len(frame):.1%}")
    console.print(grades)
    lowest = frame.sort_values("总分", kind="stable").head(worst)
    console.print(_projects_table(lowest, f"总分最低的 {len(lowest)} 个项目"))


TOP_LOSSES = 10


def print_top_losses(console: Console, run: RunResult, limit: int = TOP_LOSSES) -> None:
    """The rows that cost the most points across the portfolio: where a bureau looks first."""
    from evaluator.reports.view import flagged_lines

    lines = [line for line in flagged_lines(run) if line.lost > 0][:limit]
    if not lines:
        return
    table = Table(title=f"失分最多的指标（前 {len(lines)} 项，全部见 汇总.xlsx「标记指标」）")
    for header, justify in (
        ("项目名称", "left"),
        ("指标", "left"),
        ("指标值", "left"),
        ("实际", "left"),
        ("得分/分值", "right"),
        ("失分", "right"),
        ("标记", "left"),
    ):
        table.add_column(header, justify=justify, overflow="fold")
    for line in lines:
        style = "red" if line.severity == "red" else "yellow"
        table.add_row(
            line.project,
            line.level3,
            line.target,
            line.actual or "（未填写）",
            f"{line.score:.2f}/{line.weight:.2f}",
            f"[{style}]{line.lost:.2f}[/{style}]",
            line.flags,
        )
    console.print(table)


def _stage_progress(console: Console) -> Progress:
    """A bar on stderr; rich draws nothing when stderr is not a terminal (logs, pipes, tests)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def run(args: argparse.Namespace) -> int:
    from evaluator.api import score

    targets, actuals = resolve_inputs(args)
    for path in (targets, actuals):
        if path is not None and not path.exists():
            raise EvaluatorError("找不到输入文件", value=str(path))
    check_order(targets, actuals)
    outdir = Path(args.output)
    ensure_output_folder(outdir, create=False)  # before the work, not after it
    errors = Console(stderr=True, highlight=False)
    stages = ("读取目标", "读取实际完成值", "评分")
    with _stage_progress(errors) as bar, collector_paused(freeze=True):
        # The process ends soon: what was read is frozen out of the collector's later passes.
        task = bar.add_task(stages[0], total=len(stages))

        def stage(name: str) -> None:
            bar.update(task, description=name, completed=stages.index(name) if name in stages else None)

        if actuals is None:
            from evaluator.ingest.self_evaluation import read_self_evaluations

            decl, acts = read_self_evaluations(targets)
            evaluation = score(decl, acts, args.rules, stage=stage)
        else:
            evaluation = score(targets, actuals, args.rules, stage=stage)
        bar.update(task, completed=len(stages))
    result = evaluation.run
    console = Console(highlight=False)
    projects = projects_frame(result)
    output_format = getattr(args, "output_format", "csv")
    with staged_output(outdir) as staged:  # everything appears in OUTDIR at once, or nothing changes
        write_table(scores_frame(result), staged, "scores", output_format)
        write_table(projects, staged, "projects", output_format)
        write_table(unmatched_frame(result), staged, "unmatched_actuals", output_format)
        write_run_log(result, staged / "核对与修复记录.txt")
        if not args.no_reports:
            from evaluator.reports.bundle import write_all_reports

            if len(result.projects) >= PROGRESS_THRESHOLD:
                with _stage_progress(errors) as bar:
                    task = bar.add_task("生成报告", total=len(result.projects))
                    write_all_reports(result, staged, progress=lambda _name: bar.advance(task), workers=args.jobs)
            else:
                write_all_reports(result, staged, workers=args.jobs)
    print_summary(console, result, outdir, projects, show_all=getattr(args, "all", False))
    return 0
