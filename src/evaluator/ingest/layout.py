"""Recognise the layout of any published table on its grids: forms, header fields, the indicator table.

Whatever the file was (xlsx, docx, pdf, csv, html or text copied out of a web page), its grids are
read here the same way, by what the cells say and not where they stand:

- a form starts at a heading (财政项目支出绩效目标申报表, 项目支出绩效目标表, 绩效目标批复表, 项目支出绩效自评表 …)
  or at a 项目名称 label;
- header fields are found by their labels (scoring_rules/labels.toml), the value being the next
  cell that is no label — in the same row, or on the next line when the text has one cell a line;
- the indicator table starts at its header row (which may span two lines, and may split the target
  into 指标性质 | 指标值 | 度量单位); each column's meaning comes from its header words;
- an indicator row's leading level cells are recognised through the taxonomy, blank or missing
  level cells continue the row above (merged cells), and the remaining cells line up with the
  columns from 三级指标 on. Grids from spreadsheets and Word tables are dense, so their cells are
  read by column; text rows lose merged cells, so they are read from their first non-level cell.

A filled 自评表 gives actuals, 分值, 得分, 偏差原因 and its budget block and totals, kept as published.
Nothing is all-or-nothing: an odd cell becomes a Repair on its row; only a file with no readable
form at all is refused, with the reason and the place where reading stopped.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from evaluator.common.numbers import format_number, largest_remainder, round_half_up
from evaluator.common.text import plain_symbols, strip_pinyin, to_simplified
from evaluator.config.labels import Labels, default_labels, label_word
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.errors import InputError
from evaluator.ingest.grid import Grid
from evaluator.models import Declarations, Indicator, Project, PublishedTotals, Repair, SourceRef

DENSE_KINDS = frozenset({"sheet", "word_table", "pdf_table", "csv", "html_table"})
UNREADABLE_NO_HEADER = "未找到指标表表头（一级指标/三级指标/指标值）"
UNREADABLE_GLUED = "单元格粘连，无法分列，请提供原始 xlsx/docx"
UNREADABLE_PRESSED = "表头与指标行挤在同一行（合并单元格丢失了换行），无法分行，请提供原始 xlsx/docx"

_SENTENCE_ENDS = ("。", ";", "；", "!", "！")
_NUMBER = re.compile(r"^[+-]?(?:\d[\d,]*)?\.?\d+")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_ONLY = re.compile(r"^\(?\s*((?:19|20)\d\d)\s*\)?\s*年?度?\)?$")
_PLACEHOLDER = re.compile(r"^指标\d+[:：]?$")
_WAN_LABEL = re.compile(r"(?:单位|\(|（)\s*[:：]?\s*万元")
_YUAN_LABEL = re.compile(r"(?:单位|\(|（)\s*[:：]?\s*元")
_GRADE = re.compile(r"^(优|良|中|差)(?:\(.*\))?$")  # 良, or 良(评分未完成) with a remark in brackets
_POINTS_SUFFIX = re.compile(r"\(\d+(?:\.\d+)?分\)$")  # 产出指标(50分): the level's points, not its name
_POINTS_IN = re.compile(r"\((\d+(?:\.\d+)?)分\)|^(\d+(?:\.\d+)?)分$")
_BRACKETS = re.compile(r"\([^()]*\)")
_POINTS_CELL = re.compile(r"^\(?\d+(?:\.\d+)?分\)?$")  # `(50分)` left in a cell of its own by a merged level cell
_GLUED_WORDS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "评价指标",
    "指标值",
    "目标值",
    "实际完成值",
    "全年实际值",
    "分值",
    "得分",
    "偏差原因",
    "未完成原因",
    "项目名称",
    "主管部门",
    "实施单位",
)
_GLUED_PAIR = re.compile(f"(?:{'|'.join(_GLUED_WORDS)})(?:{'|'.join(_GLUED_WORDS)})")
_SPLIT_ROLES = ("target_op", "target_value", "target_unit")
_LEVEL_ROLES = ("level1", "level2")
_SIGN_ROLE = "target_sign"  # 指标方向 beside a split target: the comparison sign when 指标性质 gives 正向/反向
_DIRECTION_WORDS = ("定性", "正向", "反向")
_SIGN = re.compile(r"^(?:[<>=≥≤＞＜]|>=|<=)$")
_ESSENTIAL = frozenset({"level3", "target", *_SPLIT_ROLES, _SIGN_ROLE, "actual", "weight", "score"})


@dataclass(frozen=True)
class _Cell:
    text: str
    word: str  # label_word(text)
    source: SourceRef
    row: int  # index into the form's row list
    col: int  # position in its grid row
    spaced: bool = False  # split at single spaces: a name may have been cut into several cells


@dataclass
class _Levels:
    level1: str | None = None
    level2: str | None = None
    written1: str | None = None  # the level-1 the table itself last wrote (canonical), whatever level1 became


@dataclass
class _Table:
    roles: list[str]  # column roles from the first level column on, in column order
    columns: dict[int, str] | None  # dense grids: grid column → role
    stream: bool  # one cell a line: read cells in order
    header: _Cell
    split_target: bool = False
    places: tuple[str, ...] = ()  # a target per place column (西坪镇尧山村 | 桃舟乡吾培村 …), roles place0, place1 …


@dataclass
class _FormReader:
    """One form's rows; `read` turns them into a Project (or None when it has no indicator)."""

    rows: list[list[_Cell]]
    dense: bool
    labels: Labels
    taxonomy: Taxonomy
    repairs: list[Repair]
    heading: _Cell | None = None
    values: dict[str, _Cell] = field(default_factory=dict)
    fallback: dict[str, _Cell] = field(default_factory=dict)  # weaker labels (单位名称): used where values lack them
    last_resort: dict[str, _Cell] = field(default_factory=dict)  # 部门名称 as the name of a form that names no project
    money_factor: float = 1.0
    money_unit: str = ""  # the unit a label named (万元 / 元), "" while none did
    score_only: bool = False  # the indicator table has 得分 but no 分值 column
    budget_points: float | None = None  # the budget block's 分值 written on its label (预算执行情况(20分))
    budget: dict[str, _Cell] = field(default_factory=dict)
    goal: str = ""
    year: int | None = None
    self_evaluation: bool = False
    totals: dict[str, float] = field(default_factory=dict)
    grade: str = ""
    indicators: list[Indicator] = field(default_factory=list)

    def note(self, cell: _Cell | SourceRef, found: str, decision: str, kind: str = "repair") -> None:
        source = cell.source if isinstance(cell, _Cell) else cell
        self.repairs.append(Repair(source, found, decision, kind))

    # -- header block ---------------------------------------------------------------------

    def is_label(self, cell: _Cell) -> bool:
        word = cell.word.removeprefix("其中:")
        return (
            self.labels.field_of(word) is not None
            or self.labels.field_of(cell.word) is not None
            or word in self.labels.goal_sub_labels
            or self.labels.budget_column_of(word) is not None
            or self.labels.column_of(word) in ("level1", "level2", "level3")
            or self.labels.is_other_field(word)
        )

    def read_header(self, upto: int) -> None:
        cells = [c for row in self.rows[:upto] for c in row if c.text]
        used: set[int] = set()
        budget_order: list[str] = []
        i = 0
        while i < len(cells):
            cell = cells[i]
            word = cell.word.removeprefix("其中:")
            self._note_money_unit(cell)
            if self.year is None and (_YEAR_ONLY.match(cell.word) or (cell is self.heading)):
                match = _YEAR.search(cell.word) or _YEAR_ONLY.match(cell.word)
                if match:
                    self.year = int(match.group(1))
                    used.add(i)
            if cell is self.heading:
                used.add(i)
                i += 1
                continue
            taken = self._budget_points(cells, i)
            if taken:
                used.update(range(i, i + taken))
                i += taken
                continue
            budget_role = self.labels.budget_column_of(word)
            if budget_role is not None and self.labels.field_of(word) is None:
                run = self._budget_run(cells, i)
                if len(run) >= 3:
                    budget_order = [r for _k, r in run]
                    used.update(k for k, _r in run)
                    self.self_evaluation = True
                    i = run[-1][0] + 1
                    continue
            name, inline = self._field_with_inline(cell)
            if name is None:
                i = self._skip_other_field(cells, i, used)
                continue
            used.add(i)
            # 主管部门(盖章): the place for the seal, what stands there is weaker than a plain label's value
            label = word.split(":", 1)[0] if inline is not None else word
            weak = self.labels.is_fallback(label) or "盖章" in word
            if inline is not None:
                self._set(name, inline, weak, label)
                i += 1
                continue
            if name == "annual_goal":
                i = self._read_goal(cells, i + 1, used)
                continue
            if name in self.labels.money_fields and budget_order:
                i = self._read_budget_row(cells, i, name, budget_order, used)
                continue
            nxt = i + 1
            if nxt < len(cells) and self._can_be_value(cells[nxt], name):
                self._set(name, self._name_from_title(cells[nxt]) if name == "name" else cells[nxt], weak, label)
                used.add(nxt)
                i = nxt + 1
                continue
            if name == "name" and "name" not in self.values:
                self.note(cell, cell.text, "「项目名称」没有填写内容", "warning")
            i += 1
        for k, cell in enumerate(cells):
            if k not in used and not self.labels.is_heading(cell.text) and not self._is_group_label(cell):
                self.note(cell, cell.text, "表头区域中无法归入任何栏目的内容，未读取", "unplaced")

    def _can_be_value(self, cell: _Cell, name: str) -> bool:
        """Whether the cell after a label is that label's value: not when it is a label itself, a
        heading, or a group label such as the money-unit note (历城's stamp line
        `主管部门(盖章):     单位:万元` leaves the stamp empty; 单位:万元 says what the amounts are in).
        A 项目名称 may be written as a form title (丽江: 项目名称 | 2020年…补助经费支出绩效自评表); no
        form starts right after a label, so that cell is the name."""
        if self.is_label(cell) or self._is_group_label(cell):
            return False
        return not self.labels.is_heading(cell.text) or (name == "name" and cell is not self.heading)

    def _name_from_title(self, cell: _Cell) -> _Cell:
        """`XX项目支出绩效自评表` under 项目名称 → `XX项目`: the filler typed the form's title into the name
        cell, and the project is what the title names. The cut is made in the text as written (its
        traditional characters and pinyin annotations kept), after the last character of the name."""
        word = cell.word
        ending = max((h for h in self.labels.heading_words if word.endswith(h)), key=len, default=None)
        if ending is None:
            return cell
        stem = word[: -len(ending)].removesuffix("支出")
        cut = max((k for k in range(len(cell.text) + 1) if label_word(cell.text[:k]) == stem), default=0)
        name = cell.text[:cut].strip()
        if not name or _YEAR_ONLY.match(label_word(name)):
            return cell
        self.note(cell, cell.text, f"「项目名称」一栏写的是表题，取表题中的项目「{name}」为项目名称")
        return _Cell(name, label_word(name), cell.source, cell.row, cell.col, cell.spaced)

    def _skip_other_field(self, cells: list[_Cell], i: int, used: set[int]) -> int:
        """Past a header field the engine does not read (项目负责人及电话 黄蓓蓓0557-…), listed as not read.

        Its value is passed over with it, so that it is never read as a field of its own nor left
        to stand as a stray cell; the pair goes into one note.
        """
        cell = cells[i]
        text = unicodedata.normalize("NFKC", cell.text)
        label = cell.word if ":" not in text else label_word(text.split(":", 1)[0])
        if not self.labels.is_other_field(label):
            return i + 1
        used.add(i)
        found = [cell]
        nxt = i + 1
        inline = ":" in text and text.split(":", 1)[1].strip()
        value = cells[nxt] if nxt < len(cells) else None
        if (
            not inline
            and value is not None
            and not self.is_label(value)
            and not self.labels.is_heading(value.text)
            and not unicodedata.normalize("NFKC", value.text).rstrip().endswith(":")  # 单位(盖章): is a label
        ):
            found.append(value)
            used.add(nxt)
            nxt += 1
        self.note(cell, " ".join(c.text for c in found), f"「{label}」不是评价用到的表头栏目，未读取", "unplaced")
        return nxt

    def _is_group_label(self, cell: _Cell) -> bool:
        bare = re.sub(r"\(.*\)$", "", cell.word)
        return bare in ("资金情况", "项目资金", "资金来源", "项目资金总额", "财政资金") or _is_money_unit_note(cell)

    def _note_money_unit(self, cell: _Cell) -> None:
        # compared simplified and without pinyin notes: 項(xiàng)目資金 (萬元) says 万元 as well
        text = to_simplified(strip_pinyin(unicodedata.normalize("NFKC", cell.text)))
        if _WAN_LABEL.search(text):
            self.money_unit = "万元"
            if self.money_factor != 10000.0:
                self.money_factor = 10000.0
                self.note(cell, cell.text, "金额以万元填报，已换算为元")
        elif _YUAN_LABEL.search(text) and "万" not in text:
            self.money_factor = 1.0
            self.money_unit = "元"

    def _field_with_inline(self, cell: _Cell) -> tuple[str | None, _Cell | None]:
        # `其中:财政资金` is a label as written (财政资金 alone may head a group of columns)
        name = self.labels.field_of(cell.word) or self.labels.field_of(cell.word.removeprefix("其中:"))
        if name is not None:
            return name, None
        text = unicodedata.normalize("NFKC", cell.text)
        if ":" in text:
            label, value = text.split(":", 1)
            name = self.labels.field_of(label_word(label).removeprefix("其中"))
            if name is not None and value.strip():
                return name, _Cell(value.strip(), label_word(value), cell.source, cell.row, cell.col)
        return None, None

    def _set(self, name: str, cell: _Cell, weak: bool = False, label: str = "") -> None:
        for other in self.labels.last_resort_for(label):
            self.last_resort.setdefault(other, cell)
        if weak:
            self.fallback.setdefault(name, cell)
            return
        old = self.values.get(name)
        if old is not None:
            if old.word != cell.word:
                self.note(cell, cell.text, f"「{_FIELD_ZH[name]}」重复出现，保留第一次的「{old.text}」", "warning")
            return
        self.values[name] = cell

    def _budget_points(self, cells: list[_Cell], i: int) -> int:
        """The budget block's label with its points (预算执行情况(万元)(20分), or `(20分)` in the next
        cell): the points are kept as the block's 分值, and the number of cells taken is returned."""
        cell = cells[i]
        if _BRACKETS.sub("", cell.word) not in self.labels.budget_block:
            return 0
        match = _POINTS_IN.search(cell.word)
        taken = 1
        if match is None and i + 1 < len(cells) and _POINTS_CELL.match(cells[i + 1].word):
            match = _POINTS_IN.search(cells[i + 1].word)
            taken = 2
        if match is None:
            return 0
        self.budget_points = float(match.group(1) or match.group(2))
        return taken

    def _budget_run(self, cells: list[_Cell], start: int) -> list[tuple[int, str]]:
        run: list[tuple[int, str]] = []
        k = start
        while k < len(cells):
            role = self.labels.budget_column_of(cells[k].word)
            if role is None:
                break
            run.append((k, role))
            k += 1
        return run

    def _read_goal(self, cells: list[_Cell], start: int, used: set[int]) -> int:
        texts: list[_Cell] = []
        subs: list[str] = []
        k = start
        while k < len(cells):
            cell = cells[k]
            # before any text, 年度目标 is a sub-label too (总体目标 | 中期目标 | 年度目标)
            if cell.word in self.labels.goal_sub_labels or (
                not texts and subs and self.labels.field_of(cell.word) == "annual_goal"
            ):
                if not texts:
                    subs.append(cell.word)
                used.add(k)
                k += 1
                continue
            if self.is_label(cell) or self.labels.is_heading(cell.text):
                break
            texts.append(cell)
            used.add(k)
            k += 1
        # 中期目标 | 年度目标 over two texts: the year's goal stands under the first sub-label of the year
        at = next((n for n, w in enumerate(subs) if w not in self.labels.goal_long_term), 0)
        if len(subs) > 1 and any(w in self.labels.goal_long_term for w in subs) and at < len(texts):
            texts = texts[at:]
        if texts and not self.goal:
            self.goal = self._goal_text(texts)
        return k

    def _goal_text(self, texts: list[_Cell]) -> str:
        """The first goal text. Split at single spaces, a sentence may have been cut in two
        (棠溪村: `…村民监督委员会 工资28000元,…100000元。`): its words run on until one ends a sentence."""
        first = texts[0].text
        if not texts[0].spaced:
            return first
        for cell in texts[1:]:
            if first.endswith(_SENTENCE_ENDS) or not cell.spaced:
                break
            first = f"{first} {cell.text}"
        return first

    def _read_budget_row(self, cells: list[_Cell], start: int, name: str, order: list[str], used: set[int]) -> int:
        label = cells[start]
        row_cells = [c for c in self.rows[label.row] if c.col > label.col]
        if not self.dense:
            row_cells = [c for c in row_cells if c.text]
        if row_cells:
            values = row_cells
            k = start + 1 + sum(1 for c in row_cells if c.text)
        else:
            values = []
            k = start + 1
            while k < len(cells) and len(values) < len(order) and not self.is_label(cells[k]):
                values.append(cells[k])
                k += 1
        if self.dense and row_cells:
            values = self._align_dense(row_cells, order, label)
        elif name == "total_funds":
            values = self._align_by_rate(values, order, label)
        for j in range(start + 1, min(k, len(cells))):
            used.add(j)
        if len(values) > len(order):
            self.note(label, " ".join(c.text for c in values), "预算行的数值多于表头栏目，多出的未读取", "warning")
        if name == "total_funds":
            for role, cell in zip(order, values, strict=False):
                if cell.text and role not in self.budget:
                    self.budget[role] = cell
        elif name not in self.values and values:
            first = next((c for r, c in zip(order, values, strict=False) if r in ("initial", "full_year")), None)
            if first is not None and first.text:
                self.values[name] = first
        return k

    def _align_by_rate(self, values: list[_Cell], order: list[str], label: _Cell) -> list[_Cell]:
        """Text drops empty cells, so a budget row short of a value reads one column early (临翔:
        `| 32.4 | 31.69 | 10 | 97.80% | 9 |` under 年初预算数 … 得分, the 年初预算数 left empty). The
        执行率 is the one value written with `%`: the row is lined up so that it stands under 执行率."""
        if "rate" not in order or len(values) >= len(order):
            return values
        at = next((k for k, c in enumerate(values) if c.text.strip().endswith("%")), None)
        shift = order.index("rate") - at if at is not None else 0
        if shift <= 0 or len(values) + shift > len(order):
            return values
        blank = _Cell("", "", label.source, label.row, label.col)
        self.note(
            label,
            " | ".join(c.text for c in values),
            f"预算行少{shift}格：按执行率对齐，{'、'.join(_BUDGET_ZH.get(r, r) for r in order[:shift])}空缺",
        )
        return [blank] * shift + values

    def _align_dense(self, row_cells: list[_Cell], order: list[str], label: _Cell) -> list[_Cell]:
        """Dense rows keep their empty cells but merged label cells make them longer: take the last ones."""
        texts = [c for c in row_cells]
        while texts and not texts[-1].text:
            texts.pop()
        return texts[-len(order) :] if len(texts) > len(order) else texts

    # -- indicator table ------------------------------------------------------------------

    def find_table(self) -> tuple[int, _Table] | None:
        flat = [c for row in self.rows for c in row if c.text]
        for k, cell in enumerate(flat):
            role = self.labels.column_of(cell.word)
            if role not in ("level1", "level2", "level3"):
                continue
            run = [cell]
            j = k + 1
            while j < len(flat) and self.labels.column_of(flat[j].word) is not None:
                run.append(flat[j])
                j += 1
            j0 = k - 1
            while j0 >= 0 and self.labels.column_of(flat[j0].word) == "marker":
                j0 -= 1
            roles = [self.labels.column_of(c.word) for c in run]
            has_target = any(r in ("target", "target_op", "actual") for r in roles)
            if "level3" in roles and not has_target and (places := self._place_columns(run)):
                return self._place_table(run[-1].row, places)
            if "level3" not in roles or not has_target:
                continue
            rows = sorted({c.row for c in run})
            one_row = len(rows) == 1 and len([c for c in self.rows[rows[0]] if c.text]) >= 3
            if not self.dense and self._header_continues(run, rows):
                return self._continued_header(rows)
            if not self.dense and len(rows) == 1 and self._header_line_above(rows[0]):
                return self._row_table(rows[0] - 1)
            if one_row or (len(rows) == 2 and self._two_line_row_header(run)):
                return self._row_table(rows[0])
            last = run[-1]
            return last.row, _Table(self._order_roles(run), None, True, run[0])
        return None

    def _place_columns(self, run: list[_Cell]) -> list[_Cell]:
        """The cells right of a target-less header that name places, one target column each.

        A table that splits one project's targets over its villages or towns has no 指标值 column:
        after 三级指标 (and perhaps 指标解释) come 西坪镇尧山村 | 桃舟乡吾培村 | … and each indicator
        row gives a target under each. Such cells stand on the header's own row, after its last
        known column, and are no column word, label, level or number; at least two are needed.
        Empty when the header has none (then it is no indicator table header at all).
        """
        last = run[-1]
        if len({c.row for c in run}) != 1:
            return []
        after = [c for c in self.rows[last.row] if c.col > last.col and c.text]
        for cell in after:
            if (
                self._role(cell) is not None
                or self.labels.field_of(cell.word) is not None
                or self._level_name(cell) is not None
                or _number(cell.text) is not None
            ):
                return []
        return after if len(after) >= _MIN_PLACES else []

    def _place_table(self, index: int, places: list[_Cell]) -> tuple[int, _Table]:
        last, table = self._row_table(index)
        at = {c.col for c in places}
        head = [c for c in self.rows[index] if c.text and c.col not in at]
        roles = [*self._order_roles(head), *(f"place{k}" for k in range(len(places)))]
        columns = table.columns
        if columns is not None:
            columns = {**columns, **{c.col: f"place{k}" for k, c in enumerate(places)}}
        self.note(
            places[0],
            " | ".join(c.text for c in places),
            f"表头没有「指标值」栏，指标值按 {len(places)} 个分栏（{'、'.join(c.text for c in places)}）填写："
            "每栏读作一个指标，三级指标名后加栏名",
        )
        return last, dataclasses.replace(table, roles=roles, columns=columns, places=tuple(c.text for c in places))

    def pressed_header(self, header_end: int) -> _Cell | None:
        """The first level name standing on the header's own text line after its column headers.

        Text copied from a table whose merged cells swallowed the line breaks may run the header
        block, the header and the first indicator rows into one line (`… | 度量单位 | 产出指标 |
        数量指标 | 学生受资助人数 | ≧ | 735 …`). Where one row ends and the next begins, and which
        of the header block's cells belong together, can then no longer be told: such a form is
        refused rather than read into wrong figures.
        """
        if self.dense:
            return None
        row = [c for c in self.rows[header_end] if c.text]
        last = max((k for k, c in enumerate(row) if self._role(c) not in (None, "marker")), default=None)
        if last is None:
            return None
        return next((c for c in row[last + 1 :] if self._level_name(c) is not None), None)

    def _header_continues(self, run: list[_Cell], rows: list[int]) -> bool:
        """Text whose row header starts with its level columns alone on a line or two (一级指标,
        二级指标: wrapped narrow cells) and holds the rest (三级指标 | 指标值 …) on the next."""
        if len(rows) < 2:
            return False
        before = {self._role(c) for c in run if c.row != rows[-1]}
        last = [c for c in self.rows[rows[-1]] if c.text]
        return before <= {"level1", "level2", "marker"} and "level3" not in before and len(last) >= 3

    def _header_line_above(self, index: int) -> bool:
        """Text whose two-line header puts the level columns on its second line (绩效指标 | 年度指标值
        | 实际完成值 | 分值 | 得分 above 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位)."""
        if index == 0:
            return False
        above = [c for c in self.rows[index - 1] if c.text]
        roles = [self._role(c) for c in above]
        return (
            len(above) >= 3
            and None not in roles
            and not any(r in ("level1", "level2", "level3") for r in roles)
            and any(r in ("target", "actual") for r in roles)
        )

    def _continued_header(self, rows: list[int]) -> tuple[int, _Table]:
        cells = [c for r in range(rows[0], rows[-1] + 1) for c in self.rows[r] if c.text]
        roles = self._order_roles(cells)
        return rows[-1], _Table(roles, None, False, cells[0], any(r in _SPLIT_ROLES for r in roles))

    def _two_line_row_header(self, run: list[_Cell]) -> bool:
        first_row = run[0].row
        return len([c for c in self.rows[first_row] if c.text]) >= 3

    def _row_table(self, index: int) -> tuple[int, _Table]:
        head = [c for c in self.rows[index] if c.text]
        cells = list(head)
        last = index
        if index + 1 < len(self.rows):
            second = [c for c in self.rows[index + 1] if c.text]
            known = [c for c in second if self.labels.column_of(c.word) is not None]
            levels = [c for c in second if self._level_name(c) is not None]
            if second and known and not levels and len(known) >= len(second) - 1:
                last = index + 1
                cells = self._merge_header_lines(head, second)
        roles = self._order_roles(cells)
        columns = None
        if self.dense:
            columns = {}
            for c in cells:  # a second header line is the more specific one: it overrides
                role = self._role(c)
                if role not in ("marker", None):
                    columns[c.col] = role
            if any(r in _SPLIT_ROLES for r in columns.values()):
                columns = {col: ("target_value" if r == "target" else r) for col, r in columns.items()}
        table = _Table(roles, columns, False, head[0], any(r in _SPLIT_ROLES for r in roles))
        return last, table

    def _merge_header_lines(self, first: list[_Cell], second: list[_Cell]) -> list[_Cell]:
        second_roles = [self.labels.column_of(c.word) for c in second]
        if not any(r in _SPLIT_ROLES for r in second_roles):
            have = {self.labels.column_of(c.word) for c in first}
            extra = [
                c for c, r in zip(second, second_roles, strict=True) if r not in have and r not in ("other", "target")
            ]
            if self.dense:
                return [*first, *second]
            return [*first, *extra]
        if self.dense:
            return [*first, *second]
        out: list[_Cell] = []
        placed = False
        for c in first:
            if self.labels.column_of(c.word) == "target" and not placed:
                out.extend(second)
                placed = True
            else:
                out.append(c)
        return out if placed else [*first, *second]

    def _role(self, cell: _Cell) -> str | None:
        return self.labels.column_of(cell.word)

    def _order_roles(self, cells: list[_Cell]) -> list[str]:
        roles = [r for r in (self._role(c) or "other" for c in cells) if r != "marker"]
        group = (*_SPLIT_ROLES, "target", _SIGN_ROLE)
        span = [k for k, r in enumerate(roles) if r in group]
        if (
            any(r in _SPLIT_ROLES for r in roles)
            and "target" not in roles[: span[0] + 1]
            and all(r in (*group, "other") for r in roles[span[0] : span[-1] + 1])
        ):
            # the split columns stand side by side as printed (指标性质 | 指标方向 | 目标值 | 计量单位):
            # keep their order, a 目标值 among them being the 指标值 part
            roles = [("target_value" if r == "target" else r) for r in roles]
        elif any(r in _SPLIT_ROLES for r in roles):
            split = [("target_value" if r == "target" else r) for r in roles if r in (*_SPLIT_ROLES, "target")]
            # the split columns stand where their parent 年度指标值 stood
            parent = next((k for k, r in enumerate(roles) if r in ("target", *_SPLIT_ROLES)), len(roles))
            rest = [r for r in roles if r not in (*_SPLIT_ROLES, "target")]
            before = [r for r in roles[:parent] if r not in (*_SPLIT_ROLES, "target")]
            roles = [*before, *split, *rest[len(before) :]]
            # a parent 年度指标值 and its child 指标值 both map to target_value: keep one of each
            seen: set[str] = set()
            roles = [r for r in roles if not (r in _SPLIT_ROLES and r in seen) and not seen.add(r)]  # type: ignore[func-returns-value]
        levels = [r for r in roles if r in _LEVEL_ROLES]
        others = [r for r in roles if r not in _LEVEL_ROLES]
        start = next((k for k, r in enumerate(others) if r == "level3"), 0)
        return [*levels, *others[start:]]

    def _level_name(self, cell: _Cell) -> tuple[str, str] | None:
        """('l1' | 'l2' | 'both', canonical) when the cell names a level of the taxonomy."""
        if not cell.text:
            return None
        l1 = self.taxonomy.canonical_level1(cell.text)
        l2 = self.taxonomy.canonical_level2(cell.text)
        if l1 and l2:
            return "both", l1
        if l1:
            return "l1", l1
        if l2:
            return "l2", l2
        return None

    def _written_as_level(self, cell: _Cell) -> bool:
        """The cell is spelled as a level (`…指标`, also with `(选填)` or points after it), not a short name."""
        return self.taxonomy.bare_name(cell.text).endswith("指标")

    def _set_level(self, state: _Levels, cell: _Cell, kind: str, canonical: str, next_is_level2: bool) -> None:
        if kind == "both":
            kind = "l1" if next_is_level2 else "l2"
        if kind == "l1":
            if state.level1 != canonical:
                state.level2 = None
            state.level1 = state.written1 = canonical
            only = self.taxonomy.level2_by_level1.get(canonical, ())
            if state.level2 is None and len(only) == 1:
                state.level2 = only[0]
        else:
            l2 = self.taxonomy.canonical_level2(cell.text) or canonical
            state.level2 = l2
            owner = self.taxonomy.level1_of(l2)
            older = state.level1 is not None and owner in self.taxonomy.level2_by_level1.get(state.level1, ())
            if older:
                # e.g. 经济成本指标 under 产出指标: the older layout files 成本指标 under 产出指标, so the
                # table's own first level is consistent with the taxonomy and is kept as written
                self.note(
                    cell,
                    cell.text,
                    f"二级指标「{l2}」属于「{owner}」，旧体系中「{owner}」列在「{state.level1}」下，一级指标按原表保留",
                )
            elif owner is not None and state.level1 != owner:
                # Convention: a known level-2 under the wrong level-1 takes its level-1 from the
                # taxonomy, with a repair naming the level-1 the table wrote; a row back under the
                # table's own level-1 (时效指标 after a stray 经济效益指标 in the 产出 block) is silent.
                written = state.written1
                if state.level1 is not None and state.level1 != "成本指标" and owner != written:
                    where = f"原表列在「{written}」下，" if written is not None else ""
                    decision = f"二级指标「{l2}」属于「{owner}」，{where}一级指标按指标体系取「{owner}」"
                    self.note(cell, cell.text, decision)
                state.level1 = owner
        if _POINTS_SUFFIX.sub("", label_word(cell.text)) != canonical:
            self.note(cell, cell.text, f"非标准的指标层级名称，按指标体系视为「{canonical}」")

    def read_table(self, start: int, table: _Table) -> None:
        state = _Levels()
        self.score_only = "score" in table.roles and "weight" not in table.roles
        if table.stream:
            self._read_stream(start, table, state)
            return
        filled = [index for index in range(start, len(self.rows)) if any(c.text for c in self.rows[index])]
        ended = False
        k = 0
        while k < len(filled):
            row = self.rows[filled[k]]
            first = next(c for c in row if c.text)
            if ended:  # 指标得分合计 then 折算总分: every total line under the table counts
                if not self._is_total_row(first):
                    break
                self._read_end_row([c for c in row if c.text])
                k += 1
                continue
            nxt = self.rows[filled[k + 1]] if k + 1 < len(filled) else None
            if nxt is not None and table.columns is None and self._row_goes_on(row, nxt, table):
                self.note(
                    nxt[0],
                    " | ".join(c.text for c in nxt if c.text),
                    "此行接在上一行的指标名称之后（原表在名称后断行）",
                )
                row = [*row, *nxt]
                k += 1
            last = k == len(filled) - 1
            if not self._read_row(row, table, state, last=last):
                ended = self._is_total_row(first)
                if not ended:
                    break
            k += 1

    def _row_goes_on(self, row: list[_Cell], nxt: list[_Cell], table: _Table) -> bool:
        """Whether the text row `nxt` is the rest of `row`, broken after the indicator name.

        A name with a line break in its cell (`扶持发展新型农业经营主体 (个)`) ends the copied line,
        and the values follow on the next line (`15 | 6 | 8.0`). No row begins with a bare number
        or a comparison sign, so such a line, with no level name in it, goes on the row above when
        that row ends in a name and the two together fit the columns.
        """
        cells = [c for c in row if c.text]
        rest = [c for c in nxt if c.text]
        if not cells or not rest or len(cells) + len(rest) > len(table.roles):
            return False
        if not _VALUE_START.match(rest[0].text) or any(self._level_name(c) for c in rest):
            return False
        last = cells[-1]
        return not _VALUE_START.match(last.text) and self._level_name(last) is None and not self._ends_table(last)

    def _ends_table(self, cell: _Cell) -> bool:
        word = cell.word
        if word.startswith(self.labels.table_end) or word.startswith(self.labels.total_words):
            return True
        return any(w in word for w in self.labels.signature)

    def _is_total_row(self, cell: _Cell) -> bool:
        return cell.word.startswith(self.labels.total_words)

    def _read_end_row(self, cells: list[_Cell]) -> None:
        """A total line gives 分值 and 得分; of several (指标得分合计, 折算总分) the first gives the points
        as published and the last the final score."""
        first = cells[0]
        if self._is_total_row(first):
            numbers = [n for n in (_number(c.text) for c in cells[1:]) if n is not None]
            if self.score_only and numbers:
                self.totals["score"] = numbers[0]  # 施甸: a table without 分值 column, `总分 | 71.7` is the score
            elif numbers:
                self.totals.setdefault("weight", numbers[0])
            if len(numbers) > 1 and not self.score_only:
                self.totals["score"] = numbers[1]
            for c in cells[1:]:
                grade = _GRADE.match(c.word.removeprefix("自评等级:").removeprefix("评价等级:"))
                if grade:
                    self.grade = grade.group(1)
        elif any(w in first.word for w in self.labels.signature) or any(
            w in c.word for c in cells for w in self.labels.signature
        ):
            self.note(first, " ".join(c.text for c in cells), "签章栏，不是指标，未读取")

    def _read_row(self, row: list[_Cell], table: _Table, state: _Levels, last: bool = False) -> bool:
        """Read one row; False when it ends the table.

        `last`: nothing follows this row in the text — a page cut off mid-row, so a short last
        row is read by position rather than lined up as a row with an empty cell.
        """
        if self.labels.is_heading(" ".join(c.text for c in row if c.text)) and sum(1 for c in row if c.text) <= 2:
            return False
        if table.columns is not None:
            return self._read_dense_row(row, table, state)
        cells = [c for c in row]
        while cells and not cells[-1].text:
            cells.pop()
        if any(w in c.word for c in cells for w in self.labels.signature):
            self._read_end_row([c for c in cells if c.text])
            return False
        k = 0
        had_level2 = False
        while k < len(cells):
            cell = cells[k]
            if not cell.text or cell.word in self.labels.markers or _POINTS_CELL.match(cell.word):
                k += 1
                continue
            level = self._level_name(cell)
            if level is None or had_level2:
                break  # nothing stands below a second level but the indicator (满意度 after 服务对象满意度指标)
            remaining = len(cells) - k - 1
            if remaining == 1 and not self._written_as_level(cell):
                break  # the last two cells are the indicator (a name such as 满意度 looks like a level)
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            next_l2 = nxt is not None and (lv := self._level_name(nxt)) is not None and lv[0] == "l2"
            self._set_level(state, cell, level[0], level[1], next_l2)
            had_level2 = level[0] == "l2" or (level[0] == "both" and not next_l2)
            k += 1
        data = cells[k:]
        if not data:
            return True
        if self._ends_table(data[0]):
            self._read_end_row(data)
            return False
        roles = [r for r in table.roles if r not in _LEVEL_ROLES]
        if data[0].text.strip() in self.labels.none_values:
            self.note(
                data[0], " ".join(c.text for c in data), "没有指标名称的行（只有「-」「/」等），未读取", "unplaced"
            )
            return True
        if len(data) == 1 and k == 0 and "score" in roles and not _is_template(data[0]):
            # a filled indicator row has at least its name and points: a lone text line is the rest
            # of a cell spanning several rows (得分计算方法, 指标解释) that the copy put on a line of its own
            self.note(data[0], data[0].text, "单独一行的文字不是指标行（多为跨行单元格的内容），未读取", "unplaced")
            return True
        if data[0].word.startswith("其中") and len(data) < len(roles):
            roles = [r for r in roles if r not in ("weight", "score")]
        if data[0].spaced:
            data = self._rejoin_name(data, roles)
        short = self._short_row(data, roles, cut=last)
        if short is not None:
            self._add(short, data[0], state, table, extra=[])
            return True
        self._add(dict(zip(roles, data, strict=False)), data[0], state, table, extra=data[len(roles) :])
        return True

    def _short_row(self, data: list[_Cell], roles: list[str], cut: bool = False) -> dict[str, _Cell] | None:
        """A filled row missing cells: choose the empty columns so that 分值 and 得分 get numbers.

        Text rows lose their empty cells, so a row whose 实际完成值 was left empty is one cell short
        and, read by position, puts 分值 under 实际完成值. A short row of a table with 分值/得分
        columns is lined up by leaving out the columns most often empty — 实际完成值, then 指标值,
        then 分值/得分 — such that every cell under 分值 or 得分 is a number: a parent row giving only
        `10 10` has no target, a sub-row giving `5.5亩 5.5亩` has no points. A row where the text
        ends (`cut`: the page was cut off) lost its last cells instead, so it is read by position
        when that puts numbers under 分值 and 得分.
        """
        essential = list(roles)
        while essential and essential[-1] not in _ESSENTIAL:
            essential.pop()
        if (
            essential[:1] != ["level3"]
            or not {"weight", "score"} & set(essential)
            or not 2 <= len(data) < len(essential)
        ):
            return None
        columns, rest = essential[1:], data[1:]
        if cut and not any(
            r in ("weight", "score") and _number(c.text) is None for r, c in zip(columns, rest, strict=False)
        ):
            return None
        best: tuple[int, tuple[str, ...]] | None = None
        for dropped in itertools.combinations(columns, len(columns) - len(rest)):
            kept = [r for r in columns if r not in dropped]
            if not all(_fits(r, c) for r, c in zip(kept, rest, strict=True)):
                continue
            cost = sum(_DROP_COST.get(r, 3) for r in dropped)
            if best is None or cost < best[0]:
                best = (cost, dropped)
        if best is None:
            return None
        kept = [r for r in columns if r not in best[1]]
        by_role = {"level3": data[0], **dict(zip(kept, rest, strict=True))}
        missing = "、".join(_ROLE_ZH.get(r, r) for r in best[1])
        self.note(
            data[0],
            " | ".join(c.text for c in data),
            f"此行缺{len(best[1])}格：按分值、得分须为数字对齐，{missing}空缺",
        )
        return by_role

    def _rejoin_name(self, data: list[_Cell], roles: list[str]) -> list[_Cell]:
        """Single-space text: words beyond the essential columns belong to the 三级指标 name."""
        essential = list(roles)
        while essential and essential[-1] not in _ESSENTIAL:
            essential.pop()
        extra = len(data) - len(essential)
        if extra <= 0:
            return data
        name = data[: extra + 1]
        joined = _Cell(
            " ".join(c.text for c in name),
            label_word(" ".join(c.text for c in name)),
            name[0].source,
            name[0].row,
            name[0].col,
            True,
        )
        return [joined, *data[extra + 1 :]]

    def _read_dense_row(self, row: list[_Cell], table: _Table, state: _Levels) -> bool:
        assert table.columns is not None
        by_role: dict[str, _Cell] = {}
        level_cells: list[tuple[str, _Cell]] = []
        for cell in row:
            role = table.columns.get(cell.col)
            if role is None or not cell.text:
                continue
            if role in _LEVEL_ROLES:
                level_cells.append((role, cell))
            else:
                by_role.setdefault(role, cell)
        first = min((c for c in row if c.text), key=lambda c: c.col, default=None)
        if first is not None and self._ends_table(first):
            self._read_end_row([c for c in row if c.text])
            return False
        for n, (role, cell) in enumerate(level_cells):
            level = self._level_name(cell)
            if level is None:
                self.note(cell, cell.text, "无法识别的指标层级名称，按原文保留", "warning")
                if role == "level1":
                    state.level1, state.level2, state.written1 = cell.text, None, cell.text
                else:
                    state.level2 = cell.text
                continue
            kind = level[0]
            if kind == "both":
                kind = "l1" if role == "level1" and n + 1 < len(level_cells) else "l2"
            self._set_level(state, cell, kind, level[1], False)
        name = by_role.get("level3")
        if name is None:
            if by_role:
                found = " ".join(c.text for c in by_role.values())
                self.note(next(iter(by_role.values())), found, "指标行没有三级指标名称，未读取", "unplaced")
            return True
        self._add(by_role, name, state, table, extra=[])
        return True

    def _read_stream(self, start: int, table: _Table, state: _Levels) -> None:
        header_rows = {table.header.row}
        cells = [c for row in self.rows[start + 1 :] for c in row if c.text and c.row not in header_rows]
        roles = [r for r in table.roles if r not in _LEVEL_ROLES]
        optional = list(roles)
        while roles and roles[-1] not in _ESSENTIAL:
            roles.pop()  # trailing optional columns are mostly empty and cannot be told apart in a stream
        with_reason = "reason" in optional[len(roles) :]
        k = 0
        previous_level = False
        while k < len(cells):
            cell = cells[k]
            if self.labels.is_heading(cell.text):
                return
            following = cells[k + 1] if k + 1 < len(cells) else None
            if _is_template(cell) and (following is None or self._starts_stream_row(cells, k + 1, roles, strict=False)):
                self.note(cell, cell.text, "模板占位行（指标1、……），没有指标内容，未读取")
                k += 1
                continue
            if cell.word in self.labels.markers:
                if cell.word == "指标" and previous_level:
                    self.note(cell, cell.text, "二级指标名称被拆成两行，已与上一格合并")
                k += 1
                continue
            level = self._level_name(cell)
            if level is not None and (
                following is None
                or self._level_name(following) is not None
                or self._written_as_level(cell)
                or following.word == "指标"
            ):
                next_l2 = following is not None and (lv := self._level_name(following)) is not None and lv[0] == "l2"
                self._set_level(state, cell, level[0], level[1], next_l2)
                previous_level = True
                k += 1
                continue
            previous_level = False
            if self._ends_table(cell):
                self._read_end_row(cells[k : k + 4])
                return
            take = [cell]
            j = k + 1
            while j < len(cells) and len(take) < len(roles):
                nxt = cells[j]
                if self._level_name(nxt) is not None or self._ends_table(nxt) or self.labels.is_heading(nxt.text):
                    break
                take.append(nxt)
                j += 1
            row_roles = roles
            if cell.word.startswith("其中"):
                row_roles = [r for r in roles if r not in ("weight", "score")]
                take = take[: len(row_roles)]
                j = k + len(take)
            by_role = dict(zip(row_roles, take, strict=False))
            if with_reason and len(take) == len(row_roles) and j < len(cells):
                if not self._starts_stream_row(cells, j, roles):
                    by_role["reason"] = cells[j]
                    j += 1
            self._add(by_role, cell, state, table, extra=[])
            k = j

    def _starts_stream_row(self, cells: list[_Cell], j: int, roles: list[str], strict: bool = True) -> bool:
        """Whether cells[j] begins the next row of a stream (rather than finishing the row before it).

        The 偏差原因 after a row's 得分 is often left empty, and an empty cell leaves no line, so the
        cell after 得分 is either that row's reason or the next row's name. It is a name when the
        row it would begin has numbers where 分值 and 得分 stand; a level name, a template cell or
        the end of the table also begins something new. With `strict` off, any cell that is no
        plain text (a level, a template cell, an end) counts, without the number test.
        """
        cell = cells[j]
        if (
            self._level_name(cell) is not None
            or self._ends_table(cell)
            or self.labels.is_heading(cell.text)
            or _is_template(cell)
        ):
            return True
        if not strict:
            return False
        numeric = [p for p, r in enumerate(roles) if r in ("weight", "score")]
        if not numeric:
            return True  # nothing to tell a reason from a name by: leave it to the next row
        return all(j + p < len(cells) and _number(cells[j + p].text) is not None for p in numeric)

    def _add_places(self, by_role: dict[str, _Cell], name_cell: _Cell, state: _Levels, table: _Table) -> None:
        """One indicator per place column: `开展小型水利工程建设(个)（西坪镇尧山村）` with that column's target."""
        name = by_role.get("level3", name_cell)
        plain = dataclasses.replace(table, places=(), split_target=False)
        given = [k for k in range(len(table.places)) if f"place{k}" in by_role]
        if table.columns is None and given and len(given) < len(table.places):
            found, wanted = len(given), len(table.places)
            decision = f"此行只有 {found} 栏指标值，表头有 {wanted} 个分栏，按顺序对应前 {found} 栏，请核对"
            self.note(name, name.text, decision, "warning")
        for k, place in enumerate(table.places):
            cell = by_role.get(f"place{k}")
            if cell is None or not cell.text.strip() or cell.text.strip() in self.labels.none_values:
                continue
            text = f"{name.text.strip()}（{place}）"
            named = _Cell(text, label_word(text), name.source, name.row, name.col)
            own = {r: c for r, c in by_role.items() if not r.startswith("place")}
            self._add({**own, "level3": named, "target": cell}, named, state, plain, extra=[])

    def _add(self, by_role: dict[str, _Cell], name_cell: _Cell, state: _Levels, table: _Table, extra: list) -> None:
        if table.places:
            self._add_places(by_role, name_cell, state, table)
            return
        level3 = by_role.get("level3", name_cell).text.strip()
        if extra:
            self.note(extra[0], " ".join(c.text for c in extra), "指标行的单元格多于表头栏目，多出的未读取", "unplaced")
        if table.split_target:
            parts = [by_role[r].text.strip() for r in _SPLIT_ROLES if r in by_role]
            op = by_role["target_op"].text.strip() if "target_op" in by_role else ""
            sign = plain_symbols(by_role[_SIGN_ROLE].text.strip()) if _SIGN_ROLE in by_role else ""
            if (not op or op in _DIRECTION_WORDS) and _SIGN.match(sign):
                if op:
                    self.note(
                        by_role["target_op"], op, f"指标性质「{op}」是指标方向，比较符号取自指标方向栏的「{sign}」"
                    )
                parts = [sign, *parts[1:]] if op else [sign, *parts]
            elif op in _DIRECTION_WORDS:
                parts = parts[1:]
            elif op and plain_symbols(op) != op:
                parts[0] = plain_symbols(op)  # ﹦ (small equals sign), ═, ≧ → =, =, ≥
                self.note(by_role["target_op"], op, f"指标性质「{op}」按「{parts[0]}」读取")
            target = "".join(parts)
        else:
            target = by_role["target"].text.strip() if "target" in by_role else ""
        if (_PLACEHOLDER.match(level3) or _ELLIPSIS.match(level3)) and (not target or _ELLIPSIS.match(target)):
            self.note(name_cell, level3, "占位的指标名称（指标1、……），没有指标值，未读取")
            return
        if state.level1 is None or state.level2 is None:
            if state.level1 is None:
                self.note(name_cell, level3, "无法确定一级指标，按原表空白保留", "warning")
        weight = self._points(by_role.get("weight"), "分值")
        score = self._points(by_role.get("score"), "得分")
        actual = by_role["actual"].text.strip() if "actual" in by_role else None
        if actual is not None or "score" in by_role:
            self.self_evaluation = True
        if actual is not None and self.labels.is_not_filled(actual):
            actual = ""
        reason = by_role["reason"].text.strip() if "reason" in by_role else ""
        if self.labels.is_not_filled(reason):
            reason = ""
        sub_row = level3.startswith("其中")
        if sub_row:
            self.note(name_cell, level3, "「其中」分项行：列在上一指标之下，不单独评分")
        duplicate = next((i for i in self.indicators if i.level3 == level3 and not sub_row), None)
        if duplicate is not None:
            where = duplicate.source.describe() if duplicate.source else ""
            self.note(name_cell, level3, f"三级指标名称重复（{where}已有），两行都保留，请核对", "warning")
        self.indicators.append(
            Indicator(
                level1=state.level1 or "",
                level2=state.level2 or "",
                level3=level3,
                target_text=target,
                weight=weight,
                source=name_cell.source,
                published_actual=actual,
                published_score=score,
                deviation_reason=reason,
                sub_row=sub_row,
            )
        )

    def mark_starred_parts(self) -> None:
        """Rows under a ★ row that carry no points of their own are its parts.

        Some 自评表 (se_anhui_2023_xiaoxian_yanglou) mark each scored indicator with ★ and list its
        parts on the rows below it, indented but without 其中: `★补助家畜家禽养殖数量 | 10 | 10` (分值
        and 得分 only) over `猪养殖数量 | 80头 | 80头` (指标值 and 实际值 only). A part must follow
        the ★ row (or another part) in its levels, carry no 分值 nor 得分, and not be starred itself.

        When the ★ row has a 年度指标值 of its own, it is the scored row and its parts are 其中 rows,
        shown under it. When it has none, the parts hold everything that can be measured: they are
        scored in its place, its 分值 split equally over them (to the cent), and the ★ row is kept as
        a parent row, with its published points, for the audit's sum check — otherwise the row would
        stay 未评分 although its parts say exactly what was done.
        """
        rows = self.indicators
        k = 0
        while k < len(rows):
            parent = rows[k]
            starred = parent.level3.startswith("★")
            points = parent.weight is not None or parent.published_score is not None
            if not (starred and points):
                k += 1
                continue
            end = k + 1
            while end < len(rows):
                row = rows[end]
                same_block = (row.level1, row.level2) == (parent.level1, parent.level2)
                row_points = row.weight is not None or row.published_score is not None
                if row.level3.startswith("★") or not same_block or row_points or row.sub_row:
                    break
                end += 1
            count = end - k - 1
            if count and not parent.target_text.strip() and all(r.target_text.strip() for r in rows[k + 1 : end]):
                self._split_over_parts(k, count)
            else:
                for j in range(k + 1, end):
                    rows[j] = dataclasses.replace(rows[j], sub_row=True)
                    self.note(
                        rows[j].source or SourceRef(""),
                        rows[j].level3,
                        f"「{parent.level3}」下不带★、没有分值和得分的行：按其分项（其中）行读取，不单独评分",
                    )
            k = end

    def _split_over_parts(self, k: int, count: int) -> None:
        """The ★ row at `k` without a target: its `count` parts scored, its 分值 split equally over them."""
        rows = self.indicators
        parent = rows[k]
        rows[k] = dataclasses.replace(parent, parts=count)
        shares: list[float | None] = [None] * count
        if parent.weight is not None:
            shares = [c / 100 for c in largest_remainder(round(round_half_up(parent.weight, 2) * 100), [1] * count)]
        for j, weight in enumerate(shares, start=k + 1):
            rows[j] = dataclasses.replace(rows[j], weight=weight)
        split = "、".join(format_number(w) for w in shares if w is not None)
        how = f"，分值 {format_number(parent.weight)} 按分项平均分配（{split}）" if parent.weight is not None else ""
        self.note(
            parent.source or SourceRef(""),
            parent.level3,
            f"★父行没有年度指标值：按其下 {count} 个分项（不带★、没有分值和得分的行）评分{how}，本行不单独评分",
        )

    def mark_parent_rows(self) -> None:
        """Numbered parent rows: a row with no target whose parts follow it numbered (1), (2) ….

        `1. 完成培训任务 | | 10 | 9` over `(1) 培训人次 | ≥500人次 | 5 | 5` and `(2) …`: the parent's
        分值 and 得分 are the sum of its parts', so the parts are scored and the parent is kept, with
        its published points, only for the audit to check that sum. The parts must be numbered from
        (1) on in one scheme, carry points of their own (when the table has points at all: a
        declaration has none) and stand in the parent's levels; a parent numbered in that same
        scheme is a sibling, not a parent.
        """
        self.mark_starred_parts()
        rows = self.indicators
        # a declaration without 分值/得分 columns: the numbering and the parent's empty target suffice
        with_points = any(i.weight is not None or i.published_score is not None for i in rows)
        k = 0
        while k < len(rows):
            parent = rows[k]
            parts = 0
            if not parent.target_text.strip() and not parent.sub_row and _part_number(parent.level3) is None:
                scheme = None
                while k + parts + 1 < len(rows):
                    part = rows[k + parts + 1]
                    number = _part_number(part.level3)
                    if number is None or (part.level1, part.level2) != (parent.level1, parent.level2):
                        break
                    if number[1] != parts + 1 or (scheme is not None and number[0] != scheme):
                        break
                    scheme = number[0]
                    parts += 1
                children = rows[k + 1 : k + 1 + parts]
                if with_points and not any(c.weight is not None or c.published_score is not None for c in children):
                    parts = 0
            if parts:
                rows[k] = dataclasses.replace(parent, parts=parts)
                where = parent.source or SourceRef("")
                self.note(
                    where,
                    parent.level3,
                    f"分项父行：分值、得分为其下 {parts} 个分项之和，本行不单独评分，按分项评分",
                )
                k += parts + 1
                continue
            k += 1

    def _points(self, cell: _Cell | None, what: str) -> float | None:
        if cell is None or not cell.text.strip():
            return None
        text = unicodedata.normalize("NFKC", cell.text).strip().removesuffix("分")
        if text in self.labels.none_values:
            return None
        percent = text.endswith("%")
        value = _number(text.removesuffix("%"))
        if value is None:
            self.note(cell, cell.text, f"{what}不是数字，未读取", "warning")
            return None
        if percent:
            self.note(cell, cell.text, f"{what}写成百分比，按 {value:g} 分读取")
        return value

    # -- several projects in one table ----------------------------------------------------

    def project_columns(self, table: _Table) -> list[tuple[int, str | None]] | None:
        """The columns before the level columns that name a project (项目名称 | 预算数 | 年度目标 …).

        A department's budget table lists all its projects in one indicator table, each project's
        name, amount and goal in columns left of the levels, written on its first row only. Gives
        (grid column, field) for each such column, the field None for one with no known label, or
        None when the header has no 项目名称 column there.
        """
        head = [c for c in self.rows[table.header.row] if c.text]
        first = next((k for k, c in enumerate(head) if self._role(c) in ("level1", "level2", "level3")), 0)
        columns: list[tuple[int, str | None]] = []
        for cell in head[:first]:
            name = self.labels.field_of(cell.word)
            if name is None and self.labels.budget_column_of(cell.word) is not None:
                name = "total_funds"
            columns.append((cell.col, name))
        return columns if any(name == "name" for _col, name in columns) else None

    def split_projects(
        self, start: int, columns: list[tuple[int, str | None]]
    ) -> list[tuple[dict[str, _Cell], list[list[_Cell]]]]:
        """The table's rows from `start` cut into projects: (the project's field cells, its rows).

        A row whose cells before its first level name (dense grids: under the project columns) are
        filled begins a project; those cells are its fields and leave the row. Text rows lose the
        empty and merged cells, so a shorter run of such cells is placed where the amount column
        gets a number, else flush right, and a column it leaves out keeps the previous project's
        value (a merged 单位名称 cell spanning both). Rows above the first project (a department's
        total line) belong to no project: their first cell is the 主管部门 of the projects below.
        """
        at = {col for col, _name in columns}
        out: list[tuple[dict[str, _Cell], list[list[_Cell]]]] = []
        previous: dict[str, _Cell] = {}
        department: _Cell | None = None
        for row in self.rows[start:]:
            cells = [c for c in row if c.text]
            if not cells:
                continue
            names = [name for _col, name in columns]
            fields: dict[str, _Cell] = {}
            if self.dense:
                lead = [c for c in cells if c.col in at]
                rest = [c for c in row if c.col not in at]
                if any(c.text for c in rest):  # a row with project cells only is a total line
                    for cell in lead:
                        name = dict(columns)[cell.col]
                        if name is not None:
                            fields[name] = cell
                offset = next((k for k, (col, _n) in enumerate(columns) if lead and col == lead[0].col), 0)
            else:
                first = next((k for k, c in enumerate(cells) if self._level_name(c) is not None), 0)
                rest = cells[first:]
                offset, fields = self._place_fields(cells[:first], names)
            if fields:
                carried = {n: previous[n] for n in names[:offset] if n is not None and n in previous}
                fields = {**carried, **fields}
                if department is not None and "department" not in fields:
                    fields["department"] = department
                previous = fields
                out.append((fields, [rest]))
            elif not out:
                if department is None:
                    department = cells[0]
                self.note(
                    cells[0], " | ".join(c.text for c in cells), "项目清单上方的部门合计行，不是项目，按主管部门读取"
                )
            else:
                out[-1][1].append(row)
        return out

    def _place_fields(self, lead: list[_Cell], names: list[str | None]) -> tuple[int, dict[str, _Cell]]:
        """(the first column the cells fill, field → cell) for a text row's run of project cells."""
        if not lead or len(lead) > len(names):
            return 0, {}
        best_offset = len(names) - len(lead)
        if "total_funds" in names:
            money_at = names.index("total_funds")
            fits = [
                o
                for o in range(len(names) - len(lead) + 1)
                if 0 <= money_at - o < len(lead) and _number(lead[money_at - o].text) is not None
            ]
            if fits:
                best_offset = fits[-1]
        return best_offset, {name: c for name, c in zip(names[best_offset:], lead, strict=False) if name is not None}

    # -- result ---------------------------------------------------------------------------

    def money(self, cell: _Cell | None) -> float | None:
        if cell is None:
            return None
        text = unicodedata.normalize("NFKC", cell.text).replace(" ", "").strip()
        if not text or text in self.labels.none_values:
            return None
        match = _NUMBER.match(text)
        if match is None:
            self.note(cell, cell.text, "金额不是数字，未读取", "warning")
            return None
        value = float(match.group(0).replace(",", ""))
        rest = text[match.end() :]
        factor = self.money_factor
        if rest.startswith(("万元", "万")):
            factor, rest = 10000.0, rest.removeprefix("万元").removeprefix("万")
        elif rest.startswith("元"):
            factor, rest = 1.0, rest[1:]
        elif not self.money_unit and value:
            # 清涧: `资金情况 | 年度资金总额: | 500` and no unit anywhere; 元 is the rule, but say so once
            self.money_unit = "元"
            self.note(cell, cell.text, "表中没有写明金额单位，按元读取，请核对是否为万元", "warning")
        if rest.strip("%"):
            self.note(cell, cell.text, f"金额后面的文字未读取，按 {value:g} 读取", "warning")
        return value * factor

    def project(self) -> Project:
        for name, cell in self.fallback.items():
            self.values.setdefault(name, cell)
        for name, cell in self.last_resort.items():
            if name not in self.values and cell.text.strip():
                self.values[name] = cell
                self.note(
                    cell,
                    cell.text,
                    f"表中没有「{_FIELD_ZH[name]}」，按部门整体表取「{cell.text.strip()}」",
                    "assumption",
                )
        name = self.values["name"].text.strip() if "name" in self.values else ""
        where = (self.heading or (self.values.get("name")) or self._first_cell()).source
        named_year = _YEAR.search(label_word(name)) if self.year is None else None
        if named_year is not None:
            # `2018年市级专项扶贫资金…`: no 年度 in the table, but the project is named for its year
            self.year = int(named_year.group(1))
            self.note(self.values["name"], name, f"表中没有写年度，按项目名称取 {self.year} 年", "assumption")
        if not name:
            self.note(where, "", "没有读到「项目名称」，项目名称按空白保留", "warning")
        budget = {
            role: self.money(cell) if role not in ("weight", "rate", "score") else None
            for role, cell in self.budget.items()
        }
        published = None
        if self.self_evaluation:
            rate_cell = self.budget.get("rate")
            rate = _number(rate_cell.text.rstrip("%")) if rate_cell is not None else None
            if rate is not None and rate_cell is not None and rate_cell.text.strip().endswith("%"):
                rate = rate / 100
            published = PublishedTotals(
                initial_budget=budget.get("initial"),
                full_year_budget=budget.get("full_year"),
                executed=budget.get("executed"),
                budget_weight=_number(self.budget["weight"].text) if "weight" in self.budget else self.budget_points,
                budget_rate=rate,
                budget_score=_number(self.budget["score"].text) if "score" in self.budget else None,
                total_weight=self.totals.get("weight"),
                total_score=self.totals.get("score"),
                grade=self.grade,
            )
        total = self.money(self.values.get("total_funds"))
        if total is None:
            total = budget.get("full_year") if budget.get("full_year") is not None else budget.get("initial")
        return Project(
            name=name,
            department=self.values["department"].text.strip() if "department" in self.values else "",
            implementer=self.values["implementer"].text.strip() if "implementer" in self.values else "",
            total_funds=total,
            fiscal_funds=self.money(self.values.get("fiscal_funds")),
            carryover_funds=self.money(self.values.get("carryover_funds")),
            other_funds=self.money(self.values.get("other_funds")),
            annual_goal=self.goal.strip(),
            indicators=tuple(self.indicators),
            source=where,
            year=self.year,
            published=published,
        )

    def _first_cell(self) -> _Cell:
        return next(c for row in self.rows for c in row)


