"""The table vocabulary (`scoring_rules/labels.toml`): headings, header-field labels and column words.

Published tables name the same field in many ways (项目名称 / 专项名称 / 项目支出名称, 年度指标值 /
指标值 / 年初目标值). Keeping the spellings as data lets a finance officer add the one their
province uses without touching code; the file is validated on load so that a typo there is
reported in Chinese instead of silently matching nothing.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evaluator.common.resources import rules_dir
from evaluator.common.text import strip_pinyin, to_simplified
from evaluator.errors import EvaluatorError

FIELDS = (
    "name",
    "department",
    "implementer",
    "total_funds",
    "fiscal_funds",
    "carryover_funds",
    "other_funds",
    "annual_goal",
)
COLUMN_ROLES = (
    "level1",
    "level2",
    "level3",
    "target",
    "target_op",
    "target_value",
    "target_unit",
    "target_sign",
    "actual",
    "weight",
    "score",
    "reason",
    "other",
)
BUDGET_ROLES = ("initial", "full_year", "executed", "weight", "rate", "score", "other")

_SPACE = re.compile(r"\s+")
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")
_LEADING_MARK = re.compile(r"^[★*※▲△]+")


def label_word(text: str) -> str:
    """The form of a cell that labels are compared in: no spaces, half-width, simplified, no colon."""
    word = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    word = to_simplified(strip_pinyin(word))
    return _LEADING_MARK.sub("", word).rstrip(":")


def without_bracket(word: str) -> str:
    """`全年实际值(B)` → `全年实际值`, `分值(10分)` → `分值`: a trailing bracket qualifies a header."""
    return _TRAILING_BRACKET.sub("", word).rstrip(":") if word.endswith(")") else word


@dataclass(frozen=True)
class Labels:
    heading_words: tuple[str, ...]
    self_evaluation_words: tuple[str, ...]
    heading_max_length: int
    fields: dict[str, frozenset[str]]
    money_fields: frozenset[str]
    goal_sub_labels: frozenset[str]
    wan_yuan: tuple[str, ...]
    yuan: tuple[str, ...]
    none_values: frozenset[str]
    budget_columns: dict[str, str]  # header word → budget role
    columns: dict[str, str]  # header word → column role (target_value only under a split target)
    markers: frozenset[str]
    table_end: tuple[str, ...]
    signature: tuple[str, ...]
    total_words: tuple[str, ...] = ("总分", "合计")  # total lines: the table's 分值 and 得分
    not_filled: frozenset[str] = frozenset()  # placeholder texts of a cell still to be filled in
    fallback_fields: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # weaker labels
    other_fields: frozenset[str] = frozenset()  # labels of header fields not read (项目负责人, 联系电话)
    last_resort: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # field → other fields' labels
    budget_block: frozenset[str] = frozenset()  # 预算执行情况: the budget block's label, maybe with its points
    goal_long_term: frozenset[str] = frozenset()  # 中期目标, 长期目标: goal sub-labels of more than the year

    def last_resort_for(self, word: str) -> tuple[str, ...]:
        """The fields a label's value fills when the form names them by nothing else (部门名称 → 项目名称)."""
        bare = without_bracket(word)
        return tuple(name for name, labels in self.last_resort.items() if word in labels or bare in labels)

    def is_other_field(self, word: str) -> bool:
        """A header label the engine does not read: its value must not be taken for another field's."""
        return word in self.other_fields or without_bracket(word) in self.other_fields

    def is_fallback(self, word: str) -> bool:
        """A label that names its field only when the form has no stronger one (单位名称 → 实施单位)."""
        return any(c in labels for c in (word, without_bracket(word)) for labels in self.fallback_fields.values())

    def is_not_filled(self, text: str) -> bool:
        """（未填报）, 【待填写】: a placeholder, not a value."""
        return label_word(text).strip("()[]【】〔〕") in self.not_filled

    def field_of(self, word: str) -> str | None:
        """The header field a label names, or None; `word` is a `label_word`."""
        for candidate in (word, without_bracket(word)):
            for name, labels in self.fields.items():
                if candidate in labels:
                    return name
        for candidate in (word, without_bracket(word)):
            for name, labels in self.fallback_fields.items():
                if candidate in labels:
                    return name
        return None

    def is_heading(self, text: str) -> bool:
        word = label_word(text)
        return len(word) <= self.heading_max_length and any(h in word for h in self.heading_words)

    def column_of(self, word: str) -> str | None:
        """The role of an indicator-table header cell, or None when it names no column."""
        if word in self.markers:
            return "marker"
        for candidate in (word, without_bracket(word), without_bracket(word).removesuffix("(年度)")):
            if candidate in self.columns:
                return self.columns[candidate]
        if "长期" in word:
            return "other"  # 二级指标(长期) …: the engine reads the year's targets
        bare = without_bracket(word)
        if "原因" in bare:
            return "reason"
        if "实际" in bare or "完成值" in bare:
            return "actual"
        if bare.endswith("指标值") or bare.endswith("目标值"):
            return "target"
        return None

    def budget_column_of(self, word: str) -> str | None:
        return self.budget_columns.get(without_bracket(word))


