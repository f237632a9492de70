"""What each row asks of the numeric core, and what the core answers.

A row is planned once (its mode — higher is better, range, deadline, tier share … — and the numbers
the mode needs), then every row of every project is scored at once over numpy columns. The plan
and the core's answer are shared by the calculation text, the flags and the roll-up, which is why
they live apart from the code that makes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from evaluator.models import (
    Flag,
    Tier,
)

NOT_APPLICABLE = "not_applicable"  # the not-scored code of a 无 / 不适用 row

# Row modes of the numeric core.
M_NONE, M_HIGHER, M_LOWER, M_ALL_OR_NOTHING, M_RANGE, M_DEADLINE, M_SHARE, M_POINTS = range(8)

EPS = 1e-9


@dataclass
class Plan:
    mode: int = M_NONE
    a: float = math.nan
    t: float = math.nan
    low: float = -math.inf
    high: float = math.inf
    days: float = 0.0
    share: float = math.nan  # M_SHARE
    points: float = math.nan  # M_POINTS
    met: bool = False  # M_ALL_OR_NOTHING
    tier: Tier | None = None
    tier_source: str = ""
    strict: bool = False
    reason: str = ""  # not scored: why
    not_scored_code: str = ""  # missing_actual | needs_judgment | unit_mismatch | points_out_of_band | ...
    extra: list[Flag] = field(default_factory=list)


@dataclass
class Core:
    score: np.ndarray
    completion: np.ndarray
    over: np.ndarray  # over-achievement flag
    deducted: np.ndarray  # deviation deduction applied
    capped_lower: np.ndarray  # lower-is-better at ≥ 2t (linear_to_zero reaches 0)
