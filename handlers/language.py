"""/language: the chat's language for replies and dossier texts; and deciding it per update.

Before any other handler runs (group -1), `decide_language` settles the update's language,
the chat's /language choice or else the user's Telegram language, and holds it for the rest
of the update (bot/services/localize.py), so `tr(update)` and every view follow it."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application, CommandHandler, TypeHandler

from bot.render import callbacks
from bot.render.language import chosen_reply, language_menu, language_usage
from bot.services import chat_language as service
from bot.services.localize import set_content_language
from handlers.common.actions import register_action
from handlers.common.chat_rights import may_manage
from handlers.common.context import Context, args_text, deps, in_session, tr
from handlers.common.guards import UsageError, command
from handlers.common.replies import edit, send

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
    if not await may_manage(update, context, cached=False):
        raise UsageError(_("In a group only its admins can change the language."))
    await _store(update, context, chosen)
    await send(update, context, chosen_reply(tr(update), chosen))


async def _language_button(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    chosen = service.parse_language(cb.args[0]) if cb.args else None
    if chosen is None or update.effective_chat is None:
        return False
    if not await may_manage(update, context, button=True, cached=False):
        return tr(update)("In a group only its admins can change the language.")
    await _store(update, context, chosen)
    await edit(update, chosen_reply(tr(update), chosen))
    return True


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, decide_language), group=PRE_HANDLER_GROUP)
    app.add_handler(CommandHandler("language", language))
    register_action(app, callbacks.LANGUAGE, _language_button)
