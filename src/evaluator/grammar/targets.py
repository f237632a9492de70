"""A 年度指标值 as written → one typed predicate (models.Target).

The forms are tried from the most specific to the most general: as incurred (按实发放), change
against last year (增长1%), deadline (6月底前完成), range (80%-90%), comparison (≥3000人次, also
inside a phrase such as 满意度85%以上), and finally a phrase without numbers, which is a
qualitative expectation. Whatever does not fit is UNREADABLE with a Chinese reason: a target is
never guessed, and `parse_target` never raises.

Assumptions the grammar makes (a bare number means "at least", 以上 includes the number, "6月前"
means before June starts …) are written into `Target.note` so a person can check them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from evaluator.common.dates import DateProblem, half_year_end, make_date, month_end, quarter_end
from evaluator.config.vocabulary import default_vocabulary
from evaluator.errors import EvaluatorError, UnitMismatchError
from evaluator.grammar.lexer import (
    LOWER_BOUND_OPS,
    UPPER_BOUND_OPS,
    NumberToken,
    QuantityPhrase,
    SeveralNumbers,
    display_text,
    find_numbers,
    has_digit,
    label_unit,
    normalize,
    read_quantity,
    read_unit,
    scaled,
    sole_number,
    year_mentions,
)
from evaluator.grammar.units import conversion_factor
from evaluator.models import ChangeMode, Op, Target, TargetKind

IMPLICIT_GE_NOTE = '未写比较符，按"不低于"理解'
_INCLUSIVE_NOTE = "「{word}」按含本数理解"

# --- as incurred -----------------------------------------------------------------------------

_AS_INCURRED = re.compile(r"^(?:按|据)实(?:际)?(?:发生|发放|结算|支付|列支|核定|报销|使用|拨付|支出)?")

# --- change against last year ----------------------------------------------------------------

_INCREASE = ("增长", "增加", "提高", "提升", "上升", "增幅")
_DECREASE = ("下降", "减少", "降低", "降幅", "压减", "缩减")
_VERBS = "|".join(_INCREASE + _DECREASE)
_REFERENCE = r"(?:较|比|相比|同比|环比|与)?(?:上年度|上一年度|上一年|上年|去年|前一年)?(?:同期)?(?:相比)?"
_LIMITS: dict[str, bool] = {  # word between verb and number → True when it caps the change
    "不低于": False,
    "不少于": False,
    "至少": False,
    "达到": False,
    "超过": False,
    "不超过": True,
    "不高于": True,
    "不大于": True,
    "控制在": True,
}
_CHANGE = re.compile(
    rf"^(?P<label>\D*?)(?P<ref>{_REFERENCE})(?:有|有所)?(?P<verb>{_VERBS})(?:了|率)?"
    rf"(?P<limit>{'|'.join(_LIMITS)})?(?P<num>\d+(?:\.\d+)?)(?P<unit>%|个百分点|百分点)"
    r"(?P<post>及以上|以上|以下|以内|之内|左右)?$"
)
_CHANGE_NO_AMOUNT = re.compile(
    rf"^(?P<label>\D*?)(?:较|比|相比|同比|与)(?:上年度|上一年度|上一年|上年|去年)(?:同期)?(?:水平)?(?:相比)?"
    rf"(?:有所|有|略有|稳步|持续)?(?P<verb>{_VERBS}|持平)$"
)
_CHANGE_NOT_BELOW = re.compile(
    r"^(?P<label>\D*?)(?P<op>不低于|不少于|不高于|不超过|持平于|等于)(?:上年度|上一年度|上一年|上年|去年)(?:同期)?(?:水平)?$"
)

# --- deadlines -------------------------------------------------------------------------------

_BEFORE = r"(?P<before>前|之前|以前)?"
_FULL_DATE = re.compile(
    r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号])" + _BEFORE
)
_MONTH_DAY = re.compile(r"(?<![\d.])(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]" + _BEFORE)
_MONTH = re.compile(
    r"(?:(?P<y>\d{4})年)?(?<![\d.个])(?P<m>\d{1,2})月(?P<part>份|底|末|上旬|中旬|下旬|中)?(?:份)?(?:底|末)?" + _BEFORE
)
_YEAR_NAMED = re.compile(r"(?P<y>\d{4})年(?:度)?(?P<word>年底|年末|年内|底|末|内)?" + _BEFORE)
_YEAR_WORD = re.compile(r"^(?:于|在)?(?P<word>年底|年末|年内|年度内|本年度内|本年度|本年内|当年)" + _BEFORE)
_YEAR_MENTION_WITH_NIAN = re.compile(r"(?<![\d.])(?:19|20)\d\d年(?:度)?")
_DONE = ("完成", "完工", "实施完毕", "全部完成", "结束", "办结")
_HALF = re.compile(r"(?:(?P<y>\d{4})年)?(?P<half>上半年|下半年|年中)(?P<end>底|末)?" + _BEFORE)
_QUARTER = re.compile(r"(?:(?P<y>\d{4})年)?第?(?P<q>[一二三四1234])季度(?P<end>末|底)?" + _BEFORE)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_OPS_IN = set("≥≤<>=")


@dataclass(frozen=True)
class _Deadline:
    date: dt.date | None
    note: str
    reason: str = ""


class _Unreadable(Exception):
    """Inside the grammar only: the reason a form matched but cannot be read."""


@lru_cache(maxsize=65536)
def parse_target(text: str, year: int | None = None) -> Target:
    """Read a 年度指标值. `year` is the evaluation year, used when a deadline names no year."""
    raw = "" if text is None else str(text)
    s = normalize(raw)
    if not s:
        return _unreadable(raw, "年度指标值为空")
    try:
        for reader in (_not_applicable, _as_incurred, _change, _deadline, _range, _comparison, _qualitative):
            target = reader(raw, s, year)
            if target is not None:
                return target
    except _Unreadable as err:
        return _unreadable(raw, str(err))
    except EvaluatorError as err:
        return _unreadable(raw, err.message)
    return _unreadable(raw, f"无法识别的指标值写法「{display_text(raw)}」")


# --- a target read with its row: the indicator's names decide what the text leaves open ------

_COST_NAME = re.compile(r"(?:成本|费|费用)$|总投资")
_CURRENCIES = frozenset({"元", "美元", "欧元", "港元", "日元"})
_COST_OPS = {"le": Op.LE, "ge": Op.GE}
TARGET_FROM_NAME = "target_from_name"


def is_cost_row(level1: str, level2: str, level3: str) -> bool:
    """成本指标 (first or second level), or a third level named …成本 / …费 / 总投资."""
    names = [normalize(n or "") for n in (level1, level2, level3)]
    return "成本" in names[0] or "成本" in names[1] or bool(_COST_NAME.search(names[2]))


@lru_cache(maxsize=65536)
def read_in_context(
    text: str, year: int | None, level1: str, level2: str, level3: str, cost_default_op: str = "le"
) -> Target:
    """A 年度指标值 read with its row, for what the text alone leaves open.

    - A cost figure written without a comparator (200万, 15万元 under 成本指标 or named …费) is a
      ceiling, not a floor: spending less must not be docked. Policy `cost_default_op`.
    - A unitless target takes a unit named in brackets in the indicator name
      (服务外包在岸(万美元) with 20000 → 20000万美元).
    - An empty target takes a figure that ends the indicator name (资金使用完成率100% → =100%),
      flagged for a person to confirm.
    Every such reading is said in the note. `parse_target` stays the reading of the text alone.
    """
    target = parse_target(text, year)
    if target.kind is TargetKind.UNREADABLE and not normalize(text or ""):
        return _target_from_name(target, level3, year)
    if target.kind in (TargetKind.COMPARISON, TargetKind.RANGE) and target.unit is None:
        target = _unit_from_name(target, level3)
    if (
        target.kind is TargetKind.COMPARISON
        and target.implicit_op
        and (target.unit is None or target.unit.split("/")[0] in _CURRENCIES)
        and is_cost_row(level1, level2, level3)
    ):
        op = _COST_OPS.get(cost_default_op, Op.LE)
        if op is not target.op:
            said = "不高于" if op is Op.LE else "不低于"
            notes = [n for n in target.note.split("；") if n and n != IMPLICIT_GE_NOTE]
            cost_note = f"成本指标未写比较符，按「{said}」理解（成本为上限，口径 cost_default_op）"
            target = dataclasses.replace(target, op=op, note=_join(*notes, cost_note))
    return target


def _unit_from_name(target: Target, level3: str) -> Target:
    found = label_unit(normalize(level3 or ""))
    if found is None:
        return target
    factor, unit, word = found
    scale = float(factor)
    note = _join(target.note, f"年度指标值未写单位，单位取自指标名称中的「({word})」")
    if target.kind is TargetKind.RANGE:
        low = None if target.low is None else target.low * scale
        high = None if target.high is None else target.high * scale
        return dataclasses.replace(target, low=low, high=high, unit=unit, unit_word=word, unit_scale=scale, note=note)
    value = None if target.value is None else target.value * scale
    return dataclasses.replace(target, value=value, unit=unit, unit_word=word, unit_scale=scale, note=note)


_NAME_FIGURE = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d]*)$")


def _target_from_name(empty: Target, level3: str, year: int | None) -> Target:
    name = normalize(level3 or "")
    match = _NAME_FIGURE.search(name)
    if match is None or not match.group("unit") or match.start() == 0:
        return empty
    figure = match.group(0)
    reading = parse_target(f"={figure}", year)
    if reading.kind is not TargetKind.COMPARISON or reading.unit is None or reading.note:
        return empty
    note = f"年度指标值为空，取指标名称中的「{figure}」，按「={figure}」理解，请核对"
    return dataclasses.replace(reading, raw=empty.raw, note=note, flags=(TARGET_FROM_NAME,))


def _unreadable(raw: str, reason: str) -> Target:
    return Target(raw=raw, kind=TargetKind.UNREADABLE, reason=reason)


def _join(*notes: str) -> str:
    return "；".join(n for n in notes if n)


# --- readers, most specific first ------------------------------------------------------------


def _not_applicable(raw: str, s: str, year: int | None) -> Target | None:
    """无 / 不适用: the row is left out of the score rather than scored as 无 achieved."""
    if default_vocabulary().not_applicable(s):
        note = f"年度指标值为「{display_text(raw)}」，按本指标不适用理解，不计分"
        return Target(raw=raw, kind=TargetKind.NOT_APPLICABLE, expectation=display_text(raw), note=note)
    return None


def _as_incurred(raw: str, s: str, year: int | None) -> Target | None:
    if _AS_INCURRED.match(s):
        return Target(raw=raw, kind=TargetKind.AS_INCURRED, expectation=display_text(raw))
    return None


def _change(raw: str, s: str, year: int | None) -> Target | None:
    match = _CHANGE.match(s)
    if match is not None:
        increase = match.group("verb") in _INCREASE
        amount = float(match.group("num"))
        capped = _LIMITS.get(match.group("limit") or "", False) or match.group("post") in ("以下", "以内", "之内")
        op = Op.GE if increase != capped else Op.LE
        notes = []
        if match.group("post") == "左右":
            op = Op.EQ
            notes.append("「左右」按等于理解")
        if not match.group("ref"):
            notes.append("未写比较基准，按与上年相比理解")
        sign = 1.0 if increase else -1.0
        if match.group("unit") == "%":
            return Target(
                raw=raw,
                kind=TargetKind.CHANGE,
                op=op,
                change_mode=ChangeMode.RELATIVE,
                change_amount=sign * amount / 100,
                note=_join(*notes),
            )
        return Target(
            raw=raw,
            kind=TargetKind.CHANGE,
            op=op,
            unit="%",
            change_mode=ChangeMode.POINTS,
            change_amount=sign * amount,
            note=_join(*notes),
        )
    match = _CHANGE_NO_AMOUNT.match(s)
    if match is not None:
        verb = match.group("verb")
        if verb == "持平":
            op, note = Op.EQ, "按与上年持平（相等）理解"
        elif verb in _INCREASE:
            op, note = Op.GT, "未写幅度，按高于上年理解"
        else:
            op, note = Op.LT, "未写幅度，按低于上年理解"
        return _no_amount_change(raw, op, note)
    match = _CHANGE_NOT_BELOW.match(s)
    if match is not None:
        word = match.group("op")
        op = {"不低于": Op.GE, "不少于": Op.GE, "不高于": Op.LE, "不超过": Op.LE}.get(word, Op.EQ)
        return _no_amount_change(raw, op, "")
    return None


def _no_amount_change(raw: str, op: Op, note: str) -> Target:
    return Target(
        raw=raw,
        kind=TargetKind.CHANGE,
        op=op,
        change_mode=ChangeMode.RELATIVE,
        change_amount=0.0,
        note=note,
    )


def _one_deadline(s: str, year: int | None) -> _Deadline | None:
    for reader in (_read_full_date, _read_month_day, _read_month, _read_half, _read_quarter, _read_year_end):
        found = reader(s, year)
        if found is None:
            continue
        if found.reason:
            raise _Unreadable(found.reason)
        return found
    return None


_MILESTONE_SPLIT = re.compile(r"[;；,，、。]")


def _deadline(raw: str, s: str, year: int | None) -> Target | None:
    found = _one_deadline(s, year)
    if found is not None:
        return Target(raw=raw, kind=TargetKind.DEADLINE, deadline=found.date, note=found.note)
    return _milestones(raw, s, year)


def _milestones(raw: str, s: str, year: int | None) -> Target | None:
    """6月份完成招标；9月份完成建设；11月完成验收: several deadlines, the last one the target.

    Every piece must be a deadline of its own; the earlier ones are kept (in date order) so that an
    actual giving a date for each can be checked node by node.
    """
    pieces = [p for p in _MILESTONE_SPLIT.split(s) if p]
    if len(pieces) < 2:
        return None
    found = [_one_deadline(piece, year) for piece in pieces]
    if any(f is None or f.date is None for f in found):
        return None
    dates = sorted(f.date for f in found if f is not None and f.date is not None)
    last = dates[-1]
    shown = "、".join(f"{d.month}月{d.day}日" for d in dates)
    notes = [n for f in found if f is not None for n in f.note.split("；") if n]
    note = _join(
        *dict.fromkeys(notes),
        f"有{len(dates)}个时间节点（{shown}），以最后一个（{last.month}月{last.day}日）为年度指标值，"
        "实际完成值写明各节点日期时逐一核对",
    )
    return Target(raw=raw, kind=TargetKind.DEADLINE, deadline=last, milestones=tuple(dates[:-1]), note=note)


def _around_is_plain(s: str, match: re.Match[str]) -> bool:
    """A deadline is the only figure: no other digits around it and no comparator before it."""
    before, after = s[: match.start()], s[match.end() :]
    if has_digit(before) or has_digit(after):
        return False
    return not (_OPS_IN & set(before)) and not after.startswith(("(", "个", "天", "日"))


def _year_of(found: str | None, year: int | None) -> int:
    if found:
        return int(found)
    if year is None:
        raise _Unreadable("指标值只写了月份或日期，没有写年份，也不知道评价年度")
    return year


def _calendar(make: Callable[..., dt.date], *args: int | str) -> dt.date:
    """A calendar helper of the one date reader, its DateProblem told as this grammar's refusal."""
    try:
        return make(*args)
    except DateProblem as err:
        raise _Unreadable(err.message) from err


