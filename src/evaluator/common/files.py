"""Write output files whole or not at all: a crash or a bad value never leaves half a workbook."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from evaluator.errors import OutputError
from evaluator.models import SourceRef


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)` on a temporary file beside `path`, then move it into place."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    except OSError as exc:
        raise OutputError(f"无法在目录中创建输出文件：{exc.strerror or exc}", SourceRef(str(path.parent))) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"无法写入输出文件：{exc.strerror or exc}", SourceRef(str(path))) from exc
    finally:
        if temp.exists():
            temp.unlink()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def output_folder(path: Path, *, create: bool = True) -> Path:
    """The output folder, made if needed (`create=False`: only checked, so a failed run leaves nothing).

    OutputError (exit code 2) when a file is in the way or the folder cannot be made.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError("输出目录是一个已存在的文件，请用 -o 指定目录", SourceRef(path.name), str(path))
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建输出目录：{exc.strerror or exc}", SourceRef(str(path))) from exc
    return path
