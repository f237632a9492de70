"""The shared lexer for 年度指标值 and 实际完成值: clean text, find numbers, split operator / number / unit.

Targets and actuals are typed by people: "≥3,000.00(人次)", "满意度85%以上", "0.305万人次",
"不少于三千人", "$\\geq 90.00\\%$". Both parsers read them through this one lexer so that a number
means the same thing wherever it is written. Unit words are resolved only through
`evaluator.grammar.units.to_base`, so an unknown word is refused with its name rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import cn2an

from evaluator.common.text import SYMBOL_LOOKALIKES, normalize_text, to_simplified
from evaluator.errors import UnknownUnitError
from evaluator.grammar.units import to_base
from evaluator.models import Op

# --- operators -------------------------------------------------------------------------------

# Written before the number. Longest first when matched, so 不低于 wins over 低于.
PREFIX_OPS: dict[str, Op] = {
    "≥": Op.GE,
    "大于或等于": Op.GE,
    "大于等于": Op.GE,
    "不低于": Op.GE,
    "不少于": Op.GE,
    "不小于": Op.GE,
    "不得低于": Op.GE,
    "不得少于": Op.GE,
    "至少": Op.GE,
    "达到": Op.GE,
    "达": Op.GE,
    ">": Op.GT,
    "大于": Op.GT,
    "高于": Op.GT,
    "超过": Op.GT,
    "多于": Op.GT,
    "≤": Op.LE,
    "小于或等于": Op.LE,
    "小于等于": Op.LE,
    "不高于": Op.LE,
    "不超过": Op.LE,
    "不多于": Op.LE,
    "不大于": Op.LE,
    "不得高于": Op.LE,
    "不得超过": Op.LE,
    "最多": Op.LE,
    "控制在": Op.LE,
    "<": Op.LT,
    "小于": Op.LT,
    "低于": Op.LT,
    "少于": Op.LT,
    "不足": Op.LT,
    "=": Op.EQ,
    "等于": Op.EQ,
}
# Written after the number and unit. 以上/以下/以内 include the number itself (as in 民法典 第1259条).
POSTFIX_OPS: dict[str, Op] = {
    "以上(含)": Op.GE,
    "以上(不含)": Op.GT,
    "以下(含)": Op.LE,
    "以下(不含)": Op.LT,
    "及以上": Op.GE,
    "或以上": Op.GE,
    "以上": Op.GE,
    "及以下": Op.LE,
    "或以下": Op.LE,
    "以下": Op.LE,
    "以内": Op.LE,
    "之内": Op.LE,
    "内": Op.LE,
}
_PREFIX_ORDER = sorted(PREFIX_OPS, key=len, reverse=True)
_POSTFIX_ORDER = sorted(POSTFIX_OPS, key=len, reverse=True)

LOWER_BOUND_OPS = (Op.GE, Op.GT)
UPPER_BOUND_OPS = (Op.LE, Op.LT)

# Symbols NFKC leaves alone (shared with the table readers), and the ASCII digraphs people type.
_SYMBOLS = str.maketrans(SYMBOL_LOOKALIKES)
_SQUARE_UNITS = {"㎡": "平方米", "㎢": "平方公里", "㎞": "公里", "㎏": "千克", "㎎": "毫克", "㎝": "厘米", "㎜": "毫米"}
_TRAILING = "。；;，,！!"
_DIGRAPHS = (("≥=", "≥"), ("≤=", "≤"), (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("==", "="))

# --- numbers ---------------------------------------------------------------------------------

# A sign counts only where it cannot be a range dash ("80-90") or a hyphen after a word.
NUMBER = re.compile(r"(?<![A-Za-z\d.])(?:(?<![\w%)\]])[-+])?(?:\d+(?:\.\d+)?|\.\d+)")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMBER = re.compile(rf"[{_CN_DIGITS}]+(?:点[零〇一二三四五六七八九]+)?")
_CN_PER = re.compile(rf"(百分之|千分之)((?:\d+(?:\.\d+)?)|[{_CN_DIGITS}]+(?:点[零〇一二三四五六七八九]+)?)")
# Large-number words written after digits when the unit word itself does not carry them (3万, 3千人).
MULTIPLIERS: dict[str, Decimal] = {
    "万亿": Decimal("1e12"),
    "千万": Decimal("1e7"),
    "百万": Decimal("1e6"),
    "十万": Decimal("1e5"),
    "亿": Decimal("1e8"),
    "万": Decimal("1e4"),
    "千": Decimal("1e3"),
}
_MULTIPLIER_ORDER = sorted(MULTIPLIERS, key=len, reverse=True)
_UNIT_RUN = re.compile(r"(?:[A-Za-z]+[23]?|[\u4e00-\u9fff%‰/·*])+")  # 元/人*月 is 元/人·月
_MAX_UNIT_LEN = 8
# Words after a bare number that describe the figure rather than measure it (100完成, 3000左右).
NON_UNIT_TAILS = ("完成", "已完成", "全部完成", "达成", "到位", "左右", "整")
_YEAR_MENTION = re.compile(r"(?<![\d.])(?:19|20)\d\d(?=年)")


def normalize(text: str) -> str:
    """The parsing form of a cell: LaTeX and full-width resolved, comparators unified, no spaces,
    thousands separators gone, 百分之九十 written as 90%."""
    for symbol, word in _SQUARE_UNITS.items():  # before NFKC, which would turn ㎡ into "m2"
        text = text.replace(symbol, word)
    out = clean_text(text).translate(_SYMBOLS)
    out = re.sub(r"\s+", "", out)
    for digraph, symbol in _DIGRAPHS:
        out = out.replace(digraph, symbol)
    out = _THOUSANDS.sub("", out).rstrip(_TRAILING)
    return _CN_PER.sub(_per_to_digits, out)


def _per_to_digits(match: re.Match[str]) -> str:
    number = match.group(2)
    value = number if number[0].isdigit() else _cn_value(number)
    if value is None:
        return match.group(0)
    return f"{value}{'%' if match.group(1) == '百分之' else '‰'}"


def _cn_value(numeral: str) -> str | None:
    try:
        value = cn2an.cn2an(numeral, "normal")
    except (ValueError, KeyError, TypeError):
        return None
    return _plain(Decimal(str(value)))


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def clean_text(text: str) -> str:
    """The one clean-up every target and actual goes through: LaTeX, full-width and spaces as the
    readers clean them, and traditional characters read as simplified (達成 = 达成, 萬元 = 万元)."""
    return to_simplified(normalize_text(text))


def display_text(text: str) -> str:
    """A phrase as shown back to users (qualitative expectations): cleaned, trailing 。 dropped."""
    return clean_text(text).strip().rstrip("。.;；,，")


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def year_mentions(s: str) -> list[tuple[int, int]]:
    """Spans of `2024` in `2024年…`: a year named in passing, not a quantity."""
    return [(m.start(), m.end()) for m in _YEAR_MENTION.finditer(s)]


@dataclass(frozen=True)
class NumberToken:
    text: str  # digits as written (after normalisation)
    start: int
    end: int


def find_numbers(s: str, skip_years: bool = False) -> list[NumberToken]:
    years = set(year_mentions(s)) if skip_years else set()
    matches = (m for m in NUMBER.finditer(s) if (m.start(), m.end()) not in years)
    return [NumberToken(m.group(0), m.start(), m.end()) for m in matches]


def chinese_numerals_to_digits(s: str) -> str | None:
    """Rewrite the single Chinese numeral that is followed by a known unit word and nothing else
    (三千人, 不少于两万人次以上) as digits; None when the text is not such a quantity.

    Strict on purpose: 一流, 千名老人, 一次性发放, 十分满意 contain numeral characters but are phrases.
    """
    for match in _CN_NUMBER.finditer(s):
        digits = _cn_value(match.group(0))
        if digits is None:
            continue
        after = s[match.end() :]
        reading = read_unit(after, 0) if after else None
        if reading is None or reading.unit is None:
            continue
        _, _, rest = split_postfix_op(after[reading.end :])
        if rest:
            continue
        return s[: match.start()] + digits + after
    return None


# --- units -----------------------------------------------------------------------------------


class SeveralNumbers(ValueError):
    """More than one number where one is expected; `shown` lists them as written."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        super().__init__(shown)


