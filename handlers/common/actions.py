"""The registry of button actions: each handler module adds its own in `register(app)`, and
handlers/callbacks.py dispatches every callback query to them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.deps import BotApplication
from bot.render import callbacks
from handlers.common.context import Context

# a button action returns True when handled, False for stale or foreign data, or a short text
# that is shown to the user as the answer (a refusal, "already reviewed", …)
Action = Callable[[Update, Context, callbacks.Callback], Awaitable[bool | str]]


def register_action(app: BotApplication, prefix: str, fn: Action) -> None:
    """The button action for callback_data starting with `prefix` (handlers.callbacks
    dispatches every callback query to these)."""
    app.bot_data.actions[prefix] = fn
