"""/compare: two proposals side by side, from arguments or an inline picker."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render import callbacks
from bot.render import compare as compare_view
from bot.render.compare_image import comparison_caption, comparison_picture
from bot.render.html import esc, shorten
from bot.services import catalog
from bot.services.compare import Comparison, compare_proposals
from bot.services.pairs import resolve_pair
from handlers.common.actions import register_action
from handlers.common.context import Context, args_text, in_session, tr
from handlers.common.guards import UsageError, command
from handlers.common.replies import edit, send, send_picture

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


async def _left_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    page = await in_session(context, catalog.list_proposals, cb.int_arg(0) or 1, PICKER_PAGE)
    await edit(update, compare_view.picker(tr(update), page, None))
    return True


async def _right_picker(update: Update, context: Context, left_id: int, page_no: int) -> bool:
    left = await in_session(context, catalog.proposal_detail, left_id)
    if left is None:
        return False
    page = await in_session(context, catalog.list_proposals, page_no, PICKER_PAGE)
    await edit(update, compare_view.picker(tr(update), page, left.ref))
    return True


async def _right_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    left_id, page_no = cb.int_arg(0), cb.int_arg(1)
    if not left_id:
        return False
    return await _right_picker(update, context, left_id, page_no or 1)


async def _compare_button(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    left_id = cb.int_arg(0)
    if not left_id:
        return False
    if len(cb.args) == 1:
        return await _right_picker(update, context, left_id, 1)
    right_id = cb.int_arg(1)
    if not right_id or right_id == left_id:
        return False
    result = await in_session(context, compare_proposals, left_id, right_id)
    if result is None:
        return False
    await send_comparison(update, context, result)
    return True


def register(app: Application) -> None:
    app.add_handler(CommandHandler("compare", compare))
    register_action(app, callbacks.COMPARE_LEFT_PAGE, _left_page)
    register_action(app, callbacks.COMPARE_RIGHT_PAGE, _right_page)
    register_action(app, callbacks.COMPARE, _compare_button)
