"""`evaluator parse INPUT -o TARGETS.xlsx`: declared targets (text or workbook) → targets workbook + report."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.common.files import write_text_atomically
from evaluator.config.profiles import load_profile
from evaluator.errors import EvaluatorError
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.targets_workbook import write_targets_workbook
from evaluator.models import SourceRef
from evaluator.reports.parse_report import count_kinds, render_parse_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT", help="绩效目标申报表：PDF 提取的文本文件，或目标工作簿 .xlsx")
    parser.add_argument(
        "-o",
        "--output",
        metavar="TARGETS.xlsx",
        help="输出的目标工作簿（默认 outputs/<输入文件名>_targets.xlsx）；解析报告写在同一目录",
    )
    parser.add_argument(
        "--rules",
        default=None,
        help="评分规则：内置名称（mof2020、hubei）或 TOML 文件路径；解析报告按此规则说明评分时的读法",
    )


def default_output(input_path: Path) -> Path:
    return Path("outputs") / f"{input_path.stem}_targets.xlsx"


def report_path_for(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}_解析报告.md")


def run(args: argparse.Namespace) -> int:
    input_path = Path(args.input)
    output = Path(args.output) if args.output else default_output(input_path)
    if output.suffix.lower() != ".xlsx":
        raise EvaluatorError("输出文件必须是 .xlsx 工作簿", SourceRef(output.name), str(output))
    if output.exists() and input_path.exists() and output.resolve() == input_path.resolve():
        raise EvaluatorError("输出文件与输入文件相同，请用 -o 指定另一个文件名", SourceRef(output.name))
    profile = load_profile(args.rules)
    decl = read_declarations(input_path)  # everything is read and checked before anything is written
    report = report_path_for(output)
    write_targets_workbook(decl, output)
    write_text_atomically(report, render_parse_report(decl, input_path.name, output.name, profile))

    counts = count_kinds(decl.repairs)
    total = sum(len(p.indicators) for p in decl.projects)
    print(f"已读取 {len(decl.projects)} 个项目，共 {total} 个三级指标：")
    for project in decl.projects:
        print(f"  {project.name}：{len(project.indicators)} 个指标")
    print(f"修复 {counts['repair']} 处，提示 {counts['warning']} 条，未能归入 {counts['unplaced']} 行。")
    if counts["unplaced"]:
        print("注意：有未能归入的行，详见解析报告。")
    print(f"目标工作簿：{output}")
    print(f"解析报告：{report}")
    return 0
