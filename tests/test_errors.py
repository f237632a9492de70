"""One error hierarchy: user errors are distinct from bugs in exit codes, and every error pickles.

Reports are written in worker processes, so an error raised there must reach the parent whole:
`UnitMismatchError` used not to survive pickling (its constructor takes two units, not a message).
"""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import evaluator.cli.app as app
from evaluator.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OUTPUT,
    ConfigError,
    EvaluatorError,
    InputError,
    OutputError,
    UnitError,
    UnitMismatchError,
    UnknownUnitError,
)
from evaluator.grammar import units
from evaluator.models import SourceRef

ERRORS = [
    EvaluatorError("金额不是数字", SourceRef("a.xlsx", sheet="预算执行", row=3, column="全年执行数"), "十万"),
    InputError("日期无法识别", SourceRef("form.txt", line=5), "2024年13月"),
    ConfigError("grades：至少需要一个等级", SourceRef("rules.toml")),
    OutputError("无法写入输出文件", SourceRef("outputs/汇总.xlsx")),
    UnknownUnitError("斤两"),
    UnitMismatchError("人", "人次"),
]


def _raise(err: EvaluatorError) -> None:
    raise err


def test_hierarchy() -> None:
    assert issubclass(UnitMismatchError, UnitError) and issubclass(UnitError, InputError)
    assert all(issubclass(c, EvaluatorError) for c in (InputError, ConfigError, OutputError, UnknownUnitError))
    assert units.UnitMismatchError is UnitMismatchError  # the grammar raises the one class
    assert (InputError.exit_code, ConfigError.exit_code, OutputError.exit_code) == (EXIT_INPUT, EXIT_INPUT, EXIT_OUTPUT)
    assert len({EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERNAL}) == 3


@pytest.mark.parametrize("err", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_pickles_whole(err: EvaluatorError) -> None:
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and str(back) == str(err) and back.__dict__ == err.__dict__


def test_errors_cross_a_process_pool() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        for err in ERRORS:
            with pytest.raises(type(err)) as caught:
                pool.submit(_raise, err).result()
            assert str(caught.value) == str(err)
    assert caught.value.from_unit == "人" and caught.value.to_unit == "人次"


def _exit_code(argv: list[str]) -> int:
    """What `evaluator ARGV` exits with, whether main returns it or argparse raises SystemExit for a bad -o."""
    try:
        return app.main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def test_output_path_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "outputs"
    taken.write_text("x", encoding="utf-8")
    assert _exit_code(["score", "-o", str(taken), "--no-reports"]) == EXIT_OUTPUT
    assert "文件" in capsys.readouterr().err


def test_output_folder_of_bundle_or_lint_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    from evaluator.common.files import ensure_output_folder

    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        ensure_output_folder(tmp_path / "file")
    with pytest.raises(OutputError):
        ensure_output_folder(tmp_path / "file" / "sub")


def test_output_folder_that_cannot_be_made_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    argv = ["template", "inputs/shanghai_ftu_2024_targets.txt", "-o", str(tmp_path / "file" / "t.xlsx")]
    assert _exit_code(argv) == EXIT_OUTPUT
    assert "是文件，不是文件夹" in capsys.readouterr().err


def test_bad_input_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["parse", str(tmp_path / "nothing.txt"), "-o", str(tmp_path / "t.xlsx")]) == EXIT_INPUT
    assert "错误：" in capsys.readouterr().err


def test_bad_rules_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('base = "mof2020"\n[flags]\nred_below = 3\n', encoding="utf-8")
    assert app.main(["score", "--rules", str(bad), "-o", str(tmp_path / "out"), "--no-reports"]) == EXIT_INPUT
    assert "red_below" in capsys.readouterr().err


def test_a_bug_exits_3_and_says_it_is_not_the_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import evaluator.cli.parse as parse

    def broken(_args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(parse, "run", broken)
    monkeypatch.delenv("EVALUATOR_DEBUG", raising=False)
    assert app.main(["parse", "x.txt"]) == EXIT_INTERNAL
    assert "内部错误" in capsys.readouterr().err