def _strings(data: object, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(data, list) or not data or not all(isinstance(x, str) and x.strip() for x in data):
        raise EvaluatorError(f"表格用语文件中「{where}」应为非空的文字列表", value=str(path))
    return tuple(data)


def load_labels(path: Path | None = None) -> Labels:
    """Read and check `labels.toml`; every problem is reported in Chinese with the key at fault."""
    path = path or rules_dir() / "labels.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EvaluatorError(f"无法读取表格用语文件：{exc}", value=str(path)) from exc
    try:
        headings = data["headings"]
        fields_data = data["fields"]
        money = data["money"]
        budget = data["budget_columns"]
        columns = data["columns"]
        table_end = data["table_end"]
    except KeyError as exc:
        raise EvaluatorError(f"表格用语文件缺少必要的部分：{exc}", value=str(path)) from exc

    unknown = set(fields_data) - set(FIELDS)
    missing = set(FIELDS) - set(fields_data)
    if unknown or missing:
        raise EvaluatorError(
            f"表格用语文件 [fields] 的栏目不对：未知 {sorted(unknown)}，缺少 {sorted(missing)}", value=str(path)
        )
    fields = {
        name: frozenset(label_word(w) for w in _strings(fields_data[name].get("labels"), f"fields.{name}.labels", path))
        for name in FIELDS
    }
    fallback_fields = {
        name: frozenset(label_word(w) for w in _strings(fields_data[name]["fallback"], f"fields.{name}.fallback", path))
        for name in FIELDS
        if "fallback" in fields_data[name]
    }
    last_resort = {
        name: frozenset(
            label_word(w) for w in _strings(fields_data[name]["last_resort"], f"fields.{name}.last_resort", path)
        )
        for name in FIELDS
        if "last_resort" in fields_data[name]
    }
    money_fields = frozenset(name for name in FIELDS if fields_data[name].get("money") is True)
    goal_sub = fields_data["annual_goal"].get("sub_labels", [])
    goal_sub_labels = frozenset(label_word(w) for w in _strings(goal_sub, "fields.annual_goal.sub_labels", path))
    long_term = fields_data["annual_goal"].get("long_term", ["中期目标"])
    goal_long_term = frozenset(label_word(w) for w in _strings(long_term, "fields.annual_goal.long_term", path))

    budget_columns: dict[str, str] = {}
    for role, words in budget.items():
        if role not in BUDGET_ROLES:
            raise EvaluatorError(f"表格用语文件 [budget_columns] 中有未知的栏目「{role}」", value=str(path))
        for w in _strings(words, f"budget_columns.{role}", path):
            budget_columns[label_word(w)] = role

    column_words: dict[str, str] = {}
    for role, words in columns.items():
        if role == "markers":
            continue
        if role not in COLUMN_ROLES:
            raise EvaluatorError(f"表格用语文件 [columns] 中有未知的栏目「{role}」", value=str(path))
        for w in _strings(words, f"columns.{role}", path):
            key = label_word(w)
            if role == "target_value":
                continue  # read only beside 指标性质 / 度量单位, see layout
            if key in column_words and column_words[key] != role:
                raise EvaluatorError(
                    f"表格用语文件中「{w}」同时属于栏目「{column_words[key]}」和「{role}」", value=str(path)
                )
            column_words[key] = role
    for required in ("level3", "target"):
        if required not in columns:
            raise EvaluatorError(f"表格用语文件 [columns] 缺少栏目「{required}」", value=str(path))
    max_length = headings.get("max_length", 60)
    if not isinstance(max_length, int) or max_length < 4:
        raise EvaluatorError("表格用语文件中 headings.max_length 应为不小于 4 的整数", value=str(path))
    return Labels(
        heading_words=tuple(label_word(w) for w in _strings(headings.get("contains"), "headings.contains", path)),
        self_evaluation_words=tuple(_strings(headings.get("self_evaluation"), "headings.self_evaluation", path)),
        heading_max_length=max_length,
        fields=fields,
        money_fields=money_fields,
        goal_sub_labels=goal_sub_labels,
        wan_yuan=_strings(money.get("wan_yuan"), "money.wan_yuan", path),
        yuan=_strings(money.get("yuan"), "money.yuan", path),
        none_values=frozenset(_strings(money.get("none"), "money.none", path)),
        budget_columns=budget_columns,
        columns=column_words,
        markers=frozenset(label_word(w) for w in _strings(columns.get("markers"), "columns.markers", path)),
        table_end=tuple(label_word(w) for w in _strings(table_end.get("starts"), "table_end.starts", path)),
        signature=tuple(label_word(w) for w in _strings(table_end.get("signature"), "table_end.signature", path)),
        not_filled=frozenset(
            label_word(w)
            for w in _strings(data.get("cells", {}).get("not_filled", ["未填报"]), "cells.not_filled", path)
        ),
        fallback_fields=fallback_fields,
        last_resort=last_resort,
        goal_long_term=goal_long_term,
        budget_block=frozenset(
            label_word(w) for w in _strings(money.get("budget_block", ["预算执行情况"]), "money.budget_block", path)
        ),
        other_fields=frozenset(
            label_word(w)
            for w in _strings(data.get("other_fields", {}).get("labels", ["项目负责人"]), "other_fields.labels", path)
        ),
        total_words=tuple(
            label_word(w) for w in _strings(table_end.get("totals", ["总分", "合计"]), "table_end.totals", path)
        ),
    )


@cache
def default_labels() -> Labels:
    return load_labels()
