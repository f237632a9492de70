"""A seeded, realistic portfolio written as the engine's own two input files, fast.

The targets workbook has the sheets 项目 and 绩效指标 laid out as `evaluator parse` writes them;
the actuals workbook has 实际完成, 预算执行 and 填写说明 laid out as `evaluator template` writes
them, with the input columns filled the way units fill them: numbers typed as numbers or as text
with units (2,950人次, 1.26万人次), percentages as text, as plain numbers or as percent-formatted
cells, deadlines as typed dates or as text, qualitative words, blanks, and free text.
Both files are written with openpyxl's write-only mode (a few seconds per 100,000 rows) and
cached by (rows, seed, generator version), because a 1,000,000-row pair takes minutes to write.

Nothing here imports the engine: the layouts are restated so that the benchmark keeps working
while the engine's modules move.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Bump when the generated content changes, so cached portfolios are rebuilt.
GENERATOR_VERSION = 1
YEAR = 2024

PROJECT_HEADERS = (
    "项目名称",
    "主管部门",
    "实施单位",
    "项目性质",
    "项目类别",
    "计划开始日期",
    "计划完成日期",
    "年度资金总额",
    "当年财政拨款",
    "上年结转资金",
    "其他资金",
    "年度总体目标",
    "年度",
)
INDICATOR_HEADERS = ("项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "分值")
ACTUALS_HEADERS = (
    "项目名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "上年实际值",
    "完成档次",
    "评定得分",
    "偏差原因分析及改进措施",
    "超额原因",
)
BUDGET_HEADERS = ("项目名称", "资金来源", "年初预算数（元）", "全年预算数（元）", "全年执行数（元）")
FUND_PARTS = ("当年财政拨款", "上年结转资金", "其他资金")

_DISTRICTS = ("黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "浦东", "金山")
_DEPARTMENTS = ("教育局", "卫生健康委", "民政局", "文化旅游局", "总工会", "人社局", "农业农村委", "体育局")
_TOPICS = ("社区为老服务", "职工技能培训", "公共文化活动", "困难群众帮扶", "校园设施维护", "基层医疗补助")
_CATEGORIES = ("特定目标类", "其他运转类")
_QUALITATIVE = ("及时", "健全", "是", "完成", "有效", "合规", "满意", "提升", "按计划完成", "按时报送")
_COUNT_UNITS = ("人次", "人", "个", "场", "户", "项", "次", "期", "篇")
_REASONS = ("受场地改造影响，部分活动推迟；明年提前排期。", "报名人数不足；将调整宣传方式。", "供应商延期交付。")


@dataclass(frozen=True)
class Row:
    """One third-level indicator: its declared target and what the unit filled in at year end."""

    level1: str
    level2: str
    level3: str
    target: str
    actual: object  # str, int, float, datetime or None
    actual_format: str | None = None  # a number format for the actual cell (percent cells)
    last_year: str | None = None
    tier: str | None = None
    reason: str | None = None
    overachieve: str | None = None


def _outcome(rng: random.Random) -> str:
    """meet 68%, overshoot 8%, miss 14%, blank 5%, text 5%."""
    roll = rng.random()
    if roll < 0.68:
        return "meet"
    if roll < 0.76:
        return "over"
    if roll < 0.90:
        return "miss"
    if roll < 0.95:
        return "blank"
    return "text"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def _count_row(rng: random.Random, name: str) -> Row:
    unit = rng.choice(_COUNT_UNITS)
    goal = rng.choice((4, 6, 12, 50, 120, 500, 1000, 3000, 12000, 100000))
    target = rng.choice((f"≥{goal}.00({unit})", f"≥{goal}({unit})", f"≥{goal}{unit}", f"={goal}({unit})"))
    outcome = _outcome(rng)
    factor = {"meet": rng.uniform(1.0, 1.2), "over": rng.uniform(1.3, 1.8), "miss": rng.uniform(0.6, 0.98)}
    reason = overachieve = None
    actual: object = None
    if outcome in factor:
        value = max(round(goal * factor[outcome]), 0)
        if target.startswith("=") and outcome == "meet":
            value = goal
        style = rng.random()
        if style < 0.4:
            actual = value
        elif style < 0.8:
            actual = f"{_number(value)}{unit}"
        elif value >= 10000:
            actual = f"{value / 10000:.2f}万{unit}"
        else:
            actual = _number(value)
        if outcome == "miss" and rng.random() < 0.7:
            reason = rng.choice(_REASONS)
        if outcome == "over" and rng.random() < 0.6:
            reason = "需求超出预期，已按实际工作需要增加场次。"
            overachieve = rng.choice(("实际工作需要", "指标值设定偏低", "政策调整"))
    elif outcome == "text":
        actual = rng.choice(("已完成", "详见附件", "按计划推进中"))
    return Row("产出指标", "数量指标", name, target, actual, reason=reason, overachieve=overachieve)


def _percent_actual(rng: random.Random, value: float) -> tuple[object, str | None]:
    style = rng.random()
    if style < 0.6:
        return f"{value:.1f}%".replace(".0%", "%"), None
    if style < 0.8:
        return round(value / 100, 4), "0.0%"
    return round(value, 1), None  # a bare number in a percent row: read as a percentage


def _percent_row(rng: random.Random, name: str, level1: str, level2: str) -> Row:
    kind = rng.random()
    outcome = _outcome(rng)
    reason = None
    if kind < 0.45:
        target, goal, higher = "=100(%)", 100.0, True
    elif kind < 0.85:
        goal = float(rng.choice((80, 85, 90, 95)))
        target = rng.choice((f"≥{goal:g}(%)", f"≥{goal:.2f}(%)", f"满意度{goal:g}%以上", f">{goal:g}(%)"))
        higher = True
    else:
        goal = float(rng.choice((3, 5, 10)))
        target, higher = rng.choice((f"≤{goal:.2f}(%)", f"≤{goal:g}%")), False
    actual: object = None
    fmt = None
    if outcome in ("meet", "over"):
        value = 100.0 if goal == 100 else (min(goal + rng.uniform(0, 8), 100) if higher else goal * rng.uniform(0.2, 1))
        actual, fmt = _percent_actual(rng, value)
    elif outcome == "miss":
        value = goal * rng.uniform(0.8, 0.99) if higher else goal * rng.uniform(1.1, 2)
        actual, fmt = _percent_actual(rng, value)
        reason = rng.choice(_REASONS) if rng.random() < 0.7 else None
    elif outcome == "text":
        actual = rng.choice(("基本完成", "较高", "达标"))
    return Row(level1, level2, name, target, actual, actual_format=fmt, reason=reason)


def _money_row(rng: random.Random, name: str) -> Row:
    cap = rng.choice((20, 50, 120, 300))
    target = rng.choice((f"≤{cap}万元", f"≤{cap}(万元)", f"≤{cap * 10000}(元)"))
    outcome = _outcome(rng)
    actual: object = None
    if outcome in ("meet", "over"):
        spent = cap * rng.uniform(0.7, 1.0)
    elif outcome == "miss":
        spent = cap * rng.uniform(1.02, 1.3)
    else:
        spent = None
    if spent is not None:
        actual = f"{spent:.2f}万元" if rng.random() < 0.6 else f"{spent * 10000:,.2f}元"
    elif outcome == "text":
        actual = "按实结算"
    reason = rng.choice(_REASONS) if outcome == "miss" else None
    return Row("成本指标", "经济成本指标", name, target, actual, reason=reason)


def _deadline_row(rng: random.Random, name: str) -> Row:
    month = rng.choice((3, 6, 9, 11, 12))
    last_day = (dt.date(YEAR + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    target = rng.choice((f"{YEAR}年{month}月底前完成", f"{month}月{last_day}日前", f"{YEAR}年{month}月底前"))
    deadline = dt.date(YEAR, month, last_day)
    outcome = _outcome(rng)
    actual: object = None
    if outcome in ("meet", "over", "miss"):
        shift = rng.randint(-60, -1) if outcome != "miss" else rng.randint(5, 40)
        done = min(deadline + dt.timedelta(days=shift), dt.date(YEAR, 12, 31))
        style = rng.random()
        if style < 0.5:
            actual = dt.datetime(done.year, done.month, done.day)
        elif style < 0.8:
            actual = done.isoformat()
        else:
            actual = f"{done.year}年{done.month}月{done.day}日"
    elif outcome == "text":
        actual = rng.choice(("已完成", "基本按期"))
    return Row("产出指标", "时效指标", name, target, actual)


def _qualitative_row(rng: random.Random, name: str, level1: str, level2: str) -> Row:
    word = rng.choice(_QUALITATIVE)
    outcome = _outcome(rng)
    actual: object = None
    tier = reason = None
    if outcome in ("meet", "over"):
        actual = word if rng.random() < 0.8 else f"已{word}" if word not in ("是", "满意") else word
    elif outcome == "miss":
        actual = rng.choice(("基本完成", "未完成", f"基本{word}", "部分完成"))
        tier = "部分达成" if rng.random() < 0.3 else None
        reason = rng.choice(_REASONS)
    elif outcome == "text":
        actual = rng.choice(("正在研究制定考核办法", "详见工作总结", "推进中"))
    return Row(level1, level2, name, word, actual, tier=tier, reason=reason)


def _growth_row(rng: random.Random, name: str) -> Row:
    unit = rng.choice(("人次", "人", "户"))
    rise = rng.random() < 0.75
    step = rng.choice((1, 2, 5, 10))
    target = (f"增长{step}%" if rng.random() < 0.5 else f"较上年增长{step}%") if rise else f"较上年下降{step}%"
    base = rng.randint(800, 60000)
    outcome = _outcome(rng)
    change = {"meet": step + rng.uniform(0, 3), "over": step * 3, "miss": step * rng.uniform(-1, 0.8)}
    actual: object = None
    last: str | None = None
    if outcome in change:
        pct = change[outcome] if rise else -change[outcome]
        actual = f"{_number(round(base * (1 + pct / 100)))}{unit}"
        last = f"{_number(base)}{unit}"
    elif outcome == "text":
        actual, last = "较上年有所增长", f"{_number(base)}{unit}"
    return Row("效益指标", "可持续影响指标", name, target, actual, last_year=last)


def _range_row(rng: random.Random, name: str) -> Row:
    if rng.random() < 0.5:
        low, high, unit = 80, 90, "%"
        target = rng.choice(("80%-90%", "80~90%"))
    else:
        low, high, unit = 100, 120, "人"
        target = "100-120(人)"
    outcome = _outcome(rng)
    actual: object = None
    if outcome in ("meet", "over"):
        value = rng.uniform(low, high)
    elif outcome == "miss":
        value = rng.uniform(low * 0.8, low * 0.99)
    else:
        value = None
    if value is not None:
        actual = f"{value:.1f}%" if unit == "%" else f"{round(value)}人"
    elif outcome == "text":
        actual = "基本在区间内"
    return Row("效益指标", "社会效益指标", name, target, actual)


def _score_row(rng: random.Random, name: str) -> Row:
    outcome = _outcome(rng)
    actual: object = None
    if outcome in ("meet", "over"):
        actual = f"{rng.uniform(80.5, 96):.1f}分"
    elif outcome == "miss":
        actual = f"{rng.uniform(70, 79.9):.1f}分"
    return Row("满意度指标", "服务对象满意度指标", name, ">80.00(分)", actual)


def _as_incurred_row(rng: random.Random, name: str) -> Row:
    word = rng.choice(("按实发放", "据实结算", "按实际发生"))
    actual = rng.choice((f"已{word}", word, None)) if rng.random() < 0.95 else "详见明细"
    return Row("成本指标", "经济成本指标", name, word, actual)


# (weight, maker): the mix of a typical portfolio of 绩效目标表.
_MAKERS: tuple[tuple[float, Callable[[random.Random, str], Row]], ...] = (
    (0.26, _count_row),
    (0.14, lambda r, n: _percent_row(r, n, "产出指标", "质量指标")),
    (0.10, lambda r, n: _percent_row(r, n, "满意度指标", "服务对象满意度指标")),
    (0.06, _money_row),
    (0.08, _deadline_row),
    (0.18, lambda r, n: _qualitative_row(r, n, "效益指标", "社会效益指标")),
    (0.05, _growth_row),
    (0.05, _range_row),
    (0.04, _score_row),
    (0.04, _as_incurred_row),
)
_NAME_STEMS = {
    _count_row: "开展服务活动数量",
    _money_row: "项目成本控制",
    _deadline_row: "项目完成时限",
    _growth_row: "服务人次较上年变化",
    _range_row: "覆盖比例",
    _score_row: "测评得分",
    _as_incurred_row: "经费发放方式",
}


@dataclass(frozen=True)
class Project:
    name: str
    department: str
    total: float
    rows: tuple[Row, ...]
    adjusted: float
    executed: float


def generate(rows: int, seed: int) -> Iterator[Project]:
    """Projects of 8–12 indicators until `rows` indicators exist (the last project is cut to fit)."""
    rng = random.Random(seed)
    weights = [w for w, _ in _MAKERS]
    makers = [m for _, m in _MAKERS]
    made = 0
    number = 0
    while made < rows:
        number += 1
        size = min(rng.randint(8, 12), rows - made)
        district, department, topic = rng.choice(_DISTRICTS), rng.choice(_DEPARTMENTS), rng.choice(_TOPICS)
        name = f"{district}区{department}{topic}项目{number:07d}"
        indicators = []
        for index, maker in enumerate(rng.choices(makers, weights, k=size), start=1):
            stem = _NAME_STEMS.get(maker, "工作完成情况")
            indicators.append(maker(rng, f"{stem}（{index}）"))
        total = float(rng.choice((72000, 314000, 420000, 900000, 1400000, 4250000, 12258443.93)))
        adjusted = total * rng.choice((1.0, 1.0, 1.0, 1.05, 0.95))
        executed = round(adjusted * rng.uniform(0.75, 1.0), 2)
        yield Project(name, f"{district}区{department}", total, tuple(indicators), adjusted, executed)
        made += size


def _text(ws: WriteOnlyWorksheet, value: str, fmt: str | None = None) -> WriteOnlyCell | str:
    """Text that stays text: '=100(%)' would otherwise be written as a formula."""
    if not value.startswith("=") and fmt is None:
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    if value.startswith("="):
        cell.quotePrefix = True
    if fmt:
        cell.number_format = fmt
    return cell


def _styled(ws: WriteOnlyWorksheet, value: object, fmt: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.number_format = fmt
    return cell


def write_targets(projects: list[Project], path: Path) -> None:
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("项目")
    sheet.append(list(PROJECT_HEADERS))
    start, end = dt.datetime(YEAR, 1, 1), dt.datetime(YEAR, 12, 31)
    for p in projects:
        sheet.append(
            [
                p.name,
                p.department,
                p.department,
                "其他经常性项目",
                _CATEGORIES[len(p.name) % 2],
                _styled(sheet, start, "yyyy-mm-dd"),
                _styled(sheet, end, "yyyy-mm-dd"),
                _styled(sheet, p.total, "#,##0.00"),
                _styled(sheet, p.total, "#,##0.00"),
                _styled(sheet, 0.0, "#,##0.00"),
                _styled(sheet, 0.0, "#,##0.00"),
                f"{YEAR}年完成{p.name}年度计划，服务对象满意度不低于85%。",
                YEAR,
            ]
        )
    sheet = wb.create_sheet("绩效指标")
    sheet.append(list(INDICATOR_HEADERS))
    for p in projects:
        for r in p.rows:
            sheet.append([p.name, r.level1, r.level2, r.level3, _text(sheet, r.target), None])
    wb.save(path)


def write_actuals(projects: list[Project], path: Path) -> None:
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("实际完成")
    sheet.append(list(ACTUALS_HEADERS))
    for p in projects:
        for r in p.rows:
            actual = r.actual
            if r.actual_format is not None:
                actual = _styled(sheet, actual, r.actual_format)
            elif isinstance(actual, dt.datetime):
                actual = _styled(sheet, actual, "yyyy-mm-dd")
            elif isinstance(actual, str):
                actual = _text(sheet, actual)
            sheet.append(
                [
                    _text(sheet, p.name, "@"),
                    _text(sheet, r.level1, "@"),
                    _text(sheet, r.level2, "@"),
                    _text(sheet, r.level3, "@"),
                    _text(sheet, r.target, "@"),
                    actual,
                    r.last_year,
                    r.tier,
                    None,
                    r.reason,
                    r.overachieve,
                ]
            )
    sheet = wb.create_sheet("预算执行")
    sheet.append(list(BUDGET_HEADERS))
    for p in projects:
        sheet.append(
            [
                p.name,
                "年度资金总额",
                _styled(sheet, p.total, "#,##0.00"),
                _styled(sheet, p.adjusted, "#,##0.00"),
                _styled(sheet, p.executed, "#,##0.00"),
            ]
        )
        for part in FUND_PARTS:
            own = part == "当年财政拨款"
            amounts = (p.total, p.adjusted, p.executed) if own else (0.0, 0.0, 0.0)
            sheet.append([p.name, f"其中：{part}", *(_styled(sheet, a, "#,##0.00") for a in amounts)])
    sheet = wb.create_sheet("填写说明")
    sheet.append(["年末实际完成值填报说明（基准测试生成的虚构数据）"])
    wb.save(path)


def portfolio(rows: int, seed: int, cache: Path) -> tuple[Path, Path, int]:
    """→ (targets.xlsx, actuals.xlsx, project count), generated once per (rows, seed, version)."""
    folder = cache / f"portfolio-r{rows}-s{seed}-v{GENERATOR_VERSION}"
    targets, actuals, done = folder / "targets.xlsx", folder / "actuals.xlsx", folder / "projects.txt"
    if done.exists():
        return targets, actuals, int(done.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    projects = list(generate(rows, seed))
    write_targets(projects, targets)
    write_actuals(projects, actuals)
    done.write_text(str(len(projects)))  # written last: a half-written pair is never reused
    return targets, actuals, len(projects)
