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
# One form
# ---------------------------------------------------------------------------------------------


@dataclass
class _TableColumns:
    level1: int | None = None
    level2: int | None = None
    level3: int | None = None
    target: int | None = None
    weight: int | None = None


@dataclass
class _Form:
    """Mutable while one form is read; `finish` turns it into a frozen Project."""

    file: str
    taxonomy: Taxonomy
    start_line: int
    repairs: list[Repair]
    year: int | None = None
    state: str = "header"  # header → goal → table
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    money_factor: float = 1.0
    goal_parts: list[str] = field(default_factory=list)
    goal_lines: list[int] = field(default_factory=list)
    goal_col: int | None = None
    total_goal_col: int | None = None
    columns: _TableColumns | None = None
    level1: str | None = None
    level2: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    seen_level3: dict[str, int] = field(default_factory=dict)

    # -- helpers --------------------------------------------------------------------------

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.file, line=line)

    def note(self, line: _Line | int, found: str, decision: str, kind: str = "repair") -> None:
        number = line if isinstance(line, int) else line.number
        self.repairs.append(Repair(self.ref(number), found, decision, kind))

    def unplaced(self, line: _Line, why: str) -> None:
        self.note(line, line.raw.strip(), f"无法归入申报表的任何栏目（{why}），未读取，请人工核对", "unplaced")

    @property
    def name(self) -> str:
        return self.values.get("name", ("", 0))[0]

    # -- dispatch -------------------------------------------------------------------------

    def feed(self, line: _Line) -> None:
        if not line.cells:
            return
        if _RULE_LINE.match(line.raw):
            self.note(line, line.raw.strip(), "Markdown 表格分隔线，不是数据，已忽略")
            return
        if _is_table_header(line):
            self._read_table_header(line)
            return
        if self.state in ("header", "goal"):
            self._feed_header(line)
        else:
            self._read_indicator_row(line)

    def _feed_header(self, line: _Line) -> None:
        if self.year is None and not self.values and len(line.cells) == 1:
            match = _YEAR_LINE.match(line.cells[0].key)
            if match:
                self.year = int(match.group(1))
                return
        if any(_is_header_label(c.key) for c in line.cells):
            self._read_header_cells(line)
            return
        if self.state == "goal":
            self._read_goal_text(line)
            return
        if self._looks_like_indicator_row(line):
            self.note(line, line.raw.strip(), "指标表缺少「一级指标/二级指标/三级指标」表头行，从本行起按指标行读取")
            self.state = "table"
            self._read_indicator_row(line)
            return
        self.unplaced(line, "表头区域中不是已知栏目")

    def _looks_like_indicator_row(self, line: _Line) -> bool:
        labels = sum(1 for c in line.cells if self._level_of(c) is not None)
        return labels >= 1 and len(line.cells) - labels >= 2

    # -- header ---------------------------------------------------------------------------

    def _read_header_cells(self, line: _Line) -> None:
        cells = line.cells
        for i, cell in enumerate(cells):
            bare = cell.key.removeprefix("其中：").removeprefix("其中:")
            money_block = _MONEY_BLOCK.match(bare)
            if money_block and money_block.group(1) == "万元":
                self.money_factor = 10000.0
                self.note(line, cell.text, "项目资金以万元填报，金额已换算为元")
            if bare == _TOTAL_GOAL_LABEL:
                self.total_goal_col = cell.col
            if bare == _GOAL_LABEL:
                self.state = "goal"
                self.goal_col = cell.col
                rest = [c for c in cells[i + 1 :] if not _is_header_label(c.key)]
                for later in rest:
                    self._add_goal_text(line, later)
                return
            name = _field_of(cell.key)
            if name is None:
                continue
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt is None or _is_header_label(nxt.key):
                if name not in self.values and not any(_field_of(c.key) == name for c in cells[i + 1 :]):
                    self.note(line, cell.text, f"「{_FIELD_NAMES_ZH[name]}」没有填写内容", "warning")
                continue
            self._set_value(line, name, nxt.text)
        # cells that are neither labels nor the value right after a label
        placed = set()
        for i, cell in enumerate(cells):
            if _is_header_label(cell.key):
                placed.add(i)
                if _field_of(cell.key) and i + 1 < len(cells) and not _is_header_label(cells[i + 1].key):
                    placed.add(i + 1)
        for i, cell in enumerate(cells):
            if i not in placed:
                self.note(line, cell.text, "表头行中多出的单元格，无法对应任何栏目，未读取", "unplaced")

    def _set_value(self, line: _Line, name: str, value: str) -> None:
        if name in self.values:
            old, old_line = self.values[name]
            if label_key(old) != label_key(value):
                self.note(
                    line,
                    value,
                    f"「{_FIELD_NAMES_ZH[name]}」重复出现，与第{old_line}行的「{old}」不同，保留第{old_line}行的值",
                    "warning",
                )
            return
        self.values[name] = (value, line.number)

    def _read_goal_text(self, line: _Line) -> None:
        for cell in line.cells:
            self._add_goal_text(line, cell)

    def _add_goal_text(self, line: _Line, cell: _Cell) -> None:
        if self.total_goal_col is not None and self.goal_col is not None:
            if abs(cell.col - self.total_goal_col) < abs(cell.col - self.goal_col):
                self.note(line, cell.text, "位于「项目总目标」栏，本模型只读取年度总体目标，未读取", "warning")
                return
        self.goal_parts.append(cell.text)
        self.goal_lines.append(line.number)

    # -- indicator table ------------------------------------------------------------------

    def _read_table_header(self, line: _Line) -> None:
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
        self.columns = columns
        self.state = "table"

    def _level_of(self, cell: _Cell) -> str | None:
        """'l1', 'l2', 'cost' (成本指标: either level) or None for a cell that names no level."""
        as_l1 = self.taxonomy.canonical_level1(cell.text)
        as_l2 = self.taxonomy.canonical_level2(cell.text)
        if as_l1 and as_l2:
            return "cost"
        if as_l1:
            return "l1"
        if as_l2:
            return "l2"
        return None

    def _read_indicator_row(self, line: _Line) -> None:
        cells = [c for c in line.cells if c.key not in _TABLE_MARKERS]
        if not cells:
            self.note(line, line.raw.strip(), "跨页重复的表格标签，不是数据，已忽略")
            return
        if any(_field_of(c.key) == "name" for c in cells):
            self.unplaced(line, "指标表中出现项目名称行")
            return
        weight: float | None = None
        if (
            self.columns
            and self.columns.weight is not None
            and len(cells) >= 3
            and cells[-1].col >= self.columns.weight
        ):
            weight, taken = self._weight_of(line, cells[-1])
            if taken:
                cells = cells[:-1]

        levels = [self._level_of(c) for c in cells]
        if all(levels):
            self._read_label_only_row(line, list(zip(cells, levels, strict=True)))  # type: ignore[arg-type]
            return
        # A row reads [level labels …] 三级指标 年度指标值: the last two cells are the indicator even
        # when a name such as 满意度 looks like a level — unless the cell before the last is a full
        # level name (…指标), which means the target was left blank.
        target_cell: _Cell | None
        if len(cells) >= 2 and levels[-2] is not None and cells[-2].key.endswith("指标"):
            prefix, level3_cell, target_cell = list(range(len(cells) - 1)), cells[-1], None
        elif len(cells) >= 2:
            prefix, level3_cell, target_cell = list(range(len(cells) - 2)), cells[-2], cells[-1]
        elif cells[0].key.endswith("指标") and len(cells[0].key) <= 8:
            self.note(line, cells[0].text, "无法识别的指标层级标签（识别噪声），本行没有三级指标，已忽略")
            return
        else:
            self.unplaced(line, "只有一个单元格，既不是指标层级也无法确定三级指标与指标值")
            return
        labels = [(cells[i], levels[i]) for i in prefix if levels[i] is not None]
        garbled = [cells[i] for i in prefix if levels[i] is None]

        basis = self._resolve_levels(line, labels)
        if self.level1 is None or self.level2 is None:
            self.unplaced(line, "无法确定一级或二级指标")
            return
        for cell in garbled:
            self.note(
                line,
                cell.text,
                f"无法识别的指标层级标签（识别噪声），按{basis}确定为「{self.level1}／{self.level2}」",
            )
        self._note_shift(line, level3_cell, target_cell)
        if target_cell is None:
            self.note(line, level3_cell.text, "三级指标缺少年度指标值，指标值按空白读取", "warning")
        self._add_indicator(line, level3_cell, target_cell, weight)

    def _weight_of(self, line: _Line, cell: _Cell) -> tuple[float | None, bool]:
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
            self.note(line, cell.text, note)
        return points, True

    def _read_label_only_row(self, line: _Line, labels: list[tuple[_Cell, str]]) -> None:
        before = (self.level1, self.level2)
        self._resolve_levels(line, labels, note_alias=False)
        found = " ".join(c.text for c, _ in labels)
        aliases = [
            f"「{c.text}」按指标体系视为「{canon}」"
            for c, _ in labels
            if (canon := self.taxonomy.canonical_level1(c.text) or self.taxonomy.canonical_level2(c.text)) != c.key
        ]
        alias_text = f"（{'，'.join(aliases)}）" if aliases else ""
        now = f"「{self.level1}／{self.level2 or '二级指标待定'}」"
        if (self.level1, self.level2) != before:
            decision = f"指标层级标签单独成行（跨页或合并单元格）{alias_text}，不产生指标；此后各行按{now}读取"
        else:
            decision = f"指标层级标签单独成行（跨页重复或识别噪声）{alias_text}，与当前层级{now}一致，不产生指标"
        self.note(line, found, decision)

    def _resolve_levels(self, line: _Line, labels: list[tuple[_Cell, str]], note_alias: bool = True) -> str:
        """Update the running level1/level2 from the row's labels; returns what the levels rest on."""
        row_l1: str | None = None
        row_l2: str | None = None
        for i, (cell, kind) in enumerate(labels):
            if kind == "cost":
                later_l2 = any(k == "l2" for _, k in labels[i + 1 :])
                kind = "l1" if later_l2 else "l2"
            if kind == "l1":
                name = self.taxonomy.canonical_level1(cell.text)
                assert name is not None
                if note_alias:
                    self._note_alias(line, cell, name)
                if row_l1 is not None and row_l1 != name:
                    self.note(line, cell.text, f"一行中出现两个一级指标，采用第一个「{row_l1}」", "warning")
                    continue
                row_l1 = name
            else:
                name = self.taxonomy.canonical_level2(cell.text)
                assert name is not None
                if note_alias:
                    self._note_alias(line, cell, name)
                if row_l2 is not None and row_l2 != name:
                    self.note(line, cell.text, f"一行中出现两个二级指标，采用第一个「{row_l2}」", "warning")
                    continue
                row_l2 = name

        if row_l2 is not None:
            tax_l1 = self.taxonomy.level1_of(row_l2)
            assert tax_l1 is not None
            if row_l1 is not None and row_l1 != tax_l1:
                self.note(
                    line,
                    row_l1,
                    f"一级指标「{row_l1}」与二级指标「{row_l2}」不符，按指标体系改为「{tax_l1}」",
                )
            elif row_l1 is None and self.level1 != tax_l1:
                self.note(
                    line,
                    row_l2,
                    f"本行一级指标为空，按指标体系由二级指标「{row_l2}」确定一级指标为「{tax_l1}」",
                )
            self.level1, self.level2 = tax_l1, row_l2
            return f"二级指标「{row_l2}」及指标体系"
        if row_l1 is not None:
            if row_l1 != self.level1:
                self.level1 = row_l1
                only = self.taxonomy.level2_by_level1.get(row_l1, ())
                if len(only) == 1:
                    self.level2 = only[0]
                    self.note(line, row_l1, f"二级指标为空，「{row_l1}」下只有一个二级指标，取「{only[0]}」")
                else:
                    self.level2 = None
            return f"一级指标「{row_l1}」及上一行"
        return "上下行（沿用上一行的层级）"

    def _note_alias(self, line: _Line, cell: _Cell, canonical: str) -> None:
        if cell.key != canonical:
            self.note(line, cell.text, f"非标准的指标层级名称，按指标体系视为「{canonical}」")

    def _note_shift(self, line: _Line, level3: _Cell, target: _Cell | None) -> None:
        cols = self.columns
        if cols is None or cols.level3 is None:
            return
        if level3.col == cols.level3 and (target is None or cols.target is None or target.col == cols.target):
            return
        shown = f"三级指标「{level3.text}」" + (f"、指标值「{target.text}」" if target is not None else "")
        where = f"三级指标位于第{level3.col + 1}列（表头为第{cols.level3 + 1}列）"
        if target is not None and cols.target is not None and target.col != cols.target:
            where += f"，指标值位于第{target.col + 1}列（表头为第{cols.target + 1}列）"
        self.note(line, line.raw.strip(), f"本行单元格与表头错位：{where}；按内容读取为{shown}")

    def _add_indicator(self, line: _Line, level3_cell: _Cell, target_cell: _Cell | None, weight: float | None) -> None:
        assert self.level1 is not None and self.level2 is not None
        level3 = re.sub(r"\s+", " ", level3_cell.text).strip()
        target = target_cell.text if target_cell is not None else ""
        key = label_key(level3)
        if key in self.seen_level3:
            raise InputError(
                f"项目「{self.name}」中三级指标「{level3}」重复（第{self.seen_level3[key]}行已有），"
                "同一项目内三级指标名称必须唯一",
                self.ref(line.number),
                level3,
            )
        self.seen_level3[key] = line.number
        self.indicators.append(
            Indicator(
                level1=self.level1,
                level2=self.level2,
                level3=level3,
                target_text=target,
                weight=weight,
                source=self.ref(line.number),
                target_normalized=normalized_if_changed(target),
            )
        )

    # -- result ---------------------------------------------------------------------------

    def finish(self) -> Project:
        where = self.ref(self.start_line)
        if not self.name:
            raise InputError("申报表缺少「项目名称」", where)
        if not self.indicators:
            raise InputError(f"申报表「{self.name}」没有绩效指标表（未读到任何三级指标）", where)
        kwargs: dict[str, object] = {}
        for name, (value, line) in self.values.items():
            ref = SourceRef(self.file, line=line, column=_FIELD_NAMES_ZH[name])
            if name in _MONEY_FIELDS:
                kwargs[name] = parse_money(value, ref, self.money_factor)
            elif name in _DATE_FIELDS:
                kwargs[name] = parse_date(value, ref)
            else:
                kwargs[name] = re.sub(r"\s+", " ", value).strip()
        self._check_money(kwargs)
        for indicator in self.indicators:
            if indicator.level1 == "满意度指标" and not _is_satisfaction_like(indicator):
                assert indicator.source is not None
                self.repairs.append(
                    Repair(
                        indicator.source,
                        indicator.level3,
                        "该指标列在满意度指标下，但名称和指标值都不涉及满意度；按原表保留，请核对归类",
                        "warning",
                    )
                )
        return Project(
            annual_goal=self._annual_goal(),
            indicators=tuple(self.indicators),
            source=where,
            year=self.year,
            **kwargs,  # type: ignore[arg-type]
        )

    def _check_money(self, values: dict[str, object]) -> None:
        total = values.get("total_funds")
        parts = [values.get(k) for k in ("fiscal_funds", "carryover_funds", "other_funds")]
        if not isinstance(total, float) or not all(isinstance(p, float) for p in parts):
            return
        subtotal = sum(p for p in parts if isinstance(p, float))
        if abs(subtotal - total) > 0.005:
            line = self.values["total_funds"][1]
            self.note(
                line,
                f"{total:,.2f}",
                f"年度资金申请总额与当年财政拨款、上年结转资金、其他资金之和（{subtotal:,.2f}）不一致，按原表保留",
                "warning",
            )

    def _annual_goal(self) -> str:
        raw = ""
        for part in self.goal_parts:
            joiner = "" if raw and _is_cjk(raw[-1]) and _is_cjk(part[0]) else " "
            raw = f"{raw}{joiner}{part}" if raw else part
        cleaned = normalize_text(raw)
        if cleaned != raw:
            self.note(self.goal_lines[0], raw, f"年度总体目标中的 LaTeX 记号、全角字符或多余空格已规范化为：{cleaned}")
        return cleaned


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def parse_declarations_text(text: str, file: str, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read every form in `text`. `file` is the name used in messages and source references."""
    taxonomy = taxonomy or default_taxonomy()
    repairs: list[Repair] = []
    projects: list[Project] = []
    form: _Form | None = None

    def close() -> None:
        if form is not None:
            projects.append(form.finish())

    for number, raw in enumerate(text.splitlines(), start=1):
        line = _split_line(number, raw)
        if not line.cells:
            continue
        if _is_form_heading(line):
            close()
            form = _Form(file, taxonomy, number, repairs)
            year = _YEAR_IN_HEADING.search(line.cells[0].key)
            if year:
                form.year = int(year.group(1))
            continue
        starts_project = any(_field_of(c.key) == "name" for c in line.cells)
        if starts_project and (form is None or form.name or form.state == "table"):
            close()
            form = _Form(file, taxonomy, number, repairs)
            form.note(line, line.raw.strip(), f"缺少「{FORM_HEADING}」标题，按「项目名称」行开始新的申报表")
        if form is None:
            if len(line.cells) == 1 and ("汇总表" in line.cells[0].key or "目标表" in line.cells[0].key):
                continue  # the document's own title, above the first form
            decision = "位于第一张申报表之前，无法归入任何项目，未读取"
            repairs.append(Repair(SourceRef(file, line=number), raw.strip(), decision, "unplaced"))
            continue
        form.feed(line)
    close()
    if not projects:
        raise InputError(f"未找到任何「{FORM_HEADING}」（没有项目名称和绩效指标表）", SourceRef(file))
    ordered = sorted(repairs, key=lambda r: r.source.line or 0)  # stable: same-line notes keep their order
    return Declarations(projects=tuple(projects), repairs=tuple(ordered), source_file=file)


def read_declarations_text(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read a PDF-extracted declaration file in UTF-8, UTF-8 with BOM or GB18030."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", SourceRef(path.name)) from exc
    text, _encoding = decode_text(data, path.name)
    decl = parse_declarations_text(text, path.name, taxonomy)
    return Declarations(decl.projects, decl.repairs, str(path))
