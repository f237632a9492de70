"""A chart as a short list of shapes (boxes, rules, labels), drawn twice: SVG for the HTML page and
PNG (Pillow) for the Word report, which cannot embed SVG.

Why not matplotlib for the per-project charts: its text layout, `tight_layout` and Agg rendering
cost 0.45 CPU s for a project's three charts, four times the whole per-project budget of issue 15
(1,000 projects in a minute on two cores). A bar chart needs only rectangles, a dashed line and
text; laying them out ourselves takes a few milliseconds. Text is measured with the same bundled
font (Noto Sans SC) the PNG is drawn with, so labels are placed from real widths and nothing is cut.

Every drawn character is checked against the font's character map: a missing glyph warns with the
same message matplotlib uses ("Glyph … missing from font(s) …"), which the test settings turn into
an error, so a chart never ships with tofu boxes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Literal

from evaluator.common.files import write_atomically
from evaluator.reports.fonts import font_path

PNG_SCALE = 1.5  # PNG pixels per layout unit: a 640-unit chart is 960 px, ~157 dpi at 15.5 cm in Word
# zlib level 3, not the default 6: on these flat-coloured palette images it encodes ~45% faster
# for ~15% more bytes (a 17-row indicator chart: 6.4 ms and 68 KB against 11.5 ms and 58 KB).
PNG_COMPRESSION = 3
PT = 100 / 72  # layout units per typographic point (layout: 100 units per inch, as the old 6.4-inch figures)
SVG_FONTS = (
    "'Noto Sans SC','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',"
    "sans-serif"
)
Anchor = Literal["start", "middle", "end"]
_PIL_ANCHOR = {"start": "lm", "middle": "mm", "end": "rm"}


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True, slots=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    """One line of text, vertically centred on y; `backdrop` paints white behind it (keeps a line off it)."""

    x: float
    y: float
    text: str
    size: float  # points
    colour: str
    anchor: Anchor = "start"
    backdrop: bool = False


@dataclass(slots=True)
class Canvas:
    width: float
    height: float
    title: str
    items: list[Box | Rule | Label] = field(default_factory=list)

    def box(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        if w > 0 and h > 0:
            self.items.append(Box(x, y, w, h, fill))

    def rule(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1.0, dashed: bool = False):
        self.items.append(Rule(x1, y1, x2, y2, colour, width, dashed))

    def label(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        colour: str,
        anchor: Anchor = "start",
        backdrop: bool = False,
    ) -> None:
        check_glyphs(text)
        self.items.append(Label(x, y, text, size, colour, anchor, backdrop))


# ---------------------------------------------------------------------------------------------
# The font: measuring text, checking glyphs
# ---------------------------------------------------------------------------------------------


def _font(pixels: int):
    return _face(str(font_path()), pixels)


@lru_cache(maxsize=32)
def _face(path: str, pixels: int):
    """One FreeType face per font file, pixel size and process (the 10 MB file is opened once, not per chart)."""
    from PIL import ImageFont

    return ImageFont.truetype(path, pixels)


def _pixels(size_pt: float, scale: float) -> int:
    return max(1, round(size_pt * PT * scale))


def text_width(text: str, size_pt: float) -> float:
    """Width of one line in layout units, measured with the font the PNG is drawn with."""
    return _width(str(font_path()), text, size_pt)


@lru_cache(maxsize=16384)
def _width(path: str, text: str, size_pt: float) -> float:
    return _face(path, _pixels(size_pt, PNG_SCALE)).getlength(text) / PNG_SCALE


@lru_cache(maxsize=4)
def _character_map(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    face = TTFont(path, lazy=True)
    try:
        return frozenset(face.getBestCmap() or ())
    finally:
        face.close()


@lru_cache(maxsize=16384)
def _missing(path: str, text: str) -> tuple[str, ...]:
    cmap = _character_map(path)
    return tuple(ch for ch in dict.fromkeys(text) if not ch.isspace() and ord(ch) not in cmap)


def check_glyphs(text: str) -> None:
    """Warn (as matplotlib does) for every character the font cannot draw: it would be a tofu box."""
    path = font_path()
    for ch in _missing(str(path), text):
        warnings.warn(f"Glyph {ord(ch)} ({ch!r}) missing from font(s) {path.stem}.", UserWarning, stacklevel=3)


# ---------------------------------------------------------------------------------------------
# SVG
# ---------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate with one decimal and no trailing zero: short, and the same on every run."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def to_svg(canvas: Canvas) -> str:
    """The chart as an inline <svg> element (text escaped: indicator names are user input)."""
    w, h = _n(canvas.width), _n(canvas.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(canvas.title)}" font-family="{SVG_FONTS}">',
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    for item in canvas.items:
        if isinstance(item, Box):
            out.append(
                f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" height="{_n(item.h)}" '
                f'fill="{item.fill}"/>'
            )
        elif isinstance(item, Rule):
            dash = ' stroke-dasharray="4 3"' if item.dashed else ""
            out.append(
                f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
                f'stroke="{item.colour}" stroke-width="{_n(item.width)}"{dash}/>'
            )
        else:
            size = item.size * PT
            if item.backdrop:
                x0, width = _extent(item)
                out.append(
                    f'<rect x="{_n(x0 - 1.5)}" y="{_n(item.y - size * 0.62)}" width="{_n(width + 3)}" '
                    f'height="{_n(size * 1.24)}" fill="#ffffff" fill-opacity="0.85"/>'
                )
            out.append(
                f'<text x="{_n(item.x)}" y="{_n(item.y)}" font-size="{_n(size)}" text-anchor="{item.anchor}" '
                f'dominant-baseline="central" fill="{item.colour}">{escape(item.text, quote=False)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _extent(label: Label) -> tuple[float, float]:
    width = text_width(label.text, label.size)
    if label.anchor == "start":
        return label.x, width
    if label.anchor == "middle":
        return label.x - width / 2, width
    return label.x - width, width


# ---------------------------------------------------------------------------------------------
# PNG
# ---------------------------------------------------------------------------------------------


def to_png(canvas: Canvas, path: Path, scale: float = PNG_SCALE) -> Path:
    """Draw the shapes with Pillow and write a PNG (no time stamp in it: the same bytes every run).

    Drawn in RGB, then stored with a palette of the chart's own colours (and a ramp from each text
    colour to white for the anti-aliased letter edges; all text sits on white): the same picture,
    a third of the bytes, and 2.5x less time in the PNG encoder, which was half the drawing time.
    """
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (round(canvas.width * scale), round(canvas.height * scale)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for item in canvas.items:
        if isinstance(item, Box):
            x0, y0 = round(item.x * scale), round(item.y * scale)
            x1, y1 = round((item.x + item.w) * scale), round((item.y + item.h) * scale)
            if x1 > x0 and y1 > y0:
                draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=item.fill)
        elif isinstance(item, Rule):
            _png_rule(draw, item, scale)
        else:
            if item.backdrop:
                x0, width = _extent(item)
                half = item.size * PT * 0.62
                draw.rectangle(
                    (
                        round((x0 - 1.5) * scale),
                        round((item.y - half) * scale),
                        round((x0 + width + 1.5) * scale),
                        round((item.y + half) * scale),
                    ),
                    fill="#ffffff",
                )
            mask, left, top = _text_mask(str(font_path()), item.text, _pixels(item.size, scale), item.anchor)
            draw.bitmap((round(item.x * scale) + left, round(item.y * scale) + top), mask, fill=item.colour)
    paletted = image.quantize(palette=_palette(canvas), dither=Image.Dither.NONE)
    write_atomically(path, lambda temp: paletted.save(temp, format="PNG", compress_level=PNG_COMPRESSION))
    return path


@lru_cache(maxsize=4096)
def _text_mask(path: str, text: str, pixels: int, anchor: Anchor):
    """The anti-aliased coverage of one line of text and its offset from the anchor point, made once
    per process: tick labels, titles, level names and most values repeat from project to project."""
    from PIL import Image, ImageDraw

    font = _face(path, pixels)
    left, top, right, bottom = font.getbbox(text, anchor=_PIL_ANCHOR[anchor])
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor=_PIL_ANCHOR[anchor])
    return mask, left, top


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


TEXT_RAMP = 24  # shades from a text colour to white, for the edges of letters


def _palette(canvas: Canvas):
    from PIL import Image

    colours: dict[tuple[int, int, int], None] = {(255, 255, 255): None}
    inks: dict[str, None] = {}
    for item in canvas.items:
        if isinstance(item, Box):
            colours[_rgb(item.fill)] = None
        elif isinstance(item, Rule):
            colours[_rgb(item.colour)] = None
        else:
            inks[item.colour] = None
    for ink in inks:
        rgb = _rgb(ink)
        for k in range(1, TEXT_RAMP + 1):
            share = k / TEXT_RAMP
            colours[tuple(round(255 + (c - 255) * share) for c in rgb)] = None  # type: ignore[assignment]
    flat = [value for colour in list(colours)[:256] for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return palette


def _png_rule(draw, rule: Rule, scale: float) -> None:
    width = max(1, round(rule.width * scale))
    x1, y1, x2, y2 = (round(v * scale) for v in (rule.x1, rule.y1, rule.x2, rule.y2))
    if not rule.dashed:
        draw.line((x1, y1, x2, y2), fill=rule.colour, width=width)
        return
    on, off = round(4 * scale), round(3 * scale)
    if x1 == x2:  # vertical dashed line (the 100% mark)
        y = min(y1, y2)
        while y < max(y1, y2):
            draw.line((x1, y, x1, min(y + on, max(y1, y2))), fill=rule.colour, width=width)
            y += on + off
    else:
        x = min(x1, x2)
        while x < max(x1, x2):
            draw.line((x, y1, min(x + on, max(x1, x2)), y1), fill=rule.colour, width=width)
            x += on + off
