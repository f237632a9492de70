"""argparse in Chinese, and the checks on output paths that belong to the command line.

argparse writes its own words (`usage:`, `options`, `invalid choice`, `unrecognized arguments`,
`invalid int value`) in English whatever the locale. Rather than patch the standard library, the
parser class here names its sections in Chinese, prints `用法：`, and rewrites the messages it
reports through `error()` — their wording is stable across Python 3.11–3.13, and anything it does
not recognise is still shown, prefixed in Chinese, so no message is lost.

A folder or file named by `-o` is checked before any work starts: an existing file where a folder
is wanted (or the reverse), a file in the middle of the path, or a folder without write
permission is a mistake in the command, reported with exit status 2 as argparse does for any
other bad argument — not an internal error half-way through writing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NoReturn

TYPE_NAMES = {"int": "整数", "float": "数值"}

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^unrecognized arguments: (?P<a>.*)$", re.S), "无法识别的参数：{a}"),
    (re.compile(r"^the following arguments are required: (?P<a>.*)$", re.S), "缺少必需的参数：{a}"),
    (
        re.compile(r"^argument (?P<a>.+?): invalid choice: (?P<v>.+?) \(choose from (?P<c>.*)\)$", re.S),
        "参数 {a}：无效的选择 {v}（可选：{c}）",
    ),
    (re.compile(r"^argument (?P<a>.+?): invalid (?P<t>\w+) value: (?P<v>.*)$", re.S), "参数 {a}：不是有效的{t}：{v}"),
    (re.compile(r"^argument (?P<a>.+?): expected one argument$", re.S), "参数 {a}：需要给出一个值"),
    (re.compile(r"^argument (?P<a>.+?): expected (?P<n>.*)$", re.S), "参数 {a}：需要给出参数值（{n}）"),
    (re.compile(r"^argument (?P<a>.+?): not allowed with argument (?P<b>.*)$", re.S), "参数 {a} 不能与 {b} 同时使用"),
    (re.compile(r"^ambiguous option: (?P<a>\S+) could match (?P<b>.*)$", re.S), "选项 {a} 有歧义，可能是：{b}"),
    (re.compile(r"^argument (?P<a>.+?): (?P<m>.*)$", re.S), "参数 {a}：{m}"),
)


def translate(message: str) -> str:
    """argparse's English error message in Chinese; an unknown one is kept as written."""
    for pattern, template in _MESSAGES:
        match = pattern.match(message)
        if match:
            parts = match.groupdict()
            if "t" in parts:
                parts["t"] = TYPE_NAMES.get(parts["t"], parts["t"])
            return template.format(**parts)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word shown to a user is Chinese (sub-parsers inherit the class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")


def output_folder(text: str) -> Path:
    """`-o OUTDIR`: a folder that exists or can be made, and can be written to."""
    return _checked(text, "folder")


def output_file(text: str) -> Path:
    """`-o FILE`: not a folder, in a folder that exists or can be made, and can be written to."""
    return _checked(text, "file")


def _checked(text: str, want: str) -> Path:
    from evaluator.common.files import output_path_problem

    problem = output_path_problem(Path(text), want=want, shown=text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return Path(text)


def part_size(text: str) -> int:
    """`--part-rows N`: a whole number of indicator rows, at least 1 (20000 or 20,000)."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace("，", "")
    if not cleaned.isascii() or not cleaned.isdigit() or int(cleaned) < 1:
        raise argparse.ArgumentTypeError(f"每批行数应为正整数（例如 20000），而不是「{text}」")
    return int(cleaned)
