"""Workbooks holding every cell kind, and a dump of what the two workbook readers make of them.

Why: the column-wise readers must give the records, repairs and errors the cell-by-cell readers gave,
to the character and in the same order. The golden file was written with the readers as they stood
before the column-wise rewrite; `python3 tests/workbook_readers_golden.py` rewrites it (only do that
for an intended change). A dump is the `repr` of every record, repair and error: `repr` shows the
type of each raw value (1 against 1.0, a datetime against a date), which an equality test would miss.

All values below are invented; the project names follow the bundled sample's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "workbook_readers.json"
SAMPLE_ACTUALS = ROOT / "inputs" / "实际完成值_样例.xlsx"
SAMPLE_TARGETS = ROOT / "inputs" / "shanghai_ftu_2024_targets.txt"
PROJECT = "上海市退休职工大学教育业务补助"


def _rewrite_part(path: Path, part: str, pattern: bytes, replacement: bytes) -> None:
    """Replace the one match of `pattern` in one part of the zip: what openpyxl cannot write."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                data, count = re.subn(pattern, replacement, data)
                assert count == 1, pattern
            dst.writestr(item, data)
    tmp.replace(path)


def set_cached_value(path: Path, sheet_part: str, ref: str, value: str) -> None:
    """openpyxl writes formulas without results; put one in, as Excel would after calculating."""
    pattern = rb'(<c r="' + ref.encode() + rb'"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/?>(?:</v>)?'
    _rewrite_part(path, sheet_part, pattern, rb"\1<v>" + value.encode() + rb"</v>")


def set_error_value(path: Path, sheet_part: str, ref: str, error: str) -> None:
    """A cell holding an error value as Excel saves it (`t="e"`), which openpyxl cannot write."""
    pattern = rb'<c r="' + ref.encode() + rb'"([^>]*?)(?: t="\w+")?([^>]*)>.*?</c>'
    _rewrite_part(
        path, sheet_part, pattern, rb'<c r="' + ref.encode() + rb'"\1\2 t="e"><v>' + error.encode() + rb"</v></c>"
    )


_ACTUAL_KINDS: list[tuple[str, str, str, str, object, str | None]] = [
    ("产出指标", "质量指标", "合格率", "≥90(%)", 0.935, "0.0%"),  # percent cell
    ("产出指标", "质量指标", "达标率", "=100(%)", 1, "0%"),  # percent cell, integer
    ("产出指标", "质量指标", "优良率", "≥80(%)", 0.8125, '0.00"%"'),  # a literal "%" is not a percent format
    ("产出指标", "数量指标", "培训人次", "≥3000.00(人次)", "3,050人次", None),  # text with unit
    ("产出指标", "数量指标", "开班数", "≥100.00(个)", "108", "@"),  # text number
    ("产出指标", "数量指标", "课时数", "≥100.00(个)", 108.0, None),  # integral float
    ("产出指标", "数量指标", "负数", "≥-5", -3.25, None),
    ("产出指标", "时效指标", "完成时间", "2024年6月底前完成", dt.datetime(2024, 6, 28), "yyyy-mm-dd"),
    ("产出指标", "时效指标", "开课时间", "6月30日前", dt.datetime(2024, 6, 1, 9, 30), "yyyy-mm-dd hh:mm"),
    ("产出指标", "数量指标", "公式已计算", "≥10(个)", "=6+6", None),  # cached below
    ("产出指标", "数量指标", "公式未计算", "≥10(个)", "=SUM(F1:F2)", None),  # never calculated
    ("产出指标", "数量指标", "错误值文字", "≥10(个)", "#DIV/0!", None),  # typed as text
    ("产出指标", "数量指标", "错误值", "≥10(个)", 0, None),  # made a t="e" cell below
    ("产出指标", "数量指标", "大数", "≥1000000(元)", 1234567.5, "#,##0.00"),
    ("产出指标", "数量指标", "小数", "≥0.0000001", 1e-7, None),
    ("效益指标", "社会效益指标", "是否完成", "是", True, None),
    ("效益指标", "社会效益指标", "是否超支", "否", False, None),
    ("效益指标", "社会效益指标", "控制字符", "及时", "已\t完成\n ", None),
    ("效益指标", "社会效益指标", "全角空格", "健全", "\u3000健全\u3000", None),
    ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", None),
    ("满意度指标", "服务对象满意度指标", "满意度（数）", "≥90%", 92, "0%"),
]


