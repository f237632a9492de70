"""Plain typed records shared by every stage (ingest → parse → evaluate → score → report).

Records are frozen dataclasses so that a stage can never mutate what an earlier stage produced;
each stage returns new records. Only the edges (readers, writers, CLI) do I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

# ---------------------------------------------------------------------------------------------
# Where a value came from — every message to a user names it.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A place in an input file: a text line, or a sheet row (1-based, as a person counts).

    `sheet` names the part of the file the row counts in, and `part` says what that part is, so that
    a message names what the user sees: a worksheet (工作表「项目1」 … 「C」列), a Word, PDF or HTML
    table (表格2 第3行 第3列 — such tables have no column letters), or a PDF page (第2页 第5行).
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # spreadsheet-style letter (A, B, … AA) for every kind of part
    part: str = "sheet"  # "sheet" | "table" | "page": what `sheet` names

    def describe(self) -> str:
        """Chinese location text for messages, e.g. `targets.txt 第12行`, `a.xlsx 工作表「项目」 第3行`,
        `a.docx 表格1 第3行 第2列` or `a.pdf 第2页 第5行`."""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"工作表「{self.sheet}」" if self.part == "sheet" else self.sheet)
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.column is not None:
            number = _column_number(self.column) if self.part == "table" else None
            parts.append(f"第{number}列" if number else f"「{self.column}」列")
        return " ".join(parts)


def _column_number(letters: str) -> int | None:
    """A → 1, AA → 27; None for anything that is no column letter (a header name)."""
    if not letters.isascii() or not letters.isalpha() or not letters.isupper():
        return None
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@dataclass(frozen=True, slots=True)
class Repair:
    """Something a reader had to fix or could not place — shown to the user, never silent."""

    source: SourceRef
    found: str  # the text as it stood
    decision: str  # what the reader decided, in Chinese
    kind: str = "repair"  # "repair" | "unplaced" | "warning"


# ---------------------------------------------------------------------------------------------
# Stage 1 — the declaration (绩效目标申报表)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicator:
    """A third-level indicator as declared. `target_text` is kept exactly as written."""

    level1: str  # 一级指标 (canonical: 成本指标 产出指标 效益指标 满意度指标)
    level2: str  # 二级指标 (canonical name, e.g. 数量指标)
    level3: str  # 三级指标
    target_text: str  # 年度指标值, raw
    weight: float | None = None  # 分值 when the declaration gives one
    source: SourceRef | None = None
    target_normalized: str | None = None  # LaTeX/full-width cleaned text, when it differs
    # What a filled 自评表 publishes beside the target (None / "" for a declaration). Kept as
    # published so the audit can compare them with the engine's own reading.
    published_actual: str | None = None  # 实际完成值 as written
    published_score: float | None = None  # 得分 as written
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    sub_row: bool = False  # a 其中 row under the indicator before it: shown, never scored
    # A numbered parent row (`1. 完成培训任务`) whose 分值/得分 are the sum of the `parts` rows right
    # after it (`(1) 培训人次`, `(2) …`): those rows are scored; this one keeps its published points
    # only so the audit can check the sum.
    parts: int = 0

    @property
    def scored(self) -> bool:
        """Whether the row is scored itself: 其中 sub-rows and parent rows are shown, never scored."""
        return not self.sub_row and not self.parts


@dataclass(frozen=True, slots=True)
class PublishedTotals:
    """The budget block and totals a filled 自评表 publishes, as written (money in 元)."""

    initial_budget: float | None = None  # 年初预算数
    full_year_budget: float | None = None  # 全年预算数
    executed: float | None = None  # 全年执行数
    budget_weight: float | None = None  # 预算执行率 分值
    budget_rate: float | None = None  # 执行率 as a fraction (0.98)
    budget_score: float | None = None  # 预算执行率 得分
    total_weight: float | None = None  # 总分 分值
    total_score: float | None = None  # 总分 得分
    grade: str = ""  # 评价等级 as written


@dataclass(frozen=True, slots=True)
class Project:
    """One 财政项目支出绩效目标申报表. Money is in 元."""

    name: str
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    nature: str = ""  # 项目性质
    category: str = ""  # 项目类别
    start_date: dt.date | None = None  # 计划开始日期
    end_date: dt.date | None = None  # 计划完成日期
    total_funds: float | None = None  # 年度资金总额 (年度资金申请总额)
    fiscal_funds: float | None = None  # 当年财政拨款
    carryover_funds: float | None = None  # 上年结转资金
    other_funds: float | None = None  # 其他资金
    annual_goal: str = ""  # 年度总体目标
    indicators: tuple[Indicator, ...] = ()
    source: SourceRef | None = None
    year: int | None = None  # 年度 from the form heading, when given
    published: PublishedTotals | None = None  # a filled 自评表's own budget block and totals


@dataclass(frozen=True, slots=True)
class Declarations:
    """What a reader returns: the projects plus every repair and unplaced line."""

    projects: tuple[Project, ...]
    repairs: tuple[Repair, ...] = ()
    source_file: str = ""


# ---------------------------------------------------------------------------------------------
# Stage 2 — parsed values (年度指标值 and 实际完成值)
# ---------------------------------------------------------------------------------------------


class TargetKind(StrEnum):
    COMPARISON = "comparison"  # op value unit
    RANGE = "range"  # low..high
    CHANGE = "change"  # against last year
    DEADLINE = "deadline"
    QUALITATIVE = "qualitative"
    AS_INCURRED = "as_incurred"  # 按实发放 / 按实际发生 — scored as qualitative
    NOT_APPLICABLE = "not_applicable"  # 无 / 不适用: the row is left out of the score
    UNREADABLE = "unreadable"


class Op(StrEnum):
    GE = ">="
    GT = ">"
    EQ = "="
    LE = "<="
    LT = "<"


class ChangeMode(StrEnum):
    RELATIVE = "relative"  # 增长1% → b·(1+0.01)
    POINTS = "points"  # 提高2个百分点 → b + 2 (percentage points)


@dataclass(frozen=True, slots=True)
class Target:
    """A 年度指标值 read into a comparable predicate.

    Numbers are magnitudes in `unit` (a canonical unit name from the pint registry, e.g. "人次",
    "percent", "万元" normalised to "元"); `unit` is None for a unitless number.
    """

    raw: str
    kind: TargetKind
    op: Op | None = None
    value: float | None = None
    unit: str | None = None
    low: float | None = None  # RANGE
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    change_mode: ChangeMode | None = None  # CHANGE
    change_amount: float | None = None  # signed: +0.01 for 增长1%, -0.05 for 下降5% (RELATIVE); points
    deadline: dt.date | None = None  # DEADLINE (the last one when the target names several)
    milestones: tuple[dt.date, ...] = ()  # DEADLINE: the earlier deadlines, in the order written
    expectation: str | None = None  # QUALITATIVE / AS_INCURRED: the expected state, normalised
    implicit_op: bool = False  # a bare number read as "at least"
    note: str = ""  # what the grammar assumed, in Chinese
    reason: str = ""  # UNREADABLE: why
    # The unit as the target writes it (万元, 万人次) and how many canonical units one of it is
    # (10000): a unitless actual beside it is read in this unit, as the 自评表 guide allows.
    unit_word: str = ""
    unit_scale: float = 1.0
    # Codes the scorer raises as row flags because a person should look at the reading
    # (target_from_name: the empty target was taken from the indicator name).
    flags: tuple[str, ...] = ()


class ActualKind(StrEnum):
    NUMBER = "number"
    DATE = "date"
    QUALITATIVE = "qualitative"
    EMPTY = "empty"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Actual:
    """A 实际完成值 as typed by a person, read into a value."""

    raw: str
    kind: ActualKind
    value: float | None = None
    unit: str | None = None  # None → take the target's unit
    date: dt.date | None = None
    text: str | None = None  # QUALITATIVE, normalised
    reason: str = ""
    note: str = ""
    read_in: str = ""  # a unitless number read in the target's written unit (万元): that unit
    scale_word: str = ""  # a large-number word written with the number and no unit (45万): 万


class Tier(StrEnum):
    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    EQUAL = "equal"
    RANGE = "range"
    DEADLINE = "deadline"
    QUALITATIVE = "qualitative"


@dataclass(frozen=True, slots=True)
class Assessment:
    """An actual checked against a target: the facts the scorer needs, before any points.

    `actual_value` and `target_value` are in the same unit; `unit` is its display label as users
    write it ("人次", "%", "万元", "分") or None for unitless numbers. `ratio` is the completion
    ratio oriented so that 1.0 means exactly on target and more is better for the project.
    `decided` is False (with `reason`) when no score can be given.
    """

    direction: Direction | None
    decided: bool
    met: bool | None = None
    actual_value: float | None = None
    target_value: float | None = None  # for CHANGE: last year × (1 ± r)
    unit: str | None = None
    ratio: float | None = None
    tier: Tier | None = None
    days_late: int | None = None
    strict_at_target: bool = False  # strict > or < with actual exactly at the target
    reason: str = ""  # Chinese, when not decided or when something needs a person's eye
    flags: tuple[str, ...] = ()  # codes such as "unit_mismatch", "impossible_value"


# ---------------------------------------------------------------------------------------------
# Stage 3 — year-end actuals as filled in by a unit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActualRow:
    """One row of the 实际完成 sheet."""

    project: str
    level1: str
    level2: str
    level3: str
    actual_text: str  # 实际完成值 as typed (numbers rendered faithfully, percent cells as "98.5%")
    last_year_text: str = ""  # 上年实际值
    tier_text: str = ""  # 完成档次
    points_text: str = ""  # 评定得分
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    overachieve_cause: str = ""  # 超额原因
    source: SourceRef | None = None
    actual_value: object = None  # the raw cell value (float, datetime, str) when read from a workbook


@dataclass(frozen=True, slots=True)
class BudgetPart:
    """One funding source under 年度资金总额 (其中：当年财政拨款 / 上年结转资金 / 其他资金), in 元."""

    label: str  # canonical: 当年财政拨款 上年结转资金 其他资金
    initial_budget: float | None
    adjusted_budget: float | None
    executed: float | None
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """A project's 预算执行 (the 年度资金总额 row), in 元, with its funding sources when given."""

    project: str
    initial_budget: float | None  # 年初预算数
    adjusted_budget: float | None  # 全年预算数
    executed: float | None  # 全年执行数
    source: SourceRef | None = None
    parts: tuple[BudgetPart, ...] = ()


