"""Write output files whole or not at all: a crash or a bad value never leaves half a workbook."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from evaluator.errors import EvaluatorError
from evaluator.models import SourceRef

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
        raise EvaluatorError(
            f"无法在目录中创建输出文件：{describe_os_error(exc)}", SourceRef(str(path.parent))
        ) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, path)
    except OSError as exc:
        raise EvaluatorError(f"无法写入输出文件：{describe_os_error(exc)}", SourceRef(str(path))) from exc
    finally:
        if temp.exists():
            temp.unlink()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