def actuals_every_kind(folder: Path) -> Path:
    """The bundled actuals with rows of every cell kind appended, merged cells, formulas and errors."""
    path = folder / "actuals_every_kind.xlsx"
    shutil.copy(SAMPLE_ACTUALS, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["实际完成"]
    start = ws.max_row + 2  # one blank row first
    for offset, (level1, level2, level3, target, actual, fmt) in enumerate(_ACTUAL_KINDS):
        r = start + offset
        for col, value in enumerate((None, level1, level2, level3, target), start=1):
            ws.cell(row=r, column=col, value=value)
        cell = ws.cell(row=r, column=6, value=actual)
        if fmt:
            cell.number_format = fmt
        ws.cell(row=r, column=7, value=0.9 if offset % 4 == 0 else None).number_format = "0%"
        ws.cell(row=r, column=10, value="偏差原因（虚构）" if offset % 3 == 0 else None)
        ws.cell(row=r, column=11, value="实际工作需要" if offset % 5 == 0 else None)
    ws.cell(row=start, column=1, value=PROJECT)
    end = start + len(_ACTUAL_KINDS) - 1
    ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)  # merged name
    kinds = {row[2]: start + i for i, row in enumerate(_ACTUAL_KINDS)}
    # 实际完成值 merged over two indicators: it belongs to the first only (a warning on the second)
    r = end + 1
    for offset, level3 in enumerate(("合并一", "合并二")):
        for col, value in enumerate((PROJECT, "产出指标", "数量指标", level3, "≥10(个)"), start=1):
            ws.cell(row=r + offset, column=col, value=value)
    ws.cell(row=r, column=6, value=12)
    ws.merge_cells(start_row=r, start_column=6, end_row=r + 1, end_column=6)
    # 实际完成值 merged across 上年实际值 in one row: read from its top-left
    r += 2
    for col, value in enumerate((PROJECT, "产出指标", "数量指标", "横向合并", "≥10(个)", 11), start=1):
        ws.cell(row=r, column=col, value=value)
    ws.merge_cells(start_row=r, start_column=6, end_row=r, end_column=7)
    # 三级指标 merged over two rows (inherits), the second with its own actual
    r += 1
    for col, value in enumerate((PROJECT, "产出指标", "数量指标", "纵向三级", "≥10(个)", 10), start=1):
        ws.cell(row=r, column=col, value=value)
    ws.cell(row=r + 1, column=6, value=9)
    ws.merge_cells(start_row=r, start_column=4, end_row=r + 1, end_column=4)
    r += 2
    ws.cell(row=r, column=1, value=PROJECT)  # a row with only a project name
    r += 1
    header = [ws.cell(row=1, column=c).value for c in range(1, 12)]
    for col, value in enumerate(header, start=1):  # a repeated header row
        ws.cell(row=r, column=col, value=value)
    r += 1
    for col, value in enumerate((None, "产出指标", "数量指标", "无项目", "≥10(个)", 3), start=1):
        ws.cell(row=r, column=col, value=value)  # no project name (not under a merge)
    r += 1
    for col, value in enumerate((PROJECT, "产出指标", "数量指标", None, "≥10(个)", 4), start=1):
        ws.cell(row=r, column=col, value=value)  # no 三级指标
    r += 1
    ws.cell(row=r, column=1, value="   ")  # whitespace only: a blank row
    ws.cell(row=r + 3, column=6, value="=2*3")  # a formula on a row of its own, never calculated
    ws.cell(row=r + 4, column=4, value="只有三级指标")
    ws.cell(row=r + 6, column=14, value="表外备注")  # a note right of the table widens the extent

    budget = wb["预算执行"]
    b = budget.max_row + 1
    rows = [
        (f"{PROJECT}（公式）", "年度资金总额", 1000, 2000, "=1000+2000"),  # never calculated
        (f"{PROJECT}（文字金额）", "年度资金总额", "1,000", "2000元", "0.3万元"),  # typed units
        (f"{PROJECT}（文字金额）", "其中：当年财政拨款", "1000", "2000", "3000"),
        (f"{PROJECT}（只有来源）", "其中：当年财政拨款", 100, 200, 150.5),  # no 年度资金总额 row
        (None, "其中：其他资金", 10, 20, 15.25),
        (f"{PROJECT}（零总额）", "年度资金总额", 0, 0, 0),
        (f"{PROJECT}（零总额）", "当年财政拨款", 5, 6, 7),
        (f"{PROJECT}（零总额）", "其他", None, None, None),
        (f"{PROJECT}（不一致）", "合计", 100, 100, 90),
        (f"{PROJECT}（不一致）", "财政拨款", 60, 60, 50),
        (None, None, 1, 2, 3),  # no project name
        (f"{PROJECT}（合并）", "年度资金总额", 300, 300, 280),
        (None, "其中：当年财政拨款", 300, 300, 280),
    ]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            budget.cell(row=b + offset, column=col, value=value)
    last = b + len(rows) - 1
    budget.merge_cells(start_row=last - 1, start_column=1, end_row=last, end_column=1)
    budget.cell(row=last - 1, column=1, value=f"{PROJECT}（合并）")
    budget.cell(row=b, column=3).number_format = "#,##0.00"
    wb.save(path)
    set_cached_value(path, "xl/worksheets/sheet1.xml", f"F{kinds['公式已计算']}", "12")
    set_error_value(path, "xl/worksheets/sheet1.xml", f"F{kinds['错误值']}", "#N/A")
    return path