@dataclass(frozen=True, slots=True)
class Actuals:
    rows: tuple[ActualRow, ...]
    budgets: tuple[BudgetRow, ...] = ()
    repairs: tuple[Repair, ...] = ()
    source_file: str = ""


@dataclass(frozen=True, slots=True)
class RowInput:
    """What the scorer needs for one third-level indicator: declared, parsed, assessed, as filled."""

    indicator: Indicator
    target: Target
    assessment: Assessment
    actual: ActualRow | None  # None → no actual was filled in (or no matching row)


@dataclass(frozen=True, slots=True)
class ProjectInput:
    project: Project
    rows: tuple[RowInput, ...]
    budget: BudgetRow | None


# ---------------------------------------------------------------------------------------------
# Stage 4 — scores
# ---------------------------------------------------------------------------------------------


class Severity(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Flag:
    code: str  # shortfall, overachievement, budget_low, budget_high, missing_actual, needs_judgment,
    # unit_mismatch, missing_reason, strict_at_target, impossible_value, grade_low, ...
    severity: Severity
    message: str  # Chinese


class RowStatus(StrEnum):
    SCORED = "已评分"
    NOT_SCORED = "未评分"
    NOT_APPLICABLE = "不适用"  # target 无 / 不适用: left out of the weights and the total


@dataclass(frozen=True, slots=True)
class ScoredRow:
    project: str
    level1: str
    level2: str
    level3: str
    target_text: str
    actual_text: str
    weight: float  # 分值, two decimals, sums exactly to the parent
    score: float  # 得分, 0 when not scored
    status: RowStatus
    calculation: str  # 计算过程, Chinese, e.g. "实际 2,950人次 ÷ 目标 3,000人次 × 6.25分 = 6.15分"
    reason: str = ""  # why not scored
    flags: tuple[Flag, ...] = ()
    completion: float | None = None  # completion ratio (1.0 = on target)
    deviation_reason: str = ""  # 偏差原因分析及改进措施 given by the unit
    weight_given: bool = False  # True when the weight came from the input
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class BudgetScore:
    initial_budget: float | None  # 元
    adjusted_budget: float | None
    executed: float | None
    rate: float | None  # executed / adjusted
    points: float  # 分值 (10 by default)
    score: float
    scored: bool
    calculation: str
    flags: tuple[Flag, ...] = ()
    parts: tuple[BudgetPart, ...] = ()  # funding sources as filled in; only the total is scored


@dataclass(frozen=True, slots=True)
class LevelScore:
    """A first- or second-level subtotal: plain sums of children."""

    level1: str
    level2: str | None  # None for a first-level subtotal
    weight: float
    score: float


@dataclass(frozen=True, slots=True)
class ProjectScore:
    project: Project
    rows: tuple[ScoredRow, ...]
    budget: BudgetScore
    levels: tuple[LevelScore, ...]  # first-level subtotals first, then second-level
    total: float  # after rescale when applicable, rounded half-up to 0.01
    grade: str  # 优 良 中 差
    complete: bool  # False → 评分未完成 wherever the total is shown
    notes: tuple[str, ...] = ()  # e.g. the rescale note, missing categories
    flags: tuple[Flag, ...] = ()  # project-level flags
    missing_categories: tuple[str, ...] = ()
    # 指标得分合计 before a missing category's rescale to 100 (None when no rescale): the form shows
    # both lines, so no score stands above the 分值 beside it.
    rescaled_from: float | None = None
    # Nothing at all was filled in for the project (no actual, no budget execution): 未填报 — no
    # grade, listed apart, left out of rankings and distributions rather than shown as 0.00 差.
    unreported: bool = False


@dataclass(frozen=True, slots=True)
class ReportRules:
    """The rules a report states in words, taken from the profile that scored the run.

    A writer never types a band or an order of its own: the 自评表 legend, the template's
    instructions, the summary's columns all read them here, so a profile whose red band is 80%
    says 80% everywhere a user reads.
    """

    red_below: float  # a shortfall whose completion ratio is below this is red
    overachieve_flag_ratio: float  # actual ≥ this × target is over-achievement and needs a reason
    overachieve_cause_marker: str  # the 超额原因 that means the target was set too low
    tiers: tuple[tuple[str, str, float, float], ...]  # (tier, label, band low, band high), highest first
    level1_order: tuple[str, ...]  # the first-level indicators reports list, in order
    total_points: float  # the full score


@dataclass(frozen=True, slots=True)
class RunResult:
    projects: tuple[ProjectScore, ...]
    unmatched_actuals: tuple[ActualRow, ...] = ()
    profile_name: str = ""
    rules: ReportRules | None = None  # what the reports say about the rules; None → the default profile's
    rows_in: int = 0
    rows_scored: int = 0
    rows_not_scored: int = 0
    rows_not_applicable: int = 0  # rows_in = rows_scored + rows_not_scored + rows_not_applicable
    repairs: tuple[Repair, ...] = field(default=())
    year: int | None = None
    unmatched_reasons: tuple[str, ...] = ()  # aligned with unmatched_actuals, Chinese
    unmatched_budgets: tuple[BudgetRow, ...] = ()  # 预算执行 rows for no declared project, or repeated
