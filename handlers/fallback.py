"""Unknown commands and messages that are not text: a short answer instead of silence.

(Plain text is a question: handlers/questions.py.)"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, MessageHandler, filters

from bot.render.html import Reply, esc, shorten
from handlers.common.context import Context, tr
from handlers.common.guards import command
from handlers.common.replies import send


@command
async def unknown_command(update: Update, context: Context) -> None:
    """Private chats always get an answer; in groups, only commands addressed to this bot do
    (other bots' commands and bare unknown ones there are none of our business)."""
    _ = tr(update)
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    name = (message.text or "/").split()[0]
    command_name, _at, addressee = name.partition("@")
    ours = context.bot.username or ""
    for_other_bot = bool(addressee) and addressee.casefold() != ours.casefold()
    if chat.type != ChatType.PRIVATE and (for_other_bot or not addressee):
        return
    if for_other_bot:
        text = _(
            "That command is addressed to @{bot}, not to me. /help lists what I can do.",
            bot=esc(shorten(addressee, 40)),
        )
    else:
        text = _(
            "I don't know the command {name}. /help lists what I can do.",
            name=esc(shorten(command_name, 40)),
        )
    await send(update, context, Reply(text))


async def non_text(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    _ = tr(update)
    await send(update, context, Reply(_("I only understand text commands. /help lists them.")))


def register(app: Application) -> None:
    # registered after every command family: in a group the first matching handler wins
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(
            ~filters.TEXT & ~filters.Document.FileExtension("opml") & ~filters.StatusUpdate.ALL,
            non_text,
        )
    )
