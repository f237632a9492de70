"""A filled 项目支出绩效自评表 in place of the two workbooks: its targets, actuals and budget as records.

A unit that already filled in the official 自评表 (in any format the layout reader accepts) should
not have to copy it into the targets and actuals workbooks. The same table gives the declared
targets (Declarations, with what it publishes kept on the records for the audit) and the year-end
actuals and budget (Actuals, as actuals_workbook builds them), so that `evaluator score FILLED`
re-scores a published table by the engine's rules. 其中 sub-rows and numbered parent rows (scored
through their parts) are shown in the table but never scored, so they stay out of what is scored.
"""

from __future__ import annotations

from pathlib import Path

from evaluator.config.taxonomy import Taxonomy
from evaluator.errors import InputError
from evaluator.ingest.declarations import TABLE_SUFFIXES, read_declarations, scorable
from evaluator.models import ActualRow, Actuals, BudgetRow, Declarations, Project, Repair, SourceRef


def actuals_of(decl: Declarations) -> Actuals:
    """The published 实际完成值 and budget block of every project, as the scorer's Actuals."""
    rows: list[ActualRow] = []
    budgets: list[BudgetRow] = []
    for project in decl.projects:
        for indicator in project.indicators:
            if not indicator.scored or not (indicator.published_actual or "").strip():
                continue  # an empty 实际完成值 (or （未填报）) is no actual: the row stays not reported
            rows.append(
                ActualRow(
                    project=project.name,
                    level1=indicator.level1,
                    level2=indicator.level2,
                    level3=indicator.level3,
                    actual_text=indicator.published_actual,
                    deviation_reason=indicator.deviation_reason,
                    source=indicator.source,
                )
            )
        published = project.published
        if published is not None and (published.full_year_budget is not None or published.executed is not None):
            budgets.append(
                BudgetRow(
                    project=project.name,
                    initial_budget=published.initial_budget,
                    adjusted_budget=published.full_year_budget,
                    executed=published.executed,
                    source=project.source,
                )
            )
    return Actuals(rows=tuple(rows), budgets=tuple(budgets), source_file=decl.source_file)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES - {""})
        found = [p for p in found if not p.name.startswith(("~$", "."))]
        if not found:
            raise InputError("目录中没有可读取的自评表文件（xlsx/xls/docx/pdf/csv/html/txt）", SourceRef(path.name))
        return found
    return [path]


def read_self_evaluations(path: Path, taxonomy: Taxonomy | None = None) -> tuple[Declarations, Actuals]:
    """One filled 自评表 file, or a folder of them → (targets to score, published actuals and budgets)."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", SourceRef(path.name), str(path))
    projects: list[Project] = []
    repairs: list[Repair] = []
    for file in _files(path):
        decl = read_declarations(file, taxonomy)
        repairs.extend(decl.repairs)
        filled = [p for p in decl.projects if p.published is not None]
        if not filled:
            raise InputError(
                "这不是填好的项目支出绩效自评表（没有实际完成值、得分或预算执行数），"
                "请同时给出目标文件和实际完成值工作簿：evaluator score TARGETS ACTUALS",
                SourceRef(file.name),
            )
        projects.extend(filled)
    decl = scorable(Declarations(projects=tuple(projects), repairs=tuple(repairs), source_file=str(path)))
    return decl, actuals_of(decl)
