"""A digest as Telegram messages: grouped by proposal, split at block boundaries under 4096."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render.common import fact_line, fmt_date
from bot.render.html import esc, link, pack, shorten
from bot.services.digests.build import DigestData, DigestSection
from bot.services.digests.filters import FilterLabel
from bot.services.text.sentences import split_sentences
from bot.services.views import DocumentView

TITLE_CHARS = 200
SUMMARY_CHARS = 320
GIST_CHARS = 160


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
    if data.facts:
        facts = [fact_line(_, f, with_proposal=True) for f in data.facts]
        blocks.append(_("<b>📚 New in the dossier</b>") + "\n" + facts[0])
        blocks.extend(facts[1:])
    return pack(blocks)


def _header(
    _: Translator, data: DigestData, label: FilterLabel, now: datetime, tz: ZoneInfo
) -> str:
    day = now.astimezone(tz).strftime("%Y-%m-%d")
    lines = [_("<b>📬 Your digest</b>, {day}", day=day)]
    counts = []
    if data.document_count:
        counts.append(_.plural("{n} new article", "{n} new articles", data.document_count))
    if data.facts:
        counts.append(_.plural("{n} dossier update", "{n} dossier updates", len(data.facts)))
    if counts:
        lines.append(" · ".join(counts))
    if not label.is_empty:
        lines.append("<i>" + _("Filter: {filter}", filter=filter_text(_, label)) + "</i>")
    return "\n".join(lines)


def _section_blocks(_: Translator, section: DigestSection) -> list[str]:
    title = esc(shorten(section.title, 150)) if section.title else _("Other news")
    heading = f"<b>📌 {title}</b>" if section.title else f"<b>🗞 {title}</b>"
    if section.title and section.documents:
        heading += "\n" + whats_new(_, section)
    blocks = [document_item(_, d) for d in section.documents]
    if blocks:
        blocks[0] = heading + "\n" + blocks[0]
    if section.more and section.slug:
        blocks.append(
            _.plural(
                "…and {n} more: /latest {slug}",
                "…and {n} more: /latest {slug}",
                section.more,
                slug=esc(section.slug),
            )
        )
    return blocks


def whats_new(_: Translator, section: DigestSection) -> str:
    """One line on what is new in a proposal's section: how many, and the freshest's gist."""
    freshest = section.documents[0]
    gist = gist_of(freshest.summary) or freshest.title or freshest.url
    return (
        "<i>"
        + _.plural(
            "🆕 {n} new article; the latest: {gist}",
            "🆕 {n} new articles; the latest: {gist}",
            section.total,
            gist=esc(shorten(gist, GIST_CHARS)),
        )
        + "</i>"
    )


def gist_of(summary: str) -> str:
    """The first sentence of a summary (its lead: the sentence about the proposal)."""
    sentences = split_sentences(summary)
    return sentences[0].text if sentences else ""


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
