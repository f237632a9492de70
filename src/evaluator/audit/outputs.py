"""The audit as data: findings.csv (UTF-8 with BOM, so Excel opens it in Chinese), audit.json, the terminal lines.

One row per finding, project-level findings with the indicator columns empty, so a reviewer can
filter by 严重程度 or code in a spreadsheet; audit.json carries the same findings plus each
project's totals for other programs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from evaluator.audit.model import SEVERITY_ORDER, AuditResult, Finding, ProjectAudit
from evaluator.common.files import write_text_atomically
from evaluator.common.numbers import round_half_up
from evaluator.reports.view import LEVEL_HEADERS

CSV_NAME = "findings.csv"
JSON_NAME = "audit.json"
WORKBOOK_NAME = "复核底稿.xlsx"
DOCX_NAME = "复核报告.docx"
HTML_NAME = "复核报告.html"

FINDING_COLUMNS = (
    "文件",
    "项目名称",
    *LEVEL_HEADERS,
    "code",
    "问题",
    "严重程度",
    "自评值",
    "复核值",
    "差异",
    "依据",
    "说明",
)


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round_half_up(value, digits)


def finding_record(f: Finding) -> dict[str, object]:
    return dict(
        zip(
            FINDING_COLUMNS,
            (
                f.file,
                f.project,
                f.level1,
                f.level2,
                f.level3,
                f.code,
                f.label,
                f.severity,
                f.published,
                f.recomputed,
                _num(f.difference),
                f.basis,
                f.note,
            ),
            strict=True,
        )
    )


def findings_frame(result: AuditResult) -> pd.DataFrame:
    return pd.DataFrame([finding_record(f) for f in result.findings], columns=list(FINDING_COLUMNS))


def write_findings_csv(result: AuditResult, path: Path) -> Path:
    text = findings_frame(result).to_csv(index=False, lineterminator="\n")
    write_text_atomically(path, "\ufeff" + text)  # the BOM tells Excel the file is UTF-8
    return path


def _project_json(p: ProjectAudit) -> dict[str, object]:
    return {
        "file": p.file,
        "project": p.project.name,
        "published_total": p.published_total,
        "review_total": p.review_total,
        "difference": p.difference,
        "deviation": _num(p.deviation, 4),
        "published_grade": (p.project.published.grade if p.project.published else "") or None,
        "review_grade": p.review_grade,
        "weight_sum": p.weight_sum,
        "budget_weight": p.budget_weight,
        "budget_review": p.budget_review,
        "complete": p.complete,
        "counts": {s: p.count(s) for s in SEVERITY_ORDER},
        "notes": list(p.notes),
        "rows": [
            {
                "level1": r.indicator.level1,
                "level2": r.indicator.level2,
                "level3": r.indicator.level3,
                "target": r.indicator.target_text,
                "actual": r.indicator.published_actual,
                "weight": r.scored.weight,
                "published_score": r.published_score,
                "review_score": r.review_score,
                "calculation": r.scored.calculation,
                "unverifiable_reason": r.reason or None,
                "codes": list(r.codes),
            }
            for r in p.rows
        ],
    }


def audit_data(result: AuditResult) -> dict[str, object]:
    return {
        "profile": result.profile_name,
        "files": list(result.files),
        "rows_in": result.rows_in,
        "rows_rescored": result.rows_rescored,
        "rows_unverifiable": result.rows_unverifiable,
        "sub_rows": result.sub_rows,
        "counts": {s: result.count(s) for s in SEVERITY_ORDER},
        "findings": [
            {
                "code": f.code,
                "label": f.label,
                "severity": f.severity,
                "file": f.file,
                "project": f.project,
                "level1": f.level1,
                "level2": f.level2,
                "level3": f.level3,
                "published": f.published,
                "recomputed": f.recomputed,
                "difference": _num(f.difference),
                "key": f.key,
                "rule": f.rule,
                "note": f.note,
                "where": f.source.describe() if f.source else None,
            }
            for f in result.findings
        ],
        "projects": [_project_json(p) for p in result.projects],
    }


def write_audit_json(result: AuditResult, path: Path) -> Path:
    write_text_atomically(path, json.dumps(audit_data(result), ensure_ascii=False, indent=2) + "\n")
    return path


def summary_lines(result: AuditResult) -> list[str]:
    """What the terminal shows: per project totals and counts, then the batch reconciliation."""
    lines = [f"复核规则：{result.profile_name}"]
    for p in result.projects:
        published = "未公布" if p.published_total is None else f"{p.published_total:.2f}"
        diff = "" if p.difference is None else f"，差异 {p.difference:+.2f}"
        state = "" if p.complete else "（复核未完成）"
        counts = " ".join(f"{s} {p.count(s)}" for s in SEVERITY_ORDER)
        lines.append(f"- {p.project.name}：自评 {published}，复核 {p.review_total:.2f}{state}{diff}；问题 {counts}")
    counts = "，".join(f"{s} {result.count(s)} 条" for s in SEVERITY_ORDER)
    lines.append(f"问题合计：{counts}")
    lines.append(result.reconciliation())
    return lines