def actuals_hidden_copy(folder: Path) -> Path:
    """The sheet copied, the copy filled, the original hidden; a 单位：万元 note over the budget table."""
    path = folder / "actuals_hidden_copy.xlsx"
    shutil.copy(SAMPLE_ACTUALS, path)
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb["实际完成"])
    copy.title = "实际完成 (2)"
    wb["实际完成"].sheet_state = "hidden"
    budget = wb["预算执行"]
    budget.insert_rows(1)
    budget["A1"] = "单位：万元"
    for col in range(3, 6):
        budget.cell(row=2, column=col, value=str(budget.cell(row=2, column=col).value).split("（")[0])
    del wb["填写说明"]
    wb.save(path)
    return path


def actuals_renamed_sheet(folder: Path) -> Path:
    """Only a copy named 「实际完成 (2)」 and no budget sheet."""
    path = folder / "actuals_renamed.xlsx"
    shutil.copy(SAMPLE_ACTUALS, path)
    wb = openpyxl.load_workbook(path)
    wb["实际完成"].title = "实际完成 (2)"
    del wb["预算执行"]
    wb.save(path)
    return path


def _targets_base() -> openpyxl.Workbook:
    from evaluator.ingest.declarations import read_declarations
    from evaluator.ingest.targets_workbook import _build_workbook

    return _build_workbook(read_declarations(SAMPLE_TARGETS))


