"""Read 财政项目支出绩效目标申报表 from text extracted out of PDFs (tab-separated cells, OCR noise).

PDF extraction loses the table grid: merged cells come out once and leave the following rows
shorter, page breaks repeat labels, OCR garbles some level names. The reader therefore reads
cells by what they say, not where they stand: level names are recognised through the taxonomy,
the last two other cells of a row are the 三级指标 and its 年度指标值, and a missing or garbled
level is taken from the taxonomy or the rows around it. Every such decision becomes a `Repair`
so that a person can check it; a line that fits nowhere is listed as unplaced.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.common.dates import DateProblem, read_date
from evaluator.common.text import label_key, normalize_text, normalized_if_changed
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import InputError
from evaluator.ingest.formats.sniff import utf16_without_bom
from evaluator.ingest.weight_cell import UnreadableWeight, read_weight
from evaluator.models import Declarations, Indicator, Project, Repair, SourceRef

FORM_HEADING = "财政项目支出绩效目标申报表"

# Header labels → the Project field they fill. Group labels carry no value of their own.
_FIELD_LABELS: dict[str, str] = {
    "项目名称": "name",
    "项目性质": "nature",
    "项目类别": "category",
    "主管部门": "department",
    "实施单位": "implementer",
    "计划开始日期": "start_date",
    "计划完成日期": "end_date",
    "年度资金申请总额": "total_funds",
    "年度资金总额": "total_funds",
    "当年财政拨款": "fiscal_funds",
    "上年结转资金": "carryover_funds",
    "上年结转": "carryover_funds",
    "其他资金": "other_funds",
}
_FIELD_NAMES_ZH: dict[str, str] = {
    "name": "项目名称",
    "nature": "项目性质",
    "category": "项目类别",
    "department": "主管部门",
    "implementer": "实施单位",
    "start_date": "计划开始日期",
    "end_date": "计划完成日期",
    "total_funds": "年度资金申请总额",
    "fiscal_funds": "当年财政拨款",
    "carryover_funds": "上年结转资金",
    "other_funds": "其他资金",
}
_MONEY_FIELDS = ("total_funds", "fiscal_funds", "carryover_funds", "other_funds")
_DATE_FIELDS = ("start_date", "end_date")
_GROUP_LABELS = frozenset({"项目资金总额", "财政资金", "项目资金", "项目绩效目标", "绩效指标"})
_GOAL_LABEL = "年度总体目标"
_TOTAL_GOAL_LABEL = "项目总目标"
_TABLE_MARKERS = frozenset({"绩效指标", "项目绩效目标"})
_MONEY_BLOCK = re.compile(r"^项目资金\((万?元)\)$")
_YEAR_LINE = re.compile(r"^\((\d{4})年度?\)$")
_YEAR_IN_HEADING = re.compile(r"(\d{4})年度?")
_RULE_LINE = re.compile(r"^[\s|:\-+=]*-{2,}[\s|:\-+=]*$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# Words that make an indicator a satisfaction measure (or a proxy for one, such as complaints).
_SATISFACTION_WORDS = ("满意", "投诉", "评价", "认可", "获得感", "幸福感")


# ---------------------------------------------------------------------------------------------
# Bytes → text
# ---------------------------------------------------------------------------------------------


def read_text_file(path: Path, where: SourceRef | None = None) -> str:
    """A text file's content, decoded as `decode_text` does; an unreadable file is an InputError naming it.

    The one way every text route (the seed's form, pipe/markdown tables, the dispatcher's sniffing)
    opens a file, so an encoding or permission problem gets one message wherever it is met.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", where or SourceRef(Path(path).name)) from exc
    text, _encoding = decode_text(data, Path(path).name)
    return text


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode a declaration file; returns (text, encoding name). Refuses binary and unknown encodings."""
    where = SourceRef(file)
    if not data.strip():
        raise InputError("文件为空，没有可读取的内容", where)
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8-BOM")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    elif (utf16 := _utf16_lines(data)) is not None:  # Windows tools save UTF-16 without a BOM
        candidates = [(utf16, "UTF-16LE" if utf16.endswith("le") else "UTF-16BE")]
    else:
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise InputError(
                "不是文本文件：该行含空字节（NUL，\\x00），不是 UTF-8 或 GB18030 文本"
                "（可能是二进制文件，或是未写明编码的 UTF-16 文本）；请在记事本中另存为 UTF-8 后重试",
                SourceRef(file, line=line),
            )
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        _refuse_binary_text(text, where)
        if not text.strip():
            raise InputError("文件为空，没有可读取的内容", where)
        return text, label
    tried = "、".join(label for _, label in candidates)
    raise InputError(f"无法识别文件编码（已尝试 {tried}），请另存为 UTF-8 或 GB18030 后重试", where)


def _utf16_lines(data: bytes) -> str | None:
    """The UTF-16 codec of BOM-less text, only when it decodes to lines (a few binary bytes can look like UTF-16)."""
    codec = utf16_without_bom(data)
    if codec is None:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if "\n" in text and "\x00" not in text else None


def _refuse_binary_text(text: str, where: SourceRef) -> None:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(3, len(text) // 100):
        raise InputError("不是文本文件（含大量控制字符），请提供 PDF 提取的文本或 .xlsx 工作簿", where)


# ---------------------------------------------------------------------------------------------
# Lines and cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    col: int  # 0-based position among the tab-separated cells
    text: str  # stripped raw text
    key: str  # label_key(text)


@dataclass(frozen=True)
class _Line:
    number: int
    raw: str
    cells: tuple[_Cell, ...]  # non-empty cells only


def _split_line(number: int, raw: str) -> _Line:
    cells = []
    for col, part in enumerate(raw.split("\t")):
        text = part.strip()
        if text:
            cells.append(_Cell(col, text, label_key(text)))
    return _Line(number, raw, tuple(cells))


def _field_of(key: str) -> str | None:
    key = key.removeprefix("其中：").removeprefix("其中:")
    return _FIELD_LABELS.get(key)


def _is_header_label(key: str) -> bool:
    bare = key.removeprefix("其中：").removeprefix("其中:")
    return (
        bare in _FIELD_LABELS
        or bare in _GROUP_LABELS
        or bare in (_GOAL_LABEL, _TOTAL_GOAL_LABEL)
        or _MONEY_BLOCK.match(bare) is not None
    )


def _is_form_heading(line: _Line) -> bool:
    return len(line.cells) == 1 and FORM_HEADING in line.cells[0].key


def _is_table_header(line: _Line) -> bool:
    keys = {c.key for c in line.cells}
    return "一级指标" in keys and "三级指标" in keys


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def parse_money(text: str, source: SourceRef, factor: float = 1.0) -> float:
    """`1,400,000.00` → 1400000.0 (in 元); a trailing 元/万元 is understood."""
    cleaned = normalize_text(text).replace(",", "").replace(" ", "")
    if cleaned.endswith("万元"):
        cleaned, factor = cleaned[:-2], 10000.0
    elif cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    if not _NUMBER.match(cleaned):
        raise InputError("金额不是数字", source, text)
    return float(cleaned) * factor


def parse_date(text: str, source: SourceRef) -> dt.date:
    """A declared 计划开始/完成日期: a full date (2024-01-01, 2024年1月1日/号) or a date serial; nothing assumed."""
    try:
        reading = read_date(text, serials=True)
    except DateProblem as exc:
        raise InputError("日期不存在", source, text) from exc
    if reading is None or not reading.exact:
        raise InputError("日期无法识别（应为 2024-01-01 或 2024年1月1日）", source, text)
    return reading.date


def _is_satisfaction_like(indicator: Indicator) -> bool:
    text = indicator.level3 + indicator.target_text
    return any(word in text for word in _SATISFACTION_WORDS)


# ---------------------------------------------------------------------------------------------
# Notes: every decision the reader takes becomes a Repair
# ---------------------------------------------------------------------------------------------


@dataclass
class _Notes:
    """The Repairs of one file, in the order they are taken (sorted by line only at the end)."""

    file: str
    repairs: list[Repair] = field(default_factory=list)

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.file, line=line)

    def note(self, line: _Line | int, found: str, decision: str, kind: str = "repair") -> None:
        number = line if isinstance(line, int) else line.number
        self.repairs.append(Repair(self.ref(number), found, decision, kind))

    def unplaced(self, line: _Line, why: str) -> None:
        self.note(line, line.raw.strip(), f"无法归入申报表的任何栏目（{why}），未读取，请人工核对", "unplaced")


def _starts_project(line: _Line) -> bool:
    return any(_field_of(c.key) == "name" for c in line.cells)


# ---------------------------------------------------------------------------------------------
# Step 1: text → lines; the lines before the first form
# ---------------------------------------------------------------------------------------------


def _read_lines(text: str) -> list[_Line]:
    """The text's lines that hold at least one cell; blank lines carry nothing anywhere in a form."""
    lines = (_split_line(number, raw) for number, raw in enumerate(text.splitlines(), start=1))
    return [line for line in lines if line.cells]


