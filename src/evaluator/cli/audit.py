"""`evaluator audit INPUT... [-o OUTDIR] [--rules NAME|PATH]`: re-score filled 自评表 and list every discrepancy.

Exit 0 whenever the audit ran: findings are results, not errors. Inputs are whatever the table
reader reads (a folder means every file in it); a file named directly must read, a stray file in a
folder is skipped and named, so one odd attachment does not stop a bureau's batch.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from evaluator.cli.arguments import output_folder
from evaluator.common.files import ensure_output_folder
from evaluator.models import Declarations


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="已填写的项目支出绩效自评表，可给多个；目录表示其中的全部文件"
    )
    parser.add_argument(
        "-o", "--output", default="outputs", type=output_folder, metavar="OUTDIR", help="输出目录（默认 outputs/）"
    )
    parser.add_argument(
        "--rules", default=None, help="评分规则：内置名称（mof2020、hubei）或 TOML 文件路径；复核设置取其 [audit] 段"
    )
    parser.add_argument("--no-reports", action="store_true", help="只输出 findings.csv、audit.json 和复核底稿")


def read_filled_tables(paths: Sequence[Path]) -> tuple[list[Declarations], list[str]]:
    """Every filled 自评表 among the inputs (files or folders), through the one batch reader."""
    from evaluator.ingest.declarations import read_many_declarations

    return read_many_declarations(paths, what="自评表")


def run(args: argparse.Namespace) -> int:
    from evaluator.audit.bundle import write_audit_outputs
    from evaluator.audit.engine import audit_projects
    from evaluator.audit.outputs import summary_lines
    from evaluator.config.profiles import load_profile

    outdir = ensure_output_folder(Path(args.output), create=False)
    profile = load_profile(args.rules)
    tables, skipped = read_filled_tables([Path(p) for p in args.inputs])
    result = audit_projects(tables, profile)
    written = write_audit_outputs(result, outdir, reports=not args.no_reports)
    for line in summary_lines(result):
        print(line)
    for line in skipped:
        print(f"已跳过（无法读取）：{line}")
    print("结果已写入：" + "、".join(str(p) for p in written))
    return 0
