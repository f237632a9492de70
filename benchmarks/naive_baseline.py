"""The honest yardstick of issue 15: score the portfolio row by row with pint, no caching, no arrays.

    python3 benchmarks/naive_baseline.py TARGETS.xlsx ACTUALS.xlsx [--out DIR] [--result result.json]

What a competent analyst would write in an afternoon: read both workbooks with pandas + calamine,
look each actual row's target up by (项目名称, 三级指标), parse target and actual with a handful of
regular expressions into pint quantities (a registry built from the engine's own units.txt, so the
units agree), compare, give the row weight × completion, add 预算执行率, and write the row and project
scores as CSV. It is simple but correct enough on the generated portfolio to be a fair baseline for
"evaluate() ≥ 50× a naive per-row pint loop": the engine's goal is to beat this by a wide margin.
Timings (read, loop, write) go to --result as JSON, so bench_end_to_end.py can print them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import time
from pathlib import Path

import pandas as pd
import pint

ROOT = Path(__file__).resolve().parents[1]

_OP = re.compile(r"(≥|>=|≤|<=|>|<|=)")
_NUMBER_UNIT = re.compile(r"([\d,]+(?:\.\d+)?)\s*[(（]?\s*(万)?\s*([%\u4e00-\u9fff]*)")
_RANGE = re.compile(r"([\d.]+)\s*%?\s*[-~至]\s*([\d.]+)\s*[(（]?\s*([%\u4e00-\u9fff]*)")
_CHANGE = re.compile(r"(增长|提高|增加|下降|降低|减少)\s*([\d.]+)\s*(%|个百分点)")
_DEADLINE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|(\d{1,2})日)前")
_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PARTIAL = ("基本", "部分", "较")
_NEGATIVE = ("未", "没有", "不")
_BUDGET_POINTS = 10.0
_YEAR = 2024


def units_file() -> Path:
    """The engine's unit definitions, wherever the package keeps them after a restructuring."""
    return next((ROOT / "src").rglob("units.txt"))


def registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(None)
    ureg.load_definitions(str(units_file()))
    return ureg


def _clean(text: str) -> str:
    text = text.replace("\\geq", "≥").replace("\\leq", "≤").replace("$", "").replace("\\%", "%")
    return text.replace("，", ",").strip()


def _unit_name(unit: str, ten_thousand: str | None) -> str:
    unit = unit.removesuffix("以上").removesuffix("以下").removesuffix("完成")
    if unit in ("", "%"):
        return "percent" if unit == "%" else ""
    return ("万" if ten_thousand else "") + unit


def _quantity(ureg: pint.UnitRegistry, value: float, unit: str, fallback: str) -> pint.Quantity:
    name = unit or fallback
    return ureg.Quantity(value, name) if name else ureg.Quantity(value)


def _actual_quantity(ureg: pint.UnitRegistry, actual: object, target_unit: str) -> pint.Quantity | None:
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        value = float(actual)
        if target_unit == "percent" and isinstance(actual, float) and value <= 1.5:
            value *= 100  # a percent-formatted cell arrives as a fraction
        return _quantity(ureg, value, "", target_unit)
    if not isinstance(actual, str):
        return None
    match = _NUMBER_UNIT.search(_clean(actual))
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    return _quantity(ureg, value, _unit_name(match.group(3), match.group(2)), target_unit)


def _as_date(actual: object) -> dt.date | None:
    if isinstance(actual, dt.datetime | pd.Timestamp):
        return actual.date()
    if isinstance(actual, str):
        match = _DATE.search(actual)
        if match:
            return dt.date(*(int(g) for g in match.groups()))
    return None


