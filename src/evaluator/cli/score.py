"""`evaluator score`: the main run — score, reconcile, and write everything people read."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evaluator.cli.arguments import output_folder, part_size
from evaluator.cli.outdir import staged_output
from evaluator.common.collector import collector_paused, release_cycles
from evaluator.common.files import ensure_output_folder, write_atomically
from evaluator.common.numbers import format_percent
from evaluator.common.resources import sample_inputs_dir
from evaluator.errors import EvaluatorError
from evaluator.models import Repair, RunResult
from evaluator.pipeline import DEFAULT_PART_ROWS
from evaluator.reports.tables import (
    OUTPUT_FORMATS,
    TableInParts,
    projects_frame,
    reconciliation_line,
    scores_frame,
    unmatched_frame,
    write_table,
)
from evaluator.reports.view import FlaggedLine, top_losses

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
        "--part-rows",
        type=part_size,
        default=DEFAULT_PART_ROWS,
        metavar="N",
        help=(
            f"不生成报告时（--no-reports）按整个项目分批评分并逐批写出，每批至多约 N 行指标"
            f"（默认 {DEFAULT_PART_ROWS}；单个项目不拆分）；批次越小占用内存越少，结果与一次评分完全相同"
        ),
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
    from evaluator.ingest.actuals_workbook import ACTUALS_SHEET
    from evaluator.ingest.xlsx_fast import sheet_names

    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    try:
        return ACTUALS_SHEET in sheet_names(path)
    except Exception:  # not a readable workbook: the reader will say what is wrong with it
        return False


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
    with RunLog(path) as log:
        log.add(run.repairs)
        return log.finish(run)


class RunLog:
    """核对与修复记录.txt for a run scored part by part: the repairs are added as each part comes.

    The header states the final counts, known only at the end, so the lines wait in an anonymous
    temporary file beside the log (not in memory: a million rows carry ~10⁵ of them) and the log
    is written whole at the end, header first, exactly as for a run scored at once.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.count = 0
        self._spool: IO[bytes] | None = None

    def add(self, repairs: Iterable[Repair]) -> None:
        lines = [
            f"- 【{_KIND_LABELS.get(r.kind, r.kind)}】{r.source.describe()}：{r.found} → {r.decision}\n"
            for r in repairs
        ]
        if not lines:
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile(dir=self.path.parent if self.path.parent.is_dir() else None)
        self._spool.write("".join(lines).encode("utf-8"))
        self.count += len(lines)

    def finish(self, totals: RunResult) -> Path:
        """Write the log: `totals` gives the rules' name and the counts (its projects are not read)."""
        head = [f"评分规则：{totals.profile_name}", reconciliation_line(totals), ""]
        head.append(f"读取时的修复与提示（{self.count} 条）：" if self.count else "读取时没有需要修复的内容。\n")
        spool = self._spool

        def write(temp: Path) -> None:
            with open(temp, "wb") as out:
                out.write("\n".join(head).encode("utf-8"))
                if spool is not None:
                    out.write(b"\n")
                    spool.seek(0)
                    shutil.copyfileobj(spool, out)

        write_atomically(self.path, write)
        return self.path

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


WORST_PROJECTS = 10
GRADE_ORDER = ("优", "良", "中", "差")
TOP_LOSSES = 10


