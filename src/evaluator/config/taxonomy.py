"""The indicator taxonomy, loaded from `scoring_rules/taxonomy.toml` and validated on load."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from evaluator.common.resources import rules_dir
from evaluator.common.text import fold_key, strip_pinyin, to_simplified
from evaluator.errors import ConfigError

# `产出指标(50分)`, `成本指标(0-20)分`, `效益指标（30分）`: the points a block is worth, not its name.
_POINTS_SUFFIX = re.compile(r"\(\s*[\d.\-~—]*\s*分?\s*\)\s*分?$")
_LEADING_MARK = re.compile(r"^[★*※▲△]+")
# `数量指标 (必填硬性指标)`, `质量指标(选填)`: a filling note after the name.
_FILLING_NOTE = re.compile(r"\((?:[^()]*(?:必填|选填|指标|可选|硬性)[^()]*)\)$")


@lru_cache(maxsize=1 << 14)
def _squash(text: str) -> str:
    """Compare names ignoring spaces, width, traditional characters and a points suffix.

    PDF extraction splits '服务对象满意度 指标'; published forms write `产出指标(50分)` or `產出指標`.
    Cached: a portfolio repeats a few dozen level names on every one of its rows.
    """
    name = fold_key(text)
    name = strip_pinyin(name)
    name = _POINTS_SUFFIX.sub("", name)
    name = _FILLING_NOTE.sub("", name)
    return to_simplified(_LEADING_MARK.sub("", name))


@dataclass(frozen=True)
class Taxonomy:
    level1_order: tuple[str, ...]
    level2_by_level1: dict[str, tuple[str, ...]]
    level1_aliases: dict[str, str]
    level2_aliases: dict[str, str]

    def bare_name(self, text: str) -> str:
        """`text` as the look-ups compare it: no spaces, points suffix or filling note (选填), simplified.

        Readers use it to tell a written level name (`经济效益 指标 (选填)`) from a short indicator name.
        """
        return _squash(text)

    def canonical_level1(self, text: str) -> str | None:
        name = _squash(text)
        if name in self.level1_order:
            return name
        return self.level1_aliases.get(name)

    def canonical_level2(self, text: str) -> str | None:
        name = _squash(text)
        for names in self.level2_by_level1.values():
            if name in names:
                return name
        return self.level2_aliases.get(name)

    def level1_of(self, level2: str) -> str | None:
        """The first level a second-level name belongs to (成本指标 as level 2 → 产出指标)."""
        name = self.canonical_level2(level2)
        if name is None:
            return None
        for level1, names in self.level2_by_level1.items():
            if name in names:
                return level1
        return None

    def level1_rank(self, level1: str) -> int:
        try:
            return self.level1_order.index(level1)
        except ValueError:
            return len(self.level1_order)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    path = path or rules_dir() / "taxonomy.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"无法读取指标体系文件：{exc}", value=str(path)) from exc
    try:
        order = tuple(data["level1"]["order"])
        by_level1 = {k: tuple(v["names"]) for k, v in data["level2"].items()}
        l1_aliases = dict(data["level1"].get("aliases", {}))
        l2_aliases = dict(data.get("level2_aliases", {}))
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"指标体系文件缺少必要的键：{exc}", value=str(path)) from exc
    unknown = set(by_level1) - set(order)
    if unknown:
        raise ConfigError(f"指标体系文件中 level2 使用了未定义的一级指标：{sorted(unknown)}", value=str(path))
    for alias, target in l2_aliases.items():
        if not any(target in names for names in by_level1.values()):
            raise ConfigError(f"二级指标别名「{alias}」指向未定义的二级指标「{target}」", value=str(path))
    return Taxonomy(order, by_level1, l1_aliases, l2_aliases)


@cache
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()