def _make_date(y: int, m: int, d: int) -> dt.date:
    return _calendar(make_date, y, m, d)


def _month_end(y: int, m: int) -> dt.date:
    return _calendar(month_end, y, m)


def _read_full_date(s: str, year: int | None) -> _Deadline | None:
    match = _FULL_DATE.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    m = int(match.group("m") or match.group("m2"))
    d = int(match.group("d") or match.group("d2"))
    date = _make_date(int(match.group("y")), m, d)
    return _Deadline(date, _day_note(match, date))


def _day_note(match: re.Match[str], date: dt.date) -> str:
    if match.group("before"):
        return f"「{match.group('before')}」按截至{date.month}月{date.day}日（含当日）理解"
    return f"按{date.month}月{date.day}日前完成理解"


def _read_month_day(s: str, year: int | None) -> _Deadline | None:
    match = _MONTH_DAY.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    y = _year_of(None, year)
    date = _make_date(y, int(match.group("m")), int(match.group("d")))
    return _Deadline(date, _join(f"未写年份，按{y}年理解", _day_note(match, date)))


def _read_month(s: str, year: int | None) -> _Deadline | None:
    match = _MONTH.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    y = _year_of(match.group("y"), year)
    m = int(match.group("m"))
    notes = [] if match.group("y") else [f"未写年份，按{y}年理解"]
    part = match.group("part") or ""
    end = _month_end(y, m)
    if part in ("上旬", "中旬", "中"):
        day = 10 if part == "上旬" else (20 if part == "中旬" else 15)
        end = dt.date(y, m, day)
        notes.append(f"「{part}」按{m}月{day}日理解")
    elif part == "下旬":
        notes.append(f"「下旬」按{m}月{end.day}日理解")
    elif match.group("before") and part not in ("底", "末"):
        # "6月前": before June begins.
        end = dt.date(y, m, 1) - dt.timedelta(days=1)
        notes.append(f"「{m}月{match.group('before')}」按{m}月1日之前（即{end.month}月{end.day}日前）理解")
    elif part not in ("底", "末"):
        notes.append(f"只写到月份，按{m}月{end.day}日（该月最后一天）前完成理解")
    return _Deadline(end, _join(*notes))


