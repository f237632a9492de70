"""What a file really is, judged from its bytes, and the refusals that must come before any reader runs.

People rename files: an .xls saved as .xlsx, a csv export called .xls, an HTML page that a
government system hands out as .xls. Judging by the suffix alone gives English errors from deep
inside a library ("File is not a zip file"). The first bytes say what the file is; a zip's
directory says whether it is a workbook or a Word file and how large it will be once unpacked,
so a zip bomb is refused before a single byte is inflated.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import InputError
from evaluator.models import SourceRef

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, .doc, and encrypted .xlsx/.docx
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"

# A fiscal workbook unpacks to a few MB. Past these sizes the file is refused unread.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_PART_RATIO = 200  # unpacked / packed size of one part, checked for parts above MAX_RATIO_FLOOR
MAX_RATIO_FLOOR = 20 * 1024 * 1024
_OLE_SCAN_BYTES = 64 * 1024 * 1024

FORMAT_NAMES = {
    "xlsx": ".xlsx 工作簿",
    "xls": ".xls 工作簿（Excel 97-2003）",
    "docx": ".docx 文档",
    "pdf": "PDF",
    "html": "网页（HTML）",
    "csv": "CSV 文本",
    "text": "文本",
}
_SUFFIX_FORMAT = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".md": "text",
}
# Text that arrives under a spreadsheet suffix is a delimited export, not prose.
_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".xls", ".xlsx", ".xlsm"})


@dataclass(frozen=True)
class Sniffed:
    """The format the bytes show, and a note when the suffix says otherwise."""

    format: str  # a key of FORMAT_NAMES
    note: str = ""


def sniff_format(path: Path) -> Sniffed:
    """The file's real format; raises InputError (Chinese, naming the file) for what cannot be read."""
    where = SourceRef(path.name)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InputError("文件不存在", where) from None
    except IsADirectoryError:
        raise InputError("这是文件夹，不是文件", where) from None
    except OSError as exc:
        raise InputError(f"无法打开文件（{exc.strerror or exc}）", where) from None
    if size == 0:
        raise InputError("文件为空（0 字节），没有可读取的内容", where)
    found = _format_of(path, head, where)
    return Sniffed(found, _suffix_note(path, found))


def _format_of(path: Path, head: bytes, where: SourceRef) -> str:
    if head.startswith(ZIP_MAGICS):
        return inspect_zip(path)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(path, where)
    if PDF_MAGIC in head[:1024]:
        return "pdf"
    if _looks_like_html(head):
        return "html"
    if _looks_like_text(head):
        return "csv" if path.suffix.lower() in _CSV_SUFFIXES else "text"
    raise InputError(
        "无法识别的文件格式：不是 .xlsx/.xls/.docx/PDF/CSV/网页/文本文件；请另存为 .xlsx 或 .docx 后重试", where
    )