def _skip_preamble(lines: list[_Line], notes: _Notes) -> int:
    """Index of the first form's first line; what stands above it is the document title or unplaced."""
    for index, line in enumerate(lines):
        if _is_form_heading(line) or _starts_project(line):
            return index
        if len(line.cells) == 1 and ("汇总表" in line.cells[0].key or "目标表" in line.cells[0].key):
            continue  # the document's own title, above the first form
        notes.note(line, line.raw.strip(), "位于第一张申报表之前，无法归入任何项目，未读取", "unplaced")
    return len(lines)


@dataclass(frozen=True)
class _FormStart:
    line: int  # where the form begins (its heading, or the 项目名称 row of a form without one)
    year: int | None  # the year its heading names


def _open_form(lines: list[_Line], index: int, notes: _Notes) -> tuple[_FormStart, int]:
    """The form that begins at `index` (a heading or a 项目名称 row) and the index its header starts at.

    A heading is consumed; a 项目名称 row without a heading above it is the header's own first row.
    """
    line = lines[index]
    if _is_form_heading(line):
        year = _YEAR_IN_HEADING.search(line.cells[0].key)
        return _FormStart(line.number, int(year.group(1)) if year else None), index + 1
    notes.note(line, line.raw.strip(), f"缺少「{FORM_HEADING}」标题，按「项目名称」行开始新的申报表")
    return _FormStart(line.number, None), index