_ROLE_ZH = {
    "level3": "三级指标",
    "target": "指标值",
    "target_op": "指标性质",
    "target_value": "指标值",
    "target_unit": "度量单位",
    _SIGN_ROLE: "指标方向",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
}

# How readily a column of a filled row is left empty (lower: more readily), for lining up short rows.
_DROP_COST = {"actual": 1, "target": 2, "target_op": 2, "target_value": 2, "target_unit": 2, "weight": 4, "score": 4}


def _fits(role: str, cell: _Cell) -> bool:
    """Whether a cell can stand under a column when a short row is lined up: 分值 and 得分 are
    numbers, 指标性质 and 指标方向 hold a sign or a direction word, and a 度量单位 is no bare number."""
    text = cell.text.strip()
    if role in ("weight", "score"):
        return _number(text) is not None
    if role in ("target_op", _SIGN_ROLE):
        return bool(_SIGN.match(plain_symbols(text))) or text in _DIRECTION_WORDS
    if role == "target_unit":
        return not _NUMBER.fullmatch(text.replace(",", ""))
    return True


_BUDGET_ZH = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数", "weight": "分值"}

_FIELD_ZH = {
    "name": "项目名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "total_funds": "年度资金总额",
    "fiscal_funds": "财政拨款",
    "carryover_funds": "上年结转资金",
    "other_funds": "其他资金",
    "annual_goal": "年度目标",
}