@dataclass(frozen=True)
class SoleNumber:
    text: str  # the text searched, with Chinese numerals rewritten to digits when there were no digits
    token: NumberToken
    notes: tuple[str, ...]


def sole_number(s: str) -> SoleNumber | None:
    """The one number a target or an actual states; years (2024年) do not count.

    Targets and actuals share this so that both read 三千人, 3,000人 and "2024年 3000人" alike.
    """
    numbers = find_numbers(s, skip_years=True)
    notes: tuple[str, ...] = ()
    if not numbers and not has_digit(s):
        rewritten = chinese_numerals_to_digits(s)
        if rewritten is None:
            return None
        notes = ("中文数字已换算为阿拉伯数字",)
        s = rewritten
        numbers = find_numbers(s, skip_years=True)
    if not numbers:
        return None
    if len(numbers) > 1:
        raise SeveralNumbers("、".join(n.text for n in numbers))
    return SoleNumber(s, numbers[0], notes)


@dataclass(frozen=True)
class UnitReading:
    factor: Decimal  # multiply the written number by this to get the canonical unit
    unit: str | None  # canonical name, None when no unit is written
    word: str  # the unit as written ("万人次", "(%)" content, "" when none)
    end: int  # index after the unit in the text it was read from


def _known(word: str) -> tuple[float, str] | None:
    try:
        return to_base(word)
    except UnknownUnitError:
        return None