def _period_end(match: re.Match[str], year: int | None, end_of: Callable[[int], dt.date], said: str) -> _Deadline:
    """上半年 / 第三季度 …: the period's last day, with the year filled in and both said in a note."""
    y = _year_of(match.group("y"), year)
    date = end_of(y)
    notes = [] if match.group("y") else [f"未写年份，按{y}年理解"]
    notes.append(said.format(month=date.month, day=date.day))
    return _Deadline(date, _join(*notes))


def _read_half(s: str, year: int | None) -> _Deadline | None:
    match = _HALF.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    half = match.group("half")
    return _period_end(
        match, year, lambda y: _calendar(half_year_end, y, half), f"「{half}」按{{month}}月{{day}}日前完成理解"
    )


def _read_quarter(s: str, year: int | None) -> _Deadline | None:
    match = _QUARTER.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    quarter = _QUARTERS[match.group("q")]
    said = f"按第{quarter}季度末（{{month}}月{{day}}日）前完成理解"
    return _period_end(match, year, lambda y: _calendar(quarter_end, y, quarter), said)


def _read_year_end(s: str, year: int | None) -> _Deadline | None:
    """2024年底前, 2024年完成, 年底前完成, 年内完成. A year word counts only where the text leads
    with it (资金当年到位 stays a phrase); a named year only with 底/末/内/前 or a 完成 after it."""
    named = _YEAR_NAMED.search(s)
    if named is not None and _around_is_plain(s, named):
        after = s[named.end() :]
        if named.group("word") or named.group("before") or after.startswith(_DONE):
            y = int(named.group("y"))
            word = f"{y}年{named.group('word') or ''}{named.group('before') or ''}"
            return _Deadline(dt.date(y, 12, 31), f"「{word}」按{y}年12月31日前完成理解")
        return None
    match = _YEAR_WORD.search(s)
    if match is None or not _around_is_plain(s, match):
        return None
    y = _year_of(None, year)
    word = match.group("word")
    return _Deadline(dt.date(y, 12, 31), _join(f"未写年份，按{y}年理解", f"「{word}」按{y}年12月31日前完成理解"))