_VALUE_START = re.compile(r"^\s*(?:[<>=≥≤＞＜﹦]|[+-]?\d[\d,.]*%?\s*$)")
_ELLIPSIS = re.compile(r"^(?:…+|\.{3,}|。{3,}|·{3,})$")


# Numbers that mark a parent row's parts: (1) （1） 1) ① (一) — each scheme with its value.
_PART_NUMBER = re.compile(
    r"^\s*(?:[(（]\s*(?P<paren>\d+)\s*[)）]|(?P<half>\d+)\s*[)）]|(?P<han>[(（][一二三四五六七八九十]+[)）])|(?P<circled>[①-⑳]))"
)
_HAN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}


def _part_number(name: str) -> tuple[str, int] | None:
    """(scheme, number) when an indicator name starts with a part's number, e.g. ('paren', 2) for `(2) …`."""
    match = _PART_NUMBER.match(name)
    if match is None:
        return None
    if match.group("paren"):
        return "paren", int(match.group("paren"))
    if match.group("half"):
        return "half", int(match.group("half"))
    if match.group("han"):
        digits = match.group("han").strip("(（)）")
        return ("han", _HAN_DIGITS[digits]) if len(digits) == 1 else None
    return "circled", ord(match.group("circled")) - ord("①") + 1


def _is_template(cell: _Cell) -> bool:
    """A template cell left unfilled: a bare placeholder name (指标1) or an ellipsis row (……)."""
    return bool(_PLACEHOLDER.match(cell.word) or _ELLIPSIS.match(cell.text.strip()))


