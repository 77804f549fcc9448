"""Replying: send to the chat (and forum topic) an update came from, a picture with a caption,
or edit the message a button was pressed on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode

from bot.render.html import Button, Reply, cut_block, visible_len, visible_text
from handlers.common.context import Context

log = logging.getLogger(__name__)
MAX_CAPTION = 1024  # Telegram's limit for a photo caption


def _button(b: Button) -> InlineKeyboardButton:
    if b.url:
        return InlineKeyboardButton(b.text, url=b.url)
    if b.share is not None:
        return InlineKeyboardButton(b.text, switch_inline_query=b.share)
    return InlineKeyboardButton(b.text, callback_data=b.data)


def markup(keyboard: list[list[Button]]) -> InlineKeyboardMarkup | None:
    rows = [[_button(b) for b in row] for row in keyboard if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def send(update: Update, context: Context, replies: Reply | Sequence[Reply]) -> None:
    """Send replies to the chat (and forum topic) the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    thread_id = message.message_thread_id if message and message.is_topic_message else None
    for reply in [replies] if isinstance(replies, Reply) else replies:
        await context.bot.send_message(
            chat_id=chat.id,
            text=reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply.keyboard),
            link_preview_options=LinkPreviewOptions(is_disabled=not reply.preview),
            message_thread_id=thread_id,
        )


async def send_picture(
    update: Update, context: Context, render: Callable[[], bytes], caption: str
) -> None:
    """Send a PNG made by `render` (run off the event loop) with an HTML caption (≤ 1024).

    The chat sees "sending a photo…" while it is drawn. A picture repeats a text reply that
    was already sent, so when drawing fails the user still has the answer: the failure is
    logged, not shown."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    thread_id = message.message_thread_id if message and message.is_topic_message else None
    await context.bot.send_chat_action(
        chat.id, ChatAction.UPLOAD_PHOTO, message_thread_id=thread_id
    )
    try:
        png = await asyncio.to_thread(render)
    except Exception:
        log.exception("could not draw a picture")
        return
    await context.bot.send_photo(
        chat_id=chat.id,
        photo=png,
        caption=caption if visible_len(caption) <= MAX_CAPTION else cut_block(caption, MAX_CAPTION),
        parse_mode=ParseMode.HTML,
        message_thread_id=thread_id,
    )


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message a button was pressed on (paging), or send anew if it is gone."""
    query = update.callback_query
    if query is None:
        return
    if _already_shows(query.message, reply):
        return  # the same page pressed again: Telegram answers an identical edit with a 400
    try:
        await query.edit_message_text(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply.keyboard),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    except Exception as exc:  # "message is not modified", or too old to edit
        if "not modified" in str(exc).lower():
            return
        log.info("edit failed (%s); sending a new message", exc)
        if query.message is not None:
            await query.get_bot().send_message(
                chat_id=query.message.chat.id,
                text=reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply.keyboard),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )


def _already_shows(message: Any, reply: Reply) -> bool:
    """True when `message` has the text and buttons `reply` would give it."""
    if message is None or getattr(message, "text", None) is None:
        return False
    current = message.reply_markup or InlineKeyboardMarkup([])
    wanted = markup(reply.keyboard) or InlineKeyboardMarkup([])
    return message.text.strip() == visible_text(reply.text).strip() and current == wanted