# --- ranges and comparisons ------------------------------------------------------------------

_RANGE_DASH = re.compile(
    r"^(?P<pre>\D*?)(?P<a>\d+(?:\.\d+)?)(?P<ua>[^\d~\-–—至到]*)(?:~|-|–|—|至|到)(?P<b>\d+(?:\.\d+)?)(?P<ub>\D*)$"
)
_SPLIT_AND = re.compile(r"(?:且|并且|而且|同时|,|，|;|；|、|和|与|并)")


def _range(raw: str, s: str, year: int | None) -> Target | None:
    numbers = find_numbers(s, skip_years=True)
    if len(numbers) != 2:
        return None
    match = _RANGE_DASH.match(s)
    if match is not None:
        return _dash_range(raw, s, match)
    return _two_sided(raw, s, numbers)


def _dash_range(raw: str, s: str, match: re.Match[str]) -> Target:
    pre = match.group("pre")
    for word in ("控制在", "介于", "在", "为"):
        if pre.endswith(word):
            pre = pre[: -len(word)]
            break
    if pre and pre[-1] in _OPS_IN:
        raise _Unreadable(f"区间前不应再写比较符「{pre[-1]}」")
    first = read_unit(match.group("ua"), 0) if match.group("ua") else None
    if first is not None and first.end != len(match.group("ua")):
        raise _Unreadable(f"区间下限后的文字「{match.group('ua')}」无法识别")
    second = read_unit(match.group("ub"), 0)
    rest = match.group("ub")[second.end :]
    for word in ("之间", "以内", "范围内", "区间内", "内"):
        if rest.startswith(word):
            rest = rest[len(word) :]
            break
    if rest:
        raise _Unreadable(f"区间后的文字「{rest}」无法识别")
    notes = ["区间两端均按含本数理解"]
    a, b = match.group("a"), match.group("b")
    if first is None or not first.word:
        # 80~90% and 1-2万人次: the bare low end is written in the high end's unit and scale.
        low, high, unit = scaled(a, second.factor), scaled(b, second.factor), second.unit
        if second.word:
            notes.append(f"下限未写单位，按上限的「{second.word}」理解")
    elif second.unit is None and not second.word:
        # 80%~90: the bare high end takes the low end's unit.
        low, high, unit = scaled(a, first.factor), scaled(b, first.factor), first.unit
        notes.append(f"上限未写单位，按下限的「{first.word}」理解")
    else:
        low, high = scaled(a, first.factor), scaled(b, second.factor)
        unit = second.unit or first.unit
        if first.unit and second.unit and first.unit != second.unit:
            low = low * _bound_factor(first.unit, second.unit)
        elif first.unit != second.unit:
            missing = "上限" if second.unit is None else "下限"
            notes.append(f"{missing}未写单位，按另一端的单位理解")
    note = _join(*notes)
    written = second if second.word else first
    target = _range_target(raw, low, high, unit, True, True, note)
    if written is None or written.unit is None or written.unit != unit:
        return target
    return dataclasses.replace(target, unit_word=written.word, unit_scale=float(written.factor))