def _longest_known(run: str) -> tuple[str, tuple[float, str]] | None:
    for length in range(min(len(run), _MAX_UNIT_LEN), 0, -1):
        word = run[:length]
        if word[-1] in "/·*":
            continue
        known = _known(word)
        if known is not None:
            return word, known
    return None


def read_unit(s: str, pos: int) -> UnitReading:
    """The unit word starting at `pos` (right after a number).

    A bracketed word must be a unit: `≥5(篇章)` raises UnknownUnitError naming 篇章. An unbracketed
    run gives its longest known prefix (人次以上 → 人次); a large-number word alone (3万) scales the
    number without a unit. When nothing is known the reading has no unit and the caller decides
    whether the text that follows is a phrase or an unknown unit.
    """
    if pos < len(s) and s[pos] == "(":
        close = s.find(")", pos)
        if close != -1:
            content = s[pos + 1 : close]
            if not content:
                return UnitReading(Decimal(1), None, "", close + 1)
            factor, unit = _bracket_unit(content)
            return UnitReading(factor, unit, content, close + 1)
    match = _UNIT_RUN.match(s, pos)
    if match is None:
        return UnitReading(Decimal(1), None, "", pos)
    run = match.group(0)
    found = _longest_known(run)
    if found is not None:
        word, (factor, unit) = found
        return UnitReading(Decimal(repr(factor)), unit, word, pos + len(word))
    for multiplier in _MULTIPLIER_ORDER:
        if run.startswith(multiplier):
            rest = run[len(multiplier) :]
            found = _longest_known(rest) if rest else None
            if found is not None:
                word, (factor, unit) = found
                scale = MULTIPLIERS[multiplier] * Decimal(repr(factor))
                return UnitReading(scale, unit, multiplier + word, pos + len(multiplier) + len(word))
            return UnitReading(MULTIPLIERS[multiplier], None, multiplier, pos + len(multiplier))
    return UnitReading(Decimal(1), None, "", pos)


def _bracket_unit(content: str) -> tuple[Decimal, str | None]:
    known = _known(content)
    if known is not None:
        return Decimal(repr(known[0])), known[1]
    for multiplier in _MULTIPLIER_ORDER:
        if content == multiplier:
            return MULTIPLIERS[multiplier], None
        if content.startswith(multiplier):
            rest = _known(content[len(multiplier) :])
            if rest is not None:
                return MULTIPLIERS[multiplier] * Decimal(repr(rest[0])), rest[1]
    raise UnknownUnitError(content)


def unknown_word(tail: str) -> str:
    """The word to name when a number is followed by text that is not a unit."""
    match = _UNIT_RUN.match(tail)
    word = match.group(0) if match else tail
    for postfix in _POSTFIX_ORDER:
        index = word.find(postfix)
        if index > 0:
            word = word[:index]
    return word or tail


# --- operators -------------------------------------------------------------------------------


def split_prefix_op(pre: str) -> tuple[str, Op | None, str]:
    """(label, op, op as written) from the text before a number: 满意度不低于 → (满意度, GE, 不低于)."""
    stripped = pre.rstrip(":：")
    for word in _PREFIX_ORDER:
        if stripped.endswith(word):
            return stripped[: -len(word)].rstrip(":："), PREFIX_OPS[word], word
    return pre, None, ""


