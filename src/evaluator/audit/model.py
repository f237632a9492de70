"""Records of an audit (复核): findings, and per row and per project what was published beside what we re-computed.

Kept apart from the engine so the writers (working paper, report, csv, json) depend only on these
plain records, never on how the findings were reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluator.models import Indicator, Project, ProjectScore, ScoredRow, SourceRef

BUDGET_ROW = "预算执行率"
TOTAL_ROW = "总分"
SEVERITY_ORDER = ("P0", "P1", "P2")


@dataclass(frozen=True)
class Finding:
    """One discrepancy: what, how bad, on which rule, with both figures."""

    code: str
    label: str  # 问题
    severity: str  # P0 | P1 | P2
    file: str
    project: str
    level1: str = ""  # empty for project-level findings
    level2: str = ""
    level3: str = ""
    published: str = ""  # 自评值 as shown
    recomputed: str = ""  # 复核值
    difference: float | None = None  # 自评 − 复核, points (or percentage points for a rate)
    key: str = ""  # profile key the check reads
    rule: str = ""  # 10号 clause or local rule
    note: str = ""  # 说明, Chinese
    source: SourceRef | None = None

    @property
    def basis(self) -> str:
        """依据: the rule and the profile key it is configured by."""
        return f"{self.rule}（规则键 {self.key}）" if self.key else self.rule


@dataclass(frozen=True)
class RowAudit:
    """A third-level row: as published, as re-scored, and what was found."""

    indicator: Indicator
    scored: ScoredRow  # the engine's re-score (weights as published)
    published_score: float | None
    review_score: float | None  # None when the row could not be re-scored
    reason: str = ""  # why it could not be re-scored
    findings: tuple[Finding, ...] = ()  # the findings on this row, worst first
    note: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)

    @property
    def verifiable(self) -> bool:
        return self.review_score is not None

    @property
    def difference(self) -> float | None:
        if self.published_score is None or self.review_score is None:
            return None
        return round(self.published_score - self.review_score, 2)

    @property
    def deviation(self) -> float | None:
        """偏离度 on points: (自评 − 复核) ÷ 自评."""
        diff = self.difference
        if diff is None or not self.published_score:
            return None
        return diff / self.published_score


@dataclass(frozen=True)
class ProjectAudit:
    file: str
    project: Project
    score: ProjectScore  # the engine's re-score; its total is not used (see review_total)
    rows: tuple[RowAudit, ...]
    budget_weight: float
    budget_review: float | None  # re-computed 预算执行率得分
    weight_sum: float  # 分值 as published, budget included
    review_total: float  # budget + rows as re-scored (rescaled where the profile says so)
    published_total: float | None
    review_grade: str
    findings: tuple[Finding, ...] = ()
    sub_rows: int = 0  # 其中 rows: shown in the table, never scored
    parent_rows: int = 0  # numbered parent rows: shown, scored through their parts
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.budget_review is not None and all(r.verifiable for r in self.rows)

    @property
    def difference(self) -> float | None:
        if self.published_total is None:
            return None
        return round(self.published_total - self.review_total, 2)

    @property
    def deviation(self) -> float | None:
        """偏离度 = (自评 − 复核) ÷ 自评."""
        diff = self.difference
        if diff is None or not self.published_total:
            return None
        return diff / self.published_total

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class AuditResult:
    projects: tuple[ProjectAudit, ...]
    profile_name: str
    files: tuple[str, ...] = ()
    repairs: tuple[str, ...] = field(default=())  # what the readers noted, as Chinese lines

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for p in self.projects for f in p.findings)

    @property
    def rows_in(self) -> int:
        return sum(len(p.rows) for p in self.projects)

    @property
    def rows_rescored(self) -> int:
        return sum(1 for p in self.projects for r in p.rows if r.verifiable)

    @property
    def rows_unverifiable(self) -> int:
        return self.rows_in - self.rows_rescored

    @property
    def sub_rows(self) -> int:
        return sum(p.sub_rows for p in self.projects)

    @property
    def parent_rows(self) -> int:
        return sum(p.parent_rows for p in self.projects)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def reconciliation(self) -> str:
        """rows in = re-scored + unverifiable, in one line for the terminal and the reports."""
        line = (
            f"指标行 {self.rows_in} 行 = 已复核 {self.rows_rescored} 行 + 无法复核 {self.rows_unverifiable} 行"
            f"（{len(self.projects)} 个项目）"
        )
        if self.sub_rows:
            line += f"；另有「其中」子行 {self.sub_rows} 行只作展示、不计分"
        if self.parent_rows:
            line += f"；另有分项父行 {self.parent_rows} 行按其分项评分、只核对合计"
        return line
