"""Unknown commands and plain text: a short, helpful answer instead of silence."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, MessageHandler, filters

from bot.render.html import MAX_MESSAGE, Reply, esc, shorten, visible_len
from bot.services import search
from handlers.common import Context, command, run_search, send, tr


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


@command
async def plain_text(update: Update, context: Context) -> None:
    """In a private chat, plain text is taken as a search; elsewhere it is left alone."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or chat.type != ChatType.PRIVATE or message is None:
        return
    _ = tr(update)
    text = (message.text or "")[:1000]
    if not search.search_words(text):
        await send(
            update,
            context,
            Reply(
                _(
                    "Send a command such as /proposals, or some words to search for. /help lists everything."
                )
            ),
        )
        return
    reply = await run_search(update, context, text)
    note = "\n\n" + _("(Plain text is searched. /help lists the commands.)")
    if visible_len(reply.text + note) <= MAX_MESSAGE:
        reply.text += note
    await send(update, context, reply)


async def non_text(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    _ = tr(update)
    await send(update, context, Reply(_("I only understand text commands. /help lists them.")))


def register(app: Application) -> None:
    # registered after every command family: in a group the first matching handler wins
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, plain_text))
    app.add_handler(
        MessageHandler(
            ~filters.TEXT & ~filters.Document.FileExtension("opml") & ~filters.StatusUpdate.ALL,
            non_text,
        )
    )
