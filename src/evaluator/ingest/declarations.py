"""One entry point for declared targets, whatever the file: targets workbook, seed-style text, any table.

- the engine's own targets workbook (sheets 项目 and 绩效指标) → targets_workbook;
- PDF-extracted text in the seed's layout (tab-separated cells under 财政项目支出绩效目标申报表) → text_form,
  which knows that layout's OCR noise;
- anything else — published 申报表 / 目标表 / 批复表 and filled 自评表 as xlsx, xls, docx, pdf, csv, html or text in
  any cell layout → the format's grid reader, then layout recognition.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from evaluator.config.taxonomy import Taxonomy
from evaluator.errors import EvaluatorError, InputError
from evaluator.ingest.declaration_checks import check_declarations
from evaluator.ingest.grid import Grid
from evaluator.ingest.text_form import FORM_HEADING, parse_declarations_text, read_text_file
from evaluator.models import Actuals, Declarations, Project, Repair, SourceRef

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ""})
TABLE_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".docx", ".pdf", ".html", ".htm", *TEXT_SUFFIXES})
_REFUSED_SUFFIXES = {
    ".doc": "不能直接读取旧版 Word .doc 文件，请另存为 .docx 后重试",
    ".et": "不能直接读取 WPS 表格 .et 文件，请另存为 .xlsx 后重试",
    ".wps": "不能直接读取 WPS 文字 .wps 文件，请另存为 .docx 后重试",
}


def _is_targets_workbook(path: Path) -> bool:
    from evaluator.ingest.targets_workbook import INDICATOR_SHEET, PROJECT_SHEET
    from evaluator.ingest.xlsx_fast import sheet_names

    try:
        names = sheet_names(path)  # workbook.xml alone: openpyxl's read-only load took 1.5 s at 100k rows
    except Exception:
        return False
    return PROJECT_SHEET in names and INDICATOR_SHEET in names


def _is_seed_text(text: str) -> bool:
    """The seed's layout: tab-separated cells under the full 财政项目支出绩效目标申报表 heading."""
    return FORM_HEADING in text and "\t" in text and "|" not in text


def read_grids_of(path: Path) -> list[Grid]:
    """The file as grids, through the reader for its format."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from evaluator.ingest.formats.text import read_text_grids

        return read_text_grids(path)
    formats = importlib.import_module("evaluator.ingest.formats")
    reader: Callable[[Path], list[Grid]] | None = getattr(formats, "read_grids", None)
    if reader is None:
        raise InputError(f"暂不支持读取 {suffix} 文件，请另存为文本或 .xlsx 后重试", SourceRef(path.name))
    return reader(path)


def read_declarations(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read declared targets (and, for a filled 自评表, what it publishes) from any accepted file.

    Every reader's result passes the same checks (declaration_checks) before anyone scores it.
    """
    path = Path(path)
    where = SourceRef(path.name)
    if not path.exists():
        raise InputError("文件不存在", where, str(path))
    if path.is_dir():
        raise InputError("这是一个目录，不是文件", where, str(path))
    suffix = path.suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise InputError(_REFUSED_SUFFIXES[suffix], where)
    return check_declarations(_read(path, where, taxonomy), path.name)


def _read(path: Path, where: SourceRef, taxonomy: Taxonomy | None) -> Declarations:
    from evaluator.ingest.layout import read_forms
    from evaluator.ingest.targets_workbook import read_targets_workbook

    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES and _is_targets_workbook(path):
        return read_targets_workbook(path, taxonomy)
    if suffix in TEXT_SUFFIXES or suffix not in TABLE_SUFFIXES:
        text = read_text_file(path, where)
        if _is_seed_text(text):
            decl = parse_declarations_text(text, path.name, taxonomy)
            return Declarations(decl.projects, decl.repairs, str(path))
    decl = read_forms(read_grids_of(path), taxonomy)
    return Declarations(decl.projects, decl.repairs, str(path))


