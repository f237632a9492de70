"""Find and register the CJK font that renders Chinese chart labels on a machine without system fonts.

The font file comes from the `zhplot` package (OFL Noto Sans SC). Importing zhplot rewrites
matplotlib's global settings, so we only locate its file through package metadata. Registration
adds the file to matplotlib's font manager (idempotent) and nothing else; matplotlib charts use
the font through `chart_style()`, an rc_context, so no global setting changes behind a caller's
back. The per-project charts (reports/canvas.py) open the same file with Pillow, once per process.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from evaluator.errors import EvaluatorError

FONT_PACKAGE = "zhplot"
FONT_FILE = "NotoSansSC-Regular.ttf"


def _from_metadata() -> Path | None:
    try:
        dist = importlib.metadata.distribution(FONT_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if entry.name == FONT_FILE:
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    return None


def _from_spec() -> Path | None:
    spec = importlib.util.find_spec(FONT_PACKAGE)  # finds the package without executing it
    for location in (spec.submodule_search_locations or []) if spec else []:
        for path in Path(location).rglob(FONT_FILE):
            return path
    return None


@lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the Noto Sans SC font file; a clear Chinese error when the package is missing."""
    path = _from_metadata() or _from_spec()
    if path is None:
        raise EvaluatorError(
            f"找不到图表用的中文字体文件 {FONT_FILE}：请安装 Python 包 {FONT_PACKAGE}"
            f"（python3 -m pip install {FONT_PACKAGE}），它附带开源的思源黑体（Noto Sans SC）"
        )
    return path


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the font with matplotlib once and return its family name."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextmanager
def chart_style() -> Iterator[None]:
    """Settings for every chart: the CJK font first, a plain ASCII minus sign, white figures."""
    import matplotlib

    family = font_family()
    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "text.parse_math": False,  # names are plain text: a $ in a name is shown, never read as mathtext
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield
