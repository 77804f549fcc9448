"""Multi-step curation in PTB ConversationHandlers: /editproposal (pick a part, send its new
text), /editfact without text (send the corrected text) and /position without arguments
(actor, stance and proposal buttons, then the text). /cancel stops each one, and so do
CONVERSATION_SECONDS of silence."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.render import callbacks
from bot.render import curation as view
from bot.render import curation_dialogs as dialog_view
from bot.render.html import Reply
from bot.services import catalog
from bot.services.curation import apply as curation
from bot.services.curation import requests
from handlers.common.context import Context, args_text, in_session, raw_args, tr
from handlers.common.guards import UsageError
from handlers.common.lookup import find_or_answer
from handlers.common.replies import edit, send
from handlers.curation.preview import END, Step, offer, parse_args, step

CONVERSATION_SECONDS = 600
PICKER_PAGE = 8
FIELD, VALUE, FACT_TEXT, ACTOR, STANCE, PROPOSAL, NOTE = range(7)


# --- /editproposal -------------------------------------------------------------------------


def _state(context: Context, update: Update) -> dict[str, Any]:
    chat = update.effective_chat
    store = context.user_data if context.user_data is not None else {}
    return store.setdefault(("curate", chat.id if chat else 0), {})


@step
async def editproposal(update: Update, context: Context) -> int:
    query = args_text(context)
    if not query:
        raise UsageError(view.usage(tr(update), "editproposal"))
    proposal = await find_or_answer(update, context, "proposal", query)
    if proposal is None:
        return END
    _state(context, update).update(proposal_id=proposal.id)
    await send(update, context, dialog_view.field_menu(tr(update), proposal))
    return FIELD


@step
async def choose_field(update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None
    cb = callbacks.parse(query.data)
    field = cb.args[0] if cb and cb.args else ""
    try:
        return await _choose_field(update, context, field)
    finally:
        await query.answer()


async def _choose_field(update: Update, context: Context, field: str) -> int:
    if field not in requests.PROPOSAL_FIELDS:
        return FIELD
    state = _state(context, update)
    found = await in_session(context, catalog.proposal_detail, state.get("proposal_id", 0))
    if found is None:
        await send(update, context, Reply(view.refusal(tr(update), curation.Outcome("gone"))))
        return END
    state["field"] = field
    current = found.ref.label if field == "title" else getattr(found, field)
    await _ask_text(update, context, dialog_view.field_prompt(tr(update), field, current))
    return VALUE


@step
async def field_text(update: Update, context: Context) -> int:
    state = _state(context, update)
    message = update.effective_message
    field = state.get("field", "")
    value = parse_args(
        update, "editproposal", lambda t: requests.field_value(field, t), message.text or ""
    )
    request = requests.EditProposal(state["proposal_id"], field, value)
    return await offer(update, context, request)


# --- /editfact -----------------------------------------------------------------------------


@step
async def editfact(update: Update, context: Context) -> int:
    head, _sep, text = raw_args(update).partition(" ")
    if not head:
        raise UsageError(view.usage(tr(update), "editfact"))
    fact_id = parse_args(update, "editfact", requests.parse_fact_number, head)
    if text.strip():
        new = parse_args(update, "editfact", requests.check_fact_text, text)
        return await offer(update, context, requests.EditFact(fact_id, new))
    found = await in_session(context, _fact_text, fact_id)
    if found is None:
        await send(update, context, Reply(view.refusal(tr(update), curation.Outcome("not_public"))))
        return END
    _state(context, update).update(fact_id=fact_id)
    await _ask_text(update, context, dialog_view.fact_prompt(tr(update), fact_id, found))
    return FACT_TEXT


def _fact_text(session: Any, fact_id: int) -> str | None:
    found = catalog.fact_detail(session, fact_id)
    return found.text if found is not None else None


@step
async def fact_text(update: Update, context: Context) -> int:
    message = update.effective_message
    text = parse_args(update, "editfact", requests.check_fact_text, message.text or "")
    fact_id = _state(context, update)["fact_id"]
    return await offer(update, context, requests.EditFact(fact_id, text))


# --- /position -----------------------------------------------------------------------------


@step
async def position(update: Update, context: Context) -> int | None:
    raw = args_text(context)
    if not raw:
        await _send_actor_page(update, context, 1, new=True)
        return ACTOR
    parsed = parse_args(update, "position", requests.parse_position, raw)
    actor = await find_or_answer(update, context, "actor", parsed.actor_query)
    if actor is None:
        return END
    proposal = await find_or_answer(update, context, "proposal", parsed.proposal_query)
    if proposal is None:
        return END
    request = requests.SetPosition(
        actor.id, proposal.id, parsed.stance, parsed.note, parsed.source_url
    )
    return await offer(update, context, request)


async def _send_actor_page(update: Update, context: Context, page_no: int, new: bool) -> None:
    page = await in_session(context, catalog.list_actors, page_no, PICKER_PAGE)
    reply = dialog_view.pick_actor(tr(update), page.items, page.page, page.pages)
    await (send(update, context, reply) if new else edit(update, reply))


async def _send_proposal_page(update: Update, context: Context, page_no: int, new: bool) -> None:
    page = await in_session(context, catalog.list_proposals, page_no, PICKER_PAGE)
    reply = dialog_view.pick_proposal(tr(update), page.items, page.page, page.pages)
    await (send(update, context, reply) if new else edit(update, reply))


def _pick(update: Update) -> tuple[str, str]:
    query = update.callback_query
    cb = callbacks.parse(query.data if query else None)
    if cb is None or len(cb.args) != 2:
        return "", ""
    return cb.args[0], cb.args[1]


@step
async def picked(update: Update, context: Context) -> int | None:
    """Every button of the position picker: pages, then actor, stance, proposal (answered
    once the next step is shown)."""
    query = update.callback_query
    assert query is not None
    try:
        return await _picked(update, context)
    finally:
        await query.answer()


async def _picked(update: Update, context: Context) -> int | None:
    what, value = _pick(update)
    state = _state(context, update)
    number = int(value) if value.isascii() and value.isdigit() else 0
    if what == "A" and number:
        await _send_actor_page(update, context, number, new=False)
    elif what == "P" and number:
        await _send_proposal_page(update, context, number, new=False)
    elif what == "a" and number:
        actor = await in_session(context, catalog.actor_detail, number)
        if actor is None:
            return None
        state.update(actor_id=actor.ref.id)
        await edit(update, dialog_view.pick_stance(tr(update), actor.ref.label))
        return STANCE
    elif what == "s" and value in requests.STANCES and "actor_id" in state:
        state.update(stance=value)
        await _send_proposal_page(update, context, 1, new=False)
        return PROPOSAL
    elif what == "p" and number and "stance" in state:
        state.update(proposal_id=number)
        await _ask_text(update, context, dialog_view.note_prompt(tr(update)), replace=True)
        return NOTE
    return None


@step
async def note_text(update: Update, context: Context) -> int:
    state = _state(context, update)
    message = update.effective_message
    words = (message.text or "").split()
    parsed = parse_args(
        update,
        "position",
        lambda t: requests.parse_position(f"a {state['stance']} p {t}"),
        " ".join(words),
    )
    request = requests.SetPosition(
        state["actor_id"], state["proposal_id"], state["stance"], parsed.note, parsed.source_url
    )
    return await offer(update, context, request)


# --- conversation plumbing -----------------------------------------------------------------


async def _ask_text(update: Update, context: Context, text: str, replace: bool = False) -> None:
    """Ask for the next text. In groups the bot sees (with privacy mode) only replies to it,
    so the question comes as a new message with ForceReply; in a private chat `replace`
    turns the picker message into the question."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await (edit(update, Reply(text)) if replace else send(update, context, Reply(text)))
        return
    message = update.effective_message
    await context.bot.send_message(
        chat_id=chat.id,
        text=text,
        parse_mode=ParseMode.HTML,
        reply_markup=ForceReply(selective=True),
        message_thread_id=message.message_thread_id
        if message and message.is_topic_message
        else None,
    )


