"""Write output files whole or not at all: a crash or a bad value never leaves half a workbook."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from evaluator.errors import OutputError
from evaluator.models import Declarations, SourceRef

_OS_ERRORS = {
    errno.EROFS: "文件系统为只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EACCES: "没有权限（文件是否已在 Excel/Word 中打开？）",
    errno.EPERM: "没有权限",
    errno.ENOTDIR: "路径中有一项是文件而不是文件夹",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已有同名文件",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EDQUOT: "超出磁盘配额",
}


def describe_os_error(exc: OSError) -> str:
    """The operating system's reason in Chinese (its own strerror is English on most systems)."""
    return _OS_ERRORS.get(exc.errno or -1, exc.strerror or str(exc))


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)` on a temporary file beside `path`, then move it into place."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    except OSError as exc:
        raise OutputError(f"无法在目录中创建输出文件：{describe_os_error(exc)}", SourceRef(str(path.parent))) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"无法写入输出文件：{describe_os_error(exc)}", SourceRef(str(path))) from exc
    finally:
        if temp.exists():
            temp.unlink()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))


# -- reproducible Office files -----------------------------------------------------------------
# An .xlsx or .docx is a zip whose entries carry the time they were written, and whose core
# properties say when the document was created and modified. Both are set here to one fixed time,
# so the same inputs give the same bytes on every run and with any number of worker processes.

_CORE_TIME = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can hold


def build_time(year: int | None = None) -> dt.datetime:
    """The time stamped into Office files: SOURCE_DATE_EPOCH when set (the reproducible-builds
    convention), else the first moment after the evaluated year (a date the input fixes), else
    1 January 2000. Naive, meaning UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    if year and 1980 <= year < 9999:
        return dt.datetime(year + 1, 1, 1)
    return dt.datetime(2000, 1, 1)


def restamp_office_file(path: Path, when: dt.datetime) -> None:
    """Rewrite an .xlsx/.docx in place with every zip entry and the core-property times set to `when`."""
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(lambda m: f"{m.group(1)}{iso}{m.group(3)}", data.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            fixed.create_system = 0  # the same bytes whichever system wrote it
            target.writestr(fixed, data)


def declared_year(decl: Declarations) -> int | None:
    """The year most declarations in `decl` name (the form heading, else the planned end date)."""
    years = [p.year or (p.end_date.year if p.end_date else None) for p in decl.projects]
    known = [y for y in years if y]
    return max(sorted(set(known)), key=known.count) if known else None


def write_office_atomically(path: Path, save: Callable[[Path], None], year: int | None = None) -> None:
    """write_atomically for an .xlsx/.docx, with fixed times so reruns give identical bytes."""

    def write(temp: Path) -> None:
        save(temp)
        restamp_office_file(temp, build_time(year))

    write_atomically(path, write)


def output_path_problem(path: Path, *, want: str = "folder", shown: str | None = None) -> str | None:
    """Why `path` cannot be written to, in Chinese, or None: the one check behind every `-o`.

    `want` is "folder" (an output folder, made if missing) or "file" (an output file). Checked before
    any work starts: a file where a folder is wanted (or the reverse), a file in the middle of the path,
    or a nearest existing folder without write permission would otherwise fail half-way through writing.
    """
    path = Path(path)
    shown = str(path) if shown is None else shown
    if want == "folder" and path.exists() and not path.is_dir():
        return f"「{shown}」是已有的文件，不是文件夹；请给出一个输出文件夹"
    if want == "file" and path.is_dir():
        return f"「{shown}」是文件夹，不是文件；请给出输出文件名"
    probe = (path if want == "folder" and path.exists() else path.parent) if str(path) else Path(".")
    probe = probe if str(probe) else Path(".")
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        return f"「{shown}」的路径中「{probe}」是文件，不是文件夹"
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        return f"没有在「{probe}」中写入的权限（或该位置只读），无法输出到「{shown}」"
    return None


def ensure_output_folder(path: Path, *, create: bool = True) -> Path:
    """The output folder, made if needed (`create=False`: only checked, so a failed run leaves nothing).

    OutputError (exit code 2) when a file is in the way, the folder cannot be written or be made.
    """
    path = Path(path)
    problem = output_path_problem(path)
    if problem:
        raise OutputError(problem, SourceRef(str(path)))
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建输出目录：{exc.strerror or exc}", SourceRef(str(path))) from exc
    return path
