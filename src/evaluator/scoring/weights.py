"""Weights in integer cents: each first-level category's points split over its rows.

Splitting by largest remainder keeps every subtotal equal to the sum of the row weights under it,
to the cent, whatever the number of rows; given 分值 are kept, the rest share what is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evaluator.common.numbers import largest_remainder, round_half_up
from evaluator.config.profiles import Profile
from evaluator.models import (
    RowInput,
    TargetKind,
)
from evaluator.scoring.explanation import pts

COST = "成本指标"
OUTPUT = "产出指标"


def _cents(value: float) -> int:
    return round(round_half_up(value, 2) * 100)


@dataclass
class Weights:
    cents: list[int]
    given: list[bool]
    category_cents: dict[str, int]  # points available per present or missing first-level category
    missing: list[tuple[str, int]]  # (level1, cents) of configured categories without rows
    notes: list[str] = field(default_factory=list)


def _allocate(level1s: list[str], level2s: list[str], given: list[float | None], profile: Profile) -> Weights:
    counts = {name: level1s.count(name) for name in dict.fromkeys(level1s)}
    category = {name: _cents(profile.level1_points(name)) for name in profile.points.by_level1()}
    notes: list[str] = []
    if counts.get(COST):
        policy = profile.policies.cost_points
        if policy == "proportional":
            cost, output = largest_remainder(category[OUTPUT], [counts[COST], counts.get(OUTPUT, 0)])
        else:
            cost = _cents(float(policy))
            output = category[OUTPUT] - cost
        category = {COST: cost, **category, OUTPUT: output}
    cents = [0] * len(level1s)
    is_given = [w is not None for w in given]
    for name in counts:
        members = [i for i, l1 in enumerate(level1s) if l1 == name]
        fixed = sum(_cents(given[i]) for i in members if given[i] is not None)  # type: ignore[arg-type]
        for i in members:
            if given[i] is not None:
                cents[i] = _cents(given[i])  # type: ignore[arg-type]
        free = [i for i in members if given[i] is None]
        if not free:
            continue
        pool = category.get(name, 0) - fixed
        if pool < 0:
            notes.append(
                f"{name}已给定的分值合计 {pts(fixed / 100)} 超过该类分值 {pts(category.get(name, 0) / 100)}，"
                f"未给分值的指标按0分计"
            )
            pool = 0
        if profile.policies.allocation == "equal_branch":
            groups = list(dict.fromkeys(level2s[i] for i in free))
            group_cents = largest_remainder(pool, [1] * len(groups))
            for group, gc in zip(groups, group_cents, strict=True):
                in_group = [i for i in free if level2s[i] == group]
                for i, c in zip(in_group, largest_remainder(gc, [1] * len(in_group)), strict=True):
                    cents[i] = c
        else:
            for i, c in zip(free, largest_remainder(pool, [1] * len(free)), strict=True):
                cents[i] = c
    missing = [(name, c) for name, c in category.items() if name not in counts and c > 0]
    return Weights(cents, is_given, category, missing, notes)


def allocate_applicable(rows: Sequence[RowInput], level1s: list[str], profile: Profile) -> Weights:
    """Weights over the rows that apply; a 无 / 不适用 row gets none, so its category's points go to
    the rest, and a category left with no applicable row is a missing category (policy)."""
    applicable = [i for i, r in enumerate(rows) if r.target.kind != TargetKind.NOT_APPLICABLE]
    sub = _allocate(
        [level1s[i] for i in applicable],
        [rows[i].indicator.level2 for i in applicable],
        [rows[i].indicator.weight for i in applicable],
        profile,
    )
    cents, given = [0] * len(rows), [False] * len(rows)
    for k, i in enumerate(applicable):
        cents[i], given[i] = sub.cents[k], sub.given[k]
    return Weights(cents, given, sub.category_cents, sub.missing, sub.notes)
