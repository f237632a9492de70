"""Placeholder until the `parse` command lands; it refuses clearly rather than pretending."""

from __future__ import annotations

import argparse

from evaluator.errors import EvaluatorError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs="*")


def run(args: argparse.Namespace) -> int:
    raise EvaluatorError("该命令尚未实现")