def split_postfix_op(post: str) -> tuple[Op | None, str, str]:
    """(op, op as written, rest) from the text after the unit: 以上完成 → (GE, 以上, 完成)."""
    for word in _POSTFIX_ORDER:
        if post.startswith(word):
            rest = post[len(word) :]
            if word == "内" and rest and not rest.startswith(("完成", ",", "，")):
                continue  # 内 alone is only an operator at the end (30天内完成)
            return POSTFIX_OPS[word], word, rest
    return None, "", post


# --- one quantity in a phrase ----------------------------------------------------------------


@dataclass(frozen=True)
class QuantityPhrase:
    """`label op number unit postfix tail`, e.g. 满意度|不低于|85|%|以上|''."""

    label: str
    op: Op | None  # from the word before the number
    op_text: str
    number: str
    value: float  # in the canonical unit
    unit: str | None
    unit_word: str
    postfix_op: Op | None
    postfix_text: str
    tail: str
    scale: float = 1.0  # canonical units per written unit (万元 → 10000)


def scaled(number: str, factor: Decimal) -> float:
    """number × factor without binary noise (0.305 × 10000 is 3050, not 3049.9999…)."""
    return float(Decimal(number) * factor)


def read_quantity(s: str, token: NumberToken, pre: str | None = None) -> QuantityPhrase:
    """Split `s` around one number. Raises UnknownUnitError when the number is followed by a word
    that is neither a unit, an operator word nor a known non-unit word."""
    before = s[: token.start] if pre is None else pre
    label, op, op_text = split_prefix_op(before)
    reading = read_unit(s, token.end)
    post = s[reading.end :]
    postfix_op, postfix_text, tail = split_postfix_op(post)
    if reading.unit is None and tail and not tail.startswith(NON_UNIT_TAILS):
        word = unknown_word(tail)
        if _UNIT_RUN.match(word) and not word.startswith(("/", "·")):
            raise UnknownUnitError(word)
    return QuantityPhrase(
        label=label,
        op=op,
        op_text=op_text,
        number=token.text,
        value=scaled(token.text, reading.factor),
        unit=reading.unit,
        unit_word=reading.word,
        postfix_op=postfix_op,
        postfix_text=postfix_text,
        tail=tail,
        scale=float(reading.factor),
    )


def label_unit(label: str) -> tuple[Decimal, str, str] | None:
    """A unit named in the label, as in 满意度(%)≥90 → (1, "%", "%")."""
    for match in re.finditer(r"\(([^()]*)\)", label):
        known = _known(match.group(1))
        if known is not None:
            return Decimal(repr(known[0])), known[1], match.group(1)
    return None


# --- the plain shape, read without the full pass -----------------------------------------------

# A sign, ASCII digits grouped by thousands commas or not, decimals, then letters, CJK or % only.
# Most 实际完成值 cells are this (2,950人次, 1.26万人次, 98.5%, 3000); `plain_quantity` reads them
# without the normaliser, the date reader and the operator search, which cost ~30 µs a string.
_PLAIN = re.compile(r"([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?([A-Za-z\u4e00-\u9fff%]*)")
_DATE_WORDS = frozenset("年月")  # 2024年, 11月: the date reader and the year skip need these


@dataclass(frozen=True, slots=True)
class PlainQuantity:
    number: str  # as `find_numbers` would hand it over: sign, digits without commas, decimals
    unit: UnitReading  # the whole rest of the text, read as one unit word (or nothing)


def plain_quantity(text: str) -> PlainQuantity | None:
    """`text` as one number and one whole unit word when it has the plain shape, else None.

    Why this equals the full reading for every text it accepts: nothing in `normalize` changes
    such a text except dropping the commas (each is between a digit and three digits followed by a
    non-digit, the `_THOUSANDS` case), and the rest is checked to be left alone by `normalize`;
    without 年/月 no date or year can be read; the number is the only one and starts the text, so
    there is no label or comparator before it; and the unit reading must cover the whole rest, so
    there is no postfix operator or tail. The unit is read by `read_unit`, as the full path does.
    """
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    sign, digits, decimals, rest = match.groups()
    reading = _whole_unit(rest)
    if reading is None:
        return None
    return PlainQuantity(sign + digits.replace(",", "") + (decimals or ""), reading)


@lru_cache(maxsize=4096)
def _whole_unit(rest: str) -> UnitReading | None:
    """The unit reading of everything after a plain number, or None when any of it is not a unit."""
    if _DATE_WORDS.intersection(rest) or normalize(rest) != rest:
        return None
    try:
        reading = read_unit(rest, 0)
    except UnknownUnitError:
        return None
    return reading if reading.end == len(rest) else None
