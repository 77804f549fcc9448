"""/language: the chat's language for replies and dossier texts; and deciding it per update.

Before any other handler runs (group -1), `decide_language` settles the update's language,
the chat's /language choice or else the user's Telegram language, and holds it for the rest
of the update (bot/services/localize.py), so `tr(update)` and every view follow it."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, TypeHandler

from bot.render import callbacks
from bot.render.language import chosen_reply, language_menu, language_usage
from bot.services import chat_language as service
from bot.services.localize import set_content_language
from handlers.common import (
    Context,
    UsageError,
    args_text,
    command,
    deps,
    edit,
    in_session,
    register_action,
    send,
    tr,
)

PRE_HANDLER_GROUP = -1
log = logging.getLogger(__name__)


async def chat_choice(context: Context, chat_id: int) -> str | None:
    """The chat's stored choice, read from the database once and then from memory."""
    cache = deps(context).languages
    known, language = cache.known(chat_id)
    if not known:
        language = await in_session(context, service.stored_language, chat_id)
        cache.remember(chat_id, language)
    return language


async def decide_language(update: Update, context: Context) -> None:
    chat, user = update.effective_chat, update.effective_user
    try:
        choice = await chat_choice(context, chat.id) if chat is not None else None
    except SQLAlchemyError as exc:  # the command itself will meet the problem and say so
        log.warning("could not read the chat's language: %s", exc)
        choice = None
    set_content_language(service.reply_language(choice, user.language_code if user else None))


async def may_change(update: Update, context: Context, *, button: bool = False) -> bool:
    """Private chats and channels: yes. Groups: their admins (an anonymous admin posts as the
    group itself), asked with getChatMember: /language is rare, so nothing is cached."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE or update.channel_post is not None:
        return True
    if not button and message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("getChatMember(%s, %s) failed: %s", chat.id, user.id, exc)
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def _store(update: Update, context: Context, language: str) -> None:
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    await in_session(context, service.store_language, chat.id, language, user.id if user else None)
    deps(context).languages.remember(chat.id, language)
    set_content_language(language)  # this very reply is already in the new language


@command
async def language(update: Update, context: Context) -> None:
    _ = tr(update)
    text = args_text(context)
    if not text:
        await send(update, context, language_menu(_, service.offered_languages()))
        return
    chosen = service.parse_language(text)
    if chosen is None:
        raise UsageError(language_usage(_, service.offered_languages()))
    if not await may_change(update, context):
        raise UsageError(_("In a group only its admins can change the language."))
    await _store(update, context, chosen)
    await send(update, context, chosen_reply(tr(update), chosen))


async def _language_button(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    chosen = service.parse_language(cb.args[0]) if cb.args else None
    if chosen is None or update.effective_chat is None:
        return False
    if not await may_change(update, context, button=True):
        return tr(update)("In a group only its admins can change the language.")
    await _store(update, context, chosen)
    await edit(update, chosen_reply(tr(update), chosen))
    return True


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, decide_language), group=PRE_HANDLER_GROUP)
    app.add_handler(CommandHandler("language", language))
    register_action(app, callbacks.LANGUAGE, _language_button)