def targets_every_kind(folder: Path) -> Path:
    """The bundled targets as a workbook, with cells of every kind put in by hand."""
    path = folder / "targets_every_kind.xlsx"
    wb = _targets_base()
    projects = wb["项目"]
    names = [projects.cell(row=r, column=1).value for r in range(2, projects.max_row + 1)]
    projects.cell(row=2, column=8, value="420,000元")  # money as text
    projects.cell(row=3, column=6, value="2024年1月1日")  # a date as text
    projects.cell(row=3, column=7, value="2024-12-31")
    projects.cell(row=4, column=13, value="2024")  # 年度 as text
    projects.cell(row=5, column=12, value="=完成全部教学任务")  # a text saved as a formula
    projects.cell(row=6, column=4, value="  经常性项目 ")
    r = projects.max_row + 1
    projects.cell(row=r, column=1, value="没有指标的项目（虚构）")
    ws = wb["绩效指标"]
    ws.cell(row=2, column=6, value=0.2).number_format = "0%"  # 分值 as a percent cell
    ws.cell(row=3, column=6, value="15%")  # 分值 typed as a percentage
    ws.cell(row=4, column=6, value="10")  # 分值 as text
    ws.cell(row=5, column=6, value=12.5)
    ws.cell(row=6, column=5, value="=100(%)")  # a target saved as a formula
    ws.cell(row=7, column=5, value=0.95).number_format = "0.0%"  # a target as a percent number
    ws.cell(row=8, column=5, value=dt.datetime(2024, 6, 30))  # a target as a date
    ws.cell(row=9, column=5, value=3000)  # a target as a number
    ws.cell(row=10, column=2, value="产出")  # a level 1 name to canonicalise
    ws.cell(row=11, column=2, value="效益指标")  # a level 1 that the level 2 overrides
    ws.cell(row=12, column=3, value="自定义二级")  # a level 2 outside the taxonomy
    ws.cell(row=13, column=2, value=None)  # level 1 empty, filled from level 2
    ws.cell(row=14, column=3, value="数量")  # a level 2 alias
    ws.cell(row=15, column=4, value="  有空格的三级指标\u3000")
    ws.cell(row=16, column=5, value="＝１００％")  # full-width target
    ws.cell(row=17, column=5, value=True)
    r = ws.max_row + 2  # a blank row, then indicators under a merged project name
    for offset, level3 in enumerate(("合并项目指标一", "合并项目指标二", "合并项目指标三")):
        for col, value in enumerate((None, "产出指标", "数量指标", level3, f"≥{offset + 1}(个)", 1), start=1):
            ws.cell(row=r + offset, column=col, value=value)
    ws.cell(row=r, column=1, value=names[0])
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 2, end_column=1)
    ws.cell(row=1, column=9, value="备注")  # a column the reader does not know
    ws.cell(row=r + 1, column=9, value="表外备注")
    wb.save(path)
    return path


def _mutated_targets(folder: Path, name: str, change: Callable[[openpyxl.Workbook], None]) -> Path:
    path = folder / f"targets_{name}.xlsx"
    wb = _targets_base()
    change(wb)
    wb.save(path)
    return path


def _mutated_actuals(folder: Path, name: str, change: Callable[[openpyxl.Workbook], None]) -> Path:
    path = folder / f"actuals_{name}.xlsx"
    wb = openpyxl.load_workbook(SAMPLE_ACTUALS)
    change(wb)
    wb.save(path)
    return path


