"""Sharing cards: deep links that open a card (t.me/<bot>?start=p-<slug>) and the short
cards that inline mode (@bot <query>) offers to send into any chat."""

from __future__ import annotations

import re

from bot.i18n import Translator
from bot.render.common import STANCES, status_label
from bot.render.html import Button, bold, esc, link, shorten
from bot.services.views import ActorView, ProposalView

PROPOSAL, ACTOR = "p", "a"
MAX_PAYLOAD = 64  # Telegram's limit for a /start parameter
_PAYLOAD_RE = re.compile(r"^([pa])-([A-Za-z0-9_-]{1,62})$")
INLINE_TEXT_CHARS = 700


def start_payload(kind: str, slug: str, item_id: int) -> str:
    """ "p-<slug>" (or "p-<id>" for a slug Telegram would not carry)."""
    payload = f"{kind}-{slug}"
    if len(payload) > MAX_PAYLOAD or not _PAYLOAD_RE.match(payload):
        payload = f"{kind}-{item_id}"
    return payload


def parse_payload(text: str | None) -> tuple[str, str] | None:
    """("p" or "a", slug or id) from a /start parameter; None for anything else."""
    found = _PAYLOAD_RE.match((text or "").strip())
    return (found.group(1), found.group(2)) if found else None


def deep_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"


def card_link_line(_: Translator, bot_username: str | None, payload: str) -> str:
    """The line at the end of a card: a link that opens this card in a chat with the bot."""
    if not bot_username:
        return ""
    url = deep_link(bot_username, payload)
    return "🔗 " + _("Link to this card: {link}", link=link(url, url.removeprefix("https://")))


def proposal_payload(view: ProposalView) -> str:
    return start_payload(PROPOSAL, view.ref.slug, view.ref.id)


def actor_payload(view: ActorView) -> str:
    return start_payload(ACTOR, view.ref.slug, view.ref.id)


def proposal_share(_: Translator, view: ProposalView, bot_username: str) -> tuple[str, str, str]:
    """(title, description, message HTML) of a proposal as an inline result."""
    status = status_label(_, view.status)
    backers = [p.ref.label for p in view.positions if p.stance in ("proposes", "supports")]
    lines = [bold(view.ref.label), esc(_("Status: {status}", status=status))]
    if view.summary:
        lines.append(esc(shorten(view.summary, INLINE_TEXT_CHARS)))
    if backers:
        lines.append(esc(_("Who backs it") + ": " + ", ".join(backers[:6])))
    lines.append(card_link_line(_, bot_username, proposal_payload(view)))
    return view.ref.label, status, "\n\n".join(line for line in lines if line)


def actor_share(_: Translator, view: ActorView, bot_username: str) -> tuple[str, str, str]:
    lines = [bold(view.ref.label)]
    if view.role:
        lines.append(f"<i>{esc(view.role)}</i>")
    if view.summary:
        lines.append(esc(shorten(view.summary, INLINE_TEXT_CHARS)))
    stances = [f"{p.ref.label} ({_(STANCES.get(p.stance, p.stance))})" for p in view.positions[:4]]
    if stances:
        lines.append(esc(_("Positions") + ": " + "; ".join(stances)))
    lines.append(card_link_line(_, bot_username, actor_payload(view)))
    return view.ref.label, view.role, "\n\n".join(line for line in lines if line)


def open_button(_: Translator, bot_username: str, payload: str) -> Button:
    return Button(_("Open in the bot"), url=deep_link(bot_username, payload))


SHARE_QUERY_CHARS = 64  # what "@bot <query>" finds the card by: its name, never a slug


def share_button(_: Translator, label: str) -> Button:
    """ "Share": opens "@bot <name>" in a chat the user picks, which offers this card."""
    return Button("↗ " + _("Share"), share=shorten(label, SHARE_QUERY_CHARS))
