"""A digest as Telegram messages: grouped by proposal, split at block boundaries under 4096."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render.common import fact_line, fmt_date
from bot.render.curation import change_line
from bot.render.html import esc, link, pack, shorten
from bot.services.digests.build import DigestData, DigestSection
from bot.services.digests.filters import FilterLabel
from bot.services.views import DocumentView

TITLE_CHARS = 200
SUMMARY_CHARS = 320


def render_digest(
    _: Translator, data: DigestData, label: FilterLabel, now: datetime, tz: ZoneInfo
) -> list[str]:
    """Self-contained HTML messages; a section title always travels with its first article."""
    blocks = [_header(_, data, label, now, tz)]
    for section in data.sections:
        blocks.extend(_section_blocks(_, section))
    if data.more_documents:
        blocks.append(
            _.plural(
                "…and {n} more new article: see /latest.",
                "…and {n} more new articles: see /latest.",
                data.more_documents,
            )
        )
    blocks.extend(dossier_changes_blocks(_, data))
    return pack(blocks)


def dossier_changes_blocks(_: Translator, data: DigestData) -> list[str]:
    """Status changes, positions and retractions made by curators, then the new facts; the
    heading travels with the first line."""
    lines = [change_line(_, c) for c in data.changes]
    lines += [fact_line(_, f, with_proposal=True) for f in data.facts]
    if not lines:
        return []
    return [_("<b>🗂 Dossier changes</b>") + "\n" + lines[0], *lines[1:]]


def _header(
    _: Translator, data: DigestData, label: FilterLabel, now: datetime, tz: ZoneInfo
) -> str:
    day = now.astimezone(tz).strftime("%Y-%m-%d")
    lines = [_("<b>📬 Your digest</b>, {day}", day=day)]
    counts = []
    if data.document_count:
        counts.append(_.plural("{n} new article", "{n} new articles", data.document_count))
    if data.facts or data.changes:
        n = len(data.facts) + len(data.changes)
        counts.append(_.plural("{n} dossier update", "{n} dossier updates", n))
    if counts:
        lines.append(" · ".join(counts))
    if not label.is_empty:
        lines.append("<i>" + _("Filter: {filter}", filter=filter_text(_, label)) + "</i>")
    return "\n".join(lines)


def _section_blocks(_: Translator, section: DigestSection) -> list[str]:
    title = esc(shorten(section.title, 150)) if section.title else _("Other news")
    heading = f"<b>📌 {title}</b>" if section.title else f"<b>🗞 {title}</b>"
    blocks = [document_item(_, d) for d in section.documents]
    if blocks:
        blocks[0] = heading + "\n" + blocks[0]
    return blocks


def document_item(_: Translator, doc: DocumentView) -> str:
    lines = ["• " + link(doc.url, shorten(doc.title or doc.url, TITLE_CHARS))]
    meta = ", ".join(p for p in (doc.source_name or "", fmt_date(doc.published_at)) if p)
    if meta:
        lines.append(f"<i>{esc(shorten(meta, 120))}</i>")
    if doc.summary:
        lines.append(esc(shorten(doc.summary, SUMMARY_CHARS)))
    if doc.actors:
        names = ", ".join(doc.actors[:8])
        lines.append("<i>" + _("Actors: {names}", names=esc(shorten(names, 200))) + "</i>")
    return "\n".join(lines)


def filter_text(_: Translator, label: FilterLabel) -> str:
    """'proposal X · actor Y · +word −word', escaped."""
    parts = []
    if label.proposal:
        parts.append(_("proposal “{name}”", name=esc(shorten(label.proposal, 80))))
    if label.actor:
        parts.append(_("actor “{name}”", name=esc(shorten(label.actor, 80))))
    parts += [esc("+" + w) for w in label.include]
    parts += [esc("−" + w) for w in label.exclude]
    return " · ".join(parts)