# ---------------------------------------------------------------------------------------------
# Step 2: the header fields (项目名称 … 年度总体目标)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Header:
    """The header block as read so far: raw field values with their lines, the goal text in pieces."""

    year: int | None
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    money_factor: float = 1.0
    in_goal: bool = False  # after 年度总体目标, unlabelled rows are goal text
    goal_parts: list[str] = field(default_factory=list)
    goal_lines: list[int] = field(default_factory=list)
    goal_col: int | None = None
    total_goal_col: int | None = None

    @property
    def name(self) -> str:
        return self.values.get("name", ("", 0))[0]


def _read_header(
    lines: list[_Line], index: int, start: _FormStart, taxonomy: Taxonomy, notes: _Notes
) -> tuple[_Header, int]:
    """Read header rows from `index`; returns the header and the index where the table or the next form begins."""
    header = _Header(start.year)
    while index < len(lines):
        line = lines[index]
        if _is_form_heading(line) or (_starts_project(line) and header.name):
            break
        if _RULE_LINE.match(line.raw):
            notes.note(line, line.raw.strip(), "Markdown 表格分隔线，不是数据，已忽略")
        elif _is_table_header(line):
            break
        elif (year := _year_line(header, line)) is not None:
            header.year = year
        elif any(_is_header_label(c.key) for c in line.cells):
            _read_header_cells(header, line, notes)
        elif header.in_goal:
            for cell in line.cells:
                _add_goal_text(header, line, cell, notes)
        elif _looks_like_indicator_row(taxonomy, line):
            notes.note(line, line.raw.strip(), "指标表缺少「一级指标/二级指标/三级指标」表头行，从本行起按指标行读取")
            break
        else:
            notes.unplaced(line, "表头区域中不是已知栏目")
        index += 1
    return header, index


