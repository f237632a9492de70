"""One error hierarchy for everything a user can cause; every message is Chinese and names the place.

    EvaluatorError            what a user can fix: the CLI prints it, no traceback
    ├── InputError            a file, sheet, row or cell that cannot be read        (exit code 1)
    │   └── UnitError         a unit word unknown, or two units of different kinds
    │       ├── UnknownUnitError
    │       └── UnitMismatchError
    ├── ConfigError           a scoring rules profile, taxonomy or vocabulary file   (exit code 1)
    └── OutputError           an output folder or file that cannot be written        (exit code 2)

Anything else escaping a command is a bug (exit code 3). Every error survives pickling, so one
raised in a report worker process reaches the parent whole, with its place and value.
"""

from __future__ import annotations

from typing import Any

from evaluator.models import SourceRef

EXIT_INPUT = 1  # bad input or rules: the user fixes a file
EXIT_OUTPUT = 2  # the output cannot be written: the user picks another folder or closes a file
EXIT_INTERNAL = 3  # a bug: not the user's doing


def _rebuild(cls: type[EvaluatorError], state: dict[str, Any]) -> EvaluatorError:
    """Unpickle without calling `__init__`, whose signature differs between subclasses."""
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, str(err))
    return err


class EvaluatorError(Exception):
    """Something the user can fix. `str(err)` is the whole Chinese message; `exit_code` what the CLI returns."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, source: SourceRef | None = None, value: object = None) -> None:
        self.message = message
        self.source = source
        self.value = value
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.source.describe()}：" if self.source is not None else ""
        shown = f"（值：{self.value!r}）" if self.value is not None else ""
        return f"{where}{self.message}{shown}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self.__dict__)))


class InputError(EvaluatorError):
    """A file, sheet, row or cell that cannot be read as what it should be."""


class ConfigError(EvaluatorError):
    """A scoring rules profile (or taxonomy, vocabulary, label file) that is malformed or inconsistent."""


class OutputError(EvaluatorError):
    """An output folder or file that cannot be written: a file in the way, no permission, open in Excel."""

    exit_code = EXIT_OUTPUT


class UnitError(InputError):
    """A unit that cannot be read or converted; refused, never guessed."""


class UnknownUnitError(UnitError):
    """A unit word the registry does not know."""

    def __init__(self, word: str) -> None:
        self.word = word
        super().__init__(f"无法识别的计量单位「{word}」")


class UnitMismatchError(UnitError):
    """Two units of different kinds (人 vs 人次, 个 vs 场): no factor turns one into the other."""

    def __init__(self, from_unit: str, to_unit: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        super().__init__(f"单位不一致：实际值单位「{from_unit}」无法换算为指标值单位「{to_unit}」")
