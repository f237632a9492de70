"""A declared indicator's 年度指标值 as the scorer reads it, with its row and year.

The scorer and the parse report must say the same thing about every target: one place decides
which year a project's dates are read in and which row context (成本指标, a unit in the indicator
name, an empty target with a figure in the name) the target is read with.
"""

from __future__ import annotations

from evaluator.grammar.targets import read_in_context
from evaluator.models import Declarations, Indicator, Project, Target


def run_year(decl: Declarations) -> int | None:
    """The evaluation year: the one most forms declare (deadline targets need it)."""
    years = [p.year for p in decl.projects if p.year]
    if not years:
        years = [p.end_date.year for p in decl.projects if p.end_date]
    return max(set(years), key=years.count) if years else None


def project_year(project: Project, default_year: int | None) -> int | None:
    """The year a project's dates without a year (11月30日) are read in."""
    return project.year or (project.end_date.year if project.end_date else default_year)


def indicator_target(indicator: Indicator, year: int | None, cost_default_op: str = "le") -> Target:
    """The target of one declared row, read with its row (cost ceiling, unit or figure in the name)."""
    return read_in_context(
        indicator.target_text,
        year,
        indicator.level1,
        indicator.level2,
        indicator.level3,
        cost_default_op,
    )
