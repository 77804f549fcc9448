"""Curators' views: change lines, previews with Confirm / Cancel, results, usage and prompts."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render import callbacks
from bot.render.common import fmt_date, stance_label, status_label
from bot.render.html import Button, Reply, bold, esc, link, pack, shorten
from bot.services.curation.history import ChangesPage
from bot.services.curation.outcome import Outcome
from bot.services.curation.requests import (
    STANCES,
    CurationInputError,
)
from bot.services.views import ChangeView

TEXT_CHARS = 300
FIELDS = {
    "title": N_("title"),
    "summary": N_("summary"),
    "mechanism": N_("mechanism"),
    "commitments": N_("commitments"),
    "open_questions": N_("open questions"),
}
USAGE = {
    "setstatus": N_(
        "Send /setstatus PROPOSAL STATUS [URL]. Statuses: proposed, under discussion, agreed, "
        "implemented, rejected, withdrawn. For example: /setstatus 3 agreed https://example.org/a"
    ),
    "position": N_(
        "Send /position ACTOR STANCE PROPOSAL TEXT [URL], actor and proposal as one word "
        "(number, slug or name), stance one of supports, opposes, conditional, proposes; "
        "or /position alone to pick with buttons."
    ),
    "newproposal": N_("Send /newproposal TITLE."),
    "editproposal": N_("Send /editproposal PROPOSAL (number, slug or name)."),
    "newactor": N_("Send /newactor NAME [person|state|organisation|group] [COUNTRY]."),
    "editfact": N_("Send /editfact NUMBER [new text]: the fact's number as shown to admins (#12)."),
    "retract": N_("Send /retract NUMBER REASON: the fact's number as shown to admins (#12)."),
}


def usage(_: Translator, command: str) -> str:
    return esc(_(USAGE[command]))


def input_error(_: Translator, command: str, error: CurationInputError) -> str:
    value = esc(shorten(error.value, 80))
    if error.reason == "bad_status":
        return _("“{value}” is not a status.", value=value) + "\n" + usage(_, command)
    if error.reason == "bad_stance":
        stances = ", ".join(STANCES)
        return _("“{value}” is not a stance; use one of {stances}.", value=value, stances=stances)
    if error.reason == "bad_url":
        return _(
            "“{url}” is not a usable link: the source must be an http:// or https:// address.",
            url=value,
        )
    if error.reason == "bad_fact":
        return _("“{value}” is not a fact number (like 12 or #12).", value=value)
    if error.reason == "too_short":
        return _("That is too short.") + "\n" + usage(_, command)
    if error.reason == "too_long":
        return _("That is too long.") + "\n" + usage(_, command)
    return usage(_, command)


def quote(text: str, chars: int = TEXT_CHARS) -> str:
    return f"“{esc(shorten(text, chars))}”"


def _source(_: Translator, url: str | None) -> str:
    return " (" + link(url, _("source")) + ")" if url else ""


def change_line(_: Translator, view: ChangeView) -> str:
    """One change in one line of HTML (history, digests, previews)."""
    before, after = view.before or {}, view.after or {}
    target, proposal = bold(shorten(view.target, 150)), bold(shorten(view.proposal or "", 150))
    number = f"#{view.fact_id}" if view.fact_id else ""
    kind = view.kind
    if kind == "status":
        text = _(
            "🔄 {proposal}: {new} (before: {old})",
            proposal=target,
            new=esc(status_label(_, str(after.get("status")))),
            old=esc(status_label(_, str(before.get("status")))),
        )
    elif kind == "position":
        text = _(
            "🗣 {actor} {stance} {proposal}: {note}",
            actor=target,
            stance=esc(stance_label(_, str(after.get("stance")))),
            proposal=proposal,
            note=quote(view.note),
        )
    elif kind == "retraction":
        text = _(
            "🚫 Fact {number} retracted: {text}. Reason: {reason}",
            number=number,
            text=quote(view.target),
            reason=esc(shorten(view.note, 300)),
        )
    elif kind == "proposal.new":
        text = _("🆕 New proposal: {title}", title=target)
    elif kind == "proposal.edit":
        field = next(iter(after), "")
        text = _("✏️ {proposal}: {field} changed", proposal=target, field=esc(_(FIELDS[field])))
    elif kind == "actor.new":
        text = _("🆕 New actor: {name}", name=target)
    elif kind in ("fact.edit", "review.edit_fact"):
        text = _("✏️ Fact {number} corrected: {text}", number=number, text=quote(view.target))
    elif kind in ("fact.add", "review.approve_fact"):
        text = _("📚 Fact {number} added: {text}", number=number, text=quote(view.target))
    elif kind == "review.reject_fact":
        text = _("Candidate fact {number} rejected: {text}", number=number, text=quote(view.target))
    elif kind in ("review.approve_actor", "review.edit_actor"):
        text = _("🆕 Candidate actor approved: {name}", name=target)
    else:  # review.reject_actor
        text = _("Candidate actor rejected: {name}", name=target)
    return text + _source(_, view.source_url)


def preview(_: Translator, outcome: Outcome, token: str) -> Reply:
    """The change about to be written, with Confirm / Cancel."""
    assert outcome.view is not None
    lines = [
        bold(_("Apply this change?")),
        change_line(_, outcome.view),
        *_details(_, outcome.view),
    ]
    buttons = [
        Button(_("✅ Confirm"), callbacks.make(callbacks.CURATE, "y", token)),
        Button(_("✖️ Cancel"), callbacks.make(callbacks.CURATE, "n", token)),
    ]
    return Reply("\n".join(lines), [buttons])


def undo_preview(_: Translator, outcome: Outcome, token: str) -> Reply:
    assert outcome.view is not None
    reply = preview(_, outcome, token)
    head = bold(_("Undo your last change?"))
    when = fmt_date(outcome.view.on)
    body = change_line(_, outcome.view) + (f" <i>({when})</i>" if when else "")
    return Reply(head + "\n" + body, reply.keyboard)


def _details(_: Translator, view: ChangeView) -> list[str]:
    """Before → after for edits, where one line cannot show it."""
    before, after = view.before or {}, view.after or {}
    if view.kind == "proposal.edit":
        [(field, new)] = after.items()
        return [
            _("Before: {value}", value=value_text(_, before.get(field))),
            _("After: {value}", value=value_text(_, new)),
        ]
    if view.kind == "fact.edit":
        return [_("Before: {value}", value=quote(str(before.get("text")), 600))]
    if view.kind == "actor.new":
        kind, country = str(after.get("kind")), after.get("country")
        return [esc(", ".join(p for p in (kind, country or "") if p))]
    if view.kind == "position" and view.before:
        was = f"{stance_label(_, str(before.get('stance')))} — {before.get('note')}"
        return [_("Before: {value}", value=esc(shorten(was, 300)))]
    return []


def value_text(_: Translator, value: object) -> str:
    if isinstance(value, list):
        return "\n".join(f"• {esc(shorten(str(v), 300))}" for v in value) or _("(empty)")
    return quote(str(value), 600) if value else _("(empty)")


def result(_: Translator, outcome: Outcome) -> str:
    """What happened after Confirm (or why nothing did)."""
    if outcome.status == "done" and outcome.view is not None:
        return _("✅ Done.") + "\n" + change_line(_, outcome.view) + "\n" + _("/undo reverts it.")
    return refusal(_, outcome)


def undone(_: Translator, outcome: Outcome) -> str:
    assert outcome.view is not None
    return _("↩️ Undone:") + " " + change_line(_, outcome.view)


def refusal(_: Translator, outcome: Outcome) -> str:
    texts = {
        "gone": _("That no longer exists; nothing changed."),
        "unchanged": _("It already is so; nothing changed."),
        "duplicate": _("That is already in the dossier; nothing changed."),
        "not_public": _("That fact is not an approved one (see /review); nothing changed."),
        "nothing": _("You have no change to undo."),
        "conflict": _("It has changed since (by you or another admin); nothing was undone."),
    }
    return texts.get(outcome.status, _("Nothing changed."))


def cancelled(_: Translator) -> str:
    return _("Cancelled; nothing changed.")


def expired(_: Translator) -> str:
    return _("This preview has expired or was already used. Send the command again.")


def changes_reply(_: Translator, page: ChangesPage) -> list[Reply]:
    if not page.changes:
        return [
            Reply(
                _.plural(
                    "Nothing changed in the dossier in the last {n} day.",
                    "Nothing changed in the dossier in the last {n} days.",
                    page.days,
                )
            )
        ]
    head = _.plural(
        "<b>Dossier changes</b> in the last {n} day",
        "<b>Dossier changes</b> in the last {n} days",
        page.days,
    )
    blocks = [head]
    for view in page.changes:
        blocks.append(f"<i>{fmt_date(view.on)}</i> " + change_line(_, view))
    if page.total > len(page.changes):
        blocks.append(esc(_("… and {more} more", more=page.total - len(page.changes))))
    return [Reply(text) for text in pack(blocks, separator="\n")]
