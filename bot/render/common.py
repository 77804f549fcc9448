"""Pieces shared by the views: pager keyboards, stance and status labels, fact and date lines."""

from __future__ import annotations

from datetime import date, datetime

from bot.i18n import N_, Translator
from bot.render import callbacks
from bot.render.html import Button, bold, esc, link, shorten, visible_len
from bot.services.views import DocumentView, FactView, StanceView

STANCES = {
    "proposes": N_("proposes"),
    "supports": N_("supports"),
    "conditional": N_("conditional"),
    "opposes": N_("opposes"),
}
STANCE_ICONS = {"proposes": "💡", "supports": "✅", "conditional": "⚖️", "opposes": "❌"}
MAX_POSITIONS = 30  # a card lists this many stances; the rest are counted
POSITION_GROUP_CHARS = 2000  # visible characters per block of position lines (see below)
STATUSES = {
    "proposed": N_("proposed"),
    "under_discussion": N_("under discussion"),
    "agreed": N_("agreed"),
    "implemented": N_("implemented"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
}


def stance_label(_: Translator, stance: str) -> str:
    return f"{STANCE_ICONS.get(stance, '•')} {_(STANCES.get(stance, stance))}"


def status_label(_: Translator, status: str) -> str:
    return _(STATUSES.get(status, status))


def positions_blocks(_: Translator, title: str, positions: list[StanceView]) -> list[str]:
    """Who stands where (on a proposal card) or on what (on an actor card), one per line.

    Lines are grouped into blocks of at most POSITION_GROUP_CHARS, so `pack` can start a new
    message between two lines: 30 long notes never make one block past Telegram's limit
    (which `cut_block` could only save by cutting into the markup)."""
    lines: list[str] = []
    for pos in positions[:MAX_POSITIONS]:
        note = f" — {esc(shorten(pos.note, 300))}" if pos.note else ""
        lines.append(f"{stance_label(_, pos.stance)}: <b>{esc(pos.ref.label)}</b>{note}")
    if len(positions) > MAX_POSITIONS:
        lines.append(esc(_("… and {more} more", more=len(positions) - MAX_POSITIONS)))
    blocks: list[str] = []
    current = bold(title)  # the title travels with the first line
    for line in lines:
        if visible_len(current) + 1 + visible_len(line) > POSITION_GROUP_CHARS:
            blocks.append(current)
            current = line
        else:
            current += "\n" + line
    return [*blocks, current]


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def pager(prefix: str, page: int, pages: int, *extra: int | str) -> list[Button]:
    """‹ 2/5 › buttons; empty when everything fits on one page."""
    if pages <= 1:
        return []
    row: list[Button] = []
    if page > 1:
        row.append(Button("‹", callbacks.make(prefix, *extra, page - 1)))
    row.append(Button(f"{page}/{pages}", callbacks.NOOP))
    if page < pages:
        row.append(Button("›", callbacks.make(prefix, *extra, page + 1)))
    return row


def source_line(_: Translator, url: str | None, name: str | None, when: date | None) -> str:
    label = shorten(name or url or _("source not recorded"), 80)
    parts = [link(url, label)]
    if when:
        parts.append(fmt_date(when))
    return "— " + ", ".join(parts)


def fact_line(
    _: Translator,
    fact: FactView,
    with_proposal: bool = False,
    text_chars: int = 600,
    numbered: bool = False,
) -> str:
    """A fact with its source; `numbered` (for admins) adds its number, e.g. #12."""
    title = fact.proposal_title
    head = f"<b>{esc(shorten(title, 100))}</b>: " if with_proposal and title else ""
    head = f"<code>#{fact.id}</code> {head}" if numbered else head
    text = esc(shorten(fact.text, text_chars))
    return f"• {head}{text}\n  <i>{source_line(_, fact.source_url, fact.source_name, fact.published_at)}</i>"


def document_block(_: Translator, doc: DocumentView, summary_chars: int = 300) -> str:
    meta = ", ".join(p for p in (doc.source_name or "", fmt_date(doc.published_at)) if p)
    lines = [f"📰 {link(doc.url, shorten(doc.title, min(200, max(summary_chars, 80))))}"]
    if meta:
        lines.append(f"<i>{esc(meta)}</i>")
    if doc.summary and summary_chars > 0:
        lines.append(esc(shorten(doc.summary, summary_chars)))
    names_chars = min(150, max(summary_chars, 60))
    if doc.proposals:
        names = shorten(", ".join(doc.proposals), names_chars)
        lines.append(_("Proposals: {names}", names=esc(names)))
    if doc.actors:
        lines.append(_("Actors: {names}", names=esc(shorten(", ".join(doc.actors), names_chars))))
    return "\n".join(lines)
