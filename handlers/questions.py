"""Plain-language questions: any text in a private chat; in groups, text that mentions the bot
or replies to one of its messages. Not understood → a search; nothing found → examples."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, MessageHandler, filters

from bot.render.answers import answer_replies, example_questions, questions_help
from bot.render.html import MAX_MESSAGE, esc, visible_len
from bot.render.search import search_reply
from bot.services import search
from bot.services.questions import answer_question
from handlers.common import Context, command, deps, in_session, send, tr

MAX_QUESTION_CHARS = 1000


def addressed_text(message: Message, bot_id: int, username: str, private: bool) -> str | None:
    """The question in a message, or None when it is not for this bot.

    In groups the bot answers only when it is mentioned (the mention is taken out of the
    question) or when the message replies to one of its own."""
    text = (message.text or "")[:MAX_QUESTION_CHARS]
    if private:
        return text
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
    if mention is not None and mention.search(text):
        return mention.sub(" ", text)
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


@command
async def ask(update: Update, context: Context) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    private = chat.type == ChatType.PRIVATE
    text = addressed_text(message, context.bot.id, context.bot.username or "", private)
    if text is None or not text.strip():
        if text is not None:  # a bare mention: say what it can do
            await send(update, context, questions_help(tr(update)))
        return
    _ = tr(update)
    answer = await in_session(context, answer_question, text, _.language)
    if answer.understood:
        await send(update, context, answer_replies(_, answer))
        return
    if search.search_words(text):
        results = await in_session(context, search.search, text, 1)
        if not results.empty:
            token = deps(context).queries.put(text) if results.has_more else None
            reply = search_reply(_, text, results, token)
            note = "\n\n" + _(
                "(I did not take that for a question, so I searched for it. "
                "Ask e.g. “{example}”; /help lists the commands.)",
                example=esc(example_questions(_)[0]),
            )
            if visible_len(reply.text + note) <= MAX_MESSAGE:
                reply.text += note
            await send(update, context, reply)
            return
    await send(update, context, questions_help(_))


def register(app: Application) -> None:
    # before the fallbacks: this takes the plain text they would otherwise answer
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, ask))