def _bound_factor(low_unit: str, high_unit: str) -> float:
    try:
        return conversion_factor(low_unit, high_unit)
    except UnitMismatchError as err:
        raise _Unreadable(f"区间两端单位不一致：「{low_unit}」无法换算为「{high_unit}」") from err


def _range_target(
    raw: str, low: float, high: float, unit: str | None, low_inc: bool, high_inc: bool, note: str
) -> Target:
    if low > high:
        raise _Unreadable("区间下限大于上限")
    return Target(
        raw=raw,
        kind=TargetKind.RANGE,
        low=low,
        high=high,
        unit=unit,
        low_inclusive=low_inc,
        high_inclusive=high_inc,
        note=note,
    )


def _two_sided(raw: str, s: str, numbers: list[NumberToken]) -> Target | None:
    """不低于80%且不高于90%, ≥80%,≤90%, 80%≤x≤90%."""
    first, second = numbers
    middle = s[first.end : second.start]
    # 80%≤满意度≤90%
    chain = re.fullmatch(r"(?P<ua>[^≤<]*)(?P<o1>≤|<)(?P<label>\D*?)(?P<o2>≤|<)", middle)
    if chain is not None and not s[: first.start]:
        low_reading = read_unit(chain.group("ua"), 0) if chain.group("ua") else None
        high = read_quantity(s, second, pre=chain.group("o2"))
        unit = high.unit or (low_reading.unit if low_reading else None)
        factor = low_reading.factor if low_reading and low_reading.unit else None
        low_value = scaled(first.text, factor) if factor is not None else float(first.text)
        if low_reading is not None and low_reading.unit and high.unit and low_reading.unit != high.unit:
            low_value *= _bound_factor(low_reading.unit, high.unit)
        return _range_target(raw, low_value, high.value, unit, chain.group("o1") == "≤", chain.group("o2") == "≤", "")
    parts = _SPLIT_AND.split(s)
    pieces = [p for p in parts if p]
    if len(pieces) != 2 or not all(has_digit(p) for p in pieces):
        return None
    a = _comparison(raw, pieces[0], None, allow_implicit=False)
    b = _comparison(raw, pieces[1], None, allow_implicit=False)
    if a is None or b is None:
        return None
    if a.op in UPPER_BOUND_OPS and b.op in LOWER_BOUND_OPS:
        a, b = b, a
    if a.op not in LOWER_BOUND_OPS or b.op not in UPPER_BOUND_OPS:
        raise _Unreadable("两个条件不能组成区间（需一个下限、一个上限）")
    unit = b.unit or a.unit
    low = a.value if a.value is not None else 0.0
    if a.unit and b.unit and a.unit != b.unit:
        low *= _bound_factor(a.unit, b.unit)
    high = b.value if b.value is not None else 0.0
    return _range_target(raw, low, high, unit, a.op is Op.GE, b.op is Op.LE, "")