@dataclass
class Overview:
    """What the terminal summary reads of a run, gathered a part at a time.

    Why: a portfolio scored part by part never has every ScoredRow alive, so the summary keeps
    only what it prints: each part's projects.csv rows, which projects are 未填报 or incomplete,
    the counts, and the top lost-points lines folded part by part (reports.view.top_losses).
    """

    totals: RunResult = field(default_factory=lambda: RunResult(projects=()))
    frames: list[pd.DataFrame] = field(default_factory=list)
    unreported: list[bool] = field(default_factory=list)
    apart: list[str] = field(default_factory=list)
    incomplete: int = 0
    losses: list[FlaggedLine] = field(default_factory=list)

    @classmethod
    def of(cls, run: RunResult, frame: pd.DataFrame | None = None) -> Overview:
        overview = cls()
        overview.add(run, projects_frame(run) if frame is None else frame)
        return overview

    def add(self, part: RunResult, frame: pd.DataFrame) -> None:
        """Take in one part (in the run's order) and its projects frame."""
        first = not self.frames
        self.frames.append(frame)
        self.unreported.extend(project.unreported for project in part.projects)
        self.apart.extend(project.project.name for project in part.projects if project.unreported)
        self.incomplete += sum(not project.complete for project in part.projects if not project.unreported)
        self.losses = top_losses(part, TOP_LOSSES, self.losses)
        t = self.totals
        self.totals = RunResult(
            projects=(),
            unmatched_actuals=part.unmatched_actuals if first else t.unmatched_actuals + part.unmatched_actuals,
            profile_name=part.profile_name,
            rows_in=t.rows_in + part.rows_in,
            rows_scored=t.rows_scored + part.rows_scored,
            rows_not_scored=t.rows_not_scored + part.rows_not_scored,
            rows_not_applicable=t.rows_not_applicable + part.rows_not_applicable,
        )

    def projects(self) -> pd.DataFrame:
        """projects_frame of the whole run: the parts' columns joined as lists, so dtypes are inferred over all rows."""
        if len(self.frames) == 1:
            return self.frames[0]
        columns = list(self.frames[0].columns)
        data = {c: [v for frame in self.frames for v in frame[c].tolist()] for c in columns}
        return pd.DataFrame(data, columns=columns)


def print_summary(
    console: Console,
    run: RunResult | Overview,
    outdir: Path,
    frame: pd.DataFrame | None = None,
    *,
    show_all: bool = False,
) -> None:
    """Every project for a small portfolio (or with --all); a summary of constant size otherwise.

    Laying out a table of 10,000 projects took rich longer than scoring them, and nobody reads it
    on a terminal: the full list is in projects.csv and 汇总.xlsx. Projects not reported (未填报)
    are named apart and take no part in the table, the grades or the ranking.
    """
    overview = run if isinstance(run, Overview) else Overview.of(run, frame)
    totals = overview.totals
    frame = overview.projects()
    reported = frame[[not flag for flag in overview.unreported]]
    apart = overview.apart
    if show_all or len(reported) <= LARGE_PORTFOLIO:
        console.print(_projects_table(reported, f"项目支出绩效自评结果（规则：{totals.profile_name}）"))
    else:
        print_overview(console, overview, reported)
    if apart:
        shown = apart if show_all or len(apart) <= WORST_PROJECTS else [*apart[:WORST_PROJECTS], "…"]
        console.print(f"未填报的项目（{len(apart)} 个，不评分、不定级、不参与排名）：" + "、".join(shown))
    print_top_losses(console, overview)
    console.print(reconciliation_line(totals))
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


