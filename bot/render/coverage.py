"""/coverage: articles per proposal per day, as a chart (Pillow) and as text.

The text reply lists the same numbers (total per proposal, the busiest day) for screen
readers; the chart is a picture of them. Both are in the chat's language."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.i18n import Translator
from bot.render.fonts import font_path
from bot.render.html import Reply, bold, shorten
from bot.render.picture_cache import PICTURES, data_key
from bot.services.coverage import Coverage

LABEL_CHARS = 60


def coverage_reply(_: Translator, data: Coverage) -> Reply:
    period = _period(data)
    if not data.series:
        return Reply(
            _("No articles about the proposals in {period}.", period=period)
            + "\n"
            + _("Articles appear here once sources are added and fetched (see /sources).")
        )
    lines = [
        bold(_("Articles per proposal, {period}", period=period)),
        "",
    ]
    for s in data.series:
        peak = max(range(data.days), key=lambda n: (s.counts[n], n))
        peak_day = data.day_list[peak].isoformat()
        title = bold(shorten(s.label, 120))
        lines.append(
            "• "
            + _(
                "{title}: {total}, most on {day} ({peak})",
                title=title,
                total=_.plural("{n} article", "{n} articles", s.total),
                day=peak_day,
                peak=s.counts[peak],
            )
        )
    lines += ["", _("The chart below shows them day by day.")]
    return Reply("\n".join(lines))


def _period(data: Coverage) -> str:
    return f"{data.first_day.isoformat()} – {data.day_list[-1].isoformat()}"


def coverage_caption(_: Translator, data: Coverage) -> str:
    """HTML caption (well under Telegram's 1024 characters)."""
    return _(
        "Articles per proposal per day, {period}. The same numbers are in the message above.",
        period=_period(data),
    )


def coverage_picture(_: Translator, data: Coverage) -> bytes:
    """PNG line chart, one line per proposal; cached until the counts or labels change."""
    texts = {
        "title": _("Articles per proposal per day"),
        "y": _("articles"),
    }
    series = [(shorten(s.label, LABEL_CHARS), s.counts) for s in data.series]
    key = data_key("coverage", data.first_day, data.days, series, texts)
    return PICTURES.get_or_render(key, lambda: _draw(data.day_list, series, texts))


PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a",
)  # fmt: skip
WIDTH, PLOT_HEIGHT, SCALE = 1100, 430, 2  # drawn at twice the size, then scaled down (smooth)
LEFT, RIGHT, TOP = 64, 24, 56
LEGEND_ROW = 26


@lru_cache(maxsize=4)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), size * SCALE)


def _y_step(peak: int) -> int:
    """A round step giving at most about six grid lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if peak / step <= 6:
            return step
    return max(1, peak // 6)


def _draw(days: list[date], series: list[tuple[str, tuple[int, ...]]], texts: dict) -> bytes:
    """A line chart, one line per proposal, with the legend below; Pillow only."""
    k = SCALE
    legend_rows = (len(series) + 1) // 2
    height = TOP + PLOT_HEIGHT + 40 + legend_rows * LEGEND_ROW + 16
    image = Image.new("RGB", (WIDTH * k, height * k), "#ffffff")
    draw = ImageDraw.Draw(image)
    small, title_font = _font(12), _font(16, bold=True)
    x0, x1, y0, y1 = LEFT * k, (WIDTH - RIGHT) * k, TOP * k, (TOP + PLOT_HEIGHT) * k
    title_width = draw.textlength(texts["title"], font=title_font)
    draw.text(
        ((WIDTH * k - title_width) / 2, 16 * k), texts["title"], font=title_font, fill="#1b1f24"
    )
    peak = max((max(c) for _label, c in series), default=0)
    step = _y_step(max(peak, 1))
    top_value = max(step, -(-max(peak, 1) // step) * step)

    def y_at(value: float) -> float:
        return y1 - (y1 - y0) * value / top_value

    def x_at(n: int) -> float:
        return x0 + (x1 - x0) * (n + 0.5) / len(days)

    for value in range(0, top_value + 1, step):
        y = y_at(value)
        draw.line((x0, y, x1, y), fill="#e5e7eb" if value else "#6b7280", width=k)
        label = str(value)
        draw.text(
            (x0 - 8 * k - draw.textlength(label, font=small), y - 8 * k),
            label,
            font=small,
            fill="#374151",
        )
    draw.text((8 * k, y0 - 30 * k), texts["y"], font=small, fill="#374151")
    every = max(1, -(-len(days) // 10))  # about ten dates under the axis
    for n, day in enumerate(days):
        if n % every == 0 or n == len(days) - 1:
            label = day.strftime("%d.%m")  # numbers only: nothing to translate
            width = draw.textlength(label, font=small)
            draw.line((x_at(n), y1, x_at(n), y1 + 4 * k), fill="#6b7280", width=k)
            draw.text((x_at(n) - width / 2, y1 + 7 * k), label, font=small, fill="#374151")
    for n, (_label, counts) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [(x_at(i), y_at(c)) for i, c in enumerate(counts)]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2 * k, joint="curve")
        r = 3 * k
        for x, y in points:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    column = (WIDTH - LEFT - RIGHT) // 2
    for n, (label, _counts) in enumerate(series):
        x = (LEFT + (n % 2) * column) * k
        y = (TOP + PLOT_HEIGHT + 40 + (n // 2) * LEGEND_ROW) * k
        draw.rectangle((x, y + 4 * k, x + 18 * k, y + 12 * k), fill=PALETTE[n % len(PALETTE)])
        draw.text((x + 26 * k, y), label, font=small, fill="#1b1f24")
    image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # a third of the default time
    return out.getvalue()
