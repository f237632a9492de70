"""Checks on one third-level indicator at a time: is it there, can it be measured, does it point the
right way, is it filed where it belongs, and does a money figure fit the budget.

Every check reads the target through the same grammar the scorer uses, so "unreadable here" means
"unscorable at year end" — which is the point of checking before the year.
"""

from __future__ import annotations

import datetime as dt
import re

from evaluator.common.numbers import format_amount
from evaluator.common.text import normalize_text
from evaluator.config.lint_rules import LintRules, PlacementGroup
from evaluator.config.taxonomy import Taxonomy
from evaluator.grammar.lexer import display_text
from evaluator.lint.findings import Collector, Row
from evaluator.models import Op, TargetKind

COST_LEVEL1 = "成本指标"
OUTPUT_LEVEL1 = "产出指标"
BENEFIT_LEVEL1 = "效益指标"
SATISFACTION_LEVEL1 = "满意度指标"
PERCENT = "%"
MONEY = "元"
_QUALITATIVE = (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED)
_NOT_NUMERIC = (TargetKind.QUALITATIVE, TargetKind.AS_INCURRED, TargetKind.UNREADABLE)
_PUNCTUATION = re.compile(r"[\s，。、；：！？,.;:!?“”\"'‘’（）()《》【】\[\]·]")

# Operator words and what they become in a suggested rewrite, per direction of the fix.
_TO_CEILING = {
    "≥": "≤",
    ">": "≤",
    "不低于": "不高于",
    "不少于": "不超过",
    "至少": "不超过",
    "大于": "不超过",
    "高于": "不高于",
    "超过": "不超过",
    "以上": "以内",
}
_TO_AT_LEAST = {"=": "≥", "等于": "不少于"}
_TO_INCLUSIVE = {
    ">": "≥",
    "<": "≤",
    "大于": "不低于",
    "高于": "不低于",
    "超过": "不低于",
    "小于": "不高于",
    "低于": "不高于",
}


def plain(text: str) -> str:
    """Cleaned text without spaces or punctuation, for word lists (优质、高效 matches 优质高效)."""
    return _PUNCTUATION.sub("", normalize_text(text or ""))


