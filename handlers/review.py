"""/review: pending facts and candidate actors one at a time, with ✅ approve, ❌ reject, ✏️ edit.

✏️ asks for the corrected text; the admin's next message in that chat (or a reply to the
prompt) is taken as the new text, and the item is approved with it. /cancel, or ten minutes
of silence, leaves the item pending.
"""

from __future__ import annotations

from telegram import ForceReply, Message, Update, User
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.deps import EDIT_MINUTES, PendingEdits
from bot.render import callbacks
from bot.render import review as view
from bot.render.html import esc
from bot.services import review
from bot.services.review import Kind
from handlers.common.actions import register_action
from handlers.common.context import Context, in_session, is_admin, tr
from handlers.common.guards import admin_only, command
from handlers.common.replies import edit, send


class AwaitingEdit(filters.MessageFilter):
    """Matches messages from a user we are waiting on for corrected text in that chat."""

    def __init__(self, edits: PendingEdits) -> None:
        super().__init__(name="AwaitingEdit")
        self.edits = edits

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and self.edits.get((message.chat_id, user.id)) is not None


def _edits(context: Context) -> PendingEdits:
    return context.bot_data.review_edits


def _ids(update: Update) -> tuple[int, int]:
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    return chat.id, user.id


async def _send_next(update: Update, context: Context) -> None:
    item = await in_session(context, review.next_item)
    _ = tr(update)
    await send(update, context, view.review_card(_, item) if item else view.nothing_left(_))


@command
@admin_only
async def review_cmd(update: Update, context: Context) -> None:
    await _send_next(update, context)


async def on_review_button(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    _ = tr(update)
    if not is_admin(update, context):
        return _("Sorry, only the bot's admins can do that.")
    user = update.effective_user
    parsed = view.parse_review_data(cb)
    if parsed is None or user is None:
        return False
    verb, kind, item_id = parsed
    if verb == view.EDIT:
        return await _start_edit(update, context, kind, item_id)
    decide = review.approve if verb == view.APPROVE else review.reject
    outcome = await in_session(context, decide, kind, item_id, user.id)
    if outcome.status in ("approved", "rejected"):
        chat_id, user_id = _ids(update)
        pending = _edits(context).get((chat_id, user_id))
        if pending is not None and (pending.kind, pending.item_id) == (kind, item_id):
            _edits(context).pop((chat_id, user_id))
        await edit(update, view.decided_card(_, outcome))
        await _send_next(update, context)
    return view.decision_notice(_, outcome)


async def _start_edit(update: Update, context: Context, kind: Kind, item_id: int) -> str:
    _ = tr(update)
    item = await in_session(context, review.get_item, kind, item_id)
    if item is None:
        return _("Already reviewed — nothing changed.")
    chat_id, user_id = _ids(update)
    _edits(context).start(chat_id, user_id, kind, item_id)
    message = update.effective_message
    mention = (
        _mention(update.effective_user) if update.effective_chat.type != ChatType.PRIVATE else ""
    )
    await context.bot.send_message(
        chat_id=chat_id,
        text=view.edit_prompt(_, item, EDIT_MINUTES, mention),
        parse_mode=ParseMode.HTML,
        # in groups, privacy mode only lets the bot see replies: ForceReply makes one
        reply_markup=ForceReply(selective=True),
        message_thread_id=message.message_thread_id
        if message and message.is_topic_message
        else None,
    )
    return _("Send the corrected text.")


def _mention(user: User | None) -> str:
    if user is None:
        return ""
    return f'<a href="tg://user?id={user.id}">{esc(user.first_name)}</a>'


@command
@admin_only
async def on_edit_text(update: Update, context: Context) -> None:
    _ = tr(update)
    chat_id, user_id = _ids(update)
    pending = _edits(context).get((chat_id, user_id))
    message = update.effective_message
    if pending is None or message is None:
        return
    outcome = await in_session(
        context, review.edit, pending.kind, pending.item_id, message.text or "", user_id
    )
    if outcome.status == "invalid":
        low, high = review.text_limits(pending.kind)
        await send(update, context, view.edit_rejected(_, pending.kind, low, high))
        return
    await send(update, context, view.edit_result(_, outcome))
    if outcome.status != "duplicate":  # a duplicate keeps waiting for another text
        _edits(context).pop((chat_id, user_id))
        await _send_next(update, context)


@command
async def cancel(update: Update, context: Context) -> None:
    _ = tr(update)
    chat_id, user_id = _ids(update)
    if _edits(context).pop((chat_id, user_id)) is None:
        await send(update, context, view.nothing_to_cancel(_))
        return
    await send(update, context, view.edit_cancelled(_))


def register(app: Application) -> None:
    edits = app.bot_data.review_edits
    app.add_handler(CommandHandler("review", review_cmd))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(
        MessageHandler(AwaitingEdit(edits) & filters.TEXT & ~filters.COMMAND, on_edit_text)
    )
    register_action(app, callbacks.REVIEW, on_review_button)