def _number(text: str) -> float | None:
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").strip().removesuffix("分")
    if not cleaned:
        return None
    match = _NUMBER.fullmatch(cleaned)
    return float(cleaned) if match else None


# ---------------------------------------------------------------------------------------------
# Grids → forms
# ---------------------------------------------------------------------------------------------


_MIN_PLACES = 2  # place columns a target-less header needs to be read as a target per place
_SINGLE_SPACE = re.compile(r"[ \u3000]+")
_WHOLE_TABLE_TOKENS = 40


def _is_money_unit_note(cell: _Cell) -> bool:
    """`单位:万元`, `金额单位:元`: what the amounts are in, never a field's value."""
    return cell.word.startswith(("金额单位", "单位:"))


def _is_label_word(word: str, labels: Labels) -> bool:
    return (
        labels.field_of(word.removeprefix("其中:")) is not None
        or labels.field_of(word) is not None
        or labels.column_of(word) not in (None, "marker")
        or labels.is_other_field(word)
    )


def _joined_qizhong(tokens: list[str]) -> list[str]:
    """`其中: 财政拨款数 3` (乌海): a lone 其中: belongs to the label after it."""
    out: list[str] = []
    for token in tokens:
        if out and unicodedata.normalize("NFKC", out[-1]) == "其中:":
            out[-1] += token
        else:
            out.append(token)
    return out


