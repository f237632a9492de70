"""What a lint check reports: one finding, with where it is, how bad, why, and a fix when a rule gives one."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluator.config.lint_rules import SEVERITY_NAMES, LintRules
from evaluator.grammar.declared import indicator_target, project_year
from evaluator.models import Indicator, Project, SourceRef, Target

SEVERITY_ORDER = ("P1", "P2", "P3")


@dataclass(frozen=True)
class Row:
    """One declared third level with what the checks need beside it: its project, file and reading."""

    file: str
    project: Project
    indicator: Indicator
    target: Target


def rows_of(file: str, project: Project, default_year: int | None = None, cost_default_op: str = "le") -> list[Row]:
    """The rows with each target read exactly as the scorer will read it (its row, year and cost policy),
    so a finding never describes a reading the year-end score does not use."""
    year = project_year(project, default_year)
    return [Row(file, project, i, indicator_target(i, year, cost_default_op)) for i in project.indicators]


@dataclass(frozen=True)
class Finding:
    """One defect. `message` says what is wrong with the value itself; `rewrite` is a target text a
    rule could derive (`≥500万元` under 成本 → `≤500万元`); `advice` is what to do otherwise."""

    code: str
    label: str  # the check's label, from the rules file
    severity: str  # P1 / P2 / P3
    group: str  # 完整性 可衡量 方向 归类 一致性 模板与区分度
    rule_source: str  # 依据
    message: str
    file: str
    project: str
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target_text: str = ""
    where: SourceRef | None = None
    rewrite: str = ""
    advice: str = ""

    @property
    def severity_text(self) -> str:
        return f"{self.severity} {SEVERITY_NAMES[self.severity]}"

    @property
    def suggestion(self) -> str:
        """The 建议 column: the rewrite first, then the advice."""
        parts = [f"改为「{self.rewrite}」" if self.rewrite else "", self.advice]
        return "；".join(p for p in parts if p)


@dataclass
class Collector:
    """Builds findings for one rules file, dropping those of switched-off checks."""

    rules: LintRules
    findings: list[Finding] = field(default_factory=list)

    def on(self, code: str) -> bool:
        return self.rules.enabled(code)

    def row(self, code: str, row: Row, message: str, rewrite: str = "", advice: str = "") -> None:
        i = row.indicator
        self._add(
            code,
            message,
            row.file,
            row.project.name,
            i.level1,
            i.level2,
            i.level3,
            i.target_text,
            i.source or row.project.source,
            rewrite,
            advice,
        )

    def project(self, code: str, file: str, project: Project, message: str, advice: str = "") -> None:
        self._add(code, message, file, project.name, "", "", "", "", project.source, "", advice)

    def _add(
        self,
        code: str,
        message: str,
        file: str,
        project: str,
        level1: str,
        level2: str,
        level3: str,
        target_text: str,
        where: SourceRef | None,
        rewrite: str,
        advice: str,
    ) -> None:
        if not self.on(code):
            return
        rule = self.rules.rule(code)
        self.findings.append(
            Finding(
                code=code,
                label=rule.label,
                severity=rule.severity,
                group=rule.group,
                rule_source=rule.source,
                message=message,
                file=file,
                project=project,
                level1=level1,
                level2=level2,
                level3=level3,
                target_text=target_text,
                where=where,
                rewrite=rewrite,
                advice=advice,
            )
        )
