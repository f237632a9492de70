"""Text clean-up shared by the readers.

PDF extraction leaves LaTeX (`$\\geq 90.00\\%$`), full-width characters and stray spaces in the
cells. Readers keep the text exactly as written and put this cleaned form beside it, so a later
stage can read numbers and operators without caring how the PDF was produced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

# Control words seen in PDF-to-text output; a LaTeX control word swallows the spaces after it.
_LATEX_WORDS: dict[str, str] = {
    "geqslant": "≥",
    "leqslant": "≤",
    "geq": "≥",
    "leq": "≤",
    "ge": "≥",
    "le": "≤",
    "gt": ">",
    "lt": "<",
    "neq": "≠",
    "ne": "≠",
    "times": "×",
    "div": "÷",
    "pm": "±",
    "sim": "~",
    "approx": "≈",
    "cdot": "·",
}
_LATEX_WORD = re.compile(r"\\([A-Za-z]+)\s*")
_LATEX_WRAPPER = re.compile(r"\\(?:text|mathrm|textrm|mathbf|textbf|operatorname)\s*\{([^{}]*)\}")
_LATEX_ESCAPE = re.compile(r"\\([%$&#_{}])")
_LATEX_SPACING = re.compile(r"\\(?:[,;:!]|\s)")
_MATH_SPAN = re.compile(r"\$([^$]*)\$")

# Chinese sentence punctuation is full-width by nature: NFKC would turn "，" into ",", which is
# not a repair anyone asked for. Everything else full-width (digits, letters, brackets, ％) goes.
_KEEP_FULL_WIDTH = frozenset("，。；：！？、")

_SPACES = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_AFTER_OPERATOR = re.compile(r"(?<=[≥≤<>=≠])\s+(?=[\d.+-])")


# Symbols NFKC leaves alone that people (and converters) write for ≥ ≤ = ~ -.
SYMBOL_LOOKALIKES = {"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "═": "=", "〜": "~", "∼": "~", "−": "-"}
_LOOKALIKE_TABLE = str.maketrans(SYMBOL_LOOKALIKES)


def plain_symbols(text: str) -> str:
    """NFKC, then the look-alike comparison signs as the plain ones (﹦ ═ → =, ≧ → ≥)."""
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKE_TABLE)


def clean_latex(text: str) -> str:
    """Replace the LaTeX a PDF converter leaves behind by the characters it stands for."""
    if "$" not in text and "\\" not in text:
        return text
    out = _MATH_SPAN.sub(lambda m: m.group(1), text)
    out = _LATEX_WRAPPER.sub(lambda m: m.group(1), out)
    out = _LATEX_ESCAPE.sub(lambda m: m.group(1), out)
    out = _LATEX_SPACING.sub("", out)

    def word(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("left", "right"):
            return ""
        return _LATEX_WORDS.get(name, match.group(0))

    return _LATEX_WORD.sub(word, out)


def to_half_width(text: str) -> str:
    """NFKC everything except the Chinese sentence punctuation (kept as written)."""
    return "".join(ch if ch in _KEEP_FULL_WIDTH else unicodedata.normalize("NFKC", ch) for ch in text)


def squash_spaces(text: str) -> str:
    """One space for any run of white space; none between two CJK characters or after ≥ ≤ = < >."""
    out = _SPACES.sub(" ", text).strip()
    out = _SPACE_BETWEEN_CJK.sub("", out)
    return _SPACE_AFTER_OPERATOR.sub("", out)


@lru_cache(maxsize=1 << 16)
def normalize_text(text: str) -> str:
    """The cleaned reading of a cell: LaTeX resolved, half-width, spaces squashed.

    Repeated until nothing changes, so that cleaning cleaned text is a no-op (`\\\\%` → `\\%` → `%`).
    Cached: a portfolio repeats its level names, indicator names and targets on row after row, and
    half-width folding is Python work per character (a third of reading 100,000 targets).
    """
    for _ in range(8):
        cleaned = squash_spaces(clean_latex(to_half_width(text)))
        if cleaned == text:
            break
        text = cleaned
    return text


def normalized_if_changed(text: str) -> str | None:
    """What goes into `target_normalized`: the cleaned text, or None when cleaning changes nothing."""
    cleaned = normalize_text(text)
    return cleaned if cleaned != text else None


def label_key(text: str) -> str:
    """A key for comparing form labels: cleaned, without any white space ('绩效 指标' == '绩效指标')."""
    return _SPACES.sub("", normalize_text(text))


_NON_WORD = re.compile(r"[\s\W_]+")


def fold_key(text: str | None, *, punctuation: bool = False, symbols: bool = False, casefold: bool = False) -> str:
    """The one "NFKC, then strip" key for comparing names, labels and words.

    Full-width folded and without any white space ('服务对象满意度 指标' == '服务对象满意度指标');
    `punctuation=True` also drops punctuation and separators (“”、，()（）), `symbols=True` every
    non-word character (punctuation and symbols such as %, ≥), `casefold=True` ignores case.
    """
    folded = unicodedata.normalize("NFKC", text or "")
    if casefold:
        folded = folded.casefold()
    if symbols:
        return _NON_WORD.sub("", folded)
    if punctuation:
        return folded.translate(_NO_PUNCTUATION)
    return _SPACES.sub("", folded)


class _DropTable(dict[int, str | None]):
    """str.translate's table for `fold_key(punctuation=True)`: white space and the Unicode
    punctuation (P*) and separator (Z*) categories map to None (dropped), anything else to itself.

    Filled per code point on first sight, so a name is folded in C rather than by a Python test per
    character (matching a million-row actuals sheet folded 200,000 project names that way).
    """

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        kept = None if ch.isspace() or unicodedata.category(ch).startswith(("P", "Z")) else ch
        self[code] = kept
        return kept


_NO_PUNCTUATION = _DropTable()


@cache
def _t2s() -> Callable[[str], str]:
    import opencc  # imported on first use: most runs never meet a traditional-character table

    return opencc.OpenCC("t2s").convert


# Web pages that convert to traditional characters annotate some with pinyin: 產(chǎn)出指標(biāo).
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def strip_pinyin(text: str) -> str:
    """Remove the pinyin a converting web page puts after some characters: 產(chǎn)出 → 產出."""
    return _PINYIN.sub("", text) if "(" in text else text


_ASCII = re.compile(r"^[\x00-\x7f]*$")


@lru_cache(maxsize=1 << 16)
def to_simplified(text: str) -> str:
    """Traditional characters → simplified (產出指標 → 产出指标), everything else unchanged.

    Tables published in Hong Kong-style fonts or converted by a web page arrive in traditional
    characters; labels, level names, targets and actuals are compared in simplified form.
    """
    if not text or _ASCII.match(text):
        return text
    return _t2s()(text)


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Comparison key: NFKC width folding, no whitespace, no punctuation (“”"、，()（）…), case-folded.

    Actual rows are matched to projects and indicators on this key, so two names that share it
    (项目A / 项目a) cannot be told apart and every declarations reader must refuse them.
    """
    return fold_key(text, punctuation=True, casefold=True)
