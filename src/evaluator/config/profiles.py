"""Rule profiles (`scoring_rules/*.toml`): the choices 10号 leaves to local practice, as data.

A profile is validated completely on load, because a typo in a policy name must not silently
fall back to a default and change every score in a portfolio. Messages name the file and the key.
A profile may name a `base` profile and override only what differs (tables merge key by key).
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from evaluator.common.resources import rules_dir
from evaluator.config.audit_rules import AuditRules
from evaluator.config.lint_rules import LintSettings
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import ConfigError
from evaluator.models import ReportRules, SourceRef, Tier

DEFAULT_PROFILE = "mof2020"
_NOT_PROFILES = {"taxonomy", "vocabulary", "lint", "labels"}  # data files in scoring_rules/ that are not rule profiles
_EPS = 1e-9
COST_LEVEL1 = "成本指标"  # the first level with no points of its own (carved out of 产出指标, policy cost_points)

# Flag codes a profile may require a written 偏差原因 for.
REASON_FLAG_CODES = ("shortfall", "overachievement", "strict_at_target", "budget_low", "budget_high")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Points(_Strict):
    """一级指标分值. 成本指标 has none of its own: it is carved out of 产出指标 (policy cost_points)."""

    budget: float = Field(alias="预算执行率", ge=0)
    output: float = Field(alias="产出指标", ge=0)
    benefit: float = Field(alias="效益指标", ge=0)
    satisfaction: float = Field(alias="满意度指标", ge=0)

    def by_level1(self) -> dict[str, float]:
        return {"产出指标": self.output, "效益指标": self.benefit, "满意度指标": self.satisfaction}


class Policies(_Strict):
    cost_points: Literal["proportional"] | float = "proportional"
    allocation: Literal["equal_leaf", "equal_branch"] = "equal_leaf"
    missing_category: Literal["rescale", "forfeit"] = "rescale"
    reverse: Literal["linear_to_zero", "ratio"] = "linear_to_zero"
    late_days_to_zero: int = Field(default=90, gt=0)
    overachieve_flag_ratio: float = Field(default=1.3, gt=1)
    overachieve_deduction: Literal["none", "deviation"] = "none"
    overachieve_cause_marker: str = Field(default="指标值设定偏低", min_length=1)
    cost_default_op: Literal["le", "ge"] = "le"
    weights_not_100: Literal["normalise", "as_given"] = "normalise"

    @field_validator("cost_points", mode="before")
    @classmethod
    def _cost_points(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError('应为 "proportional" 或一个分值（数字）')
        if isinstance(value, str) and value != "proportional":
            raise ValueError(f'取值「{value}」无效，应为 "proportional" 或一个分值（数字）')
        if not isinstance(value, str) and (value < 0 or not math.isfinite(value)):
            raise ValueError("成本指标分值不能为负数")
        return value


class TierRule(_Strict):
    label: str = Field(min_length=1)
    band: tuple[float, float]  # share of the weight; lower bound inclusive
    points: float  # share of the weight when no 评定得分 is given

    @field_validator("band")
    @classmethod
    def _band(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not (0 <= low <= 1 and 0 <= high <= 1):
            raise ValueError(f"区间 {list(value)} 超出 0–1 范围（以分值的比例表示）")
        if low >= high:
            raise ValueError(f"区间 {list(value)} 下限应小于上限")
        return value


class Tiers(_Strict):
    achieved: TierRule = Field(alias="达成")
    partial: TierRule = Field(alias="部分达成")
    not_achieved: TierRule = Field(alias="未达成")

    def rule(self, tier: Tier) -> TierRule:
        return {Tier.ACHIEVED: self.achieved, Tier.PARTIAL: self.partial, Tier.NOT_ACHIEVED: self.not_achieved}[tier]

    def ordered(self) -> tuple[tuple[Tier, TierRule], ...]:
        """Lowest band first."""
        return ((Tier.NOT_ACHIEVED, self.not_achieved), (Tier.PARTIAL, self.partial), (Tier.ACHIEVED, self.achieved))

    def tier_of_share(self, share: float) -> Tier:
        """The tier whose band holds `share` of the weight (upper bounds exclusive but the top one)."""
        for tier, rule in reversed(self.ordered()):
            if share >= rule.band[0] - _EPS:
                return tier
        return Tier.NOT_ACHIEVED

    @model_validator(mode="after")
    def _contiguous(self) -> Tiers:
        names = "未达成 < 部分达成 < 达成"
        ordered = self.ordered()
        if abs(ordered[0][1].band[0]) > _EPS or abs(ordered[-1][1].band[1] - 1) > _EPS:
            raise ValueError(f"tiers：档次区间须覆盖 0–1（{names}），最低档从0开始、最高档到1为止")
        for (low_tier, low_rule), (high_tier, high_rule) in itertools.pairwise(ordered):
            if abs(low_rule.band[1] - high_rule.band[0]) > _EPS:
                how = "重叠" if low_rule.band[1] > high_rule.band[0] else "有空档"
                raise ValueError(
                    f"tiers：档次区间须按 {names} 的顺序首尾相接，「{low_tier}」{list(low_rule.band)} 与"
                    f"「{high_tier}」{list(high_rule.band)} {how}"
                )
        for index, (tier, rule) in enumerate(ordered):
            top = index == len(ordered) - 1
            low, high = rule.band
            inside = low - _EPS <= rule.points <= high + _EPS if top else low - _EPS <= rule.points < high - _EPS
            if not inside:
                raise ValueError(f"tiers.{tier}.points：{rule.points} 不在该档次区间 {list(rule.band)} 内")
        return self


class GradeBand(_Strict):
    name: str = Field(min_length=1)
    min: float = Field(ge=0, le=100)


class FlagRules(_Strict):
    red_below: float = Field(default=0.6, ge=0, le=1)
    yellow_below: float = Field(default=1.0, ge=0, le=1)
    budget_low_below: float = Field(default=0.9, ge=0, le=1)
    budget_high_above: float = Field(default=1.0, ge=1)
    reason_required: tuple[str, ...] = ("shortfall", "overachievement")
    grades_flagged: tuple[str, ...] = ("中", "差")

    @field_validator("reason_required")
    @classmethod
    def _known_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in REASON_FLAG_CODES]
        if unknown:
            raise ValueError(f"未知的标记代码 {unknown}，可用：{list(REASON_FLAG_CODES)}")
        return value

    @model_validator(mode="after")
    def _order(self) -> FlagRules:
        if self.red_below > self.yellow_below:
            raise ValueError(f"flags：red_below（{self.red_below}）不能大于 yellow_below（{self.yellow_below}）")
        return self


class Profile(_Strict):
    name: str = Field(min_length=1)
    title: str = ""
    base: str | None = None  # the profile this one extends, as written
    points: Points
    policies: Policies = Policies()
    tiers: Tiers
    grades: tuple[GradeBand, ...]
    flags: FlagRules = FlagRules()
    audit: AuditRules = AuditRules()  # `evaluator audit`: tolerances and finding codes
    lint: LintSettings = LintSettings()  # 绩效目标审核: which rules file, per-check switches
    path: str = ""  # the file it was loaded from (set by the loader, not read from TOML)

    @property
    def budget_points(self) -> float:
        return self.points.budget

    @property
    def total_points(self) -> float:
        """The full score (100, validated on load): what weights_not_100 normalises to."""
        p = self.points
        return p.budget + p.output + p.benefit + p.satisfaction

    def level1_points(self, level1: str) -> float:
        """Points of 产出/效益/满意度指标 as configured (0 for anything else, e.g. 成本指标)."""
        return self.points.by_level1().get(level1, 0.0)

    def report_rules(self, taxonomy: Taxonomy | None = None) -> ReportRules:
        """The rules as the reports state them: bands, tier labels, the first-level order (taxonomy data)."""
        scored = set(self.points.by_level1()) | {COST_LEVEL1}
        order = (taxonomy or default_taxonomy()).level1_order
        return ReportRules(
            red_below=self.flags.red_below,
            overachieve_flag_ratio=self.policies.overachieve_flag_ratio,
            overachieve_cause_marker=self.policies.overachieve_cause_marker,
            tiers=tuple((str(t), r.label, r.band[0], r.band[1]) for t, r in reversed(self.tiers.ordered())),
            level1_order=tuple(name for name in order if name in scored),
            total_points=self.total_points,
        )

    def tier_rule(self, tier: Tier) -> TierRule:
        return self.tiers.rule(tier)

    def grade_for(self, total: float) -> str:
        for band in self.grades:
            if total >= band.min - _EPS:
                return band.name
        return self.grades[-1].name

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        p = self.points
        total = p.budget + p.output + p.benefit + p.satisfaction
        if abs(total - 100) > 1e-6:
            raise ValueError(
                f"points：预算执行率 {p.budget:g} + 产出指标 {p.output:g} + 效益指标 {p.benefit:g} + "
                f"满意度指标 {p.satisfaction:g} = {total:g}，合计应为100"
            )
        cost = self.policies.cost_points
        if not isinstance(cost, str) and cost > p.output + _EPS:
            raise ValueError(f"policies.cost_points：成本指标分值 {cost:g} 超过产出指标分值 {p.output:g}")
        if not self.grades:
            raise ValueError("grades：至少需要一个等级")
        mins = [g.min for g in self.grades]
        if any(a <= b for a, b in itertools.pairwise(mins)):
            raise ValueError(f"grades：等级须从高到低排列且下限严格递减，实为 {mins}")
        if abs(mins[-1]) > _EPS:
            raise ValueError(f"grades：最后一个等级的下限应为0，实为 {mins[-1]:g}")
        names = [g.name for g in self.grades]
        if len(set(names)) != len(names):
            raise ValueError(f"grades：等级名称重复 {names}")
        unknown = [g for g in self.flags.grades_flagged if g not in names]
        if unknown:
            raise ValueError(f"flags.grades_flagged：{unknown} 不是已定义的等级 {names}")
        return self


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def bundled_profiles() -> list[str]:
    """Names usable with `--rules NAME`."""
    return sorted(p.stem for p in rules_dir().glob("*.toml") if p.stem not in _NOT_PROFILES)


def _resolve(name_or_path: str, relative_to: Path | None = None) -> Path:
    if name_or_path in bundled_profiles():
        return rules_dir() / f"{name_or_path}.toml"
    candidate = Path(name_or_path)
    if not candidate.is_absolute() and relative_to is not None and (relative_to / candidate).exists():
        candidate = relative_to / candidate
    if candidate.is_file():
        return candidate
    raise ConfigError(
        f"未找到评分规则「{name_or_path}」：既不是内置规则（{'、'.join(bundled_profiles())}），也不是存在的文件"
    )


def _read_toml(path: Path) -> dict[str, Any]:
    """A rules file as saved by any editor: Notepad's UTF-8 with BOM and GBK are read; a syntax error
    is named by line and column in Chinese, with the line's text (tomllib's message is English)."""
    where = SourceRef(file=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"无法读取评分规则文件（{exc.strerror or exc}）", where) from exc
    text = _decode_rules(data, where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        if found is None:
            raise ConfigError("评分规则文件不是有效的 TOML 格式，请对照内置规则文件检查", where) from None
        line, column = int(found.group(1)), int(found.group(2))
        lines = text.splitlines()
        shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        raise ConfigError(
            f"评分规则文件第{line}行第{column}列附近不是有效的 TOML 写法（键 = 值，文字加英文引号，表名写在 [ ] 中）",
            SourceRef(file=str(path), line=line),
            shown or None,
        ) from None


def _decode_rules(data: bytes, where: SourceRef) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ConfigError("评分规则文件的编码无法识别（已尝试 UTF-8、GB18030），请另存为 UTF-8", where)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _raw_profile(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    resolved = path.resolve()
    if resolved in seen:
        chain = " → ".join(str(p) for p in (*seen, resolved))
        raise ConfigError(f"评分规则的 base 形成循环：{chain}", SourceRef(file=str(path)))
    data = _read_toml(path)
    base = data.get("base")
    if base is None:
        return data
    if not isinstance(base, str):
        raise ConfigError("键「base」应为规则名称或文件路径（文本）", SourceRef(file=str(path)), base)
    base_path = _resolve(base, relative_to=path.parent)
    return _merge(_raw_profile(base_path, (*seen, resolved)), data)


_TYPE_MESSAGES = {
    "extra_forbidden": "未知的键",
    "missing": "缺少必要的键",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "bool_type": "应为 true 或 false",
    "model_type": "应为表（[…] 段）",
    "dict_type": "应为表（[…] 段）",
    "too_short": "长度不足",
    "too_long": "项数过多",
    "string_too_short": "不能为空",
}


def _describe_error(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        text = f"取值无效，允许的取值为 {str(ctx.get('expected', '')).replace(' or ', '、')}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        symbol = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}[kind]
        bound = next(iter(ctx.values()), "")
        text = f"超出范围，应 {symbol} {bound}"
    elif kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", err.get("msg", "")))
    else:
        text = _TYPE_MESSAGES.get(kind, err.get("msg", kind))
    loc = ""
    for part in err.get("loc", ()):
        loc += f"[第{part + 1}项]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    # Literal|float unions report one error per branch; the branch name is noise for users.
    loc = loc.replace(".literal['proportional']", "").replace(".float", "")
    shown = ""
    if kind not in ("missing",) and "input" in err and not isinstance(err["input"], dict):
        shown = f"（值：{err['input']!r}）"
    if loc and text.startswith(f"{loc}："):
        text = text[len(loc) + 1 :]
    return f"键「{loc}」{text}{shown}" if loc else f"{text}"


def _profile_from_data(data: dict[str, Any], path: Path) -> Profile:
    if "path" in data:
        raise ConfigError("键「path」由程序填写，不能出现在评分规则文件中", SourceRef(file=str(path)))
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        seen: list[str] = []
        for err in exc.errors():
            message = _describe_error(err)
            if message not in seen:
                seen.append(message)
        raise ConfigError("评分规则文件有误：" + "；".join(seen), SourceRef(file=str(path))) from None
    return profile.model_copy(update={"path": str(path)})


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """None → the default (mof2020); a bundled name → scoring_rules/NAME.toml; anything else → a path."""
    path = _resolve(str(name_or_path) if name_or_path is not None else DEFAULT_PROFILE)
    return _profile_from_data(_raw_profile(path), path)
