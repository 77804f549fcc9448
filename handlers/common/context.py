"""A handler's context: its dependencies, the reply language, its arguments, a unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.deps import BotContext, Deps
from bot.i18n import Translator, get_translator
from bot.services.localize import chosen_language

Context = BotContext
Handler = Callable[[Update, Context], Awaitable[None]]
MAX_ARGS_CHARS = 1000  # longer arguments are cut: nothing we look up is that long
MAX_RAW_ARGS = 5000  # a fact is at most 1500 characters; the rest is proposal, key and URL


def deps(context: Context) -> Deps:
    return context.deps


def tr(update: Update) -> Translator:
    """The reply language: the chat's choice (/language) or the user's Telegram language, as
    decided for this update by handlers/language.py before any other handler ran."""
    chosen = chosen_language()
    if chosen is not None:
        return get_translator(chosen)
    user = update.effective_user
    return get_translator(user.language_code if user else None)


def args_text(context: Context) -> str:
    return " ".join(context.args or [])[:MAX_ARGS_CHARS].strip()


def raw_args(update: Update) -> str:
    """Everything after the command, spacing and line breaks kept (context.args splits it and
    args_text cuts it at MAX_ARGS_CHARS)."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    return parts[1][:MAX_RAW_ARGS].strip() if len(parts) == 2 else ""


def is_admin(update: Update, context: Context) -> bool:
    """Whether the user behind the update is one of the bot's admins."""
    user = update.effective_user
    return deps(context).settings.is_admin(user.id if user else None)


def page_arg(value: Any, default: int = 1) -> int:
    try:
        return max(1, min(int(value), 10**6))
    except (TypeError, ValueError):
        return default


async def in_session(context: Context, fn: Callable[..., Any], *args: Any) -> Any:
    """Run `fn(session, *args)` in one unit of work, off the event loop."""
    db = deps(context).db

    def work() -> Any:
        with db.session() as session:
            return fn(session, *args)

    return await asyncio.to_thread(work)