def _spaced_rows(row: list[_Cell], labels: Labels, spaced: bool) -> tuple[list[list[_Cell]], bool]:
    """Text whose cells are separated by single spaces: split such a line once it shows labels.

    Tables copied out of Word or PDF often keep one space between cells. A line is split when two
    or more of its space-separated words are labels or column headers; from then on the following
    one-cell lines are split too. Before that, a line of two words, a header field's label and one
    more, is that field and its value. A whole table pressed onto one line becomes one cell a row (read
    as a stream).
    """
    if len(row) != 1 or not row[0].text or " " not in row[0].text.strip():
        return [row], spaced
    cell = row[0]
    tokens = _joined_qizhong([t for t in _SINGLE_SPACE.split(cell.text.strip()) if t])
    hits = sum(1 for t in tokens if _is_label_word(label_word(t), labels))
    if hits < 2 and not spaced:
        first = label_word(tokens[0])
        if hits == 1 and len(tokens) == 2 and labels.field_of(first.removeprefix("其中:")) is not None:
            # `项目名称 再生资源回收市场管理经费`: a header field and its value, one space apart
            return [[_Cell(t, label_word(t), cell.source, 0, k) for k, t in enumerate(tokens)]], spaced
        if hits == 1 and labels.field_of(first) == "annual_goal":
            # `年度目标 围绕… 目标1:… 目标2:…`: the goal's label, the rest of the line its text (spaces kept).
            # Only the goal is prose; a name followed by more words may have an unknown label among them.
            rest = cell.text.strip()[len(tokens[0]) :].strip()
            return [
                [_Cell(tokens[0], first, cell.source, 0, 0), _Cell(rest, label_word(rest), cell.source, 0, 1)]
            ], spaced
        return [row], spaced
    if len(tokens) > _WHOLE_TABLE_TOKENS:
        return [[_Cell(t, label_word(t), cell.source, 0, 0, spaced=True)] for t in tokens], True
    return [[_Cell(t, label_word(t), cell.source, 0, k, spaced=True) for k, t in enumerate(tokens)]], True


