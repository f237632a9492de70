"""The 自评报告 as one self-contained HTML page (charts inlined), from a template shipped in the package.

The page can be mailed or opened from any folder: no external files, no scripts. Jinja2
autoescaping keeps project names such as `<帮扶>` as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evaluator.common.files import write_text_atomically
from evaluator.common.numbers import format_percent
from evaluator.models import ProjectScore, ReportRules, Severity
from evaluator.reports.html import environment, inline, severity_class
from evaluator.reports.view import (
    PLACEHOLDER,
    ChartFile,
    achievement_summary,
    budget_lines,
    conclusion_lines,
    default_rules,
    flag_text,
    is_flagged,
    legend_text,
    level1_label,
    level1_points,
    ordered_rows,
    reason_text,
    shown_total,
    spans,
    total_lines,
    two,
    visible_flags,
    worst_severity,
)


def _rows(score: ProjectScore) -> list[dict]:
    rows = ordered_rows(score)
    points = level1_points(score)
    l1_span = dict(spans([r.level1 for r in rows]))
    l2_span = dict(spans([f"{r.level1}\u0000{r.level2}" for r in rows]))
    out = []
    for k, r in enumerate(rows):
        out.append(
            {
                "l1_span": (l1_span[k] - k + 1) if k in l1_span else 0,
                "l1_label": level1_label(r.level1, points.get(r.level1, 0.0)),
                "l2_span": (l2_span[k] - k + 1) if k in l2_span else 0,
                "level2": r.level2,
                "level3": r.level3,
                "target": r.target_text,
                "actual": r.actual_text or "（未填报）",
                "weight": two(r.weight),
                "score": two(r.score),
                "reason": reason_text(r),
                "css": severity_class(worst_severity(r.flags)),
                "calculation": r.calculation,
                "flags": flag_text(r.flags),
            }
        )
    return out


def _deviations(score: ProjectScore) -> list[dict]:
    items = []
    if visible_flags(score.budget.flags):
        items.append({"title": "预算执行率", "facts": flag_text(score.budget.flags), "reason": PLACEHOLDER})
    for r in ordered_rows(score):
        if is_flagged(r):
            facts = (
                f"年度指标值 {r.target_text}，实际完成值 {r.actual_text or '未填报'}，"
                f"得分 {two(r.score)} / {two(r.weight)} 分。{flag_text(r.flags)}"
            )
            items.append({"title": r.level3, "facts": facts, "reason": reason_text(r)})
    return items


def render_report_html(
    score: ProjectScore,
    year: int | None,
    charts: Sequence[ChartFile] = (),
    profile: str = "",
    rules: ReportRules | None = None,
) -> str:
    p = score.project
    by_kind = {c.path.stem.removeprefix("chart_"): inline(c) for c in charts}
    period = f"{p.start_date:%Y-%m-%d} 至 {p.end_date:%Y-%m-%d}" if p.start_date and p.end_date else ""
    budget = [
        {
            "label": b.label,
            "initial": two(b.initial),
            "adjusted": two(b.adjusted),
            "executed": two(b.executed),
            "points": two(b.points),
            "rate": format_percent(b.rate) if b.rate is not None else "",
            "score": two(b.score),
        }
        for b in budget_lines(score)
    ]
    total = budget_lines(score)[0]
    context = {
        "p": p,
        "year_text": f"{year}年度" if year else "",
        "profile": profile,
        "facts": [
            ("项目名称", p.name),
            ("主管部门", p.department),
            ("实施单位", p.implementer),
            ("项目性质", p.nature),
            ("项目类别", p.category),
            ("计划实施期", period),
            ("年度资金总额（万元）", two(total.initial)),
        ],
        "achievement": achievement_summary(score),
        "budget": budget,
        "budget_class": severity_class(worst_severity(score.budget.flags)),
        "charts_goal": [by_kind[k] for k in ("budget", "level1") if k in by_kind],
        "charts_score": [by_kind[k] for k in ("indicators",) if k in by_kind],
        "rows": _rows(score),
        "total": two(shown_total(score)),
        "conclusion": conclusion_lines(score),
        "grade": score.grade,  # the template adds 评分未完成 where the project is incomplete
        "complete": score.complete or score.unreported,  # 未填报 says it all
        "unreported": score.unreported,
        "total_lines": [
            {"label": line.label, "points": two(line.points), "score": two(line.score), "final": line.final}
            for line in total_lines(score)
        ],
        "notes": list(score.notes),
        "legend": legend_text(rules or default_rules()),
        "placeholder": PLACEHOLDER,
        "deviations": _deviations(score),
        "project_flags": [f.message for f in score.flags if f.severity is not Severity.INFO],
        "budget_calc": score.budget.calculation,
        "budget_flags": flag_text(score.budget.flags),
    }
    return environment().get_template("report.html.j2").render(**context)


def write_report_html(
    score: ProjectScore,
    path: Path,
    year: int | None,
    charts: Sequence[ChartFile] = (),
    profile: str = "",
    rules: ReportRules | None = None,
) -> Path:
    write_text_atomically(path, render_report_html(score, year, charts, profile, rules))
    return path
