"""`evaluator template TARGETS -o ACTUALS.xlsx` — the year-end actuals workbook a unit fills in."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.cli.arguments import output_file
from evaluator.errors import EvaluatorError
from evaluator.ingest.actuals_template import compares_with_last_year, write_actuals_template
from evaluator.models import Declarations, ReportRules, SourceRef

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
    parser.add_argument(
        "--rules",
        default=None,
        help="评分规则（填写说明中的档次区间等按此规则）：内置名称（mof2020、hubei）或 TOML 文件路径",
    )


def write_template_for(decl: Declarations, out: Path, rules: ReportRules | None = None) -> str:
    """Write the template and return the summary shown to the user; `rules` word its instructions."""
    write_actuals_template(decl, out, rules)
    indicators = sum(1 for p in decl.projects for i in p.indicators if i.scored)
    change_rows = sum(
        1 for p in decl.projects for i in p.indicators if i.scored and compares_with_last_year(i.target_text)
    )
    lines = [
        f"已生成实际完成值填报模板：{out}",
        f"  项目 {len(decl.projects)} 个，三级指标 {indicators} 行；工作表：实际完成、预算执行、填写说明。",
    ]
    if change_rows:
        lines.append(f"  其中 {change_rows} 行为与上年比较的指标，须填写上年实际值（浅黄色单元格）。")
    if decl.repairs:
        lines.append(f"  读取申报表时有 {len(decl.repairs)} 处修正或未能归位的内容，请用 `evaluator parse` 查看。")
    return "\n".join(lines)


def check_template_output(targets: Path, out: Path) -> None:
    """Refuse, before reading anything, an output that would overwrite the input or is not an .xlsx."""
    where = SourceRef(out.name)
    if out.suffix.lower() != ".xlsx":
        shown = out.suffix or "无扩展名"
        raise EvaluatorError(f"填报模板是 .xlsx 工作簿，输出文件名须以 .xlsx 结尾（现为「{shown}」）", where)
    if out.is_dir():
        raise EvaluatorError("输出位置是一个文件夹；请用 -o 指定模板的文件名，例如 -o 实际完成值填报模板.xlsx", where)
    if out.exists() and targets.exists() and out.resolve() == targets.resolve():
        raise EvaluatorError("输出文件就是输入的目标文件，生成模板会覆盖它；请用 -o 指定另一个文件名", where)


def run(args: argparse.Namespace) -> int:
    from evaluator.config.profiles import load_profile
    from evaluator.ingest.declarations import read_declarations  # the declaration reader lives in its own stage

    targets, out = Path(args.targets), Path(args.output)
    check_template_output(targets, out)
    decl = read_declarations(targets)
    rules = load_profile(getattr(args, "rules", None)).report_rules()
    print(write_template_for(decl, out, rules))
    return 0
