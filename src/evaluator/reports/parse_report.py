"""The parse report: what the reader found and every repair it made, for a person to check."""

from __future__ import annotations

from collections.abc import Iterable

from evaluator.common.numbers import format_amount
from evaluator.config.profiles import Profile, load_profile
from evaluator.grammar.declared import indicator_target, project_year, run_year
from evaluator.grammar.reading import KIND_LABELS, describe_target
from evaluator.models import Declarations, Repair, Target, TargetKind

_KIND_TITLES = (
    ("repair", "修复记录（已自动处理，请抽查）"),
    ("warning", "提示（按原文保留，请核对）"),
    ("unplaced", "未能归入的行（未读取，请人工处理）"),
)


def _cell(text: str) -> str:
    """Markdown table cell: tabs shown as ⇥ so the original cell boundaries stay visible."""
    return text.replace("\t", " ⇥ ").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def _where(repair: Repair) -> str:
    return repair.source.describe()


def count_kinds(repairs: Iterable[Repair]) -> dict[str, int]:
    counts = {kind: 0 for kind, _ in _KIND_TITLES}
    for repair in repairs:
        counts[repair.kind] = counts.get(repair.kind, 0) + 1
    return counts


def _target_readings(decl: Declarations, profile: Profile) -> list[str]:
    """Each distinct 年度指标值 once per reading, exactly as the scorer will read it — unreadable first.

    The reading is the scorer's own (with the row and year), so a cost figure shows as a ceiling and
    a unit or figure taken from the indicator name shows here before the year-end run, not after.
    """
    seen: dict[tuple[str, Target], list[str]] = {}
    default_year = run_year(decl)
    cost_default_op = profile.policies.cost_default_op
    for project in decl.projects:
        year = project_year(project, default_year)
        for indicator in project.indicators:
            target = indicator_target(indicator, year, cost_default_op)
            seen.setdefault((indicator.target_text, target), []).append(indicator.level3)
    readings = [(target, text, names) for (text, target), names in seen.items()]
    readings.sort(key=lambda item: item[0].kind is not TargetKind.UNREADABLE)
    unreadable = sum(t.kind is TargetKind.UNREADABLE for t, _text, _names in readings)
    lines = [
        "",
        "## 年度指标值的读法",
        "",
        f"共 {len(readings)} 种不同的年度指标值，其中无法识别 {unreadable} 种（无法识别的指标年底不能自动评分，"
        "建议现在修改）。",
        "",
        "| 年度指标值 | 类型 | 评分时的判断条件 | 说明 | 指标（个数） |",
        "|---|---|---|---|---|",
    ]
    for target, text, names in readings:
        shown = names[0] + (f" 等 {len(names)} 个" if len(names) > 1 else "")
        lines.append(
            f"| {_cell(text)} | {KIND_LABELS[target.kind]} | {_cell(describe_target(target))} | "
            f"{_cell(target.note)} | {_cell(shown)} |"
        )
    return lines


def render_parse_report(decl: Declarations, input_name: str, workbook_name: str, profile: Profile | None = None) -> str:
    """The report a person checks before the year ends; `profile` is the one the score run will use."""
    profile = profile if profile is not None else load_profile()
    counts = count_kinds(decl.repairs)
    total = sum(len(p.indicators) for p in decl.projects)
    lines = [
        "# 绩效目标解析报告",
        "",
        f"- 输入文件：{input_name}",
        f"- 目标工作簿：{workbook_name}",
        f"- 评分规则：{profile.name}（下表的读法按此规则，与 evaluator score 使用同一规则时一致）",
        f"- 项目 {len(decl.projects)} 个，三级指标 {total} 个",
        f"- 修复 {counts['repair']} 处，提示 {counts['warning']} 条，未能归入 {counts['unplaced']} 行",
        "",
        "## 项目",
        "",
        "| 序号 | 项目名称 | 年度 | 三级指标数 | 年度资金总额（元） | 位置 |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for number, project in enumerate(decl.projects, start=1):
        money = format_amount(project.total_funds) if project.total_funds is not None else "—"
        where = project.source.describe() if project.source else ""
        year = str(project.year) if project.year else "—"
        lines.append(
            f"| {number} | {_cell(project.name)} | {year} | {len(project.indicators)} | {money} | {_cell(where)} |"
        )
    lines += _target_readings(decl, profile)
    for kind, title in _KIND_TITLES:
        items = [r for r in decl.repairs if r.kind == kind]
        lines += ["", f"## {title}", ""]
        if not items:
            lines.append("（无）")
            continue
        lines += ["| 位置 | 原文 | 处理 |", "|---|---|---|"]
        lines += [f"| {_cell(_where(r))} | {_cell(r.found)} | {_cell(r.decision)} |" for r in items]
    others = [r for r in decl.repairs if r.kind not in dict(_KIND_TITLES)]
    if others:
        lines += ["", "## 其他记录", "", "| 位置 | 类别 | 原文 | 处理 |", "|---|---|---|---|"]
        lines += [f"| {_cell(_where(r))} | {r.kind} | {_cell(r.found)} | {_cell(r.decision)} |" for r in others]
    return "\n".join(lines) + "\n"