def _year_line(header: _Header, line: _Line) -> int | None:
    """The year of a lone `(2024年度)` row standing above the header's first field."""
    if header.year is not None or header.values or len(line.cells) != 1:
        return None
    match = _YEAR_LINE.match(line.cells[0].key)
    return int(match.group(1)) if match else None


def _looks_like_indicator_row(taxonomy: Taxonomy, line: _Line) -> bool:
    labels = sum(1 for c in line.cells if _level_of(taxonomy, c) is not None)
    return labels >= 1 and len(line.cells) - labels >= 2


def _read_header_cells(header: _Header, line: _Line, notes: _Notes) -> None:
    cells = line.cells
    for i, cell in enumerate(cells):
        bare = cell.key.removeprefix("其中：").removeprefix("其中:")
        money_block = _MONEY_BLOCK.match(bare)
        if money_block and money_block.group(1) == "万元":
            header.money_factor = 10000.0
            notes.note(line, cell.text, "项目资金以万元填报，金额已换算为元")
        if bare == _TOTAL_GOAL_LABEL:
            header.total_goal_col = cell.col
        if bare == _GOAL_LABEL:
            header.in_goal = True
            header.goal_col = cell.col
            rest = [c for c in cells[i + 1 :] if not _is_header_label(c.key)]
            for later in rest:
                _add_goal_text(header, line, later, notes)
            return
        name = _field_of(cell.key)
        if name is None:
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is None or _is_header_label(nxt.key):
            if name not in header.values and not any(_field_of(c.key) == name for c in cells[i + 1 :]):
                notes.note(line, cell.text, f"「{_FIELD_NAMES_ZH[name]}」没有填写内容", "warning")
            continue
        _set_value(header, line, name, nxt.text, notes)
    # cells that are neither labels nor the value right after a label
    placed = set()
    for i, cell in enumerate(cells):
        if _is_header_label(cell.key):
            placed.add(i)
            if _field_of(cell.key) and i + 1 < len(cells) and not _is_header_label(cells[i + 1].key):
                placed.add(i + 1)
    for i, cell in enumerate(cells):
        if i not in placed:
            notes.note(line, cell.text, "表头行中多出的单元格，无法对应任何栏目，未读取", "unplaced")


def _set_value(header: _Header, line: _Line, name: str, value: str, notes: _Notes) -> None:
    if name in header.values:
        old, old_line = header.values[name]
        if label_key(old) != label_key(value):
            notes.note(
                line,
                value,
                f"「{_FIELD_NAMES_ZH[name]}」重复出现，与第{old_line}行的「{old}」不同，保留第{old_line}行的值",
                "warning",
            )
        return
    header.values[name] = (value, line.number)


def _add_goal_text(header: _Header, line: _Line, cell: _Cell, notes: _Notes) -> None:
    if header.total_goal_col is not None and header.goal_col is not None:
        if abs(cell.col - header.total_goal_col) < abs(cell.col - header.goal_col):
            notes.note(line, cell.text, "位于「项目总目标」栏，本模型只读取年度总体目标，未读取", "warning")
            return
    header.goal_parts.append(cell.text)
    header.goal_lines.append(line.number)


# ---------------------------------------------------------------------------------------------
# Step 3: the indicator rows, cell by cell (which cell is a level label, the 三级指标, the value, the 分值)
# ---------------------------------------------------------------------------------------------


@dataclass
class _TableColumns:
    level1: int | None = None
    level2: int | None = None
    level3: int | None = None
    target: int | None = None
    weight: int | None = None


