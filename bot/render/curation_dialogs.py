"""The questions and pickers of the multi-step curation commands (handlers/curation_dialogs.py)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import stance_label
from bot.render.curation import FIELDS, quote, value_text
from bot.render.html import Button, Reply, bold, esc, shorten
from bot.services.curation.requests import (
    FACT_MAX,
    FACT_MIN,
    NOTE_MAX,
    NOTE_MIN,
    PROPOSAL_FIELDS,
    STANCES,
)
from bot.services.views import Ref


def field_menu(_: Translator, ref: Ref) -> Reply:
    buttons = [
        Button(_(FIELDS[f]), callbacks.make(callbacks.CURATE_FIELD, f)) for f in PROPOSAL_FIELDS
    ]
    text = _("Editing “{title}”. Which part?", title=esc(shorten(ref.label, 150)))
    return Reply(text + "\n" + _("/cancel stops."), [buttons[:3], buttons[3:]])


def field_prompt(_: Translator, field: str, current: object) -> str:
    lines = [_("Current {field}:", field=esc(_(FIELDS[field]))), value_text(_, current)]
    if field in ("commitments", "open_questions"):
        lines.append(_("Send the new list, one item per line (a single - empties it)."))
    else:
        lines.append(_("Send the new text (a single - empties it)."))
    return "\n".join([*lines, _("/cancel stops.")])


def fact_prompt(_: Translator, fact_id: int, text: str) -> str:
    return "\n".join(
        [
            _("Fact #{number} now reads:", number=fact_id),
            quote(text, 1500),
            _(
                "Send the corrected text ({low}–{high} characters); /cancel stops.",
                low=FACT_MIN,
                high=FACT_MAX,
            ),
        ]
    )


def pick_actor(_: Translator, page: list[Ref], page_no: int, pages: int) -> Reply:
    rows = [
        [Button(shorten(r.label, 40), callbacks.make(callbacks.CURATE_PICK, "a", r.id))]
        for r in page
    ]
    nav = _nav("A", page_no, pages)
    return Reply(_("Whose position? Pick the actor (/cancel stops)."), [*rows, nav])


def pick_stance(_: Translator, actor: str) -> Reply:
    buttons = [
        Button(stance_label(_, s), callbacks.make(callbacks.CURATE_PICK, "s", s)) for s in STANCES
    ]
    text = _("{actor}: which stance?", actor=bold(shorten(actor, 100)))
    return Reply(text, [buttons[:2], buttons[2:]])


def pick_proposal(_: Translator, page: list[Ref], page_no: int, pages: int) -> Reply:
    rows = [
        [
            Button(
                shorten(f"{r.id}. {r.label}", 50), callbacks.make(callbacks.CURATE_PICK, "p", r.id)
            )
        ]
        for r in page
    ]
    return Reply(_("On which proposal?"), [*rows, _nav("P", page_no, pages)])


def note_prompt(_: Translator) -> str:
    return _(
        "Send the position in a sentence ({low}–{high} characters), optionally ending with the "
        "source URL; /cancel stops.",
        low=NOTE_MIN,
        high=NOTE_MAX,
    )


def _nav(kind: str, page: int, pages: int) -> list[Button]:
    row = []
    if page > 1:
        row.append(Button("‹", callbacks.make(callbacks.CURATE_PICK, kind, page - 1)))
    if page < pages:
        row.append(Button("›", callbacks.make(callbacks.CURATE_PICK, kind, page + 1)))
    return row


def conversation_over(_: Translator) -> str:
    return _("Stopped; nothing changed.")


def timed_out(_: Translator) -> str:
    return _("No answer for a while, so I stopped; nothing changed.")
