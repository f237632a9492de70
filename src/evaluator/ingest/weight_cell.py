"""The one reader of a 分值 (weight) cell, for every table format.

Published 自评表 write weights three ways: points (`10`, `10分`), a percentage typed as text (`20%`),
or a fraction in a percent-formatted cell (0.2 shown as `20%`). A weight is a share of the 100-point
total either way, so `20%` is 20 points; read as a plain number the last form gave 0.2 points and a
project total of 1.0. The reading of a percentage is returned as a note, so the caller can put it in
the run log beside the cell it came from.
"""

from __future__ import annotations

import math
import re

from evaluator.common.text import normalize_text
from evaluator.errors import InputError
from evaluator.ingest.cells import cell_text, is_excel_error, is_percent_format

TOTAL_POINTS = 100  # a percentage weight is a share of the 100-point total
_POINTS = re.compile(r"^(?P<num>[+-]?\d+(?:\.\d+)?)(?P<unit>分|%)?$")


class UnreadableWeight(InputError):
    """A 分值 cell that holds something other than points or a percentage. The caller adds the place."""


def _figure(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def read_weight(value: object, number_format: str | None = "General") -> tuple[float | None, str]:
    """(points, note) for one 分值 cell; (None, "") when the cell is empty.

    `20%` as text and 0.2 in a percent-formatted cell both give 20.0 with a note saying so; `10`
    and `10分` give 10.0 without one. Anything else raises UnreadableWeight (names the value).
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise UnreadableWeight("分值不是数字", value=value)
        return None, ""
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise UnreadableWeight("分值不是数字", value=value)
        if is_percent_format(number_format):
            points = number * TOTAL_POINTS
            shown = cell_text(value, number_format)
            return points, f"分值单元格为百分比格式（{shown}），按满分{TOTAL_POINTS}分中的{_figure(points)}分读取"
        return number, ""
    text = normalize_text(str(value)).replace(" ", "").replace("％", "%")
    if not text:
        return None, ""
    if is_excel_error(text):
        raise UnreadableWeight("分值单元格是公式错误", value=text)
    match = _POINTS.match(text)
    if match is None:
        raise UnreadableWeight("分值不是数字", value=str(value))
    number = float(match.group("num"))
    if match.group("unit") == "%":
        points = number * TOTAL_POINTS / 100
        return points, f"分值写作「{text}」，按满分{TOTAL_POINTS}分中的{_figure(points)}分读取"
    return number, ""
