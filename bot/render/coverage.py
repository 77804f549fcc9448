"""/coverage: articles per proposal per day, as a chart (matplotlib, Agg) and as text.

The text reply lists the same numbers (total per proposal, the busiest day) for screen
readers; the chart is a picture of them. Both are in the chat's language."""

from __future__ import annotations

import io
import logging
import threading
from datetime import date

from bot.i18n import Translator
from bot.render.fonts import font_path
from bot.render.html import Reply, bold, shorten
from bot.render.picture_cache import PICTURES, data_key
from bot.services.coverage import Coverage

log = logging.getLogger(__name__)
# matplotlib's global state (font manager, rcParams) is not thread-safe; pictures render in
# worker threads, one at a time
_LOCK = threading.Lock()
FIGURE_INCHES, DPI = (11.0, 6.4), 100
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


def warm_up() -> None:
    """Import matplotlib and load the font once, ahead of the first /coverage (about a second
    of CPU that the first user would otherwise wait for); meant for a background thread."""
    global _warm
    if _warm:
        return
    _warm = True
    try:
        _draw([date(2026, 1, 1), date(2026, 1, 2)], [("Я", (0, 1))], {"title": "Я", "y": "Я"})
    except Exception:  # the first /coverage will say what is wrong, in the error log
        log.warning("could not prepare the chart renderer", exc_info=True)


_warm = False


def _draw(days: list[date], series: list[tuple[str, tuple[int, ...]]], texts: dict) -> bytes:
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _LOCK:
        font = font_manager.FontProperties(fname=str(font_path()))
        figure = Figure(figsize=FIGURE_INCHES, dpi=DPI)
        FigureCanvasAgg(figure)
        # a fixed layout: the legend goes below the plot (so no line hides behind it), with
        # room for one row per two proposals; tight_layout would draw the figure twice
        legend_rows = (len(series) + 1) // 2
        bottom = 0.12 + 0.045 * legend_rows
        axes = figure.add_axes((0.06, bottom, 0.92, 0.9 - bottom))
        markers = "os^Dv<>px*hH"
        for n, (label, counts) in enumerate(series):
            axes.plot(
                days,
                counts,
                marker=markers[n % len(markers)],
                markersize=4,
                linewidth=1.6,
                label=label,
            )
        locator = AutoDateLocator(maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DateFormatter("%d.%m"))  # no month names to translate
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        axes.set_title(texts["title"], fontproperties=font, fontsize=14)
        axes.set_ylabel(texts["y"], fontproperties=font)
        for tick in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
            tick.set_fontproperties(font)
        figure.legend(prop=font, loc="lower center", ncol=2, frameon=False)
        out = io.BytesIO()
        # zlib level 1: a third of the default time, a slightly larger file
        figure.savefig(out, format="png", pil_kwargs={"compress_level": 1})
        return out.getvalue()
