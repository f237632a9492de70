"""The rules of `evaluator lint` (绩效目标审核), loaded from `scoring_rules/lint.toml` and validated.

Kept apart from the scoring profile because a bureau changes its review word lists far more often
than its scoring rules; the profile only names the file in its `[lint]` section and may switch
single checks on or off there. Like the profile, every key is checked on load: a misspelt check
code must not silently leave a check running that the bureau meant to switch off.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from evaluator.common.resources import rules_dir
from evaluator.errors import EvaluatorError
from evaluator.models import SourceRef

LintSeverity = Literal["P1", "P2", "P3"]
SEVERITY_NAMES: dict[str, str] = {"P1": "必须修改", "P2": "建议修改", "P3": "提示"}
DEFAULT_LINT_RULES = "lint"

# Every check the engine implements. A rules file must describe each (so a report can always name
# its label and source) and may not invent codes the engine does not know.
KNOWN_CHECKS = (
    *(f"S0{n}" for n in range(1, 9)),
    *(f"M0{n}" for n in range(1, 7)),
    *(f"D0{n}" for n in range(1, 6)),
    *(f"P0{n}" for n in range(1, 5)),
    *(f"C0{n}" for n in range(1, 4)),
    *(f"F0{n}" for n in range(1, 4)),
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckRule(_Strict):
    label: str = Field(min_length=1)
    severity: LintSeverity
    group: str = Field(min_length=1)
    source: str = Field(min_length=1)
    enabled: bool = True


class CheckOverride(_Strict):
    """What a profile's `[lint.checks.CODE]` may change."""

    enabled: bool | None = None
    severity: LintSeverity | None = None


class LintSettings(_Strict):
    """A rule profile's `[lint]` section: which rules file, and per-check switches."""

    rules: str = DEFAULT_LINT_RULES
    checks: dict[str, CheckOverride] = Field(default_factory=dict)

    @field_validator("checks")
    @classmethod
    def _known(cls, value: dict[str, CheckOverride]) -> dict[str, CheckOverride]:
        unknown = sorted(set(value) - set(KNOWN_CHECKS))
        if unknown:
            raise ValueError(f"未知的审核代码 {unknown}，可用：{list(KNOWN_CHECKS)}")
        return value


class Settings(_Strict):
    output_level2: tuple[str, ...] = ("数量指标", "质量指标", "时效指标")
    require_cost: bool = True
    all_hundred_min: int = Field(default=3, ge=1)
    copied_min_chars: int = Field(default=6, ge=1)
    figure_tolerance: float = Field(default=1e-4, ge=0, lt=1)


class Words(_Strict):
    placeholder: tuple[str, ...] = ()
    placeholder_patterns: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()
    bare: tuple[str, ...] = ()
    yes_no: tuple[str, ...] = ()
    degree: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    timing_second_level: str = "时效指标"
    bounded_rate: tuple[str, ...] = ()
    unbounded_rate: tuple[str, ...] = ()
    count_units: tuple[str, ...] = ()
    satisfaction_outside: tuple[str, ...] = ()
    satisfaction: tuple[str, ...] = ()

    @field_validator("placeholder_patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"正则表达式「{pattern}」无效：{exc}") from None
        return value

    @field_validator(
        "vague",
        "bare",
        "basis",
        "bounded_rate",
        "unbounded_rate",
        "count_units",
        "satisfaction_outside",
        "satisfaction",
    )
    @classmethod
    def _no_empty_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not word.strip() for word in value):
            raise ValueError("词表中不能有空字符串")
        return value


class PlacementGroup(_Strict):
    label: str = Field(min_length=1)
    words: tuple[str, ...] = Field(min_length=1)
    not_under: tuple[str, ...] = Field(min_length=1)
    advice: str = ""


class LintRules(_Strict):
    title: str = ""
    checks: dict[str, CheckRule]
    settings: Settings = Settings()
    words: Words = Words()
    numeric_expected: dict[str, str] = Field(default_factory=dict)
    placement: tuple[PlacementGroup, ...] = ()
    path: str = ""  # set by the loader

    @model_validator(mode="after")
    def _all_checks(self) -> LintRules:
        missing = [code for code in KNOWN_CHECKS if code not in self.checks]
        unknown = sorted(set(self.checks) - set(KNOWN_CHECKS))
        if missing:
            raise ValueError(f"checks：缺少审核项 {missing}（每个审核项都须写明 label、severity、group、source）")
        if unknown:
            raise ValueError(f"checks：未知的审核代码 {unknown}，可用：{list(KNOWN_CHECKS)}")
        return self

    def enabled(self, code: str) -> bool:
        return self.checks[code].enabled

    def rule(self, code: str) -> CheckRule:
        return self.checks[code]


def _resolve(name_or_path: str, relative_to: Path | None) -> Path:
    bundled = rules_dir() / f"{name_or_path}.toml"
    if "/" not in name_or_path and "\\" not in name_or_path and bundled.is_file():
        return bundled
    candidate = Path(name_or_path)
    if not candidate.is_absolute() and relative_to is not None and (relative_to / candidate).is_file():
        return relative_to / candidate
    if candidate.is_file():
        return candidate
    raise EvaluatorError(f"未找到绩效目标审核规则「{name_or_path}」：既不是内置规则文件，也不是存在的文件")


def _describe(exc: ValidationError) -> str:
    # The profile loader's wording, so both files speak alike.
    from evaluator.config.profiles import _describe_error

    seen: list[str] = []
    for err in exc.errors():
        message = _describe_error(err)
        if message not in seen:
            seen.append(message)
    return "；".join(seen)


def lint_rules_from_data(data: dict[str, Any], path: Path, settings: LintSettings | None = None) -> LintRules:
    """Validate a parsed rules file and apply a profile's per-check switches."""
    if "path" in data:
        raise EvaluatorError("键「path」由程序填写，不能出现在审核规则文件中", SourceRef(file=str(path)))
    try:
        rules = LintRules.model_validate(data)
    except ValidationError as exc:
        raise EvaluatorError("绩效目标审核规则文件有误：" + _describe(exc), SourceRef(file=str(path))) from None
    checks = dict(rules.checks)
    for code, override in (settings.checks if settings else {}).items():
        changes = {k: v for k, v in (("enabled", override.enabled), ("severity", override.severity)) if v is not None}
        checks[code] = checks[code].model_copy(update=changes)
    return rules.model_copy(update={"checks": checks, "path": str(path)})


def load_lint_rules(settings: LintSettings | None = None, relative_to: Path | None = None) -> LintRules:
    """The rules a profile's `[lint]` section names (default: the bundled lint.toml)."""
    settings = settings or LintSettings()
    path = _resolve(settings.rules, relative_to)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluatorError(f"无法读取绩效目标审核规则文件：{exc}", SourceRef(file=str(path))) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EvaluatorError(f"绩效目标审核规则文件不是有效的 TOML：{exc}", SourceRef(file=str(path))) from exc
    return lint_rules_from_data(data, path, settings)
