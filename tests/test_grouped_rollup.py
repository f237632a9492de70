"""The portfolio-wide subtotals (rollup.level_sums) and the remembered number texts give what the
per-project roll-up and the plain formatters give (issue 15: scoring in array passes).

`evaluate()` itself is compared on both scoring paths in tests/test_columnar.py (the sample, every
corpus table, generated portfolios); here the helpers are driven directly on random portfolios,
including the cases a generated portfolio rarely has: 一级 names outside the taxonomy (rank ties),
a 二级 name under two 一级s, projects with no rows or with only 不适用 rows.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from evaluator.common import numbers
from evaluator.config.profiles import load_profile
from evaluator.config.taxonomy import default_taxonomy
from evaluator.models import Project, ProjectInput, RowStatus, ScoredRow
from evaluator.scoring.budget import score_budgets
from evaluator.scoring.columnar import _case_numbers
from evaluator.scoring.rollup import level_scores, level_sums, roll_up, roll_up_from_levels
from evaluator.scoring.weights import Weights

_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "满意度指标", "其他")


def _portfolio(rng: random.Random) -> list[list[tuple[str, str, RowStatus, int, int]]]:
    """Projects as rows of (一级, 二级, status, 分值 cents, 得分 cents), in declaration order."""
    level1 = [*default_taxonomy().level1_order, "自定义一级", "另一个一级"]
    projects = []
    for _ in range(rng.randint(1, 40)):
        rows = []
        for _ in range(rng.choice([0, 1, 2, 5, 9, 14])):
            status = rng.choices(list(RowStatus), weights=[8, 2, 1])[0]
            weight = 0 if status is RowStatus.NOT_APPLICABLE else rng.randint(0, 3000)
            score = rng.randint(0, weight) if status is RowStatus.SCORED else 0
            rows.append((rng.choice(level1), rng.choice(_LEVEL2), status, weight, score))
        projects.append(rows)
    return projects


def _scored_row(level1: str, level2: str, status: RowStatus, w: int, s: int) -> ScoredRow:
    return ScoredRow("项目", level1, level2, "指标", "", "", w / 100, s / 100, status, "")


@pytest.mark.parametrize("seed", range(30))
def test_level_sums_give_roll_up_levels_and_records(seed: int) -> None:
    rng = random.Random(seed)
    portfolio = _portfolio(rng)
    profile, taxonomy = load_profile(None), default_taxonomy()
    group_of: dict[tuple[str, str], int] = {}
    for rows in portfolio:
        for level1, level2, *_ in rows:
            group_of.setdefault((level1, level2), len(group_of))
    group_names = list(group_of)
    level1_names = list(dict.fromkeys(pair[0] for pair in group_names))
    flat = [row for rows in portfolio for row in rows]
    sums = level_sums(
        np.array([len(rows) for rows in portfolio], dtype=np.int64),
        np.array([group_of[(r[0], r[1])] for r in flat], dtype=np.int64),
        np.array([level1_names.index(pair[0]) for pair in group_names], dtype=np.int64),
        np.array([taxonomy.level1_rank(name) for name in level1_names], dtype=np.int64),
        np.array([r[3] for r in flat], dtype=np.int64),
        np.array([r[4] for r in flat], dtype=np.int64),
        np.array([r[2] is not RowStatus.NOT_APPLICABLE for r in flat], dtype=bool),
    )
    assert len(sums) == len(portfolio)
    budget = score_budgets([None], profile)[0]
    for rows, project_sums in zip(portfolio, sums, strict=True):
        scored = [_scored_row(*r) for r in rows]
        w_cents, s_cents = [r[3] for r in rows], [r[4] for r in rows]
        alloc = Weights(w_cents, [False] * len(rows), {}, [], [])
        project = ProjectInput(Project("项目"), (), None)
        expected = roll_up(
            project, scored, w_cents, np.array(s_cents, dtype=np.int64), alloc, budget, profile, taxonomy
        )
        levels = level_scores(project_sums, level1_names, group_names)
        assert tuple(levels) == expected.levels
        assert project_sums[2] == sum(s_cents)
        not_applicable = [r for r in scored if r.status is RowStatus.NOT_APPLICABLE]
        not_scored = sum(r.status is RowStatus.NOT_SCORED for r in scored)
        got = roll_up_from_levels(
            project, scored, w_cents, project_sums[2], levels, not_applicable, not_scored, 0, alloc, budget, profile
        )
        assert got == expected


def test_level_sums_of_no_rows() -> None:
    empty = np.array([], dtype=np.int64)
    sums = level_sums(np.array([0, 0], dtype=np.int64), empty, empty, empty, empty, empty, np.array([], dtype=bool))
    assert sums == [([], [], 0), ([], [], 0)]


def _values(rng: random.Random) -> list[float]:
    fixed = [0.0, -0.0, 0.125, 2.675, -2.675, 1e15, -1e15, 1e-9, math.inf, -math.inf, 0.98125, 1.005, 123456.785]
    drawn = [rng.uniform(-1e6, 1e6) for _ in range(300)] + [round(rng.uniform(0, 200), 3) for _ in range(300)]
    drawn += [rng.randint(0, 10_000) / 100 for _ in range(300)] + [rng.uniform(0, 3) for _ in range(300)]
    return fixed + drawn


def test_remembered_number_texts_equal_the_plain_formatters() -> None:
    rng = random.Random(7)
    for value in _values(rng) * 2:  # the second pass reads the memo
        assert numbers.format_number(value) == numbers._format_number(value, 4), value
        assert numbers.format_amount(value, 2) == numbers._format_amount(value, 2), value
        for trim in (False, True):
            assert numbers.format_percent(value, trim=trim) == numbers._format_percent(value, 2, trim), value
    assert numbers.format_amount(-0.0) == "-0.00" and numbers.format_amount(0.0) == "0.00"
    assert numbers.format_percent(math.nan) == "—"
    assert numbers.format_number(math.nan) == "nan"


def test_memo_is_emptied_at_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(numbers, "_MEMO_LIMIT", 8)
    monkeypatch.setattr(numbers, "_NUMBER_4", {})
    for k in range(1, 30):
        assert numbers.format_number(k + 0.5) == f"{k}.5"
        assert len(numbers._NUMBER_4) <= 8


def test_case_numbers_packed_and_unpacked_agree() -> None:
    """The packed int64 key and the 2-D fallback number the cases alike (both sort the same way)."""
    rng = np.random.default_rng(3)
    entry = rng.integers(0, 50, 2000)
    w_cents = rng.choice([0, 625, 833, 834, 1000], 2000)
    s_cents = np.minimum(rng.integers(0, 1000, 2000), w_cents)
    deducted = rng.random(2000) < 0.1
    packed = _case_numbers(entry, 50, w_cents, s_cents, deducted)
    fallback = _case_numbers(entry, 1 << 22, w_cents, s_cents, deducted)  # too many entries to pack
    assert packed == fallback
    keys = list(zip(entry.tolist(), w_cents.tolist(), s_cents.tolist(), deducted.tolist(), strict=True))
    assert len(set(packed)) == len(set(keys))
    assert all((packed[i] == packed[j]) == (keys[i] == keys[j]) for i in range(0, 2000, 7) for j in range(0, 2000, 13))
    assert _case_numbers(np.array([], dtype=np.int64), 0, entry[:0], s_cents[:0], deducted[:0]) == []


def test_fold_key_punctuation_table_drops_what_the_category_test_drops() -> None:
    """fold_key(punctuation=True) folds through a translate table; it keeps exactly what a
    per-character test (white space, Unicode P* / Z* categories) keeps, over the whole BMP."""
    import unicodedata

    from evaluator.common.text import fold_key, name_key

    text = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    folded = unicodedata.normalize("NFKC", text)
    expected = "".join(ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "Z")))
    assert fold_key(text, punctuation=True) == expected
    assert name_key("“五一”专项，工作 （甲）Ａ") == "五一专项工作甲a"
