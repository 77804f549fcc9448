"""The last line: log the traceback, tell the user something short, never go silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TimedOut
from telegram.ext import Application

from bot.render.html import Reply
from handlers.common.context import Context, tr
from handlers.common.replies import send
from storage.errors import database_problem

log = logging.getLogger("briefbot.errors")


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("forbidden: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("network error while polling: %s", error)
        return
    update_id = getattr(update, "update_id", None)
    if isinstance(error, TimedOut):  # the reply may well have arrived: no resend, no apology
        log.warning(
            "Bot API timed out while answering update %s; not sent again",
            update_id,
            extra={"fields": {"kind": "error", "update_id": update_id, "error": "TimedOut"}},
        )
        return
    problem = database_problem(error)
    if problem is not None:  # an operator's problem, not a bug: one line, no traceback
        log.error(
            "database %s while handling update %s: %s",
            problem,
            update_id,
            str(getattr(error, "orig", None) or error).splitlines()[0][:200],
            extra={"fields": {"kind": "database", "problem": problem, "update_id": update_id}},
        )
    else:
        log.error(
            "unhandled error for update %s",
            update_id,
            exc_info=error,
            extra={"fields": {"kind": "error", "update_id": update_id, "error": repr(error)}},
        )
    if isinstance(update, Update) and update.effective_chat is not None:
        _ = tr(update)
        if problem == "busy":
            text = _("The bot is busy writing other changes. Please try again in a minute.")
        elif problem == "full":
            text = _("The bot's storage is full, so nothing was changed. Please try again later.")
        else:
            text = _("Sorry, something went wrong on my side. Please try again in a moment.")
        try:
            await send(update, context, Reply(text))
        except Exception:  # the apology itself failed (network down): already logged above
            log.warning("could not tell the user about the error")


def register(app: Application) -> None:
    app.add_error_handler(on_error)
