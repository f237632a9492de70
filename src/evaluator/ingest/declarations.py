"""One entry point for declared targets, whatever the file: a targets workbook or PDF-extracted text."""

from __future__ import annotations

from pathlib import Path

from evaluator.config.taxonomy import Taxonomy
from evaluator.errors import EvaluatorError
from evaluator.ingest.declaration_checks import check_declarations
from evaluator.ingest.targets_workbook import read_targets_workbook
from evaluator.ingest.text_form import read_declarations_text
from evaluator.models import Declarations, SourceRef

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_REFUSED_SUFFIXES = {
    ".xls": "旧版 .xls 工作簿不受支持，请在表格软件中另存为 .xlsx",
    ".pdf": "不能直接读取 PDF，请先提取文本（保留制表符分隔的表格）或整理为目标工作簿 .xlsx",
    ".doc": "不能直接读取 Word 文件，请另存为文本或整理为目标工作簿 .xlsx",
    ".docx": "不能直接读取 Word 文件，请另存为文本或整理为目标工作簿 .xlsx",
}


def read_declarations(path: Path, taxonomy: Taxonomy | None = None) -> Declarations:
    """Read declared targets: `.xlsx`/`.xlsm` as a targets workbook, anything else as extracted text."""
    path = Path(path)
    where = SourceRef(path.name)
    if not path.exists():
        raise EvaluatorError("文件不存在", where, str(path))
    if path.is_dir():
        raise EvaluatorError("这是一个目录，不是文件", where, str(path))
    suffix = path.suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise EvaluatorError(_REFUSED_SUFFIXES[suffix], where)
    if suffix in WORKBOOK_SUFFIXES:
        decl = read_targets_workbook(path, taxonomy)
    else:
        decl = read_declarations_text(path, taxonomy)
    return check_declarations(decl, path.name)
