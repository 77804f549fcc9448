"""Curating the dossier from chat: /setstatus /position /newproposal /editproposal /newactor
/editfact /retract /undo (admins) and /changes (everyone).

Nothing is written until the admin presses ✅ Confirm under a preview of the change; the
preview is kept in memory for PREVIEW_MINUTES, for that admin only. Multi-step input
(/editproposal, /editfact without text, /position without arguments) runs in PTB
ConversationHandlers with /cancel and a timeout of CONVERSATION_SECONDS."""

from __future__ import annotations

import functools
import secrets
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    Application,
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
from bot.render.html import Reply
from bot.services import catalog
from bot.services.curation import apply as curation
from bot.services.curation import history, requests
from bot.services.curation.requests import CurationInputError
from bot.services.curation.undo import last_change
from bot.services.views import Ref
from handlers.callbacks import register_action
from handlers.common import (
    Context,
    UsageError,
    args_text,
    command,
    deps,
    edit,
    in_session,
    send,
    tr,
)
from handlers.public import find_or_answer

PREVIEW_MINUTES = 10
CONVERSATION_SECONDS = 600
PICKER_PAGE = 8
END = ConversationHandler.END
FIELD, VALUE, FACT_TEXT, ACTOR, STANCE, PROPOSAL, NOTE = range(7)
Step = Callable[[Update, Context], Awaitable[int | None]]


@dataclass(frozen=True)
class Pending:
    user_id: int
    request: requests.ChangeRequest
    expires: float  # time.monotonic()


class Previews:
    """Requests shown with Confirm / Cancel, by token, until pressed or expired."""

    def __init__(self, ttl_seconds: float = PREVIEW_MINUTES * 60) -> None:
        self.ttl = ttl_seconds
        self._data: dict[str, Pending] = {}

    def add(self, user_id: int, request: requests.ChangeRequest) -> str:
        now = time.monotonic()
        self._data = {t: p for t, p in self._data.items() if p.expires >= now}
        token = secrets.token_urlsafe(9)
        self._data[token] = Pending(user_id, request, now + self.ttl)
        return token

    def pop(self, token: str, user_id: int) -> Pending | None:
        """The pending request, if it is this user's and still fresh (then it is removed)."""
        pending = self._data.get(token)
        if pending is None or pending.user_id != user_id:
            return None
        del self._data[token]
        return pending if pending.expires >= time.monotonic() else None


def _previews(context: Context) -> Previews:
    return context.application.bot_data["curation_previews"]


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return deps(context).settings.is_admin(user.id if user else None)


def step(func: Step) -> Step:
    """A conversation step for admins: a non-admin is refused (and no conversation starts);
    a UsageError is answered and the conversation stays where it is."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> int | None:
        if not _is_admin(update, context):
            await send(
                update, context, Reply(tr(update)("Sorry, only the bot's admins can do that."))
            )
            return END
        try:
            return await func(update, context)
        except UsageError as exc:
            await send(update, context, Reply(str(exc)))
            return None

    return wrapper


def _raw(update: Update) -> str:
    """Everything after the command, line breaks kept."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    return parts[1][:5000].strip() if len(parts) == 2 else ""


