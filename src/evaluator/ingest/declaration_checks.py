"""Checks every declarations reader's result must pass before anything is scored or written.

Each reader (the text form, the targets workbook, the general table reader) finds its own rows;
what makes a declaration unusable is the same whatever the file was, so it is checked once here:

- two projects whose names share the matching key (项目A / 项目a, or the same form pasted twice):
  every actual of one would be sent to the other;
- negative money in a project's funds, and a 分值 outside 0–100 (a row weighted −10 once scored
  −10 and a 1000-point row swamped a project that was still graded 优);
- a name of 200,000 characters (a paste gone wrong), which Excel would cut at 32,767 without a word;
- control characters (ESC, BEL) in a name or target, which no xlsx or docx can hold: removed, and
  said in the run log, before any output is written;
- a last form that stops short of the level-1 groups the other forms have: a file cut mid-form
  was read as 120 of 125 rows with no word.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, replace
from functools import cache
from operator import attrgetter

from evaluator.common.text import name_key
from evaluator.errors import InputError
from evaluator.ingest.cells import has_control_characters, without_control_characters
from evaluator.models import Declarations, Indicator, Project, Repair, SourceRef

USUAL_SHARE = 0.75  # a level-1 group this share of the earlier forms have is expected in the last one
MAX_WEIGHT = 100.0  # a 分值 is a share of the 100-point total
MAX_NAME_CHARS = 1000  # a project or indicator name longer than this is not a name (Excel cuts at 32,767)
_FUND_FIELDS = (
    ("total_funds", "年度资金总额"),
    ("fiscal_funds", "当年财政拨款"),
    ("carryover_funds", "上年结转资金"),
    ("other_funds", "其他资金"),
)


def _where(project: Project, file: str) -> SourceRef:
    return project.source or SourceRef(file)


def check_declarations(decl: Declarations, file: str) -> Declarations:
    """The declarations, or an InputError naming the place; cleaned texts and a cut-off last form add notes."""
    decl = _without_control_characters(decl, file)
    seen: dict[str, Project] = {}
    for project in decl.projects:
        key = name_key(project.name)
        if key in seen:
            first = seen[key]
            same = "同名" if first.name == project.name else "只差大小写、全半角、空格或标点"
            raise InputError(
                f"项目「{project.name}」与{_where(first, file).describe()}的项目「{first.name}」{same}，"
                "核对实际完成值时无法区分（同一份申报表是否重复出现？）；请删除重复的申报表或改为不同的项目名称",
                _where(project, file),
                project.name,
            )
        seen[key] = project
        _check_length(project.name, "项目名称", _where(project, file))
        for indicator in project.indicators:
            _check_length(indicator.level3, "三级指标名称", indicator.source or _where(project, file))
        for attr, label in _FUND_FIELDS:
            amount = getattr(project, attr)
            if amount is not None and amount < 0:
                raise InputError(f"项目「{project.name}」的{label}为负数", _where(project, file), amount)
        for indicator in project.indicators:
            weight = indicator.weight
            if weight is not None and not 0 <= weight <= MAX_WEIGHT:
                raise InputError(
                    f"项目「{project.name}」三级指标「{indicator.level3}」的分值超出 0–{MAX_WEIGHT:g} 分",
                    indicator.source or _where(project, file),
                    weight,
                )
    note = _cut_off_note(decl, file)
    return replace(decl, repairs=(*decl.repairs, note)) if note else decl


def _check_length(name: str, what: str, where: SourceRef) -> None:
    if len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"{what}长达 {len(name)} 字，超过 {MAX_NAME_CHARS} 字的上限（开头为「{name[:30]}…」）；"
            "请检查该处是否误粘贴了大段文字",
            where,
        )


def _cut_off_note(decl: Declarations, file: str) -> Repair | None:
    """A warning when the last form lacks a level-1 group that (nearly) every earlier form has."""
    if len(decl.projects) < 3:
        return None
    *earlier, last = decl.projects
    counts = Counter(level1 for p in earlier for level1 in {i.level1 for i in p.indicators})
    usual = {level1 for level1, n in counts.items() if n >= USUAL_SHARE * len(earlier)}
    missing = sorted(usual - {i.level1 for i in last.indicators})
    if not missing:
        return None
    where = last.indicators[-1].source if last.indicators and last.indicators[-1].source else _where(last, file)
    return Repair(
        where,
        last.name,
        f"最后一个项目「{last.name}」缺少其他项目大都有的{'、'.join(missing)}"
        f"（读到 {len(last.indicators)} 个三级指标）："
        "文件可能在该项目的指标表中间被截断，请核对原表是否完整",
        kind="warning",
    )


@cache
def _all_fields(cls: type) -> attrgetter:
    return attrgetter(*(item.name for item in fields(cls)))


def _has_control_text(record: object) -> bool:
    """Whether any text field of the record holds a control character: one search over all of them.

    Why: looking field by field (dataclasses.fields, getattr, a search each) was most of reading a
    million-row targets workbook's time spent here; almost no record has any.
    """
    values = _all_fields(type(record))(record)
    return has_control_characters("\n".join([value for value in values if isinstance(value, str)]))


def _cleaned(record, where: SourceRef, repairs: list[Repair]):
    if not _has_control_text(record):
        return record
    changes = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if isinstance(value, str) and has_control_characters(value):
            changes[item.name] = without_control_characters(value)
            shown = "".join(f"\\x{ord(ch):02x}" if has_control_characters(ch) else ch for ch in value)
            repairs.append(Repair(where, shown, f"删除了不可见的控制字符，按「{changes[item.name]}」读取"))
    return replace(record, **changes) if changes else record


_RECORD_FIELDS = frozenset({"source", "indicators", "published"})  # records, not texts: not searched


def _no_control_text(decl: Declarations) -> bool:
    """True when no text field of any project or indicator holds a control character.

    Why: the records share their strings (a name, a target, a level on thousands of rows), so the
    distinct values of each field, gathered at C speed, are far fewer than the records; one search
    over them answers for the whole declaration, where a function call per record was ~1 µs each.
    Anything found (or a value that cannot be gathered) goes to the record-by-record pass.
    """
    values: set[object] = set()
    try:
        for cls, records in ((Project, decl.projects), (Indicator, [i for p in decl.projects for i in p.indicators])):
            for item in fields(cls):
                if item.name not in _RECORD_FIELDS:
                    values.update(map(attrgetter(item.name), records))
    except TypeError:  # an unhashable value
        return False
    # value by value: one joined string of a million-row declaration's texts was ~50 MB for a moment
    return not any(map(has_control_characters, [value for value in values if isinstance(value, str)]))


def _without_control_characters(decl: Declarations, file: str) -> Declarations:
    if _no_control_text(decl):
        return decl
    repairs: list[Repair] = []
    projects = []
    for project in decl.projects:
        indicators = tuple(_cleaned(i, i.source or _where(project, file), repairs) for i in project.indicators)
        same = all(a is b for a, b in zip(indicators, project.indicators, strict=True))
        if same and not _has_control_text(project):  # the common case: nothing to copy
            projects.append(project)
            continue
        cleaned = _cleaned(replace(project, indicators=()), _where(project, file), repairs)
        projects.append(replace(cleaned, indicators=indicators))
    if not repairs:
        return decl
    return replace(decl, projects=tuple(projects), repairs=(*decl.repairs, *repairs))
