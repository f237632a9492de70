"""Real published 自评表 from tests/corpus/se_* as the records the table reader gives, for audit tests.

Each fixture's meta.toml holds the rows as read by hand from the published table (target, actual,
分值, 得分, 偏差原因, the budget block and totals); building the records from it lets the audit be
checked on real tables independently of the reader of the raw source.txt.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from evaluator.models import Declarations, Indicator, Project, PublishedTotals, SourceRef

CORPUS = Path(__file__).resolve().parent / "corpus"


def corpus_ids() -> list[str]:
    out = []
    for meta in sorted(CORPUS.glob("se_*/meta.toml")):
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
        if data.get("readable") and any(p.get("rows") for p in data.get("projects", ())):
            out.append(data["id"])
    return out


def _split_target(row: dict) -> str:
    """A target published in three cells (指标性质 | 指标值 | 度量单位), as one text: ≥ 100 % → ≥100%."""
    return f"{row.get('target_op', '')}{row.get('target_value', '')}{row.get('target_unit', '')}"


def corpus_declarations(fixture: str) -> Declarations:
    data = tomllib.loads((CORPUS / fixture / "meta.toml").read_text(encoding="utf-8"))
    file = f"{fixture}/source.txt"
    projects = []
    for p in data["projects"]:
        scale = 10_000 if p.get("money_unit", "元") == "万元" else 1
        money = lambda key, p=p, scale=scale: None if p.get(key) is None else p[key] * scale  # noqa: E731
        rows = tuple(
            Indicator(
                level1=r.get("level1", ""),
                level2=r.get("level2", ""),
                level3=r["level3"],
                target_text=r.get("target") or _split_target(r),
                weight=r.get("weight"),
                source=SourceRef(file, row=k),
                published_actual=r.get("actual", ""),
                published_score=r.get("score"),
                deviation_reason=r.get("reason", ""),
                sub_row=bool(r.get("sub_row")),
            )
            for k, r in enumerate(p.get("rows", ()), start=1)
        )
        published = PublishedTotals(
            initial_budget=money("budget_initial"),
            full_year_budget=money("budget_total"),
            executed=money("budget_executed"),
            budget_weight=p.get("budget_weight"),
            budget_rate=p.get("budget_rate"),
            budget_score=p.get("budget_score"),
            total_weight=p.get("total_weight"),
            total_score=p.get("total_score"),
            grade=p.get("grade", ""),
        )
        projects.append(
            Project(
                name=p["name"],
                department=p.get("department", ""),
                implementer=p.get("unit", ""),
                indicators=rows,
                year=data.get("year"),
                source=SourceRef(file),
                published=published,
            )
        )
    return Declarations(tuple(projects), source_file=file)
