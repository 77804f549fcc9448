"""/compare: two proposals side by side, from arguments or an inline picker."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render import compare as compare_view
from bot.render.compare_image import comparison_caption, comparison_picture
from bot.render.html import esc, shorten
from bot.services import catalog
from bot.services.compare import Comparison, compare_proposals
from bot.services.pairs import resolve_pair
from handlers.common import (
    Context,
    UsageError,
    args_text,
    command,
    in_session,
    send,
    send_picture,
    tr,
)

PICKER_PAGE = 8


@command
async def compare(update: Update, context: Context) -> None:
    _ = tr(update)
    text = args_text(context)
    if not text:
        page = await in_session(context, catalog.list_proposals, 1, PICKER_PAGE)
        await send(update, context, compare_view.picker(_, page, None))
        return
    pair = await in_session(context, resolve_pair, text)
    if pair is None:
        raise UsageError(
            _(
                "Name two proposals, e.g. /compare 1 2 or /compare art5 air support. "
                "Send /compare alone to pick them with buttons."
            )
        )
    both = pair.both
    if both is None:
        missing = pair.left_text if pair.left.match is None else pair.right_text
        raise UsageError(
            _(
                "I could not tell which proposal “{name}” is. See /proposals, or send /compare alone to pick with buttons.",
                name=esc(shorten(missing, 80)),
            )
        )
    left, right = both
    if left.id == right.id:
        raise UsageError(_("That is the same proposal twice; pick two different ones."))
    result = await in_session(context, compare_proposals, left.id, right.id)
    await send_comparison(update, context, result)


async def send_comparison(update: Update, context: Context, result: Comparison | None) -> None:
    """The comparison as text (for screen readers and search), then as a picture."""
    if result is None:  # a proposal vanished between the lookup and now
        raise UsageError(tr(update)("That proposal no longer exists. See /proposals for the list."))
    _ = tr(update)
    await send(update, context, compare_view.comparison_replies(_, result))
    await send_picture(
        update,
        context,
        lambda: comparison_picture(_, result),
        comparison_caption(_, result),
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("compare", compare))
