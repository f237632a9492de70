"""A run's output folder: everything appears at once, and a rerun leaves nothing stale behind.

A run killed half-way used to leave complete-looking CSVs without their reports, and a rerun into a
used folder left new CSVs beside the old 自评表 of projects no longer in the input. So a run writes
into a staging folder beside OUTDIR, and only once everything is written are its files moved in
(renames on one file system, a few milliseconds). Each run lists what it wrote in a manifest; the
next run removes exactly the files that manifest lists and never anything else in the folder, so
a folder shared with the user's own files is safe.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evaluator.common.files import ensure_output_folder, write_text_atomically
from evaluator.errors import OutputError
from evaluator.models import SourceRef

MANIFEST = ".evaluator-outputs.txt"
_HEADER = "# 本文件夹中由 evaluator 上一次运行写入的文件（下次运行只删除这里列出的文件）"


def _refuse(message: str, where: Path, exc: OSError | None = None) -> OutputError:
    why = f"（{exc.strerror or exc}）" if exc is not None else ""
    return OutputError(f"{message}{why}", SourceRef(str(where)))


def read_manifest(outdir: Path) -> list[str]:
    """Relative paths a previous run listed; nothing for a folder no run has written."""
    path = outdir / MANIFEST
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def _inside(outdir: Path, relative: str) -> Path | None:
    """The listed file, when it is a plain relative path inside `outdir` (a doctored manifest can't reach out)."""
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    return outdir / candidate


def _write_manifest(outdir: Path, names: list[str]) -> None:
    write_text_atomically(outdir / MANIFEST, "\n".join([_HEADER, *sorted(set(names))]) + "\n")


def _files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _publish(stage: Path, outdir: Path) -> list[str]:
    new = _files_in(stage)
    old = read_manifest(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    # Listed first, so a run killed during the moves still leaves every file it may own listed.
    _write_manifest(outdir, [*old, *new])
    for relative in sorted(set(old) - set(new)):
        target = _inside(outdir, relative)
        if target is not None and (target.is_file() or target.is_symlink()):
            target.unlink()
            for parent in target.parents:
                if parent == outdir or any(parent.iterdir()):
                    break
                parent.rmdir()
    for relative in new:
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / relative, target)
    _write_manifest(outdir, new)
    return new


@contextmanager
def staged_output(outdir: Path) -> Iterator[Path]:
    """Yield a staging folder to write the run into; on success its files replace the last run's in `outdir`.

    On any failure the staging folder is removed and `outdir` is left exactly as it was.
    """
    outdir = Path(outdir)
    ensure_output_folder(outdir, create=False)
    parent = outdir.absolute().parent
    stage = parent / f".{outdir.name}.writing-{os.getpid()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if stage.exists():
            shutil.rmtree(stage)
        stage.mkdir()
    except OSError as exc:
        raise _refuse("无法创建输出文件夹（是否只读或没有写入权限？）", outdir, exc) from exc
    try:
        yield stage
        try:
            _publish(stage, outdir)
        except OSError as exc:
            raise _refuse("无法把结果写入输出文件夹（是否只读、已满或文件正被其他程序打开？）", outdir, exc) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
