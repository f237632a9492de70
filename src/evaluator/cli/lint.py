"""`evaluator lint INPUT... [-o OUTDIR] [--rules NAME|PATH] [--strict]`: review targets before the year.

Exit 0 whenever the review ran, whatever it found — it is advice. `--strict` exits 1 when any P1
(必须修改) finding is left, so a submission pipeline can refuse a declaration that cannot be scored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.cli.arguments import output_folder
from evaluator.common.files import ensure_output_folder
from evaluator.lint.engine import lint_paths
from evaluator.lint.outputs import CSV_NAME, WORKBOOK_NAME, render_summary, write_lint_csv, write_review_workbook


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="绩效目标申报表（文本或目标工作簿等），可给多个；目录表示其中的全部文件",
    )
    parser.add_argument(
        "-o", "--output", default="outputs", type=output_folder, metavar="OUTDIR", help="输出目录（默认 outputs/）"
    )
    parser.add_argument(
        "--rules", default=None, help="评分规则：内置名称（mof2020、hubei）或 TOML 文件路径；审核规则取其 [lint] 段"
    )
    parser.add_argument("--strict", action="store_true", help="有任何 P1（必须修改）问题时以退出码 1 结束")


def run(args: argparse.Namespace) -> int:
    outdir = ensure_output_folder(Path(args.output), create=False)
    result = lint_paths([Path(p) for p in args.inputs], args.rules)  # everything read before anything is written
    written = [write_lint_csv(result, outdir / CSV_NAME), write_review_workbook(result, outdir / WORKBOOK_NAME)]
    print(render_summary(result, written))
    p1 = result.count("P1")
    if args.strict and p1:
        print(f"--strict：有 {p1} 条 P1（必须修改）问题，退出码为 1。")
        return 1
    return 0