async def cancel(update: Update, context: Context) -> int:
    _state(context, update).clear()
    await send(update, context, Reply(dialog_view.conversation_over(tr(update))))
    return END


async def timed_out(update: Update, context: Context) -> None:
    _state(context, update).clear()
    await send(update, context, Reply(dialog_view.timed_out(tr(update))))


def _conversation(
    name: str, entry: Step, states: dict[object, list[Any]], timeout: float | None
) -> ConversationHandler:
    with warnings.catch_warnings():  # buttons are tracked per chat and user, as intended
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler(name, entry)],
            states={**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)]},
            fallbacks=[CommandHandler("cancel", cancel)],
            conversation_timeout=timeout,
            name=f"curate-{name}",
        )


def conversations(timed: bool = True) -> list[ConversationHandler]:
    """The three conversations; `timed` needs a JobQueue (without one, as in the local console
    and most tests, PTB could not time them out)."""
    timeout = CONVERSATION_SECONDS if timed else None
    text = filters.TEXT & ~filters.COMMAND
    pick = CallbackQueryHandler(picked, pattern=rf"^{callbacks.CURATE_PICK}:")
    return [
        _conversation(
            "editproposal",
            editproposal,
            {
                FIELD: [CallbackQueryHandler(choose_field, pattern=rf"^{callbacks.CURATE_FIELD}:")],
                VALUE: [MessageHandler(text, field_text)],
            },
            timeout,
        ),
        _conversation(
            "editfact", editfact, {FACT_TEXT: [MessageHandler(text, fact_text)]}, timeout
        ),
        _conversation(
            "position",
            position,
            {
                ACTOR: [pick],
                STANCE: [pick],
                PROPOSAL: [pick],
                NOTE: [MessageHandler(text, note_text)],
            },
            timeout,
        ),
    ]
