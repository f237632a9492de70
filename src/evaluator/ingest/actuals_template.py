"""The year-end actuals template: the workbook a unit fills in, written from the declarations.

One row per declared indicator with the reference columns (project, levels, target) filled in and
locked, the input columns open and explained, drop-downs for 完成档次 and 超额原因, the budget sheet
with one row per project and funding source, and a 填写说明 sheet. The reader for the filled
workbook is `actuals_workbook`, which owns the sheet and column names both sides use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.common.files import declared_year, write_office_atomically
from evaluator.common.numbers import format_percent
from evaluator.common.text import normalize_text
from evaluator.config.profiles import load_profile
from evaluator.errors import InputError, OutputError
from evaluator.ingest.actuals_workbook import (
    ACTUALS_SHEET,
    BUDGET_SHEET,
    FUND_PARTS,
    FUND_TOTAL,
    GUIDE_SHEET,
    OVERACHIEVE_CHOICES,
    TIER_CHOICES,
)
from evaluator.ingest.cells import put_safe_text, wrapped_lines
from evaluator.models import Declarations, ReportRules

_REFERENCE_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
_HEADER_FILL = PatternFill("solid", start_color="BDD7EE", end_color="BDD7EE")
_NEEDED_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
_CHANGE_WORDS = re.compile(r"较上年|比上年|同比|(增长|增加|提高|下降|降低|减少)\s*[0-9.]+\s*(%|个百分点)")

_ACTUALS_LAYOUT: tuple[tuple[str, str, float], ...] = (
    # field, header, column width
    ("project", "项目名称", 28),
    ("level1", "一级指标", 11),
    ("level2", "二级指标", 14),
    ("level3", "三级指标", 28),
    ("target", "年度指标值", 16),
    ("actual", "实际完成值", 16),
    ("last_year", "上年实际值", 13),
    ("tier", "完成档次", 11),
    ("points", "评定得分", 10),
    ("deviation", "偏差原因分析及改进措施", 36),
    ("overachieve", "超额原因", 16),
)

_BUDGET_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("project", "项目名称", 36),
    ("fund", "资金来源", 20),
    ("initial", "年初预算数（元）", 18),
    ("adjusted", "全年预算数（元）", 18),
    ("executed", "全年执行数（元）", 18),
)


def guide_lines(rules: ReportRules) -> tuple[str, ...]:
    """The 填写说明 sheet, with the tier bands, the over-achievement ratio and cause in the profile's words."""
    bands = "，".join(f"{tier} {_share(low)}–{_share(high)}" for tier, _label, low, high in rules.tiers)
    ratio = format_percent(rules.overachieve_flag_ratio, 0, trim=True)
    causes = " / ".join(overachieve_choices(rules))
    marker = rules.overachieve_cause_marker
    return _guide_text(bands, ratio, causes, marker)


def _share(ratio: float) -> str:
    return "0" if ratio == 0 else format_percent(ratio, 0, trim=True)


def overachieve_choices(rules: ReportRules) -> tuple[str, ...]:
    """The 超额原因 drop-down: the profile's cause marker (the one that can cost points) first."""
    marker = rules.overachieve_cause_marker
    return (marker, *(c for c in OVERACHIEVE_CHOICES if c != marker))