def score_row(ureg: pint.UnitRegistry, target: str, actual: object, last_year: object) -> float | None:
    """Completion in [0, 1], or None when the row cannot be scored automatically."""
    if actual is None or (isinstance(actual, float) and actual != actual) or actual == "":
        return None
    text = _clean(target)
    change = _CHANGE.search(text)
    if change:
        this = _actual_quantity(ureg, actual, "")
        before = _actual_quantity(ureg, last_year, "") if isinstance(last_year, str | int | float) else None
        if this is None or before is None or before.magnitude == 0:
            return None
        growth = float(((this - before) / before).to("dimensionless").magnitude) * 100
        wanted = float(change.group(2)) * (1 if change.group(1) in ("增长", "提高", "增加") else -1)
        met = growth >= wanted if wanted >= 0 else growth <= wanted
        return 1.0 if met else max(0.0, growth / wanted) if wanted > 0 else 0.0
    deadline = _DEADLINE.search(text)
    if deadline:
        year = int(deadline.group(1) or _YEAR)
        month = int(deadline.group(2))
        day = int(deadline.group(3) or 0) or ((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(1)).day
        done = _as_date(actual)
        return None if done is None else (1.0 if done <= dt.date(year, month, day) else 0.0)
    spread = _RANGE.search(text)
    if spread:
        unit = _unit_name(spread.group(3), None)
        low = _quantity(ureg, float(spread.group(1)), unit, "")
        high = _quantity(ureg, float(spread.group(2)), unit, "")
        value = _actual_quantity(ureg, actual, unit)
        if value is None:
            return None
        if low <= value <= high:
            return 1.0
        return float((value / low).to("dimensionless").magnitude) if value < low else 1.0
    number = _NUMBER_UNIT.search(text)
    if number:
        op_match = _OP.search(text)
        op = op_match.group(1) if op_match else ("≤" if "以下" in text else "≥")
        unit = _unit_name(number.group(3), number.group(2))
        goal = _quantity(ureg, float(number.group(1).replace(",", "")), unit, "")
        value = _actual_quantity(ureg, actual, unit)
        if value is None:
            return None
        try:
            ratio = float((value / goal).to("dimensionless").magnitude)
        except pint.DimensionalityError:
            return None
        if op in ("≥", ">=", ">"):
            return 1.0 if (value > goal if op == ">" else value >= goal) else ratio
        if op in ("≤", "<=", "<"):
            return 1.0 if value <= goal else max(0.0, 2 - ratio)
        return 1.0 if abs(ratio - 1) < 1e-9 else min(ratio, 1 / ratio) if ratio > 0 else 0.0
    if not isinstance(actual, str):
        return None
    word = text.removeprefix("按").removeprefix("据")
    if actual.startswith(_NEGATIVE):
        return 0.0
    if actual.startswith(_PARTIAL):
        return 0.8
    return 1.0 if word in actual or actual.removeprefix("已") in text else None


def run(targets: Path, actuals: Path, out: Path) -> dict[str, float | int]:
    started = time.perf_counter()
    target_sheets = pd.read_excel(targets, sheet_name=None, engine="calamine")
    actual_sheets = pd.read_excel(actuals, sheet_name=None, engine="calamine")
    read_s = time.perf_counter() - started

    loop_started, loop_cpu = time.perf_counter(), time.process_time()
    ureg = registry()
    declared: dict[tuple[str, str], str] = {}
    per_project: dict[str, int] = {}
    for record in target_sheets["绩效指标"].to_dict("records"):
        declared[(record["项目名称"], record["三级指标"])] = str(record["年度指标值"])
        per_project[record["项目名称"]] = per_project.get(record["项目名称"], 0) + 1
    totals: dict[str, float] = dict.fromkeys(per_project, 0.0)
    lines: list[tuple[str, str, str, object, float, float | None]] = []
    unmatched = 0
    for record in actual_sheets["实际完成"].to_dict("records"):
        key = (record["项目名称"], record["三级指标"])
        target = declared.get(key)
        if target is None:
            unmatched += 1
            continue
        weight = (100 - _BUDGET_POINTS) / per_project[key[0]]
        completion = score_row(ureg, target, record["实际完成值"], record.get("上年实际值"))
        points = None if completion is None else round(weight * min(max(completion, 0.0), 1.0), 2)
        totals[key[0]] += points or 0.0
        lines.append((key[0], key[1], target, record["实际完成值"], round(weight, 2), points))
    for record in actual_sheets["预算执行"].to_dict("records"):
        if record["资金来源"] == "年度资金总额" and record["项目名称"] in totals and record["全年预算数（元）"]:
            rate = record["全年执行数（元）"] / record["全年预算数（元）"]
            totals[record["项目名称"]] += round(_BUDGET_POINTS * min(rate, 1.0), 2)
    loop_s = time.perf_counter() - loop_started
    loop_cpu_s = time.process_time() - loop_cpu

    write_started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "naive_scores.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(("项目名称", "三级指标", "年度指标值", "实际完成值", "分值", "得分"))
        writer.writerows(lines)
    with (out / "naive_projects.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(("项目名称", "总分"))
        writer.writerows((name, round(total, 2)) for name, total in totals.items())
    write_s = time.perf_counter() - write_started
    scored = sum(1 for line in lines if line[5] is not None)
    return {
        "read_s": read_s,
        "loop_s": loop_s,
        "loop_cpu_s": loop_cpu_s,
        "write_s": write_s,
        "total_s": time.perf_counter() - started,
        "rows": len(lines),
        "scored": scored,
        "unmatched": unmatched,
        "projects": len(totals),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", type=Path)
    parser.add_argument("actuals", type=Path)
    parser.add_argument("--out", type=Path, default=Path("naive_out"))
    parser.add_argument("--result", type=Path, default=None, help="write the timings here as JSON")
    args = parser.parse_args()
    result = run(args.targets, args.actuals, args.out)
    text = json.dumps(result, ensure_ascii=False)
    if args.result:
        args.result.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
