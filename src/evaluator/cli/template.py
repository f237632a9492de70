"""`evaluator template TARGETS -o ACTUALS.xlsx` — the year-end actuals workbook a unit fills in."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.cli.arguments import output_file
from evaluator.ingest.actuals_template import compares_with_last_year, write_actuals_template
from evaluator.models import Declarations

DEFAULT_OUTPUT = Path("outputs") / "实际完成值填报模板.xlsx"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", type=Path, metavar="TARGETS", help="绩效目标申报表（PDF 提取文本或目标工作簿）")
    parser.add_argument(
        "-o",
        "--output",
        type=output_file,
        default=str(DEFAULT_OUTPUT),
        metavar="ACTUALS.xlsx",
        help=f"输出的填报模板（默认 {DEFAULT_OUTPUT}）",
    )


def write_template_for(decl: Declarations, out: Path) -> str:
    """Write the template and return the summary shown to the user."""
    write_actuals_template(decl, out)
    indicators = sum(len(p.indicators) for p in decl.projects)
    change_rows = sum(1 for p in decl.projects for i in p.indicators if compares_with_last_year(i.target_text))
    lines = [
        f"已生成实际完成值填报模板：{out}",
        f"  项目 {len(decl.projects)} 个，三级指标 {indicators} 行；工作表：实际完成、预算执行、填写说明。",
    ]
    if change_rows:
        lines.append(f"  其中 {change_rows} 行为与上年比较的指标，须填写上年实际值（浅黄色单元格）。")
    if decl.repairs:
        lines.append(f"  读取申报表时有 {len(decl.repairs)} 处修正或未能归位的内容，请用 `evaluator parse` 查看。")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from evaluator.ingest.declarations import read_declarations  # the declaration reader lives in its own stage

    decl = read_declarations(Path(args.targets))
    print(write_template_for(decl, Path(args.output)))
    return 0