_BROKEN_PART_MAX = 6  # characters in each part of a header word broken over two lines


def _label_kind(word: str, labels: Labels) -> str | None:
    column = labels.column_of(word)
    if column not in (None, "marker"):
        return f"column:{column}"
    budget = labels.budget_column_of(word)
    if budget is not None:
        return f"budget:{budget}"
    name = labels.field_of(word)
    if name is not None:
        return f"field:{name}"
    # 预期目标 / 实际完成情况 under 年度总体目标: two sub-labels, never one 实际… column
    return "goal_sub" if word in labels.goal_sub_labels else None


def _broken_label(first: _Cell, second: str, labels: Labels) -> str | None:
    """The label `first` and the text `second` make together, when `first` is that label broken off."""
    second_word = label_word(second)
    if len(first.word) > _BROKEN_PART_MAX or len(second_word) > _BROKEN_PART_MAX or _NUMBER.match(second_word):
        return None  # 实际完成情况 / 43.2: a label and its value
    joined_word = label_word(first.text + second)
    kind = _label_kind(joined_word, labels)
    first_kind = _label_kind(first.word, labels)
    second_kind = _label_kind(second_word, labels)
    if kind is not None and (first_kind is None or (first_kind == kind and second_kind in (None, kind))):
        return joined_word
    return None