@dataclass(frozen=True)
class _Row:
    """One indicator-table row by what its cells say; the levels are placed in step 4."""

    line: _Line
    labels: tuple[tuple[_Cell, str], ...]  # level-label cells with their kind ('l1', 'l2', 'cost')
    garbled: tuple[_Cell, ...]  # cells before the 三级指标 that name no level
    level3: _Cell | None  # None: a row of level labels only
    target: _Cell | None  # None: the 年度指标值 was left blank
    weight: float | None
    columns: _TableColumns | None  # the table header the row stands under


def _level_of(taxonomy: Taxonomy, cell: _Cell) -> str | None:
    """'l1', 'l2', 'cost' (成本指标: either level) or None for a cell that names no level."""
    as_l1 = taxonomy.canonical_level1(cell.text)
    as_l2 = taxonomy.canonical_level2(cell.text)
    if as_l1 and as_l2:
        return "cost"
    if as_l1:
        return "l1"
    if as_l2:
        return "l2"
    return None


def _read_table(
    lines: list[_Line], index: int, start: _FormStart, taxonomy: Taxonomy, notes: _Notes
) -> tuple[list[_Row], int]:
    """Read table rows from `index`; returns them and the index where the next form begins.

    A 项目名称 row begins the next form — unless it is the row this form began at (one that also holds the
    table header).
    """
    columns: _TableColumns | None = None
    rows: list[_Row] = []
    while index < len(lines):
        line = lines[index]
        if _is_form_heading(line) or (_starts_project(line) and line.number != start.line):
            break
        if _RULE_LINE.match(line.raw):
            notes.note(line, line.raw.strip(), "Markdown 表格分隔线，不是数据，已忽略")
        elif _is_table_header(line):
            columns = _read_table_header(line)
        elif (row := _read_indicator_row(line, columns, taxonomy, notes)) is not None:
            rows.append(row)
        index += 1
    return rows, index


def _read_table_header(line: _Line) -> _TableColumns:
    columns = _TableColumns()
    for cell in line.cells:
        if cell.key == "一级指标":
            columns.level1 = cell.col
        elif cell.key == "二级指标":
            columns.level2 = cell.col
        elif cell.key == "三级指标":
            columns.level3 = cell.col
        elif "指标值" in cell.key:
            columns.target = cell.col
        elif cell.key in ("分值", "权重", "指标分值"):
            columns.weight = cell.col
    return columns


def _read_indicator_row(line: _Line, columns: _TableColumns | None, taxonomy: Taxonomy, notes: _Notes) -> _Row | None:
    cells = [c for c in line.cells if c.key not in _TABLE_MARKERS]
    if not cells:
        notes.note(line, line.raw.strip(), "跨页重复的表格标签，不是数据，已忽略")
        return None
    if any(_field_of(c.key) == "name" for c in cells):
        notes.unplaced(line, "指标表中出现项目名称行")
        return None
    weight: float | None = None
    if columns and columns.weight is not None and len(cells) >= 3 and cells[-1].col >= columns.weight:
        weight, taken = _weight_of(line, cells[-1], notes)
        if taken:
            cells = cells[:-1]

    levels = [_level_of(taxonomy, c) for c in cells]
    if all(levels):
        labels = tuple(zip(cells, levels, strict=True))
        return _Row(line, labels, (), None, None, weight, columns)  # type: ignore[arg-type]
    # A row reads [level labels …] 三级指标 年度指标值: the last two cells are the indicator even
    # when a name such as 满意度 looks like a level — unless the cell before the last is a full
    # level name (…指标), which means the target was left blank.
    target_cell: _Cell | None
    if len(cells) >= 2 and levels[-2] is not None and cells[-2].key.endswith("指标"):
        prefix, level3_cell, target_cell = list(range(len(cells) - 1)), cells[-1], None
    elif len(cells) >= 2:
        prefix, level3_cell, target_cell = list(range(len(cells) - 2)), cells[-2], cells[-1]
    elif cells[0].key.endswith("指标") and len(cells[0].key) <= 8:
        notes.note(line, cells[0].text, "无法识别的指标层级标签（识别噪声），本行没有三级指标，已忽略")
        return None
    else:
        notes.unplaced(line, "只有一个单元格，既不是指标层级也无法确定三级指标与指标值")
        return None
    labels = tuple((cells[i], levels[i]) for i in prefix if levels[i] is not None)
    garbled = tuple(cells[i] for i in prefix if levels[i] is None)
    return _Row(line, labels, garbled, level3_cell, target_cell, weight, columns)  # type: ignore[arg-type]


