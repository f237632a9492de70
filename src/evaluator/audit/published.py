"""A filled 自评表's own 实际完成值 and budget block as the engine's Actuals records.

The reader of filled tables puts what a table publishes on the declaration records
(Indicator.published_actual, deviation_reason; Project.published). Scoring reads Actuals, so the
audit hands the same figures over in that shape: one ActualRow per scored indicator, in
declaration order, and the budget block as the project's BudgetRow.
"""

from __future__ import annotations

from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations


def published_actuals(decl: Declarations) -> Actuals:
    """One ActualRow per indicator (sub-rows excluded) and one BudgetRow per project with a budget block."""
    rows: list[ActualRow] = []
    budgets: list[BudgetRow] = []
    for project in decl.projects:
        for ind in project.indicators:
            if ind.sub_row:
                continue
            rows.append(
                ActualRow(
                    project=project.name,
                    level1=ind.level1,
                    level2=ind.level2,
                    level3=ind.level3,
                    actual_text=ind.published_actual or "",
                    deviation_reason=ind.deviation_reason,
                    source=ind.source,
                )
            )
        pub = project.published
        if pub is not None and (pub.full_year_budget is not None or pub.executed is not None):
            budgets.append(
                BudgetRow(project.name, pub.initial_budget, pub.full_year_budget, pub.executed, source=project.source)
            )
    return Actuals(rows=tuple(rows), budgets=tuple(budgets), source_file=decl.source_file)