def _guide_text(bands: str, ratio: str, causes: str, marker: str) -> tuple[str, ...]:
    return (
        "年末实际完成值填报说明",
        "",
        "一、总体要求",
        "1. 本表由项目实施单位在年度结束后填写，用于项目支出绩效自评打分。",
        "2. 灰色底纹的列（项目名称、一级指标、二级指标、三级指标、年度指标值）来自绩效目标申报表，仅供对照，"
        "已锁定，请勿修改；只在白色（或浅黄色）单元格中填写。工作表保护未设密码，确需调整时可在"
        "“审阅—撤销工作表保护”中解除。",
        "3. 可以调整行高、列宽、插入行和筛选；如需调整行的顺序或合并单元格，可先撤销工作表保护（无密码）。"
        "请不要修改第一行的列标题文字，程序按列标题识别各列；空行会被忽略。",
        "",
        "二、“实际完成”工作表",
        "1. 实际完成值：填写全年实际达到的数值或情况，每行一个值。",
        "   · 数量类指标直接填写数字，单位与年度指标值相同时可不写单位，例如年度指标值为“≥3000(人次)”，填 3050 "
        "或 3050人次；单位不同时请写明单位，例如 1.2万人次。",
        "   · 百分比类指标填写百分数，例如 98.5% 或 98.5（视为百分数）；单元格设为百分比格式也可以。",
        "   · 金额请写明单位（元或万元），例如 12.5万元。",
        "   · 定性指标填写实际情况用语，例如“及时”“是”“完成”“基本完成”“未完成”，也可以简要说明情况；"
        "无法判断的表述将列为“需人工判断”，不会自动给满分。",
        "   · 时间类指标（如“2024年6月底前完成”）填写实际完成日期，格式为 2024-11-30（或 2024年11月30日）。",
        "   · 未开展或无数据时请留空，并在“偏差原因分析及改进措施”中说明；不要填 0 代替空白。",
        "2. 上年实际值：年度指标值为“较上年增长/下降××%”“增长1%”一类时必须填写上年全年实际值（浅黄色单元格），"
        "否则该指标无法评分。其他指标可不填。",
        "3. 完成档次：定性指标可从下拉列表选择“达成 / 部分达成 / 未达成”；不选时程序根据实际完成值的用语判断。",
        "4. 评定得分：定性指标如已由评价小组评定分数，可在此填写，须在所选档次的分数区间内"
        f"（{bands} 的指标分值）。定量指标不填，由程序计算。",
        "5. 偏差原因分析及改进措施：实际完成值未达到年度指标值，"
        f"或超过年度指标值较多（达到指标值的{ratio}及以上）时必须填写，"
        "说明原因和下一步改进措施。",
        f"6. 超额原因：超额完成时从下拉列表选择原因（{causes}），也可直接输入文字。"
        f"选择“{marker}”时，按评分规则可能相应扣减得分。",
        "",
        "三、“预算执行”工作表",
        "1. 金额单位为元，保留两位小数；年初预算数已按申报表预填，如与批复不一致请改正。",
        "2. 全年预算数填写调整后的全年预算（含追加、调减），全年执行数填写全年实际支出。"
        "预算执行率 = 全年执行数 ÷ 全年预算数，按“年度资金总额”行计算得分。",
        "   · 每个项目有四行：年度资金总额，以及其中的当年财政拨款、上年结转资金、其他资金；"
        "分项行用于自评表的“项目资金”栏，可以不填。只填分项、不填年度资金总额行时，程序按分项合计。",
        "3. 如习惯按万元填写，请把三个金额列标题中的“（元）”改为“（万元）”，程序会自动换算为元；"
        "同一列内请使用同一单位。",
        "4. 金额只填数字，不要填写文字或负数；未执行填 0，未知时留空。",
        "",
        "四、其他",
        "1. 公式单元格请在 Excel 或 WPS 中打开并保存一次后再提交，以便保存计算结果。",
        "2. 表中项目名称、三级指标名称请勿改动；如新增了申报表以外的指标行，程序会单独列出，不参与评分。",
    )


def compares_with_last_year(target_text: str) -> bool:
    """Targets such as 增长1% or 较上年下降5% can only be scored with last year's actual."""
    return bool(_CHANGE_WORDS.search(unicodedata.normalize("NFKC", target_text)))