def _weight_of(line: _Line, cell: _Cell, notes: _Notes) -> tuple[float | None, bool]:
    """(points, whether the cell is the 分值) through the one weight reader every format uses.

    `20%` and `10分` are weights as much as `10` is; left in the row they became the target and
    pushed the target into the 三级指标. A cell that is no weight at all stays in the row.
    """
    try:
        points, note = read_weight(cell.text)
    except UnreadableWeight:
        return None, False
    if points is None:
        return None, False
    if note:
        notes.note(line, cell.text, note)
    return points, True


# ---------------------------------------------------------------------------------------------
# Step 4: the levels — carried down from row to row, repaired through the taxonomy
# ---------------------------------------------------------------------------------------------

_Levels = tuple[str | None, str | None]  # the running (一级指标, 二级指标)


def _place_levels(rows: list[_Row], project: str, taxonomy: Taxonomy, notes: _Notes) -> list[Indicator]:
    """Give every row its levels (from its labels, the taxonomy or the rows above) and make it an Indicator."""
    levels: _Levels = (None, None)
    indicators: list[Indicator] = []
    seen_level3: dict[str, int] = {}
    for row in rows:
        line = row.line
        if row.level3 is None:
            levels = _read_label_only_row(line, list(row.labels), levels, taxonomy, notes)
            continue
        levels, basis = _resolve_levels(line, list(row.labels), levels, taxonomy, notes)
        level1, level2 = levels
        if level1 is None or level2 is None:
            notes.unplaced(line, "无法确定一级或二级指标")
            continue
        for cell in row.garbled:
            notes.note(
                line,
                cell.text,
                f"无法识别的指标层级标签（识别噪声），按{basis}确定为「{level1}／{level2}」",
            )
        _note_shift(line, row.columns, row.level3, row.target, notes)
        if row.target is None:
            notes.note(line, row.level3.text, "三级指标缺少年度指标值，指标值按空白读取", "warning")
        indicators.append(_indicator(line, (level1, level2), row, project, seen_level3, notes))
    return indicators


def _read_label_only_row(
    line: _Line, labels: list[tuple[_Cell, str]], levels: _Levels, taxonomy: Taxonomy, notes: _Notes
) -> _Levels:
    now_levels, _basis = _resolve_levels(line, labels, levels, taxonomy, notes, note_alias=False)
    found = " ".join(c.text for c, _ in labels)
    aliases = [
        f"「{c.text}」按指标体系视为「{canon}」"
        for c, _ in labels
        if (canon := taxonomy.canonical_level1(c.text) or taxonomy.canonical_level2(c.text)) != c.key
    ]
    alias_text = f"（{'，'.join(aliases)}）" if aliases else ""
    now = f"「{now_levels[0]}／{now_levels[1] or '二级指标待定'}」"
    if now_levels != levels:
        decision = f"指标层级标签单独成行（跨页或合并单元格）{alias_text}，不产生指标；此后各行按{now}读取"
    else:
        decision = f"指标层级标签单独成行（跨页重复或识别噪声）{alias_text}，与当前层级{now}一致，不产生指标"
    notes.note(line, found, decision)
    return now_levels


