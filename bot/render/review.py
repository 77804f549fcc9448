"""Views of the review queue: the card with ✅/❌/✏️, the decided card, the edit prompt."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import fmt_date, stance_label
from bot.render.html import Button, Reply, bold, code, esc, link, shorten
from bot.services.review import Kind, Outcome, ReviewItem
from bot.services.views import FactSourceView

APPROVE, REJECT, EDIT = "a", "r", "e"
KIND_CODES: dict[Kind, str] = {"fact": "f", "actor": "c"}
CODE_KINDS: dict[str, Kind] = {v: k for k, v in KIND_CODES.items()}
CARD_TEXT = 1500  # a fact is at most 1500 characters: the card never needs splitting
MAX_SOURCES = 8  # further sources listed on a card (each line is short: the card fits 4096)


def review_data(verb: str, kind: Kind, item_id: int) -> str:
    return callbacks.make(callbacks.REVIEW, verb, KIND_CODES[kind], item_id)


def parse_review_data(cb: callbacks.Callback) -> tuple[str, Kind, int] | None:
    """(verb, kind, id) from rv:<verb>:<kind>:<id>, or None for anything malformed."""
    if len(cb.args) != 3 or cb.args[0] not in (APPROVE, REJECT, EDIT):
        return None
    kind = CODE_KINDS.get(cb.args[1])
    item_id = cb.int_arg(2)
    if kind is None or not item_id:
        return None
    return cb.args[0], kind, item_id


def _body(_: Translator, item: ReviewItem) -> list[str]:
    if item.kind == "fact":
        none = _("none")
        lines = [
            bold(_("Pending fact #{id}", id=item.id)),
            _("Proposal: {title}", title=esc(item.proposal or none)),
            _speaker_line(_, item, none),
        ]
        if item.stance:
            lines.append(_("Suggested stance: {stance}", stance=stance_label(_, item.stance)))
        lines += ["", f"«{esc(shorten(item.text, CARD_TEXT))}»", ""]
    else:
        lines = [
            bold(_("Candidate actor #{id}", id=item.id)),
            f"<b>{esc(item.text)}</b>",
            _.plural("Seen in {n} article.", "Seen in {n} articles.", item.mentions),
            "",
        ]
    if item.document_title or item.document_url:
        title = shorten(item.document_title or item.document_url or "", 200)
        article = link(item.document_url, title)
        if item.source_name and item.source_url == item.document_url:
            article += f" ({esc(shorten(item.source_name, 80))})"
        lines.append(_("Article: {link}", link=article))
    if item.source_url and item.source_url != item.document_url:
        label = shorten(item.source_name or item.source_url, 120)
        lines.append(_("Source: {link}", link=link(item.source_url, label)))
    if not (item.document_url or item.source_url):
        lines.append(_("Source: not recorded"))
    others = [s for s in item.sources if s.url not in (item.document_url, item.source_url)]
    if others:
        lines.append(_("Also reported by:"))
        lines += [f"• {_source_link(s)}" for s in others[:MAX_SOURCES]]
        if len(others) > MAX_SOURCES:
            lines.append(_("…and {n} more", n=len(others) - MAX_SOURCES))
    return lines


def _speaker_line(_: Translator, item: ReviewItem, none: str) -> str:
    if item.actor or not item.speaker:
        return _("Actor: {name}", name=esc(item.actor or none))
    return _("Speaker: {name} (a new name, not yet an actor)", name=esc(shorten(item.speaker, 100)))


def _source_link(source: FactSourceView) -> str:
    label = link(source.url, shorten(source.title or source.url, 120))
    meta = ", ".join(p for p in (source.outlet or "", fmt_date(source.published_at)) if p)
    return f"{label} ({esc(shorten(meta, 100))})" if meta else label


def review_card(_: Translator, item: ReviewItem) -> Reply:
    lines = _body(_, item)
    lines += [
        "",
        _.plural("{n} item waiting for review.", "{n} items waiting for review.", item.remaining),
    ]
    edit_label = _("✏️ Edit") if item.kind == "fact" else _("✏️ Edit name")
    keyboard = [
        [
            Button(_("✅ Approve"), review_data(APPROVE, item.kind, item.id)),
            Button(_("❌ Reject"), review_data(REJECT, item.kind, item.id)),
            Button(edit_label, review_data(EDIT, item.kind, item.id)),
        ]
    ]
    if item.document_id is not None:  # the article's links, in the link editor
        keyboard.append(
            [Button(_("🏷 Article links"), callbacks.make(callbacks.LINKS, "o", item.document_id))]
        )
    return Reply("\n".join(lines), keyboard)


def decided_card(_: Translator, outcome: Outcome) -> Reply:
    """The card after a decision: no buttons, and what was decided."""
    assert outcome.item is not None
    lines = _body(_, outcome.item)
    if outcome.status == "approved":
        lines.append("")
        lines.append(_("✅ Approved."))
        if outcome.item.kind == "actor" and outcome.actor_id:
            lines.append(_("Added to the dossier as actor #{id}.", id=outcome.actor_id))
    else:
        lines += ["", _("❌ Rejected.")]
    return Reply("\n".join(lines))


def nothing_left(_: Translator) -> Reply:
    return Reply(_("Nothing left to review. 🎉"))


def decision_notice(_: Translator, outcome: Outcome) -> str:
    """The short text shown on the pressed button's toast."""
    return {
        "approved": _("Approved."),
        "rejected": _("Rejected."),
        "already": _("Already reviewed — nothing changed."),
        "missing": _("This item no longer exists."),
    }.get(outcome.status, _("Nothing changed."))


def edit_prompt(_: Translator, item: ReviewItem, minutes: int, mention: str = "") -> str:
    if item.kind == "fact":
        head = _("✏️ Send the corrected text of fact #{id} as your next message.", id=item.id)
    else:
        head = _(
            "✏️ Send the corrected name for candidate actor #{id} as your next message.", id=item.id
        )
    lines = [f"{mention} {head}".strip(), _("The current text (tap to copy):"), code(item.text)]
    lines.append(
        _.plural(
            "It will be approved with your text. /cancel keeps it pending; this waits {n} minute.",
            "It will be approved with your text. /cancel keeps it pending; this waits {n} minutes.",
            minutes,
        )
    )
    return "\n".join(lines)


def edit_rejected(_: Translator, kind: Kind, low: int, high: int) -> Reply:
    if kind == "fact":
        text = _(
            "A fact must be {low}–{high} characters long. Send it again, or /cancel.",
            low=low,
            high=high,
        )
    else:
        text = _(
            "A name must be {low}–{high} characters long. Send it again, or /cancel.",
            low=low,
            high=high,
        )
    return Reply(text)


def edit_result(_: Translator, outcome: Outcome) -> Reply:
    if outcome.status == "approved":
        return decided_card(_, outcome)
    if outcome.status == "duplicate":
        return Reply(
            _(
                "That text is already a fact of this proposal; nothing changed. "
                "Send another text, or /cancel."
            )
        )
    return Reply(decision_notice(_, outcome))


def edit_cancelled(_: Translator) -> Reply:
    return Reply(_("Edit cancelled; the item stays pending. /review shows it again."))


def nothing_to_cancel(_: Translator) -> Reply:
    return Reply(_("Nothing to cancel."))