def _comparison(raw: str, s: str, year: int | None, allow_implicit: bool = True) -> Target | None:
    try:
        found = sole_number(s)
    except SeveralNumbers as err:
        raise _Unreadable(f"指标值中有多个数值（{err.shown}），无法判断以哪一个为准") from err
    if found is None:
        return None
    s, notes, token = found.text, list(found.notes), found.token
    if year_mentions(s):
        notes.append("「年」前的年份未参与比较")
    phrase = read_quantity(s, token)
    op, more = _resolve_op(phrase)
    notes.extend(more)
    unit, value = phrase.unit, phrase.value
    unit_word, unit_scale = phrase.unit_word, phrase.scale
    if unit is None:
        from_label = label_unit(phrase.label)
        if from_label is not None:
            factor, unit, word = from_label
            value = scaled(phrase.number, factor)
            unit_word, unit_scale = word, float(factor)
            notes.append(f"单位取自文字中的「({word})」")
    if phrase.tail:
        notes.append(f"数值后的文字「{phrase.tail}」未参与比较")
    implicit = False
    if op is None:
        if not allow_implicit:
            return None
        op, implicit = Op.GE, True
        notes.append(IMPLICIT_GE_NOTE)
    return Target(
        raw=raw,
        kind=TargetKind.COMPARISON,
        op=op,
        value=value,
        unit=unit,
        implicit_op=implicit,
        note=_join(*notes),
        unit_word=unit_word if unit is not None or unit_scale != 1.0 else "",  # 200万: a scale alone
        unit_scale=unit_scale,
    )