def _resolve_levels(
    line: _Line,
    labels: list[tuple[_Cell, str]],
    levels: _Levels,
    taxonomy: Taxonomy,
    notes: _Notes,
    note_alias: bool = True,
) -> tuple[_Levels, str]:
    """The levels after the row's labels, and what they rest on."""
    row_l1: str | None = None
    row_l2: str | None = None
    for i, (cell, kind) in enumerate(labels):
        if kind == "cost":
            later_l2 = any(k == "l2" for _, k in labels[i + 1 :])
            kind = "l1" if later_l2 else "l2"
        if kind == "l1":
            name = taxonomy.canonical_level1(cell.text)
            assert name is not None
            if note_alias:
                _note_alias(line, cell, name, notes)
            if row_l1 is not None and row_l1 != name:
                notes.note(line, cell.text, f"一行中出现两个一级指标，采用第一个「{row_l1}」", "warning")
                continue
            row_l1 = name
        else:
            name = taxonomy.canonical_level2(cell.text)
            assert name is not None
            if note_alias:
                _note_alias(line, cell, name, notes)
            if row_l2 is not None and row_l2 != name:
                notes.note(line, cell.text, f"一行中出现两个二级指标，采用第一个「{row_l2}」", "warning")
                continue
            row_l2 = name

    level1 = levels[0]
    if row_l2 is not None:
        tax_l1 = taxonomy.level1_of(row_l2)
        assert tax_l1 is not None
        if row_l1 is not None and row_l1 != tax_l1:
            notes.note(
                line,
                row_l1,
                f"一级指标「{row_l1}」与二级指标「{row_l2}」不符，按指标体系改为「{tax_l1}」",
            )
        elif row_l1 is None and level1 != tax_l1:
            notes.note(
                line,
                row_l2,
                f"本行一级指标为空，按指标体系由二级指标「{row_l2}」确定一级指标为「{tax_l1}」",
            )
        return (tax_l1, row_l2), f"二级指标「{row_l2}」及指标体系"
    if row_l1 is not None:
        if row_l1 != level1:
            only = taxonomy.level2_by_level1.get(row_l1, ())
            if len(only) == 1:
                notes.note(line, row_l1, f"二级指标为空，「{row_l1}」下只有一个二级指标，取「{only[0]}」")
                levels = (row_l1, only[0])
            else:
                levels = (row_l1, None)
        return levels, f"一级指标「{row_l1}」及上一行"
    return levels, "上下行（沿用上一行的层级）"


def _note_alias(line: _Line, cell: _Cell, canonical: str, notes: _Notes) -> None:
    if cell.key != canonical:
        notes.note(line, cell.text, f"非标准的指标层级名称，按指标体系视为「{canonical}」")


def _note_shift(line: _Line, cols: _TableColumns | None, level3: _Cell, target: _Cell | None, notes: _Notes) -> None:
    if cols is None or cols.level3 is None:
        return
    if level3.col == cols.level3 and (target is None or cols.target is None or target.col == cols.target):
        return
    shown = f"三级指标「{level3.text}」" + (f"、指标值「{target.text}」" if target is not None else "")
    where = f"三级指标位于第{level3.col + 1}列（表头为第{cols.level3 + 1}列）"
    if target is not None and cols.target is not None and target.col != cols.target:
        where += f"，指标值位于第{target.col + 1}列（表头为第{cols.target + 1}列）"
    notes.note(line, line.raw.strip(), f"本行单元格与表头错位：{where}；按内容读取为{shown}")


def _indicator(
    line: _Line, levels: tuple[str, str], row: _Row, project: str, seen_level3: dict[str, int], notes: _Notes
) -> Indicator:
    assert row.level3 is not None
    level3 = re.sub(r"\s+", " ", row.level3.text).strip()
    target = row.target.text if row.target is not None else ""
    key = label_key(level3)
    if key in seen_level3:
        raise InputError(
            f"项目「{project}」中三级指标「{level3}」重复（第{seen_level3[key]}行已有），"
            "同一项目内三级指标名称必须唯一",
            notes.ref(line.number),
            level3,
        )
    seen_level3[key] = line.number
    return Indicator(
        level1=levels[0],
        level2=levels[1],
        level3=level3,
        target_text=target,
        weight=row.weight,
        source=notes.ref(line.number),
        target_normalized=normalized_if_changed(target),
    )


# ---------------------------------------------------------------------------------------------
# Step 5: header values and indicators → Project
# ---------------------------------------------------------------------------------------------


