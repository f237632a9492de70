"""The achievement vocabulary: a written 实际完成值 → a qualitative tier, or None (needs judgment).

Word lists live in `scoring_rules/vocabulary.toml` so a bureau can extend them without code. The
order of checks matters and is the point of this module: a negated achievement word (未完成) must
win over the achievement word inside it (完成), a hedge (基本完成) over the plain word, and a 不
that does not negate (不断提升) must not turn an achievement into a failure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from evaluator.common.resources import rules_dir
from evaluator.common.text import fold_key, to_simplified
from evaluator.errors import ConfigError
from evaluator.models import Tier

_SECTIONS: dict[str, tuple[str, ...]] = {
    "achieved": ("exact", "words"),
    "partial": ("exact", "words", "prefixes"),
    "not_achieved": ("exact", "words", "negations"),
    "neutral": ("not_negations",),
    "complete": ("words",),
    "not_applicable": ("exact", "words"),
}


def squash(text: str) -> str:
    """Text as compared: full-width folded, traditional read as simplified, spaces and punctuation
    gone (`已 完成。` = `已完成` = `已完成`)."""
    return fold_key(to_simplified(text or ""), symbols=True)


@dataclass(frozen=True)
class Vocabulary:
    achieved_exact: frozenset[str]
    achieved_words: tuple[str, ...]
    partial_exact: frozenset[str]
    partial_words: tuple[str, ...]
    partial_prefixes: tuple[str, ...]
    not_exact: frozenset[str]
    not_words: tuple[str, ...]
    negations: tuple[str, ...]
    not_negations: tuple[str, ...]
    complete_words: tuple[str, ...] = ()
    not_applicable_exact: frozenset[str] = frozenset()
    not_applicable_words: tuple[str, ...] = ()

    def not_applicable(self, target: str) -> bool:
        """无 / 不适用 / 本项目不适用此指标: the target says the indicator does not apply."""
        norm = squash(target)
        return bool(norm) and (norm in self.not_applicable_exact or any(w in norm for w in self.not_applicable_words))

    def means_all(self, expectation: str) -> bool:
        """件件有回音, 全覆盖 …: the target is 100% of something, so a percentage can answer it."""
        norm = squash(expectation)
        return any(word in norm for word in self.complete_words)

    def classify(self, text: str, expectation: str | None = None) -> Tier | None:
        """The tier a written answer states, or None when a person must judge it."""
        norm = squash(text)
        if not norm:
            return None
        if norm in self.not_exact:
            return Tier.NOT_ACHIEVED
        if norm in self.partial_exact:
            return Tier.PARTIAL
        if norm in self.achieved_exact:
            return Tier.ACHIEVED
        expected = squash(expectation or "")
        if expected and norm == expected:
            return Tier.ACHIEVED
        cleaned = norm
        for phrase in self.not_negations:
            cleaned = cleaned.replace(phrase, "·")
        if any(word in cleaned for word in self.not_words):
            return Tier.NOT_ACHIEVED
        if any(neg + word in cleaned for neg in self.negations for word in self.achieved_words):
            return Tier.NOT_ACHIEVED
        if any(word in norm for word in self.partial_words):
            return Tier.PARTIAL
        if any(prefix + word in cleaned for prefix in self.partial_prefixes for word in self.achieved_words):
            return Tier.PARTIAL
        if any(word in norm for word in self.achieved_words):
            return Tier.ACHIEVED
        if expected and expected in norm:
            return Tier.ACHIEVED
        return None


def _words(data: dict, section: str, key: str, path: Path) -> tuple[str, ...]:
    value = data.get(section, {}).get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"用语表 {path.name} 中 [{section}].{key} 应为非空文字的列表", value=value)
    # Longest first so that a long phrase is seen before a word it contains.
    return tuple(sorted({squash(v) for v in value}, key=len, reverse=True))


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or rules_dir() / "vocabulary.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"无法读取用语表 {path}：{err}") from err
    for section, value in data.items():
        if section not in _SECTIONS or not isinstance(value, dict):
            raise ConfigError(f"用语表 {path.name} 中有未知的节 [{section}]", value=section)
        unknown = set(value) - set(_SECTIONS[section])
        if unknown:
            raise ConfigError(f"用语表 {path.name} 的 [{section}] 中有未知的键", value=sorted(unknown))
    w = {(s, k): _words(data, s, k, path) for s, keys in _SECTIONS.items() for k in keys}
    return Vocabulary(
        achieved_exact=frozenset(w["achieved", "exact"]),
        achieved_words=w["achieved", "words"],
        partial_exact=frozenset(w["partial", "exact"]),
        partial_words=w["partial", "words"],
        partial_prefixes=w["partial", "prefixes"],
        not_exact=frozenset(w["not_achieved", "exact"]),
        not_words=w["not_achieved", "words"],
        negations=w["not_achieved", "negations"],
        not_negations=w["neutral", "not_negations"],
        complete_words=w["complete", "words"],
        not_applicable_exact=frozenset(w["not_applicable", "exact"]),
        not_applicable_words=w["not_applicable", "words"],
    )


@cache
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


@lru_cache(maxsize=65536)
def classify_text(text: str, expectation: str | None = None) -> Tier | None:
    """Cached: the same few answers (是, 完成, 及时) repeat across thousands of rows."""
    return default_vocabulary().classify(text, expectation)