def input_files(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """(file, named directly) for each input; a folder gives its files, sorted, hidden and lock files left out."""
    files: list[tuple[Path, bool]] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
            if not inside:
                raise InputError("目录中没有文件", SourceRef(path.name), str(path))
            files.extend((p, False) for p in inside)
        else:  # a missing file is refused by read_declarations, with its one message
            files.append((path, True))
    return files


def read_many_declarations(
    paths: Sequence[Path], taxonomy: Taxonomy | None = None, what: str = "绩效目标申报表"
) -> tuple[list[Declarations], list[str]]:
    """Declarations of every input file or folder, for batch commands (lint, audit).

    A file named directly must read; one found in a folder that the reader refuses is skipped and
    named, so one stray file does not stop a bureau's batch review. `what` names the tables sought
    in the message when nothing at all could be read.
    """
    read: list[Declarations] = []
    skipped: list[str] = []
    for path, direct in input_files(paths):
        try:
            decl = read_declarations(path, taxonomy)
        except EvaluatorError as err:
            if direct:
                raise
            skipped.append(f"{path.name}：{err.message}")
            continue
        read.append(decl if decl.source_file else Declarations(decl.projects, decl.repairs, path.name))
    if not read:
        raise InputError(f"没有可读取的{what}：" + "；".join(skipped))
    return read, skipped


def _has_unscored(decl: Declarations) -> bool:
    return any(i.sub_row or i.parts for p in decl.projects for i in p.indicators)


def _scored_only(project: Project, repairs: list[Repair]) -> Project:
    kept = tuple(i for i in project.indicators if i.scored)
    if len(kept) == len(project.indicators):
        return project
    where = project.source or SourceRef("")
    subs = sum(1 for i in project.indicators if i.sub_row)
    parents = sum(1 for i in project.indicators if i.parts and not i.sub_row)
    if subs:
        repairs.append(Repair(where, project.name, f"{subs} 个「其中」分项行只列示、不评分", "repair"))
    if parents:
        repairs.append(Repair(where, project.name, f"{parents} 个分项父行只列示、按其分项评分", "repair"))
    return dataclasses.replace(project, indicators=kept)


def scorable(decl: Declarations) -> Declarations:
    """The declarations as they are scored: 其中 sub-rows and numbered parent rows left out.

    A table read by layout recognition keeps those rows (parse shows them under their parent, the
    audit checks a parent's sum), but they are never scored and expect no actual of their own: a
    其中 row's figure is part of the row above, a parent's points are its parts'. Every way into
    scoring (a filled 自评表, a declaration with an actuals workbook, the actuals template) goes
    through here, so none of them asks for or scores such a row. Each project that had some says
    how many, as a repair.
    """
    if not _has_unscored(decl):
        return decl  # the common case (an engine targets workbook): one quick pass, nothing copied
    repairs = list(decl.repairs)
    projects = tuple(_scored_only(p, repairs) for p in decl.projects)
    if len(repairs) == len(decl.repairs):
        return decl
    return Declarations(projects=projects, repairs=tuple(repairs), source_file=decl.source_file)


def without_unscored_rows(decl: Declarations, actuals: Actuals) -> Actuals:
    """`actuals` without the rows that name a 其中 sub-row or a parent row of `decl` (the full reading).

    An actuals workbook may still give a figure for such a row (filled in by hand, or made from the
    table before this rule): it is set aside with a repair naming the row, rather than matched by
    a near name to some other indicator or listed as unknown.
    """
    if not actuals.rows or not _has_unscored(decl):
        return actuals
    unscored = {
        (p.name, i.level3): "「其中」分项行" if i.sub_row else "分项父行"
        for p in decl.projects
        for i in p.indicators
        if not i.scored
    }
    kept = []
    repairs = list(actuals.repairs)
    for row in actuals.rows:
        what = unscored.get((row.project, row.level3))
        if what is None:
            kept.append(row)
            continue
        if not row.actual_text.strip() and not row.deviation_reason.strip():
            continue  # an empty row (a template made before this rule): nothing to set aside
        where = row.source or SourceRef(actuals.source_file or "实际完成表")
        found = f"{row.project} / {row.level3} / {row.actual_text}"
        repairs.append(Repair(where, found, f"此行在申报表中是{what}，不单独评分，实际完成值未使用", "repair"))
    return dataclasses.replace(actuals, rows=tuple(kept), repairs=tuple(repairs))