def inspect_zip(path: Path) -> str:
    """'xlsx' or 'docx' for an Office Open XML zip; refuses corrupt, oversized and other zips."""
    where = SourceRef(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InputError("文件已损坏（压缩包结构不完整，可能未下载完或被截断），请重新获取原文件", where) from None
    check_unpacked_sizes(path, infos)
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.bin" in names:
        raise InputError("这是 .xlsb 二进制工作簿，暂不支持；请在 Excel/WPS 中另存为 .xlsx", where)
    if "content.xml" in names and "mimetype" in names:
        raise InputError("这是 OpenDocument（.ods/.odt）文件；请另存为 .xlsx 或 .docx", where)
    raise InputError("这是一个压缩包，不是 .xlsx 工作簿或 .docx 文档，请提供原始表格文件", where)


def check_unpacked_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose parts would unpack to far more than any table (a zip bomb) before inflating any."""
    where = SourceRef(path.name)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"文件解压后达 {total / 1024 / 1024:.0f} MB，远超正常表格（上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），"
            "疑似异常文件，未读取",
            where,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_FLOOR and ratio > MAX_PART_RATIO:
            raise InputError(
                f"文件中的「{info.filename}」压缩比异常（{ratio:.0f} 倍，"
                f"解压后 {info.file_size / 1024 / 1024:.0f} MB），疑似压缩炸弹，未读取",
                where,
            )


def _inspect_ole(path: Path, where: SourceRef) -> str:
    """A Compound File holds .xls/.doc streams, or an encrypted .xlsx/.docx; its directory names which."""
    with path.open("rb") as handle:
        data = handle.read(_OLE_SCAN_BYTES)
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise InputError("文件已加密（设有打开密码），请在 Excel/WPS 中解除密码后另存为 .xlsx 再读取", where)
    if "WordDocument".encode("utf-16-le") in data:
        raise InputError("这是 .doc 文档（Word 97-2003），暂不支持；请在 Word/WPS 中另存为 .docx", where)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    raise InputError("无法识别的 Office 97-2003 文件；请另存为 .xlsx 或 .docx 后重试", where)


def _looks_like_html(head: bytes) -> bool:
    text = _lenient_text(head).lstrip().lower()
    if not text.startswith("<"):
        return False
    return any(mark in text for mark in ("<!doctype html", "<html", "<table", "<body", "<meta"))


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return True
    # A stray NUL or two is still a text file (its reader names the line); many are binary.
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\v")
    return controls <= max(3, len(head) // 100)


def _lenient_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    codec = utf16_without_bom(head)
    if codec:
        return head.decode(codec, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes are UTF-16 text without a byte order mark, else None.

    Mostly-Chinese UTF-16 has few NUL bytes, so this looks for the ASCII share (digits, 标点, line
    ends) that every table has: NULs on one side of the byte pairs only.
    """
    sample = data[: len(data) - len(data) % 2][:4096]
    if len(sample) < 8 or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    pairs = len(sample) // 2
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    # A CJK character whose low byte is 0 (一 is U+4E00) puts a NUL on the other side now and then.
    if odd >= pairs * 0.2 and even * 4 <= odd:
        return "utf-16-le"
    if even >= pairs * 0.2 and odd * 4 <= even:
        return "utf-16-be"
    return None


def _suffix_note(path: Path, found: str) -> str:
    claimed = _SUFFIX_FORMAT.get(path.suffix.lower())
    if claimed is None or claimed == found or (claimed == "text" and found == "csv"):
        return ""
    if claimed in ("xls", "xlsx") and found == "csv":
        return f"文件扩展名为 {path.suffix}，实际是{FORMAT_NAMES[found]}，已按{FORMAT_NAMES[found]}读取"
    return (
        f"文件扩展名为 {path.suffix}，实际是{FORMAT_NAMES[found]}格式，已按{FORMAT_NAMES[found]}读取；"
        "建议改回正确的扩展名"
    )


def require_xlsx(path: Path) -> None:
    """For readers that take only .xlsx: a plain Chinese refusal for what the file really is.

    The declarations and actuals workbook readers open files with openpyxl, which answers an .xls
    renamed to .xlsx, an encrypted workbook or an empty file with 「File is not a zip file」.
    """
    found = sniff_format(path).format
    if found != "xlsx":
        raise InputError(
            f"文件实际是{FORMAT_NAMES[found]}格式，不是 .xlsx 工作簿；请在 Excel/WPS 中另存为 .xlsx，或改回原扩展名",
            SourceRef(path.name),
        )


def decode_table_text(data: bytes, file: str) -> tuple[str, str]:
    """Text of a csv/text table and its encoding's name: UTF-8 (with or without BOM), GB18030, UTF-16.

    UTF-16 without a byte order mark (Excel's "Unicode text" on some systems) is recognised here
    before the shared decoder runs; a stray NUL byte is refused naming its line.
    """
    from evaluator.ingest.text_form import decode_text

    codec = utf16_without_bom(data)
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if text.strip():
                return text, codec.upper()
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"不是文本文件：第{line}行含 NUL 字节（二进制内容）；如是 UTF-16 文本，请另存为 UTF-8",
            SourceRef(file, line=line),
        )
    return decode_text(data, file)