def _resolve_op(phrase: QuantityPhrase) -> tuple[Op | None, list[str]]:
    """One operator from the word before and the word after the number; they must agree."""
    notes: list[str] = []
    before, after = phrase.op, phrase.postfix_op
    if after is not None and phrase.postfix_text in ("以上", "以下", "以内", "之内", "及以上", "及以下", "内"):
        notes.append(_INCLUSIVE_NOTE.format(word=phrase.postfix_text))
    if before is None:
        return after, notes
    if after is None or after is before:
        return before, notes
    lower = {Op.GE, Op.GT}
    upper = {Op.LE, Op.LT}
    if before in lower and after in lower:
        return before, notes  # 不低于85%以上: the explicit word before the number decides
    if before in upper and after in upper:
        return before, notes
    raise _Unreadable(f"比较符前后矛盾：「{phrase.op_text}」与「{phrase.postfix_text}」")


def _qualitative(raw: str, s: str, year: int | None) -> Target | None:
    words = _YEAR_MENTION_WITH_NIAN.sub("", s)  # 2024年开展… names a year, not a quantity
    if has_digit(words) or not words:
        return None
    if not re.search(r"[A-Za-z\u4e00-\u9fff]", s):
        raise _Unreadable(f"指标值只有符号「{display_text(raw)}」，没有内容")
    return Target(raw=raw, kind=TargetKind.QUALITATIVE, expectation=display_text(raw))