def _join_label_in_row(row: list[_Cell], labels: Labels) -> list[_Cell]:
    """A label cut by a run of spaces inside its cell (重庆 奉节 `年度主要目标     和成果 新建…`): the
    text split it at the spaces, so the label's second part opens the next cell. It goes back."""
    out = list(row)
    for j in range(len(out) - 1):
        first, second = out[j], out[j + 1]
        if not first.text or not second.text:
            continue
        head, _, rest = second.text.partition(" ")
        joined_word = _broken_label(first, head, labels)
        if joined_word is None or not rest.strip():
            continue
        out[j] = _Cell(first.text + head, joined_word, first.source, first.row, first.col, first.spaced)
        rest = rest.strip()
        out[j + 1] = _Cell(rest, label_word(rest), second.source, second.row, second.col, second.spaced)
    return out


def _join_broken_labels(rows: list[list[_Cell]], labels: Labels) -> list[list[_Cell]]:
    """A header word broken over two lines (年度 / 指标值, 实际 / 完成值, 一级 / 指标) is one cell.

    Narrow header cells wrap, and text copied out of them puts the second part on a line of its
    own, so the header is not found (年度 is no column), a column is counted twice (实际 and
    完成值) or the header seems to span three lines. A line's last cell and the next line, when
    that holds one short cell only, are joined when together they make a label and the first part
    alone makes no label, or the same one with a second part that adds no other.
    """
    out: list[list[_Cell]] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        row = _join_label_in_row(row, labels)
        if row and nxt is not None and len(nxt) == 1 and row[-1].text and nxt[0].text:
            first, second = row[-1], nxt[0]
            joined_word = _broken_label(first, second.text, labels)
            if joined_word is not None:
                joined = _Cell(first.text + second.text, joined_word, first.source, 0, first.col, first.spaced)
                out.append([*row[:-1], joined])
                k += 2
                continue
        out.append(row)
        k += 1
    return out