def _parse(update: Update, name: str, parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except CurationInputError as exc:
        raise UsageError(view.input_error(tr(update), name, exc)) from None


async def offer(update: Update, context: Context, request: requests.ChangeRequest) -> int:
    """Show the preview with Confirm / Cancel (or say why there is nothing to confirm)."""
    _ = tr(update)
    user_id = _user_id(update)
    outcome = await in_session(context, curation.preview, request, user_id)
    if outcome.status != "done":
        await send(update, context, Reply(view.refusal(_, outcome)))
        return END
    token = _previews(context).add(user_id, request)
    render = view.undo_preview if isinstance(request, requests.Undo) else view.preview
    await send(update, context, render(_, outcome, token))
    return END


async def on_confirm(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    _ = tr(update)
    if not _is_admin(update, context):
        return _("Sorry, only the bot's admins can do that.")
    if len(cb.args) != 2 or cb.args[0] not in ("y", "n"):
        return False
    pending = _previews(context).pop(cb.args[1], _user_id(update))
    if pending is None:
        return view.expired(_)
    if cb.args[0] == "n":
        await edit(update, Reply(view.cancelled(_)))
        return True
    outcome = await in_session(context, curation.apply, pending.request, _user_id(update))
    undoing = isinstance(pending.request, requests.Undo) and outcome.status == "done"
    await edit(update, Reply(view.undone(_, outcome) if undoing else view.result(_, outcome)))
    return True


# --- one-line commands ---------------------------------------------------------------------


async def _proposal(update: Update, context: Context, query: str) -> Ref | None:
    return await find_or_answer(update, context, "proposal", query)


@step
async def setstatus(update: Update, context: Context) -> int:
    parsed = _parse(update, "setstatus", requests.parse_setstatus, args_text(context))
    proposal = await _proposal(update, context, parsed.proposal_query)
    if proposal is None:
        return END
    request = requests.SetStatus(proposal.id, parsed.status, parsed.source_url)
    return await offer(update, context, request)


@step
async def newproposal(update: Update, context: Context) -> int:
    request = _parse(update, "newproposal", requests.parse_new_proposal, args_text(context))
    return await offer(update, context, request)


@step
async def newactor(update: Update, context: Context) -> int:
    request = _parse(update, "newactor", requests.parse_new_actor, args_text(context))
    return await offer(update, context, request)


@step
async def retract(update: Update, context: Context) -> int:
    request = _parse(update, "retract", requests.parse_retract, _raw(update))
    return await offer(update, context, request)


@step
async def undo(update: Update, context: Context) -> int:
    _ = tr(update)
    outcome = await in_session(context, last_change, _user_id(update))
    if outcome.status != "done" or outcome.view is None or outcome.view.id is None:
        await send(update, context, Reply(view.refusal(_, outcome)))
        return END
    return await offer(update, context, requests.Undo(outcome.view.id))


@command
async def changes(update: Update, context: Context) -> None:
    _ = tr(update)
    words = context.args or []
    days = history.DEFAULT_DAYS
    if words:
        if not (words[0].isascii() and words[0].isdigit()) or not 1 <= int(words[0]) <= 366:
            raise UsageError(_("Send /changes [DAYS], with DAYS from 1 to 366 (7 if left out)."))
        days = int(words[0])
    now = datetime.now(UTC)
    page = await in_session(context, history.recent_changes, days, now, _is_admin(update, context))
    await send(update, context, view.changes_reply(_, page))


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
    proposal = await _proposal(update, context, query)
    if proposal is None:
        return END
    _state(context, update).update(proposal_id=proposal.id)
    await send(update, context, view.field_menu(tr(update), proposal))
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
    await _ask_text(update, context, view.field_prompt(tr(update), field, current))
    return VALUE


@step
async def field_text(update: Update, context: Context) -> int:
    state = _state(context, update)
    message = update.effective_message
    field = state.get("field", "")
    value = _parse(
        update, "editproposal", lambda t: requests.field_value(field, t), message.text or ""
    )
    request = requests.EditProposal(state["proposal_id"], field, value)
    return await offer(update, context, request)


# --- /editfact -----------------------------------------------------------------------------


@step
async def editfact(update: Update, context: Context) -> int:
    head, _sep, text = _raw(update).partition(" ")
    if not head:
        raise UsageError(view.usage(tr(update), "editfact"))
    fact_id = _parse(update, "editfact", requests.parse_fact_number, head)
    if text.strip():
        new = _parse(update, "editfact", requests.check_fact_text, text)
        return await offer(update, context, requests.EditFact(fact_id, new))
    found = await in_session(context, _fact_text, fact_id)
    if found is None:
        await send(update, context, Reply(view.refusal(tr(update), curation.Outcome("not_public"))))
        return END
    _state(context, update).update(fact_id=fact_id)
    await _ask_text(update, context, view.fact_prompt(tr(update), fact_id, found))
    return FACT_TEXT


def _fact_text(session: Any, fact_id: int) -> str | None:
    found = catalog.fact_detail(session, fact_id)
    return found.text if found is not None else None


@step
async def fact_text(update: Update, context: Context) -> int:
    message = update.effective_message
    text = _parse(update, "editfact", requests.check_fact_text, message.text or "")
    fact_id = _state(context, update)["fact_id"]
    return await offer(update, context, requests.EditFact(fact_id, text))


# --- /position -----------------------------------------------------------------------------


@step
async def position(update: Update, context: Context) -> int | None:
    raw = args_text(context)
    if not raw:
        await _send_actor_page(update, context, 1, new=True)
        return ACTOR
    parsed = _parse(update, "position", requests.parse_position, raw)
    actor = await find_or_answer(update, context, "actor", parsed.actor_query)
    if actor is None:
        return END
    proposal = await _proposal(update, context, parsed.proposal_query)
    if proposal is None:
        return END
    request = requests.SetPosition(
        actor.id, proposal.id, parsed.stance, parsed.note, parsed.source_url
    )
    return await offer(update, context, request)


async def _send_actor_page(update: Update, context: Context, page_no: int, new: bool) -> None:
    page = await in_session(context, catalog.list_actors, page_no, PICKER_PAGE)
    reply = view.pick_actor(tr(update), page.items, page.page, page.pages)
    await (send(update, context, reply) if new else edit(update, reply))


async def _send_proposal_page(update: Update, context: Context, page_no: int, new: bool) -> None:
    page = await in_session(context, catalog.list_proposals, page_no, PICKER_PAGE)
    reply = view.pick_proposal(tr(update), page.items, page.page, page.pages)
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
        await edit(update, view.pick_stance(tr(update), actor.ref.label))
        return STANCE
    elif what == "s" and value in requests.STANCES and "actor_id" in state:
        state.update(stance=value)
        await _send_proposal_page(update, context, 1, new=False)
        return PROPOSAL
    elif what == "p" and number and "stance" in state:
        state.update(proposal_id=number)
        await _ask_text(update, context, view.note_prompt(tr(update)), replace=True)
        return NOTE
    return None


@step
async def note_text(update: Update, context: Context) -> int:
    state = _state(context, update)
    message = update.effective_message
    words = (message.text or "").split()
    parsed = _parse(
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
    await send(update, context, Reply(view.conversation_over(tr(update))))
    return END


async def timed_out(update: Update, context: Context) -> None:
    _state(context, update).clear()
    await send(update, context, Reply(view.timed_out(tr(update))))


def _conversation(
    name: str, entry: Step, states: dict[object, list[Any]], timeout: float
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


def conversations(timeout: float | None = None) -> list[ConversationHandler]:
    timeout = CONVERSATION_SECONDS if timeout is None else timeout
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


def register(app: Application) -> None:
    app.bot_data["curation_previews"] = Previews()
    for conversation in conversations():
        app.add_handler(conversation)
    for name, fn in (
        ("setstatus", setstatus),
        ("newproposal", newproposal),
        ("newactor", newactor),
        ("retract", retract),
        ("undo", undo),
    ):
        app.add_handler(CommandHandler(name, fn))
    app.add_handler(CommandHandler("changes", changes))
    register_action(callbacks.CURATE, on_confirm)
