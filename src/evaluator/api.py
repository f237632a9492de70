"""A small public API for notebooks: score a targets + actuals pair, get tables back.

from evaluator.api import score
result = score("targets.txt", "actuals.xlsx", rules="mof2020")
result.projects   # DataFrame, one row per project
result.scores     # DataFrame, one row per third-level indicator, with 计算过程
result.run        # the typed RunResult
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from evaluator.common.collector import collector_paused, release_cycles
from evaluator.config.profiles import Profile, load_profile
from evaluator.models import Actuals, Declarations, RunResult
from evaluator.reports.tables import projects_frame, scores_frame, unmatched_frame


@dataclass(frozen=True)
class Evaluation:
    run: RunResult
    declarations: Declarations
    actuals: Actuals
    profile: Profile

    @cached_property
    def scores(self) -> pd.DataFrame:
        return scores_frame(self.run)

    @cached_property
    def projects(self) -> pd.DataFrame:
        return projects_frame(self.run)

    @cached_property
    def unmatched(self) -> pd.DataFrame:
        return unmatched_frame(self.run)


Stage = Callable[[str], None]
"""Told the name of each stage as it starts ("读取目标", "读取实际完成值", "评分"): for a progress display."""


def _no_stage(_name: str) -> None:
    pass


def load_inputs(
    targets: str | Path | Declarations, actuals: str | Path | Actuals, *, stage: Stage = _no_stage
) -> tuple[Declarations, Actuals]:
    from evaluator.ingest.actuals_workbook import read_actuals_workbook
    from evaluator.ingest.declarations import read_declarations, scorable, without_unscored_rows

    with collector_paused():
        stage("读取目标")
        read = targets if isinstance(targets, Declarations) else read_declarations(Path(targets))
        release_cycles()  # the workbook just read is cyclic garbage now
        stage("读取实际完成值")
        acts = actuals if isinstance(actuals, Actuals) else read_actuals_workbook(Path(actuals))
        release_cycles()
    # 其中 sub-rows and numbered parent rows (a table read by layout) are shown, never scored
    return scorable(read), without_unscored_rows(read, acts)


def score(
    targets: str | Path | Declarations,
    actuals: str | Path | Actuals,
    rules: str | Path | Profile | None = None,
    *,
    stage: Stage = _no_stage,
) -> Evaluation:
    """Score every project; `rules` is a bundled profile name, a TOML path, a Profile or None (mof2020)."""
    from evaluator.pipeline import evaluate

    with collector_paused():  # see evaluator.common.collector: the collector was a third of a large run
        decl, acts = load_inputs(targets, actuals, stage=stage)
        profile = _profile(rules)
        stage("评分")
        return Evaluation(evaluate(decl, acts, profile), decl, acts, profile)


def score_in_parts(
    targets: str | Path | Declarations,
    actuals: str | Path | Actuals,
    rules: str | Path | Profile | None = None,
    *,
    part_rows: int | None = None,
    stage: Stage = _no_stage,
) -> Iterator[RunResult]:
    """Read both inputs now; the iterator returned scores a part of whole projects per step.

    For a portfolio too large to hold every row's result at once (pipeline.evaluate_in_parts):
    write each part and drop it before asking for the next. The iterator holds the inputs until
    it is exhausted or dropped; `pipeline.join_parts` of all parts equals `score(...).run`.
    """
    from evaluator.pipeline import DEFAULT_PART_ROWS, evaluate_in_parts

    with collector_paused():
        decl, acts = load_inputs(targets, actuals, stage=stage)
        profile = _profile(rules)
    stage("评分")
    size = DEFAULT_PART_ROWS if part_rows is None else part_rows
    return evaluate_in_parts(decl, acts, profile, part_rows=size)


def _profile(rules: str | Path | Profile | None) -> Profile:
    return rules if isinstance(rules, Profile) else load_profile(None if rules is None else str(rules))
