"""One error type for everything a user can cause; its message is Chinese and names the place."""

from __future__ import annotations

from evaluator.models import SourceRef


class EvaluatorError(Exception):
    """Bad input or configuration. The CLI prints `str(err)` and exits non-zero, no traceback."""

    def __init__(self, message: str, source: SourceRef | None = None, value: object = None) -> None:
        self.message = message
        self.source = source
        self.value = value
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.source.describe()}：" if self.source is not None else ""
        shown = f"（值：{self.value!r}）" if self.value is not None else ""
        return f"{where}{self.message}{shown}"
