"""An admin's link editor for one article: relevance, linked proposals, and the buttons
that confirm, add or remove a link or mark the article on- or off-topic."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.html import Button, Reply, esc, link, shorten
from bot.services.knowledge.curation import LinkEditor

TITLE_CHARS = 28  # a proposal's title on a button


def links_data(verb: str, document_id: int, proposal_id: int | None = None) -> str:
    parts: list[int | str] = [verb, document_id]
    if proposal_id is not None:
        parts.append(proposal_id)
    return callbacks.make(callbacks.LINKS, *parts)


def parse_links_data(cb: callbacks.Callback) -> tuple[str, int, int | None] | None:
    """(verb, document id, proposal id or None) from lk:…, or None when malformed."""
    verb = cb.args[0] if cb.args else ""
    document_id = cb.int_arg(1)
    proposal_id = cb.int_arg(2) if len(cb.args) > 2 else None
    if verb not in {"o", "a", "r", "c", "on", "off"} or document_id is None:
        return None
    if verb in {"a", "r"} and proposal_id is None:
        return None
    return verb, document_id, proposal_id


def link_editor(_: Translator, view: LinkEditor, notice: str = "") -> Reply:
    lines = [_("<b>Links of</b> {title}", title=link(view.url, shorten(view.title, 200)))]
    score = f" ({view.score:.2f})" if view.score is not None else ""
    if view.on_topic:
        lines.append(_("On-topic{score}", score=score))
    else:
        lines.append(_("Off-topic{score}: kept and searchable, not in digests", score=score))
    if view.reason:
        lines.append(_("Why: {reason}", reason=esc(shorten(view.reason, 300))))
    linked = [p.title for p in view.proposals if p.linked]
    lines.append(
        _("Linked: {names}", names=esc(", ".join(linked)))
        if linked
        else _("Linked to no proposal.")
    )
    lines.append(_("✅ linked (press to remove) · ➕ not linked (press to add)"))
    if notice:
        lines += ["", notice]
    rows = [
        [
            Button(
                f"{'✅' if p.linked else '➕'} {shorten(p.title, TITLE_CHARS)}",
                links_data("r" if p.linked else "a", view.document_id, p.id),
            )
        ]
        for p in view.proposals
    ]
    topic = (
        Button(_("Mark off-topic"), links_data("off", view.document_id))
        if view.on_topic
        else Button(_("Mark on-topic"), links_data("on", view.document_id))
    )
    rows.append([Button(_("✔ Confirm links"), links_data("c", view.document_id)), topic])
    return Reply("\n".join(lines), rows)


def saved_notice(_: Translator) -> str:
    return _("Saved. The model learns from it at its next training.")
