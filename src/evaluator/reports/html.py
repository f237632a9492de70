"""What the HTML pages share: the template environment, inlined charts, row shading classes.

The project page (`report_html`) and the portfolio index (`index_html`) are rendered from Jinja2
templates shipped in `templates/`, with autoescaping on so a project named `<帮扶>` stays text.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from evaluator.models import Severity
from evaluator.reports.view import ChartFile

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
    )


@dataclass(frozen=True)
class InlineChart:
    title: str
    data: str  # base64 PNG, when the chart has no SVG
    svg: Markup | None = None  # built by evaluator.reports.canvas, every text in it escaped


def inline(chart: ChartFile) -> InlineChart:
    """A chart for a page: its SVG as is (a tenth of the base64 PNG's size, sharp at any zoom), else the PNG."""
    if chart.svg:
        return InlineChart(chart.title, "", Markup(chart.svg))  # escaped where it was built
    return InlineChart(chart.title, base64.b64encode(chart.path.read_bytes()).decode("ascii"))


def severity_class(severity: Severity | None) -> str:
    return {Severity.RED: "red", Severity.YELLOW: "yellow"}.get(severity, "") if severity else ""