def _build_project(start: _FormStart, header: _Header, indicators: list[Indicator], notes: _Notes) -> Project:
    where = notes.ref(start.line)
    if not header.name:
        raise InputError("申报表缺少「项目名称」", where)
    if not indicators:
        raise InputError(f"申报表「{header.name}」没有绩效指标表（未读到任何三级指标）", where)
    kwargs: dict[str, object] = {}
    for name, (value, line) in header.values.items():
        ref = SourceRef(notes.file, line=line, column=_FIELD_NAMES_ZH[name])
        if name in _MONEY_FIELDS:
            kwargs[name] = parse_money(value, ref, header.money_factor)
        elif name in _DATE_FIELDS:
            kwargs[name] = parse_date(value, ref)
        else:
            kwargs[name] = re.sub(r"\s+", " ", value).strip()
    _check_money(header, kwargs, notes)
    for indicator in indicators:
        if indicator.level1 == "满意度指标" and not _is_satisfaction_like(indicator):
            assert indicator.source is not None
            notes.note(
                indicator.source.line or 0,
                indicator.level3,
                "该指标列在满意度指标下，但名称和指标值都不涉及满意度；按原表保留，请核对归类",
                "warning",
            )
    return Project(
        annual_goal=_annual_goal(header, notes),
        indicators=tuple(indicators),
        source=where,
        year=header.year,
        **kwargs,  # type: ignore[arg-type]
    )


def _check_money(header: _Header, values: dict[str, object], notes: _Notes) -> None:
    total = values.get("total_funds")
    parts = [values.get(k) for k in ("fiscal_funds", "carryover_funds", "other_funds")]
    if not isinstance(total, float) or not all(isinstance(p, float) for p in parts):
        return
    subtotal = sum(p for p in parts if isinstance(p, float))
    if abs(subtotal - total) > 0.005:
        line = header.values["total_funds"][1]
        notes.note(
            line,
            f"{total:,.2f}",
            f"年度资金申请总额与当年财政拨款、上年结转资金、其他资金之和（{subtotal:,.2f}）不一致，按原表保留",
            "warning",
        )


def _annual_goal(header: _Header, notes: _Notes) -> str:
    raw = ""
    for part in header.goal_parts:
        joiner = "" if raw and _is_cjk(raw[-1]) and _is_cjk(part[0]) else " "
        raw = f"{raw}{joiner}{part}" if raw else part
    cleaned = normalize_text(raw)
    if cleaned != raw:
        notes.note(header.goal_lines[0], raw, f"年度总体目标中的 LaTeX 记号、全角字符或多余空格已规范化为：{cleaned}")
    return cleaned


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def parse_declarations_text(text: str, file: str, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read every form in `text`. `file` is the name used in messages and source references.

    Each form goes through the steps in turn — where it starts, its header, its table rows, their levels,
    the Project — and is finished before the next one is read, so its errors come first.
    """
    taxonomy = taxonomy or default_taxonomy()
    notes = _Notes(file)
    lines = _read_lines(text)
    projects: list[Project] = []
    index = _skip_preamble(lines, notes)
    while index < len(lines):
        start, index = _open_form(lines, index, notes)
        header, index = _read_header(lines, index, start, taxonomy, notes)
        rows, index = _read_table(lines, index, start, taxonomy, notes)
        indicators = _place_levels(rows, header.name, taxonomy, notes)
        projects.append(_build_project(start, header, indicators, notes))
    if not projects:
        raise InputError(f"未找到任何「{FORM_HEADING}」（没有项目名称和绩效指标表）", SourceRef(file))
    ordered = sorted(notes.repairs, key=lambda r: r.source.line or 0)  # stable: same-line notes keep their order
    return Declarations(projects=tuple(projects), repairs=tuple(ordered), source_file=file)


def read_declarations_text(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read a PDF-extracted declaration file in UTF-8, UTF-8 with BOM or GB18030."""
    path = Path(path)
    text = read_text_file(path)
    decl = parse_declarations_text(text, path.name, taxonomy)
    return Declarations(decl.projects, decl.repairs, str(path))