def _write_header(ws: Worksheet, layout: Iterable[tuple[str, str, float]]) -> None:
    for col, (_field, header, width) in enumerate(layout, start=1):
        cell = put_safe_text(ws.cell(row=1, column=col), header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"


def _protect(ws: Worksheet) -> None:
    """Lock the reference cells but leave resizing, filtering and the input cells to the user (no password)."""
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.autoFilter = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


LINE_HEIGHT = 15.0  # points per wrapped line at the default 11 pt


def _printable(ws: Worksheet, landscape: bool = True) -> None:
    """A4, one page wide, the header row repeated on every page, the printer choosing the page breaks."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if landscape:
        ws.print_title_rows = "1:1"


def _fit_row(ws: Worksheet, row: int, texts: Iterable[tuple[str, float]]) -> None:
    """Tall enough for every wrapped text in the row: no text cut off on screen or paper."""
    lines = max((wrapped_lines(text, width) for text, width in texts if text), default=1)
    ws.row_dimensions[row].height = max(18.0, lines * LINE_HEIGHT + 3)


def _style_cell(cell, *, reference: bool) -> None:
    cell.border = _BORDER
    cell.alignment = _WRAP
    if reference:
        cell.fill = _REFERENCE_FILL
        cell.protection = Protection(locked=True)
    else:
        cell.protection = Protection(locked=False)


def write_actuals_template(decl: Declarations, path: Path, rules: ReportRules | None = None) -> None:
    """Write the workbook a unit fills in at year end: one row per declared third-level indicator.

    其中 sub-rows and numbered parent rows get no row: they are never scored and need no actual.

    `rules` (the profile that will score it; the default profile when None) words the instructions.
    """
    rules = rules or load_profile().report_rules()
    if not decl.projects:
        raise InputError("申报表中没有读到任何项目，无法生成实际完成值填报模板", value=decl.source_file or None)
    wb = Workbook()
    ws = wb.active
    ws.title = ACTUALS_SHEET
    _write_header(ws, _ACTUALS_LAYOUT)
    fields = [field for field, _h, _w in _ACTUALS_LAYOUT]
    row = 1
    for project in decl.projects:
        for indicator in project.indicators:
            if not indicator.scored:
                continue  # a 其中 sub-row or a numbered parent row: shown in the table, never scored
            row += 1
            reference = {
                "project": project.name,
                "level1": indicator.level1,
                "level2": indicator.level2,
                "level3": indicator.level3,
                "target": normalize_text(indicator.target_text),  # shown cleaned, as in the 自评表
            }
            for col, field in enumerate(fields, start=1):
                cell = ws.cell(row=row, column=col)
                if field in reference:
                    put_safe_text(cell, reference[field])
                _style_cell(cell, reference=field in reference)
            widths = {field: width for field, _h, width in _ACTUALS_LAYOUT}
            _fit_row(ws, row, ((str(text), widths[field]) for field, text in reference.items()))
            if compares_with_last_year(indicator.target_text):
                needed = ws.cell(row=row, column=fields.index("last_year") + 1)
                needed.fill = _NEEDED_FILL
                needed.comment = Comment("本行年度指标值与上年比较，请填写上年全年实际值。", "evaluator")
    last = max(row, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{last}"

    tier_col = get_column_letter(fields.index("tier") + 1)
    tiers = DataValidation(
        type="list",
        formula1='"' + ",".join(TIER_CHOICES) + '"',
        allow_blank=True,
        showDropDown=False,  # (sic) False means the in-cell arrow IS shown
        showErrorMessage=True,
        errorTitle="完成档次",
        error="请从下拉列表选择：达成、部分达成或未达成。",
        promptTitle="完成档次",
        prompt="定性指标选择：达成 / 部分达成 / 未达成",
        showInputMessage=True,
    )
    tiers.add(f"{tier_col}2:{tier_col}{last}")
    ws.add_data_validation(tiers)

    cause_col = get_column_letter(fields.index("overachieve") + 1)
    causes = DataValidation(
        type="list",
        formula1='"' + ",".join(overachieve_choices(rules)) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=False,  # free text is allowed as well
        promptTitle="超额原因",
        prompt="超额完成时选择原因，也可直接输入文字",
        showInputMessage=True,
    )
    causes.add(f"{cause_col}2:{cause_col}{last}")
    ws.add_data_validation(causes)
    _protect(ws)
    _printable(ws)

    budget = wb.create_sheet(BUDGET_SHEET)
    _write_header(budget, _BUDGET_LAYOUT)
    row = 1
    for project in decl.projects:
        declared = (project.total_funds, project.fiscal_funds, project.carryover_funds, project.other_funds)
        for fund, amount in zip((FUND_TOTAL, *FUND_PARTS), declared, strict=True):
            row += 1
            for col, text in ((1, project.name), (2, fund if fund == FUND_TOTAL else f"其中：{fund}")):
                cell = budget.cell(row=row, column=col)
                put_safe_text(cell, text)
                _style_cell(cell, reference=True)
            for col in range(3, len(_BUDGET_LAYOUT) + 1):
                cell = budget.cell(row=row, column=col)
                cell.number_format = "#,##0.00"
                _style_cell(cell, reference=False)
            if amount is not None:
                budget.cell(row=row, column=3, value=amount)
            if fund != FUND_TOTAL:
                budget.cell(row=row, column=2).font = Font(color="595959")
    _protect(budget)
    _printable(budget)

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    _printable(guide, landscape=False)
    for index, line in enumerate(guide_lines(rules), start=1):
        cell = guide.cell(row=index, column=1)
        if line:
            put_safe_text(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line:
            _fit_row(guide, index, [(line, 110)])
        if index == 1:
            cell.font = Font(bold=True, size=14)
        elif line[:2] in ("一、", "二、", "三、", "四、"):
            cell.font = Font(bold=True)

    path = Path(path)
    try:
        write_office_atomically(path, wb.save, declared_year(decl))
    except OutputError as exc:
        message = f"无法写入填报模板（文件是否已在 Excel 中打开？）：{exc.message}"
        raise OutputError(message, value=str(path)) from exc
