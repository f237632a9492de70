"""The `[audit]` section of a rule profile: tolerances and what each finding code means and weighs.

A reviewer's conventions differ between bureaus and firms (is integer rounding a finding? how far
may a published 执行率 be from ours before it is wrong?), so they are data like the scoring
policies, validated on load: a misspelt code or severity must be refused, not ignored. Kept in its
own module so the scoring schema in profiles.py stays small.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Every code the audit can emit, in the order reports list them. A profile that gives an [audit]
# section must describe each of them (a base profile usually does).
AUDIT_CODES: tuple[str, ...] = (
    "missed_scored_full",
    "met_docked",
    "score_above_weight",
    "score_deviation",
    "rounding_convention",
    "sum_mismatch",
    "weights_not_100",
    "grade_mismatch",
    "budget_score_mismatch",
    "rate_mismatch",
    "missing_reason",
    "overachieved_unexplained",
    "qualitative_out_of_band",
    "cost_ge",
    "all_full_marks",
    "unverifiable",
)

SEVERITIES = ("P0", "P1", "P2")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CodeRule(_Strict):
    """One finding code: its Chinese label, severity, and the rule it rests on."""

    label: str = Field(min_length=1)
    severity: Literal["P0", "P1", "P2"]
    enabled: bool = True
    key: str = Field(min_length=1)  # the profile key (or keys) the check reads
    rule: str = Field(min_length=1)  # the 10号 clause or local rule, in Chinese


class AuditRules(_Strict):
    """Tolerances and code table for `evaluator audit`."""

    score_tolerance: float = Field(default=0.01, ge=0)  # points: closer than this is the same score
    total_tolerance: float = Field(default=0.01, ge=0)  # points, for totals and weight sums
    rate_tolerance: float = Field(default=0.005, ge=0, le=1)  # fraction: 0.005 = half a percentage point
    rounding_steps: tuple[float, ...] = (1.0, 0.5)  # published = ours rounded to one of these → rounding
    full_marks_min_rows: int = Field(default=3, ge=1)  # all_full_marks needs at least this many rows
    empty_reasons: tuple[str, ...] = ("无", "/", "—", "-", "【待填写】")  # 偏差原因 texts that explain nothing
    grade_aliases: dict[str, str] = Field(default_factory=dict)  # 优秀 → 优 …
    codes: dict[str, CodeRule] = Field(default_factory=dict)

    @field_validator("rounding_steps")
    @classmethod
    def _steps(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(step <= 0 for step in value):
            raise ValueError(f"取整步长应为正数，实为 {list(value)}")
        return value

    @model_validator(mode="after")
    def _known_codes(self) -> AuditRules:
        unknown = [code for code in self.codes if code not in AUDIT_CODES]
        if unknown:
            raise ValueError(f"audit.codes：未知的问题代码 {unknown}，可用：{list(AUDIT_CODES)}")
        if self.codes:
            missing = [code for code in AUDIT_CODES if code not in self.codes]
            if missing:
                raise ValueError(f"audit.codes：缺少问题代码 {missing} 的说明（label、severity、key、rule）")
        return self

    def code(self, code: str) -> CodeRule:
        """The rule for `code`; a clear error when the profile has no [audit] section at all."""
        from evaluator.errors import EvaluatorError

        rule = self.codes.get(code)
        if rule is None:
            raise EvaluatorError(
                f'评分规则没有 [audit.codes.{code}] 段，无法复核：请在规则文件中写 base = "mof2020" 以继承复核设置'
            )
        return rule

    def reason_given(self, text: str) -> bool:
        """True when a 偏差原因 says something: not blank, not a bare 无 or a placeholder."""
        clean = "".join(text.split())
        return bool(clean) and clean not in self.empty_reasons

    def grade(self, written: str) -> str:
        """A published 等级 in the profile's own names (优秀 → 优), spaces removed."""
        text = "".join(written.split())
        return self.grade_aliases.get(text, text)
