"""Command line: `evaluator parse | template | score | lint | audit`.

Each sub-command lives in its own module (`evaluator.cli.<name>`) exposing `add_arguments(parser)`
and `run(args) -> int`. Those modules import pandas, openpyxl, pint …, so this file imports only
the one the command line names, after finding it in argv: `evaluator --help` and `evaluator
--version` load none of them. It also turns an EvaluatorError into a Chinese message and its
exit code (1 bad input or rules, 2 output not writable, 3 a bug) — users never see a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from evaluator import __version__
from evaluator.cli.arguments import ChineseArgumentParser
from evaluator.common.files import describe_os_error
from evaluator.errors import EXIT_INTERNAL, EXIT_OUTPUT, EvaluatorError

COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("evaluator.cli.parse", "读取绩效目标申报表（PDF 提取文本或工作簿），输出结构化目标工作簿"),
    "template": ("evaluator.cli.template", "按目标生成年末实际完成值填报模板"),
    "score": ("evaluator.cli.score", "评分、汇总并输出自评表、自评报告和汇总表（无参数时运行内置样例）"),
    "lint": ("evaluator.cli.lint", "绩效目标审核：检查申报的绩效目标，输出问题清单和审核意见"),
    "audit": ("evaluator.cli.audit", "自评复核：按规则重新计分已填写的自评表，列出每一处差异，输出复核底稿和复核报告"),
}


def chosen_command(argv: list[str]) -> str | None:
    """The sub-command argv names (its first word that is one), or None for `--help`, `--version` or nothing."""
    return next((word for word in argv if word in COMMANDS), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command is listed with its help; only `command`'s module is imported, for its arguments."""
    parser = ChineseArgumentParser(prog="evaluator", description="财政项目支出绩效自评引擎 — 项目支出绩效自评")
    parser.add_argument("--version", action="version", version=f"evaluator {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            module = importlib.import_module(module_name)
            module.add_arguments(command_parser)
            command_parser.set_defaults(_module=module_name)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese output on consoles that default to ASCII
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    try:
        return int(importlib.import_module(args._module).run(args) or 0)
    except EvaluatorError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except PermissionError as err:
        print(f"错误：无法读写文件（是否已在 Excel/Word 中打开，或没有权限？）：{err.filename or err}", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as err:  # a full disk, a read-only file system, a path that cannot be made: not a bug
        where = f"「{err.filename}」" if err.filename else ""
        print(f"错误：无法读写文件{where}：{describe_os_error(err)}（请检查路径、磁盘空间和写入权限）", file=sys.stderr)
        return EXIT_OUTPUT
    except Exception as err:  # a bug, not bad input: say so plainly, keep the details for the report
        if os.environ.get("EVALUATOR_DEBUG"):
            raise
        print(
            f"内部错误（{type(err).__name__}：{err}）。这不是输入文件的问题；请设置环境变量 EVALUATOR_DEBUG=1 "
            "重新运行以获得详细信息，并连同输入文件一起反馈。",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
