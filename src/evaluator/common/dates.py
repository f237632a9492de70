"""The one date reader: how a date a person wrote in a cell becomes a `datetime.date`.

Dates reach us as ISO text (2024-12-31, 2024/12/31, 2024.12.31), as Chinese (2024年12月31日 or
…31号), as a month or a period that stands for its last day (2024年6月底, 2024年上半年, 2024年底),
and from spreadsheets as serial numbers (45657). The declarations, the actuals and the target
grammar used to read these three different ways, so `2024年12月31号` was a valid deadline and a valid
actual but stopped a declaration. Every reader now asks `read_date`, and the target grammar builds
its deadlines from the same calendar helpers (`make_date`, `month_end`, `half_year_end`,
`quarter_end`).

Whatever the reading had to assume (the year, the last day of a month) is said in `notes`, in
Chinese, so callers can show it; words around the date are handed back, not thrown away.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from evaluator.common.text import normalize_text


class DateProblem(ValueError):
    """A date that is written plainly but does not exist (2024年2月30日), or lacks a year nobody can supply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[type[DateProblem], tuple[str]]:
        return (type(self), (self.message,))


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date read from text: the day, what was assumed to get it, and the words around it."""

    date: dt.date
    notes: tuple[str, ...] = ()
    before: str = ""  # words in front of the date (计划于), not read
    after: str = ""  # words after it (前完成, 已完成), not read

    @property
    def exact(self) -> bool:
        """True when the text was a full date and nothing else: no assumption, no words."""
        return not self.notes and not self.before and not self.after


def make_date(y: int, m: int, d: int) -> dt.date:
    """`datetime.date`, or a DateProblem saying 日期不存在 in the terms the user wrote."""
    try:
        return dt.date(y, m, d)
    except ValueError as err:
        raise DateProblem(f"日期不存在：{y}年{m}月{d}日") from err


def month_end(y: int, m: int) -> dt.date:
    """The last day of a month (2024年2月 → 2024-02-29)."""
    if not 1 <= m <= 12:
        raise DateProblem(f"月份不存在：{m}月")
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def half_year_end(y: int, half: str) -> dt.date:
    """上半年 / 年中 end on 30 June, 下半年 on 31 December."""
    return month_end(y, 12 if half == "下半年" else 6)


def quarter_end(y: int, quarter: int) -> dt.date:
    """第1–4季度 end on the last day of March, June, September, December."""
    if not 1 <= quarter <= 4:
        raise DateProblem(f"季度不存在：第{quarter}季度")
    return month_end(y, quarter * 3)


# Excel's 1900 date system counts 1900-01-01 as day 1 and, like Lotus 1-2-3, believes in 1900-02-29
# (day 60), so from day 61 on a serial is days since 1899-12-30. WPS writes the same numbers.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials read as dates only inside a plausible range (1954 … 2173); elsewhere a number is a number.
SERIAL_RANGE = (20000, 100000)


def from_excel_serial(serial: float) -> dt.date:
    """The day an Excel/WPS date serial stands for (45657 → 2024-12-31); the time of day is dropped."""
    whole = int(serial)
    if whole < 1:
        raise DateProblem(f"日期序号 {serial} 不是日期")
    if whole == 60:
        raise DateProblem("日期序号 60 是 Excel 虚构的 1900年2月29日，不存在")
    return _EXCEL_EPOCH + dt.timedelta(days=whole if whole > 60 else whole + 1)


_TIME = r"(?:[T ]?\d{1,2}:\d{2}(?::\d{2})?)?"
_NUMERIC = re.compile(rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}(?P<after>\D*)$")
_HALF = re.compile(r"^(?P<before>\D*?)(?:(?P<y>\d{4})年)?(?P<half>上半年|下半年|年中)(?:底|末)?(?P<after>\D*)$")
_WORDS = re.compile(
    r"^(?P<before>\D*?)(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|(?P<end>底|末))?(?P<after>\D*)$"
)
_YEAR_ONLY = re.compile(r"^(?P<before>\D*?)(?P<y>(?:19|20)\d\d)年(?:度)?(?:底|末)?(?P<after>\D*)$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_SPACE_AROUND = re.compile(r"\s*([年月日号/.\-])\s*")


def _year(written: str | None, year: int | None, notes: list[str]) -> int:
    if written:
        return int(written)
    if year is None:
        raise DateProblem("只写了月日，没有写年份，也不知道评价年度")
    notes.append(f"未写年份，按{year}年理解")
    return year


def read_date(text: str, year: int | None = None, *, serials: bool = False) -> DateReading | None:
    """Read `text` as one date, or None when it is not written as a date.

    `year` completes a date written without one (11月30日, 上半年) and is said in the notes.
    `serials=True` (a column that holds dates) also reads Excel serial numbers such as 45657.
    Raises DateProblem for a date that is written as one but does not exist.
    """
    s = _SPACE_AROUND.sub(r"\1", normalize_text(text or ""))
    if not s:
        return None
    if serials and _SERIAL.match(s) and SERIAL_RANGE[0] <= float(s) < SERIAL_RANGE[1]:
        return DateReading(from_excel_serial(float(s)))  # the column says it is a date: nothing assumed
    match = _NUMERIC.match(s)
    if match is not None:
        date = make_date(int(match["y"]), int(match["m"]), int(match["d"]))
        return DateReading(date, after=match["after"])
    notes: list[str] = []
    match = _HALF.match(s)
    if match is not None:
        y = _year(match["y"], year, notes)
        date = half_year_end(y, match["half"])
        notes.append(f"「{match['half']}」按{date.month}月{date.day}日理解")
        return DateReading(date, tuple(notes), match["before"], match["after"])
    match = _WORDS.match(s)
    if match is not None and not s[match.end("m") :].startswith("月份"):
        y = _year(match["y"], year, notes)
        m = int(match["m"])
        if match["d"]:
            return DateReading(make_date(y, m, int(match["d"])), tuple(notes), match["before"], match["after"])
        date = month_end(y, m)
        if match["end"]:
            notes.append(f"「{m}月{match['end']}」按{m}月{date.day}日理解")
        else:
            notes.append(f"只写到月份，按{m}月{date.day}日（该月最后一天）理解")
        return DateReading(date, tuple(notes), match["before"], match["after"])
    match = _YEAR_ONLY.match(s)
    if match is not None:
        y = int(match["y"])
        return DateReading(dt.date(y, 12, 31), (f"只写到年份，按{y}年12月31日理解",), match["before"], match["after"])
    return None