def print_overview(console: Console, overview: Overview, frame: pd.DataFrame, worst: int | None = None) -> None:
    """Counts, the grade distribution and the lowest-scoring projects: the same size for any portfolio."""
    worst = WORST_PROJECTS if worst is None else worst
    run = overview.totals
    console.print(
        f"项目支出绩效自评结果（规则：{run.profile_name}）：{len(frame):,} 个项目，"
        f"指标 {run.rows_in:,} 行（已评分 {run.rows_scored:,}，未评分 {run.rows_not_scored:,}），"
        f"评分未完成的项目 {overview.incomplete:,} 个；逐项目结果见 projects.csv（或加 --all 在此列出全部项目）"
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


def print_top_losses(console: Console, run: RunResult | Overview, limit: int = TOP_LOSSES) -> None:
    """The rows that cost the most points across the portfolio: where a bureau looks first.

    An Overview holds the first TOP_LOSSES of them, so it shows at most that many.
    """
    lines = run.losses[:limit] if isinstance(run, Overview) else top_losses(run, limit)
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
    targets, actuals = resolve_inputs(args)
    for path in (targets, actuals):
        if path is not None and not path.exists():
            raise EvaluatorError("找不到输入文件", value=str(path))
    check_order(targets, actuals)
    outdir = Path(args.output)
    ensure_output_folder(outdir, create=False)  # before the work, not after it
    errors = Console(stderr=True, highlight=False)
    console = Console(highlight=False)
    output_format = getattr(args, "output_format", "csv")
    show_all = getattr(args, "all", False)
    if args.no_reports:
        # Only the tables: scored and written a part at a time, so a million rows fit in 1.5 GB.
        parts = _read(args, targets, actuals, errors, in_parts=True)
        overview = write_in_parts(parts, outdir, output_format, errors)
        print_summary(console, overview, outdir, show_all=show_all)
        return 0
    evaluation = _read(args, targets, actuals, errors, in_parts=False)
    result = evaluation.run
    projects = projects_frame(result)
    with staged_output(outdir) as staged:  # everything appears in OUTDIR at once, or nothing changes
        write_table(scores_frame(result), staged, "scores", output_format)
        write_table(projects, staged, "projects", output_format)
        write_table(unmatched_frame(result), staged, "unmatched_actuals", output_format)
        write_run_log(result, staged / "核对与修复记录.txt")
        from evaluator.reports.bundle import write_all_reports

        if len(result.projects) >= PROGRESS_THRESHOLD:
            with _stage_progress(errors) as bar:
                task = bar.add_task("生成报告", total=len(result.projects))
                write_all_reports(result, staged, progress=lambda _name: bar.advance(task), workers=args.jobs)
        else:
            write_all_reports(result, staged, workers=args.jobs)
    print_summary(console, result, outdir, projects, show_all=show_all)
    return 0


def _read(args: argparse.Namespace, targets: Path, actuals: Path | None, errors: Console, *, in_parts: bool) -> Any:
    """Read the inputs (with a progress bar) and score them whole, or return the parts to come."""
    from evaluator.api import score, score_in_parts

    stages = ("读取目标", "读取实际完成值", "评分")
    with _stage_progress(errors) as bar, collector_paused(freeze=True):
        # The process ends soon: what was read is frozen out of the collector's later passes.
        task = bar.add_task(stages[0], total=len(stages))

        def stage(name: str) -> None:
            bar.update(task, description=name, completed=stages.index(name) if name in stages else None)

        inputs: tuple[Any, Any] = (targets, actuals)
        if actuals is None:
            from evaluator.ingest.self_evaluation import read_self_evaluations

            inputs = read_self_evaluations(targets)
        if in_parts:
            part_rows = getattr(args, "part_rows", None)
            out: Any = score_in_parts(*inputs, args.rules, part_rows=part_rows, stage=stage)
        else:
            out = score(*inputs, args.rules, stage=stage)
        bar.update(task, completed=len(stages))
    return out


def write_in_parts(parts: Iterator[RunResult], outdir: Path, output_format: str, errors: Console) -> Overview:
    """Write each part's rows as it comes and drop it: the tables and the log equal a whole run's.

    Everything still appears in OUTDIR at once or not at all (staged_output). Between parts the
    part's cyclic leftovers are collected (only objects made after reading are unfrozen, so the
    pass is short) and freed heap pages are handed back, so the next part reuses the memory.
    """
    from evaluator.ingest.workbook_open import give_back_memory

    overview = Overview()
    with (
        staged_output(outdir) as staged,
        collector_paused(),
        TableInParts(staged, "scores", output_format) as scores,
        TableInParts(staged, "projects", output_format) as projects,
        RunLog(staged / "核对与修复记录.txt") as log,
        _stage_progress(errors) as bar,
    ):
        task = bar.add_task("评分并写出", total=None)
        for part in parts:
            scores.append(scores_frame(part))
            frame = projects_frame(part)
            projects.append(frame)
            log.add(part.repairs)
            if not overview.frames:  # the unmatched rows come with the first part, and only there
                write_table(unmatched_frame(part), staged, "unmatched_actuals", output_format)
            overview.add(part, frame)
            bar.advance(task, part.rows_in)
            del part, frame  # before the next part is scored, not after
            release_cycles(generation=0)
            give_back_memory()
        log.finish(overview.totals)
    return overview
