"""An admin's link editor for one article: relevance, linked proposals, and the buttons
that confirm, add or remove a link or mark the article on- or off-topic; and the button under
an admin's digest with the numbered picker of its articles that leads to that editor."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import pager
from bot.render.html import Button, Reply, esc, link, shorten
from bot.services.knowledge.curation import ArticleChoice, LinkEditor

TITLE_CHARS = 28  # a proposal's title on a button
PICKER_PAGE = 10  # articles per page of a digest's picker
PICKER_ROW = 5  # number buttons per row


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


def digest_keyboard(_: Translator, digest_id: int) -> dict:
    """The reply_markup under the last message of an admin's digest (Telegram's JSON: the
    outbox stores it as it will be sent)."""
    data = callbacks.make(callbacks.DIGEST_LINKS, digest_id)
    return {"inline_keyboard": [[{"text": _("✏️ Correct links"), "callback_data": data}]]}


def parse_digest_data(cb: callbacks.Callback) -> tuple[int, int] | None:
    """(digest id, page) from dl:<digest id>[:<page>], or None when malformed."""
    digest_id = cb.int_arg(0)
    page = cb.int_arg(1) if len(cb.args) > 1 else 1
    if digest_id is None or not page:
        return None
    return digest_id, page


def digest_picker(_: Translator, digest_id: int, articles: list[ArticleChoice], page: int) -> Reply:
    """A numbered list of the digest's articles; a number opens that article's link editor."""
    if not articles:
        return Reply(_("None of this digest's articles is stored any more."))
    pages = (len(articles) + PICKER_PAGE - 1) // PICKER_PAGE
    page = min(max(page, 1), pages)
    shown = articles[(page - 1) * PICKER_PAGE : page * PICKER_PAGE]
    lines = [_("<b>Correct the links of an article in this digest</b>"), ""]
    lines += [f"{a.number}. {link(a.url, shorten(a.title, 120))}" for a in shown]
    lines += ["", _("Press an article's number to open its link editor.")]
    numbers = [Button(str(a.number), links_data("o", a.document_id)) for a in shown]
    rows = [numbers[i : i + PICKER_ROW] for i in range(0, len(numbers), PICKER_ROW)]
    rows.append(pager(callbacks.DIGEST_LINKS, page, pages, digest_id))
    return Reply("\n".join(lines), rows)