def words_in(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed words found in `text`, longest first, none that is part of a longer one found."""
    haystack = plain(text)
    found: list[str] = []
    for word in sorted(words, key=len, reverse=True):
        key = plain(word)
        if key and key in haystack and not any(key in longer for longer in found):
            found.append(key)
    return found


def swap_operator(text: str, mapping: dict[str, str]) -> str:
    """`text` with its first operator word replaced by the mapped one; "" when it has none."""
    shown = normalize_text(text)
    best: tuple[int, int, str] | None = None
    for word in mapping:
        index = shown.find(word)
        if index >= 0 and (best is None or (index, -len(word)) < (best[0], -best[1])):
            best = (index, len(word), word)
    if best is None:
        return ""
    index, length, word = best
    return shown[:index] + mapping[word] + shown[index + length :]


def deadline_text(row: Row) -> str:
    """The project's planned end date as a 时效 target, e.g. 2024年12月31日前完成."""
    project = row.project
    end = project.end_date or (dt.date(project.year, 12, 31) if project.year else None)
    return f"{end.year}年{end.month}月{end.day}日前完成" if end else ""


def placement_group(row: Row, rules: LintRules) -> PlacementGroup | None:
    """The vocabulary group whose words the row uses while filed under a second level it must not be."""
    i = row.indicator
    for group in rules.placement:
        if i.level2 in group.not_under and words_in(f"{i.level3} {i.target_text}", group.words):
            return group
    return None


def check_row(row: Row, out: Collector, taxonomy: Taxonomy) -> None:
    _structure(row, out, taxonomy)
    if row.target.kind is TargetKind.NOT_APPLICABLE:
        # 无 / 不适用 is read as "left out of the score", not as a value: S08 says so once, and the
        # checks on a value (readable, numeric, direction, placement, money) have nothing to check.
        _not_applicable(row, out)
        return
    _measurability(row, out)
    _direction(row, out)
    _placement(row, out)
    _money(row, out)


def _is_placeholder(text: str, rules: LintRules) -> bool:
    shown = normalize_text(text).strip()
    if shown in rules.words.placeholder:
        return True
    return any(re.fullmatch(p, shown) for p in rules.words.placeholder_patterns)


def _structure(row: Row, out: Collector, taxonomy: Taxonomy) -> None:
    i = row.indicator
    empty_target = not normalize_text(i.target_text).strip()
    if empty_target:
        out.row("S05", row, "该三级指标没有填写年度指标值", advice="填写可衡量的年度指标值")
    if not normalize_text(i.level3).strip():
        out.row("S06", row, "三级指标名称为空", advice="写明指标名称")
    elif _is_placeholder(i.level3, out.rules):
        out.row("S06", row, f"三级指标名称「{i.level3}」是占位内容", advice="写明具体的指标名称")
    not_applicable = row.target.kind is TargetKind.NOT_APPLICABLE  # 无 is a reading, reported by S08
    if not empty_target and not not_applicable and _is_placeholder(i.target_text, out.rules):
        out.row("S06", row, f"年度指标值「{i.target_text}」是占位内容", advice="填写具体的指标值")
    if taxonomy.canonical_level1(i.level1) is None:
        out.row("S07", row, f"一级指标「{i.level1}」不在指标体系中", advice="改用成本、产出、效益、满意度指标之一")
    elif taxonomy.canonical_level2(i.level2) is None:
        out.row("S07", row, f"二级指标「{i.level2}」不在指标体系中", advice="改用指标体系中的二级指标名称")


def _not_applicable(row: Row, out: Collector) -> None:
    i = row.indicator
    out.row(
        "S08",
        row,
        f"三级指标「{i.level3}」的年度指标值为「{display_text(i.target_text)}」，按不适用理解："
        "年末评分时不计入，分值按缺项规则处理",
        advice="本项目确不涉及的，删除该指标；否则填写可衡量的年度指标值",
    )


def _measurability(row: Row, out: Collector) -> None:
    i, t, words = row.indicator, row.target, out.rules.words
    if t.kind is TargetKind.UNREADABLE and normalize_text(i.target_text).strip():
        out.row(
            "M01", row, f"年度指标值「{i.target_text}」无法识别：{t.reason}", advice="改写为如「≥3000人次」「≤50万元」"
        )
    misplaced = i.level1 == SATISFACTION_LEVEL1 and not _about_satisfaction(row, out.rules)
    if t.kind in _QUALITATIVE and i.level2 in out.rules.numeric_expected and not misplaced:
        out.row(
            "M02",
            row,
            f"{i.level2}「{i.level3}」的指标值「{display_text(i.target_text)}」没有数字，无法衡量",
            advice=out.rules.numeric_expected[i.level2],
        )
    timing = i.level2 == words.timing_second_level
    bare = not timing and _bare(row, out.rules)
    if bare:
        out.row(
            "M05",
            row,
            f"指标值只有「{display_text(i.target_text)}」，无法衡量「{i.level3}」达到什么程度",
            advice="写明可检验的结果或数值",
        )
    if t.kind in _NOT_NUMERIC:
        found = words_in(i.target_text, words.vague)
        # a vague name under a one-word target is the same defect M05 already reports
        in_name = [] if bare else [w for w in words_in(i.level3, words.vague) if w not in found]
        if found or in_name:
            where = []
            if found:
                where.append(f"指标值「{display_text(i.target_text)}」含「{'」「'.join(found)}」")
            if in_name:
                where.append(f"指标名称含「{'」「'.join(in_name)}」")
            out.row("M03", row, "，".join(where) + "，年末无法判断是否达成", advice="写明可检验的结果，最好是数字")
    if timing and t.kind in _QUALITATIVE:
        rewrite = deadline_text(row)
        out.row(
            "M06",
            row,
            f"时效指标「{i.level3}」的指标值「{display_text(i.target_text)}」没有完成时限",
            rewrite=rewrite,
            advice="写明完成日期（或完成率与时点）",
        )
    percent = t.kind in (TargetKind.COMPARISON, TargetKind.RANGE) and t.unit == PERCENT
    if i.level1 == BENEFIT_LEVEL1 and percent and placement_group(row, out.rules) is None:
        if not words_in(f"{i.level3} {i.target_text}", words.basis):
            out.row(
                "M04",
                row,
                f"效益指标「{i.level3}」以百分比「{display_text(i.target_text)}」表示，但未说明计算方法或数据来源",
                advice="写明分子分母或数据来源（如问卷调查、统计数据）",
            )


def _bare(row: Row, rules: LintRules) -> bool:
    """A qualitative target of one word that says nothing testable about the indicator."""
    if row.target.kind is not TargetKind.QUALITATIVE:
        return False
    text, words = plain(row.indicator.target_text), rules.words
    if text in {plain(w) for w in words.bare}:
        return True
    return text in {plain(w) for w in words.yes_no} and bool(words_in(row.indicator.level3, words.degree))


def _about_satisfaction(row: Row, rules: LintRules) -> bool:
    return bool(words_in(f"{row.indicator.level3} {row.indicator.target_text}", rules.words.satisfaction))


def _bounded_rate(row: Row, rules: LintRules) -> bool:
    name = f"{row.indicator.level3} {row.indicator.target_text}"
    return bool(words_in(name, rules.words.bounded_rate)) and not words_in(name, rules.words.unbounded_rate)


def _direction(row: Row, out: Collector) -> None:
    i, t = row.indicator, row.target
    cost = i.level1 == COST_LEVEL1 or i.level2 == COST_LEVEL1
    lower_bound = t.op in (Op.GE, Op.GT) and t.kind in (TargetKind.COMPARISON, TargetKind.CHANGE)
    if cost and t.kind is TargetKind.COMPARISON and t.implicit_op and t.op in (Op.LE, Op.LT):
        # the score reads it as a ceiling (policy cost_default_op): say so, and offer the explicit form
        out.row(
            "D05",
            row,
            f"成本指标「{i.level3}」的指标值「{display_text(i.target_text)}」未写比较符，评分时按「不高于」理解",
            rewrite=f"≤{normalize_text(i.target_text)}",
            advice="写明「≤」，避免理解不一",
        )
    if cost and lower_bound:
        rewrite = ""
        if t.kind is TargetKind.COMPARISON:
            rewrite = (
                f"≤{normalize_text(i.target_text)}" if t.implicit_op else swap_operator(i.target_text, _TO_CEILING)
            )
        out.row(
            "D01",
            row,
            f"成本指标「{i.level3}」的指标值「{display_text(i.target_text)}」是下限，成本应为上限",
            rewrite=rewrite,
            advice="成本指标用「≤」或「=」",
        )
    if t.unit == PERCENT and _bounded_rate(row, out.rules):
        above = (
            t.kind is TargetKind.COMPARISON
            and t.op in (Op.GE, Op.GT, Op.EQ)
            and t.value is not None
            and (t.value > 100 or (t.value == 100 and t.op is Op.GT))
        ) or (t.kind is TargetKind.RANGE and t.high is not None and t.high > 100)
        if above:
            out.row(
                "D02",
                row,
                f"比率「{i.level3}」的指标值「{display_text(i.target_text)}」超过100%，不可能达成",
                rewrite="=100%",
                advice="比率最高为100%；若指超额完成，改写为数量",
            )
    shown = normalize_text(i.target_text)
    if (
        t.kind is TargetKind.COMPARISON
        and t.op is Op.EQ
        and t.unit in out.rules.words.count_units
        and t.value != 1  # one unique event (=1场) is meant exactly
        and ("=" in shown or "等于" in shown)
    ):
        out.row(
            "D03",
            row,
            f"计数指标「{i.level3}」写作「{shown}」：多于目标也算未达成吗？",
            rewrite=swap_operator(i.target_text, _TO_AT_LEAST),
            advice="若多完成不算偏差，用「≥」",
        )
    if t.kind is TargetKind.COMPARISON and t.op in (Op.GT, Op.LT) and not cost:
        out.row(
            "D04",
            row,
            f"「{shown}」是严格不等号：实际恰好为 {t.value:g}{t.unit or ''} 时算未达成",
            rewrite=swap_operator(i.target_text, _TO_INCLUSIVE),
            advice="一般用「≥」或「≤」",
        )


def _placement(row: Row, out: Collector) -> None:
    i, words = row.indicator, out.rules.words
    group = placement_group(row, out.rules)
    if group is not None:
        out.row(
            "P01",
            row,
            f"「{i.level3}」（{display_text(i.target_text)}）属于{group.label}，不应列在{i.level2}下",
            advice=group.advice,
        )
    text = f"{i.level3} {i.target_text}"
    if i.level1 != SATISFACTION_LEVEL1 and words_in(text, words.satisfaction_outside):
        out.row(
            "P02",
            row,
            f"「{i.level3}」（{display_text(i.target_text)}）说的是满意度，却列在{i.level1}／{i.level2}下",
            advice="移到满意度指标／服务对象满意度指标，并以满意率表示",
        )
    if i.level1 == SATISFACTION_LEVEL1 and not _about_satisfaction(row, out.rules):
        out.row(
            "P03",
            row,
            f"「{i.level3}」（{display_text(i.target_text)}）列在满意度指标下，但与服务对象满意度无关",
            advice="移到相应的产出或效益指标下",
        )


def _money(row: Row, out: Collector) -> None:
    i, t, budget = row.indicator, row.target, row.project.total_funds
    if t.unit != MONEY or not budget:
        return
    amount = t.high if t.kind is TargetKind.RANGE else t.value
    if amount is None:
        return
    cost = i.level1 == COST_LEVEL1 or i.level2 == COST_LEVEL1
    ceiling = t.kind is TargetKind.RANGE or t.op in (Op.LE, Op.LT, Op.EQ)
    if (cost or ceiling) and amount > budget:
        out.row(
            "C01",
            row,
            f"「{i.level3}」的指标值「{display_text(i.target_text)}」（{format_amount(amount)}元）"
            f"超过项目年度资金总额 {format_amount(budget)}元",
            advice="核对金额单位（元／万元）或指标值",
        )
