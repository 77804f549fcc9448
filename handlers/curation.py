"""Curating the dossier from chat: /setstatus /newproposal /newactor /retract /undo (admins)
and /changes (everyone); the multi-step commands are in handlers/curation_dialogs.py.

Every change is shown first with ✅ Confirm / ✖️ Cancel (handlers/curation_preview.py)."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
)
from telegram.warnings import PTBUserWarning

from bot.render import callbacks
from bot.render import curation as view
from bot.render.html import Reply
from bot.services.curation import history, requests
from bot.services.curation.undo import last_change
from handlers.callbacks import register_action
from handlers.common import (
    Context,
    UsageError,
    args_text,
    command,
    in_session,
    send,
    tr,
)
from handlers.curation_dialogs import conversations
from handlers.curation_preview import (
    END,
    PREVIEWS_KEY,
    Previews,
    is_admin,
    offer,
    on_confirm,
    parse_args,
    raw_args,
    step,
    user_id_of,
)
from handlers.public import find_or_answer

# --- one-line commands ---------------------------------------------------------------------


@step
async def setstatus(update: Update, context: Context) -> int:
    parsed = parse_args(update, "setstatus", requests.parse_setstatus, args_text(context))
    proposal = await find_or_answer(update, context, "proposal", parsed.proposal_query)
    if proposal is None:
        return END
    request = requests.SetStatus(proposal.id, parsed.status, parsed.source_url)
    return await offer(update, context, request)


@step
async def newproposal(update: Update, context: Context) -> int:
    request = parse_args(update, "newproposal", requests.parse_new_proposal, args_text(context))
    return await offer(update, context, request)


@step
async def newactor(update: Update, context: Context) -> int:
    request = parse_args(update, "newactor", requests.parse_new_actor, args_text(context))
    return await offer(update, context, request)


@step
async def retract(update: Update, context: Context) -> int:
    request = parse_args(update, "retract", requests.parse_retract, raw_args(update))
    return await offer(update, context, request)


@step
async def undo(update: Update, context: Context) -> int:
    _ = tr(update)
    outcome = await in_session(context, last_change, user_id_of(update))
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
    page = await in_session(context, history.recent_changes, days, now, is_admin(update, context))
    await send(update, context, view.changes_reply(_, page))


def register(app: Application) -> None:
    app.bot_data[PREVIEWS_KEY] = Previews()
    with warnings.catch_warnings():  # asking warns when there is none (jobs=False)
        warnings.simplefilter("ignore", PTBUserWarning)
        timed = app.job_queue is not None
    for conversation in conversations(timed):
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
