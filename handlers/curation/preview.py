"""Previews of curators' changes: kept with a token until ✅ Confirm / ✖️ Cancel is pressed.

Nothing is written until the admin who asked presses Confirm under the preview; a preview
lasts bot.deps.PREVIEW_MINUTES. `step` wraps every curation handler: admins only, usage errors
answered (a conversation then stays where it is)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    ConversationHandler,
)

from bot.deps import Previews
from bot.render import callbacks
from bot.render import curation as view
from bot.render.html import Reply
from bot.services.curation import apply as curation
from bot.services.curation import requests
from bot.services.curation.requests import CurationInputError
from handlers.common.context import Context, in_session, is_admin, tr
from handlers.common.guards import UsageError
from handlers.common.replies import edit, send

END = ConversationHandler.END
Step = Callable[[Update, Context], Awaitable[int | None]]


def _previews(context: Context) -> Previews:
    return context.bot_data.curation_previews


def user_id_of(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def step(func: Step) -> Step:
    """A conversation step for admins: a non-admin is refused (and no conversation starts);
    a UsageError is answered and the conversation stays where it is."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> int | None:
        if not is_admin(update, context):
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


def parse_args(update: Update, name: str, parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except CurationInputError as exc:
        raise UsageError(view.input_error(tr(update), name, exc)) from None


async def offer(update: Update, context: Context, request: requests.ChangeRequest) -> int:
    """Show the preview with Confirm / Cancel (or say why there is nothing to confirm)."""
    _ = tr(update)
    user_id = user_id_of(update)
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
    if not is_admin(update, context):
        return _("Sorry, only the bot's admins can do that.")
    if len(cb.args) != 2 or cb.args[0] not in ("y", "n"):
        return False
    pending = _previews(context).take(cb.args[1], user_id_of(update))
    if pending is None:
        return view.expired(_)
    if cb.args[0] == "n":
        await edit(update, Reply(view.cancelled(_)))
        return True
    outcome = await in_session(context, curation.apply, pending.request, user_id_of(update))
    undoing = isinstance(pending.request, requests.Undo) and outcome.status == "done"
    await edit(update, Reply(view.undone(_, outcome) if undoing else view.result(_, outcome)))
    return True
