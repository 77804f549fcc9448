"""The last line: log the traceback, tell the user something short, never go silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError
from telegram.ext import Application

from bot.render.html import Reply
from handlers.common import Context, send, tr

log = logging.getLogger("briefbot.errors")


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("forbidden: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("network error while polling: %s", error)
        return
    log.error("unhandled error for update %s", getattr(update, "update_id", None), exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        _ = tr(update)
        try:
            await send(
                update,
                context,
                Reply(_("Sorry, something went wrong on my side. Please try again in a moment.")),
            )
        except Exception:  # the apology itself failed (network down): already logged above
            log.warning("could not tell the user about the error")


def register(app: Application) -> None:
    app.add_error_handler(on_error)
