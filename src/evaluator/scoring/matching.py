"""Pair each year-end actual row with the declared indicator it reports on — and lose none.

Names travel through PDFs, Word and a person's keyboard before they come back in the actuals
workbook, so they are compared on a normalised key (width, spaces, quotes and punctuation removed).
A third-level name that repeats within a project is told apart by its 二级/一级 names, and then by
order. Every row that ends up matching nothing is kept in `unmatched` with its reason; every
liberty taken (a near-miss name, a duplicate) is a Repair the user sees.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from evaluator.common.text import name_key
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Project, Repair, SourceRef

# A near-miss name is accepted only when it is very close (difflib ratio on normalised keys) or when one
# name contains the other (an added 项目 / （人）); one changed character in a short name (人次 → 场次,
# 满意度 → 满意率) can be a different indicator, so it is listed as unmatched rather than guessed.
FUZZY_THRESHOLD = 0.9
CONTAINED_SCORE = 0.95
CONTAINED_MIN_SHARE = 0.6  # the shorter name must be at least this share of the longer
FUZZY_MARGIN = 0.05
_POINTS_LABEL = re.compile(r"\d+(?:\.\d+)?分$")


@dataclass(frozen=True)
class MatchResult:
    rows: dict[tuple[int, int], ActualRow]  # (project index, indicator index) → the actual row used
    budgets: dict[int, BudgetRow]  # project index → its budget row
    unmatched: tuple[ActualRow, ...] = ()  # actual rows that match no target, in sheet order
    unmatched_reasons: tuple[str, ...] = ()  # Chinese, aligned with `unmatched`
    unmatched_budgets: tuple[BudgetRow, ...] = ()
    repairs: tuple[Repair, ...] = field(default=())

    def unmatched_with_reasons(self) -> tuple[tuple[ActualRow, str], ...]:
        return tuple(zip(self.unmatched, self.unmatched_reasons, strict=True))


@lru_cache(maxsize=1 << 14)
def _level_key(text: str) -> str:
    """Level names also drop a points label and a trailing 指标: '产出指标（50分）' ≈ '产出'.

    Cached: called for every row and candidate on a few dozen distinct level names.
    """
    key = _POINTS_LABEL.sub("", name_key(text))
    return key.removesuffix("指标")


def _where(source: SourceRef | None) -> str:
    return source.describe() if source is not None else "实际完成表"


def _closeness(key: str, other: str) -> float:
    ratio = difflib.SequenceMatcher(None, key, other).ratio()
    short, long = sorted((key, other), key=len)
    if len(short) >= 4 and short in long and len(short) >= CONTAINED_MIN_SHARE * len(long):
        return max(ratio, CONTAINED_SCORE)
    return ratio


def _best_fuzzy(key: str, candidates: Sequence[tuple[int, str]]) -> int | None:
    """The index whose key is clearly the closest, or None when nothing is close or it is a tie."""
    if not key:
        return None
    scored = sorted(((_closeness(key, other), index) for index, other in candidates if other), reverse=True)
    if not scored or scored[0][0] < FUZZY_THRESHOLD:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < FUZZY_MARGIN:
        return None
    return scored[0][1]


class _ProjectIndex:
    """Project names → indices, exact on the key first, then a clear near-miss."""

    def __init__(self, projects: Sequence[Project]) -> None:
        self.projects = projects
        self.by_key: dict[str, int] = {}
        self.keys = [(index, name_key(p.name)) for index, p in enumerate(projects)]
        for index, key in self.keys:
            self.by_key.setdefault(key, index)
        # Answers per name as written, starting with the declared names themselves. A portfolio of
        # 100,000 projects has more distinct names than name_key's shared cache holds, so without
        # this every row of the actuals sheet (ten per project) recomputed its key, and evicted the
        # indicator names' keys on the way.
        self._found: dict[str, tuple[int | None, bool]] = {
            p.name: (self.by_key[key], False) for p, (_, key) in zip(projects, self.keys, strict=True)
        }

    def find(self, name: str) -> tuple[int | None, bool]:
        """→ (index, fuzzy?)"""
        found = self._found.get(name)
        if found is None:
            key = name_key(name)
            if key in self.by_key:
                found = (self.by_key[key], False)
            else:
                index = _best_fuzzy(key, self.keys)
                found = (index, index is not None)
            self._found[name] = found
        return found


def _narrow(candidates: list[int], wanted: str, level_of: Callable[[int], str]) -> list[int]:
    """Keep candidates whose level name matches — unless that would leave none (the level text is messy)."""
    if not wanted:
        return candidates
    kept = [c for c in candidates if _level_key(level_of(c)) == wanted]
    return kept or candidates


def match_actuals(decl: Declarations, actuals: Actuals) -> MatchResult:
    """Assign actual rows and budget rows to declared indicators and projects; pure."""
    projects = _ProjectIndex(decl.projects)
    repairs: list[Repair] = []
    matched: dict[tuple[int, int], ActualRow] = {}
    unmatched: dict[int, str] = {}  # position in actuals.rows → reason
    noted: set[tuple[str, str]] = set()

    def note(source: SourceRef | None, found: str, decision: str, kind: str = "repair") -> None:
        if (found, decision) in noted:
            return
        noted.add((found, decision))
        repairs.append(Repair(source or SourceRef(actuals.source_file or "实际完成表"), found, decision, kind))

    # Resolve each row's project first.
    pending: list[tuple[int, int, ActualRow]] = []  # (row position, project index, row)
    for position, row in enumerate(actuals.rows):
        if not row.project.strip():
            unmatched[position] = "缺少项目名称"
            continue
        p_index, fuzzy = projects.find(row.project)
        if p_index is None:
            unmatched[position] = f"申报表中没有名为「{row.project}」的项目"
            continue
        declared = decl.projects[p_index].name
        if fuzzy:
            note(row.source, row.project, f"项目名称与申报表不完全一致，按近似名称对应到「{declared}」")
        if not row.level3.strip():
            unmatched[position] = "缺少三级指标名称"
            continue
        pending.append((position, p_index, row))

    by_level3: dict[int, dict[str, list[int]]] = {}
    level3_keys: dict[str, str] = {}  # a few hundred distinct indicator names over a million rows

    def level3_key(text: str) -> str:
        key = level3_keys.get(text)
        if key is None:
            key = level3_keys[text] = name_key(text)
        return key

    def level3_index(p_index: int) -> dict[str, list[int]]:
        """Third-level keys → indicator positions, built once per project (not once per row)."""
        index = by_level3.get(p_index)
        if index is None:
            index = by_level3[p_index] = {}
            for i, ind in enumerate(decl.projects[p_index].indicators):
                key = level3_key(ind.level3)
                found = index.get(key)
                if found is None:
                    index[key] = [i]
                else:
                    found.append(i)
        return index

    # Pass 1: exact (normalised) third-level names, narrowed by 二级 then 一级, then by order.
    leftovers: list[tuple[int, int, ActualRow]] = []
    first_user: dict[tuple[int, int], ActualRow] = {}
    for position, p_index, row in pending:
        indicators = decl.projects[p_index].indicators
        index = by_level3.get(p_index)
        if index is None:
            index = level3_index(p_index)
        key3 = level3_keys.get(row.level3)
        if key3 is None:
            key3 = level3_key(row.level3)
        candidates = index.get(key3, [])
        if len(candidates) == 1:  # the equi-join case: narrowing one candidate always keeps it
            key = (p_index, candidates[0])
            if key not in matched:
                matched[key] = first_user[key] = row
                continue
        if not candidates:
            leftovers.append((position, p_index, row))
            continue
        narrowed = _narrow(candidates, _level_key(row.level2), lambda i, ind=indicators: ind[i].level2)
        narrowed = _narrow(narrowed, _level_key(row.level1), lambda i, ind=indicators: ind[i].level1)
        free = [i for i in narrowed if (p_index, i) not in matched]
        if not free:
            taken = first_user[(p_index, narrowed[0])]
            unmatched[position] = (
                f"与{_where(taken.source)}重复：同一指标「{indicators[narrowed[0]].level3}」已有实际完成值，本行未使用"
            )
            continue
        chosen = free[0]
        if len(narrowed) > 1:
            note(
                row.source,
                row.level3,
                f"三级指标「{indicators[chosen].level3}」在项目中出现{len(narrowed)}次且一级、二级指标相同，按行序对应",
            )
        matched[(p_index, chosen)] = row
        first_user[(p_index, chosen)] = row

    # Pass 2: near-miss third-level names, only against targets still without an actual.
    for position, p_index, row in leftovers:
        indicators = decl.projects[p_index].indicators
        free = [(i, name_key(ind.level3)) for i, ind in enumerate(indicators) if (p_index, i) not in matched]
        chosen = _best_fuzzy(name_key(row.level3), free)
        if chosen is None:
            unmatched[position] = f"项目「{decl.projects[p_index].name}」中没有三级指标「{row.level3}」"
            continue
        note(row.source, row.level3, f"三级指标名称与申报表不完全一致，按近似名称对应到「{indicators[chosen].level3}」")
        matched[(p_index, chosen)] = row

    unmatched_rows = tuple(actuals.rows[p] for p in sorted(unmatched))
    reasons = tuple(unmatched[p] for p in sorted(unmatched))
    for row, reason in zip(unmatched_rows, reasons, strict=True):
        repairs.append(
            Repair(
                row.source or SourceRef(actuals.source_file or "实际完成表"),
                f"{row.project} / {row.level3} / {row.actual_text}",
                f"{reason}；该行未参与评分，已列入未匹配清单",
                kind="unplaced",
            )
        )

    budgets, unmatched_budgets = _match_budgets(projects, decl, actuals.budgets, repairs)
    return MatchResult(
        rows=matched,
        budgets=budgets,
        unmatched=unmatched_rows,
        unmatched_reasons=reasons,
        unmatched_budgets=unmatched_budgets,
        repairs=tuple(repairs),
    )


def _match_budgets(
    projects: _ProjectIndex, decl: Declarations, rows: Sequence[BudgetRow], repairs: list[Repair]
) -> tuple[dict[int, BudgetRow], tuple[BudgetRow, ...]]:
    budgets: dict[int, BudgetRow] = {}
    left: list[BudgetRow] = []
    for row in rows:
        source = row.source or SourceRef("预算执行表")
        p_index, fuzzy = projects.find(row.project) if row.project.strip() else (None, False)
        if p_index is None:
            reason = "缺少项目名称" if not row.project.strip() else f"申报表中没有名为「{row.project}」的项目"
            repairs.append(Repair(source, row.project, f"预算执行行{reason}，未使用", kind="unplaced"))
            left.append(row)
            continue
        declared = decl.projects[p_index].name
        if p_index in budgets:
            earlier = budgets[p_index].source
            repairs.append(
                Repair(
                    source,
                    row.project,
                    f"项目「{declared}」的预算执行数已在{_where(earlier)}填写，本行重复，未使用",
                    kind="unplaced",
                )
            )
            left.append(row)
            continue
        if fuzzy:
            repairs.append(Repair(source, row.project, f"项目名称与申报表不完全一致，按近似名称对应到「{declared}」"))
        budgets[p_index] = row
    return budgets, tuple(left)
