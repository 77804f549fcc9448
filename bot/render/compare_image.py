"""The side-by-side comparison as a picture (Pillow): a table of aspects × the two proposals.

The text version (bot/render/compare.py) is still sent first, for screen readers and search;
the picture shows the same aspects, in the same language, for reading at a glance."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.i18n import Translator
from bot.render.common import status_label
from bot.render.compare import LEFT, RIGHT
from bot.render.fonts import font_path
from bot.render.html import esc, shorten
from bot.render.picture_cache import PICTURES, data_key
from bot.services.compare import Comparison, backers, conditional, opponents

WIDTH = 1400
PAD = 16
ASPECT_WIDTH = 280
SIDE_WIDTH = (WIDTH - ASPECT_WIDTH) // 2
FONT_SIZE, TITLE_SIZE = 17, 19
LINE_GAP = 5
MAX_LINES_PER_CELL = 14  # a long cell ends with "…": the text version has it all
COLOURS = {
    "background": "#ffffff",
    "grid": "#c9d1d9",
    "head": "#1f3b63",
    "head_text": "#ffffff",
    "aspect": "#eef2f7",
    "text": "#1b1f24",
    "stripe": "#f8fafc",
}
Row = tuple[str, str, str]


@lru_cache(maxsize=4)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), size)


def table_rows(_: Translator, cmp: Comparison) -> list[Row]:
    """(aspect, left, right) in the reader's language: what the picture shows."""
    none = _("none recorded")

    def names(items: list[str]) -> str:
        return ", ".join(items) if items else none

    def bullets(items: list[str], limit: int = 6) -> str:
        if not items:
            return none
        lines = [f"• {shorten(i, 200)}" for i in items[:limit]]
        if len(items) > limit:
            lines.append(_("… and {more} more", more=len(items) - limit))
        return "\n".join(lines)

    left, right = cmp.left, cmp.right
    return [
        (_("Status"), status_label(_, left.status), status_label(_, right.status)),
        (
            _("Mechanism"),
            shorten(left.mechanism or left.summary, 700),
            shorten(right.mechanism or right.summary, 700),
        ),
        (_("Who backs it"), names(backers(left)), names(backers(right))),
        (_("Who opposes it"), names(opponents(left)), names(opponents(right))),
        (_("With conditions"), names(conditional(left)), names(conditional(right))),
        (_("What it commits"), bullets(left.commitments), bullets(right.commitments)),
        (_("Open questions"), bullets(left.open_questions), bullets(right.open_questions)),
    ]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines that fit `width` pixels, breaking at spaces (a word too long is cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while font.getlength(word) > width:  # a URL or a very long word
                cut = len(word)
                while cut > 1 and font.getlength(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    if len(lines) > MAX_LINES_PER_CELL:
        lines = [*lines[: MAX_LINES_PER_CELL - 1], lines[MAX_LINES_PER_CELL - 1] + " …"]
    return lines


def _draw_table(header: Row, rows: list[Row]) -> bytes:
    body, bold = _font(FONT_SIZE), _font(TITLE_SIZE, bold=True)
    aspect_font = _font(FONT_SIZE, bold=True)
    line_height = FONT_SIZE + LINE_GAP
    widths = (ASPECT_WIDTH, SIDE_WIDTH, SIDE_WIDTH)
    x0 = (0, ASPECT_WIDTH, ASPECT_WIDTH + SIDE_WIDTH)

    def cells(row: Row, fonts: tuple[ImageFont.FreeTypeFont, ...]) -> list[list[str]]:
        return [_wrap(t, f, w - 2 * PAD) for t, f, w in zip(row, fonts, widths, strict=True)]

    laid = [(cells(header, (bold, bold, bold)), True)]
    laid += [(cells(row, (aspect_font, body, body)), False) for row in rows]
    heights = [max(len(c) for c in row) * line_height + 2 * PAD for row, _head in laid]
    image = Image.new("RGB", (WIDTH, sum(heights) + 1), COLOURS["background"])
    draw = ImageDraw.Draw(image)
    y = 0
    for n, ((row_cells, is_head), height) in enumerate(zip(laid, heights, strict=True)):
        fill = COLOURS["head"] if is_head else (COLOURS["stripe"] if n % 2 else None)
        if fill:
            draw.rectangle((0, y, WIDTH, y + height), fill=fill)
        if not is_head:
            draw.rectangle((0, y, ASPECT_WIDTH, y + height), fill=COLOURS["aspect"])
        colour = COLOURS["head_text"] if is_head else COLOURS["text"]
        for column, lines in enumerate(row_cells):
            font = bold if is_head else (aspect_font if column == 0 else body)
            for k, line in enumerate(lines):
                draw.text(
                    (x0[column] + PAD, y + PAD + k * line_height), line, font=font, fill=colour
                )
        draw.line((0, y + height, WIDTH, y + height), fill=COLOURS["grid"])
        y += height
    for x in x0[1:]:
        draw.line((x, 0, x, y), fill=COLOURS["grid"])
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # a third of the default time
    return out.getvalue()


def comparison_picture(_: Translator, cmp: Comparison) -> bytes:
    """PNG of the comparison; the same data (and language) gives the cached picture."""
    header = ("", f"{LEFT} {cmp.left.ref.label}", f"{RIGHT} {cmp.right.ref.label}")
    rows = table_rows(_, cmp)
    return PICTURES.get_or_render(
        data_key("compare", header, rows), lambda: _draw_table(header, rows)
    )


def comparison_caption(_: Translator, cmp: Comparison) -> str:
    """HTML caption (well under 1024 characters): which is ① and ②; the text above has it all."""
    return "\n".join(
        [
            f"{LEFT} {esc(shorten(cmp.left.ref.label, 150))}",
            f"{RIGHT} {esc(shorten(cmp.right.ref.label, 150))}",
            esc(_("The same comparison as text is in the message above.")),
        ]
    )