def _regions(grids: list[Grid], labels: Labels) -> list[tuple[bool, list[list[_Cell]]]]:
    """Rows to read together: each dense grid with the text lines that belong to it, the other text
    grids of a file as one run of rows.

    Word, PDF and HTML files keep a table's title and year (项目支出绩效自评表 /（2024年度）) and its
    signature line as paragraphs outside the table, so their readers give them as text grids between
    the tables. Such a run belongs to its neighbours, as the same lines do inside an xlsx sheet: the
    lines from its first heading on open the next table, the lines before it close the previous one.
    A text run that holds an indicator table of its own stays a form by itself.
    """
    pieces: list[tuple[bool, list[list[_Cell]]]] = []
    spaced = False
    for grid in grids:
        dense = grid.kind in DENSE_KINDS
        rows: list[list[_Cell]] = []
        for row in grid.rows:
            cells = [
                _Cell(cell.text.strip(), label_word(cell.text), cell.source, 0, col) for col, cell in enumerate(row)
            ]
            split = [cells]
            if not dense:
                split, spaced = _spaced_rows(cells, labels, spaced)
            rows.extend(split)
        pieces.append((dense, rows))
    dense_rows: dict[int, list[list[_Cell]]] = {k: list(rows) for k, (dense, rows) in enumerate(pieces) if dense}
    text_rows: list[list[_Cell]] = []
    for k, (dense, rows) in enumerate(pieces):
        if dense:
            continue
        before = max((d for d in dense_rows if d < k), default=None)
        after = min((d for d in dense_rows if d > k), default=None)
        if (before is None and after is None) or _holds_table_header(rows, labels):
            text_rows.extend(rows)
            continue
        opening = next((i for i, row in enumerate(rows) if any(labels.is_heading(c.text) for c in row)), len(rows))
        if after is None:
            opening = len(rows)
        elif before is None:
            opening = 0
        if before is not None:
            dense_rows[before].extend(rows[:opening])
        if after is not None:
            dense_rows[after][:0] = rows[opening:]
    regions: list[tuple[bool, list[list[_Cell]]]] = [(True, _indexed(dense_rows[k])) for k in sorted(dense_rows)]
    if text_rows:
        regions.append((False, _indexed(_join_broken_labels(text_rows, labels))))
    return regions


def _holds_table_header(rows: list[list[_Cell]], labels: Labels) -> bool:
    return any(labels.column_of(c.word) == "level3" for row in rows for c in row)


def _indexed(rows: list[list[_Cell]]) -> list[list[_Cell]]:
    """The rows with each cell's `row` set to its row's index in this region."""
    return [[_Cell(c.text, c.word, c.source, index, c.col, c.spaced) for c in row] for index, row in enumerate(rows)]


def _form_starts(rows: list[list[_Cell]], labels: Labels) -> list[tuple[int, _Cell | None]]:
    starts: list[tuple[int, _Cell | None]] = []
    previous_label = False
    seen_name = False
    seen_table = False
    for index, row in enumerate(rows):
        for cell in row:
            if not cell.text:
                continue
            field_name = labels.field_of(cell.word)
            if labels.is_heading(cell.text) and not previous_label and labels.column_of(cell.word) is None:
                starts.append((index, cell))
                seen_name = seen_table = False
            elif field_name == "name" and (not starts or (seen_name and seen_table)):
                starts.append((index, None))
                seen_table = False
            if field_name == "name":
                seen_name = True
            if labels.column_of(cell.word) == "level3":
                seen_table = True
            previous_label = field_name is not None
    return starts


_DATE = re.compile(r"年\d{1,2}月")
_TITLE_LINES = 2  # lines of a heading wrapped above its last line


def _year_above(rows: list[list[_Cell]], start: int, labels: Labels) -> int | None:
    """The year in a heading wrapped over several lines (天津 宝坻: `…专项(畜禽粪污` / `资源化利用整县推进项目)2022年`
    / `中央预算内投资计划绩效目标表`): the lines just above the heading's last line, each one short cell
    that is no label, are the rest of the title."""
    for index in range(start - 1, max(start - 1 - _TITLE_LINES, -1), -1):
        texts = [c for c in rows[index] if c.text]
        if len(texts) != 1 or len(texts[0].word) > labels.heading_max_length or _is_label_word(texts[0].word, labels):
            return None
        if _DATE.search(texts[0].word):
            return None  # `2022年5月27日` closes what stands above, no title
        match = _YEAR.search(texts[0].word)
        if match:
            return int(match.group(1))
    return None


def _glued_cell(rows: list[list[_Cell]], labels: Labels) -> _Cell | None:
    """A cell holding several column headers run together: the text lost its cell separators."""
    for row in rows:
        for cell in row:
            text = to_simplified(unicodedata.normalize("NFKC", cell.text))
            if len(text) > 12 and sum(1 for w in _GLUED_WORDS if w in text) >= 3 and _GLUED_PAIR.search(text):
                return cell
    return None


def _listed_projects(
    reader: _FormReader,
    part: list[list[_Cell]],
    header_end: int,
    table: _Table,
    columns: list[tuple[int, str | None]],
    repairs: list[Repair],
) -> list[Project]:
    """Each project of a table that lists several (a 项目名称 column), read with the shared header.

    Every project gets a reader of its own over the header rows and its own rows, so that levels
    never run on from one project into the next; the header block above the table is read once
    for its notes and by every project for its money unit and year.
    """
    out: list[Project] = []
    for number, (fields, rows) in enumerate(reader.split_projects(header_end + 1, columns)):
        top = [list(r) for r in part[: header_end + 1]]
        body = [
            [_Cell(c.text, c.word, c.source, header_end + 1 + k, c.col, c.spaced) for c in r]
            for k, r in enumerate(rows)
        ]
        own = _FormReader(
            [*top, *body],
            reader.dense,
            reader.labels,
            reader.taxonomy,
            reader.repairs if number == 0 else [],
            heading=reader.heading,
        )
        own.self_evaluation = reader.self_evaluation
        own.read_header(table.header.row)
        own.repairs = reader.repairs
        for name, cell in fields.items():
            if name == "annual_goal":
                own.goal = cell.text
            else:
                own.values[name] = cell
        own.read_table(header_end + 1, table)
        own.mark_parent_rows()
        if own.indicators:
            out.append(own.project())
        else:
            name = fields.get("name")
            where = name if name is not None else table.header
            own.note(where, where.text, "此项目在表中没有指标行，未读取", "warning")
    return out


def read_forms(grids: list[Grid], taxonomy: Taxonomy | None = None, labels: Labels | None = None) -> Declarations:
    """Every form on `grids` (one file's) as projects, with each repair; refuses a file with none."""
    taxonomy = taxonomy or default_taxonomy()
    labels = labels or default_labels()
    file = grids[0].file if grids else ""
    repairs: list[Repair] = []
    projects: list[Project] = []
    last_seen: SourceRef = SourceRef(file)
    header_found: _Cell | None = None
    refused: _Cell | None = None  # a form whose header and indicator rows share one text line
    # Tables with neither a heading nor a 项目名称 (a workbook's 计算过程 sheet, an annex): read aside
    # and kept only when the file holds no named form, so they never turn up as a nameless project.
    nameless: list[tuple[int, Project, list[Repair], str]] = []
    for dense, rows in _regions(grids, labels):
        if not rows:
            continue
        last_seen = next((c.source for row in reversed(rows) for c in reversed(row)), last_seen)
        starts = _form_starts(rows, labels) or [(0, None)]
        if starts[0][0] > 0:
            starts.insert(0, (0, None))  # rows above the first heading may still hold a table
        bounds = [*(s for s, _h in starts[1:]), len(rows)]
        for (start, heading), end in zip(starts, bounds, strict=True):
            part = [
                [_Cell(c.text, c.word, c.source, r - start, c.col, c.spaced) for c in rows[r]]
                for r in range(start, end)
            ]
            aside: list[Repair] = []
            reader = _FormReader(part, dense, labels, taxonomy, aside if heading is None else repairs, heading=None)
            if heading is not None:
                reader.heading = part[0][
                    next(k for k, c in enumerate(part[0]) if c.source == heading.source and c.text == heading.text)
                ]
                if any(w in heading.word for w in labels.self_evaluation_words):
                    reader.self_evaluation = True
            found = reader.find_table()
            if found is None:
                if any(c.text for row in part for c in row) and heading is not None:
                    repairs.append(
                        Repair(heading.source, heading.text, f"此表{UNREADABLE_NO_HEADER}，未读取", "warning")
                    )
                continue
            header_end, table = found
            pressed = reader.pressed_header(header_end)
            if pressed is not None:
                refused = refused or pressed
                repairs.append(Repair(pressed.source, pressed.text, f"{UNREADABLE_PRESSED}，此表未读取", "warning"))
                continue
            header_found = header_found or table.header
            header_row = table.header.row
            columns = None if table.stream else reader.project_columns(table)
            if columns is not None:
                projects.extend(_listed_projects(reader, part, header_end, table, columns, repairs))
                continue
            reader.read_header(header_row)
            if reader.year is None and heading is not None:
                reader.year = _year_above(rows, start, labels)
            reader.read_table(header_end + 1 if not table.stream else header_end, table)
            reader.mark_parent_rows()
            if not reader.indicators:
                repairs.extend(aside)
                repairs.append(
                    Repair(table.header.source, table.header.text, "指标表表头下没有读到任何指标行", "warning")
                )
                continue
            project = reader.project()
            if heading is None and not project.name:
                first = next((c.text for row in part for c in row if c.text), "")
                nameless.append((len(projects), project, aside, first))
                continue
            repairs.extend(aside)
            projects.append(project)
    if projects:
        for _at, project, _aside, first in nameless:
            where = project.source or SourceRef(file)
            repairs.append(
                Repair(where, first, "没有表题和项目名称的表格（如计算过程、附表），不是项目表，未读取", "warning")
            )
    else:
        for at, project, aside, _first in reversed(nameless):
            projects.insert(at, project)
            repairs.extend(aside)
    if not projects:
        glued = None
        for _dense, rows in _regions(grids, labels):
            glued = glued or _glued_cell(rows, labels)
        if glued is not None:
            raise InputError(f"{UNREADABLE_GLUED}（读到此处停止）", glued.source, glued.text[:60])
        if refused is not None:
            raise InputError(f"{UNREADABLE_PRESSED}（读到此处停止）", refused.source, refused.text)
        if header_found is not None:
            raise InputError("指标表表头下没有读到任何指标行，无法分列，请提供原始 xlsx/docx", header_found.source)
        raise InputError(f"{UNREADABLE_NO_HEADER}（已读到文件末尾）", last_seen)
    ordered = sorted(repairs, key=lambda r: (r.source.sheet or "", r.source.row or 0, r.source.line or 0))
    return Declarations(projects=tuple(projects), repairs=tuple(ordered), source_file=file)