def _put(sheet: str, ref: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = value

    return change


def refused_workbooks(folder: Path) -> list[tuple[str, Path]]:
    """(reader, file) pairs that each stop the reader with one error."""

    def copy(sheet: str, ref: str, source: str) -> Callable[[openpyxl.Workbook], None]:
        def change(wb: openpyxl.Workbook) -> None:
            wb[sheet][ref] = wb[sheet][source].value

        return change

    def unknown_levels(wb: openpyxl.Workbook) -> None:
        wb["绩效指标"]["B4"], wb["绩效指标"]["C4"] = "乱写", "自定义二级"

    targets = [
        ("error_cell", _put("绩效指标", "E5", "#N/A")),
        ("duplicate_level3", copy("绩效指标", "D3", "D2")),
        ("unknown_project", _put("绩效指标", "A4", "不存在的项目")),
        ("empty_level3", _put("绩效指标", "D4", None)),
        ("bad_weight", _put("绩效指标", "F4", "十分")),
        ("formula_weight", _put("绩效指标", "F4", "=1+1")),
        ("bad_money", _put("项目", "H2", "很多")),
        ("bad_date", _put("项目", "F2", "明年")),
        ("bad_year", _put("项目", "M2", "今年")),
        ("duplicate_project", copy("项目", "A3", "A2")),
        ("empty_project", _put("项目", "A3", None)),
        ("empty_level2", _put("绩效指标", "C4", None)),
        ("bad_level1", unknown_levels),
        ("missing_column", _put("绩效指标", "E1", "目标")),
    ]
    out: list[tuple[str, Path]] = [("targets", _mutated_targets(folder, n, c)) for n, c in targets]
    actuals = [
        ("bad_amount", _put("预算执行", "C2", "很多")),
        ("negative_amount", _put("预算执行", "D2", -5)),
        ("bool_amount", _put("预算执行", "E2", True)),
        ("bad_fund", _put("预算执行", "B3", "自筹")),
        ("missing_actual_column", _put("实际完成", "F1", "完成情况")),
        ("missing_budget_columns", _put("预算执行", "A1", "名称")),
    ]

    def two_visible(wb: openpyxl.Workbook) -> None:
        wb.copy_worksheet(wb["实际完成"]).title = "实际完成 (2)"

    def no_sheet(wb: openpyxl.Workbook) -> None:
        wb["实际完成"].title = "完成情况"

    actuals += [("two_visible", two_visible), ("no_actuals_sheet", no_sheet)]
    out += [("actuals", _mutated_actuals(folder, name, change)) for name, change in actuals]
    return out


def cases(folder: Path) -> list[tuple[str, str, Path]]:
    """(label, reader, file) for every workbook the golden file covers."""
    from evaluator.ingest.declarations import read_declarations
    from evaluator.ingest.targets_workbook import write_targets_workbook

    sample_targets = folder / "sample_targets.xlsx"
    write_targets_workbook(read_declarations(SAMPLE_TARGETS), sample_targets)
    found = [
        ("sample_actuals", "actuals", SAMPLE_ACTUALS),
        ("sample_targets", "targets", sample_targets),
        ("actuals_every_kind", "actuals", actuals_every_kind(folder)),
        ("actuals_hidden_copy", "actuals", actuals_hidden_copy(folder)),
        ("actuals_renamed", "actuals", actuals_renamed_sheet(folder)),
        ("targets_every_kind", "targets", targets_every_kind(folder)),
    ]
    found += [(path.stem, reader, path) for reader, path in refused_workbooks(folder)]
    return found


def dump(reader: str, path: Path) -> list[str]:
    """Every record, repair and error of one read as `repr` lines."""
    from evaluator.errors import EvaluatorError
    from evaluator.ingest.actuals_workbook import read_actuals_workbook
    from evaluator.ingest.targets_workbook import read_targets_workbook

    try:
        if reader == "actuals":
            acts = read_actuals_workbook(path)
            lines = [repr(row) for row in acts.rows] + [repr(row) for row in acts.budgets]
            lines += [repr(repair) for repair in acts.repairs]
            return lines
        decl = read_targets_workbook(path)
    except EvaluatorError as exc:
        return [f"error {type(exc).__name__}: {exc}", repr(exc.source), repr(exc.value)]
    lines = []
    for project in decl.projects:
        lines.append(repr(dataclass_without(project, "indicators")))
        lines += [repr(indicator) for indicator in project.indicators]
    lines += [repr(repair) for repair in decl.repairs]
    return lines


def dataclass_without(record: object, name: str) -> object:
    import dataclasses

    return dataclasses.replace(record, **{name: ()})  # type: ignore[type-var]


def dumps(folder: Path) -> dict[str, list[str]]:
    return {label: dump(reader, path) for label, reader, path in cases(folder)}


def main() -> None:
    import tempfile

    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        data = dumps(Path(tmp))
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(data)} workbooks)")


if __name__ == "__main__":
    main()
