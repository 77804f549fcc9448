"""Guards around commands: usage errors answered in one line, and admins only."""

from __future__ import annotations

import functools

from telegram import Update

from bot.render.html import Reply
from handlers.common.context import Context, Handler, is_admin, tr
from handlers.common.replies import send


class UsageError(Exception):
    """Bad input from the user; the message (already HTML-safe) is shown to them."""


def command(func: Handler) -> Handler:
    """Turn UsageError into a short answer; everything else goes to the error handler."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> None:
        try:
            await func(update, context)
        except UsageError as exc:
            await send(update, context, Reply(str(exc)))

    return wrapper


def admin_only(func: Handler) -> Handler:
    """Politely refuse non-admins; nothing runs for them."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            _ = tr(update)
            await send(update, context, Reply(_("Sorry, only the bot's admins can do that.")))
            return
        await func(update, context)

    return wrapper
