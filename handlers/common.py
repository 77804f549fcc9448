"""What every handler needs: dependencies, the user's translator, replying, usage errors,
and the registry of button actions (each handler module adds its own in `register(app)`).

This is the handlers' shared toolkit; handler modules import it and never one another."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode

from bot.deps import BotApplication, BotContext, Deps
from bot.i18n import Translator, get_translator
from bot.render import callbacks
from bot.render import proposals as proposals_view
from bot.render.html import Button, Reply, cut_block, esc, shorten, visible_len, visible_text
from bot.render.search import search_reply
from bot.services import resolve, search
from bot.services.localize import chosen_language
from bot.services.views import Ref, Resolution

log = logging.getLogger(__name__)
Context = BotContext
Handler = Callable[[Update, Context], Awaitable[None]]
# a button action returns True when handled, False for stale or foreign data, or a short text
# that is shown to the user as the answer (a refusal, "already reviewed", …)
Action = Callable[[Update, Context, callbacks.Callback], Awaitable[bool | str]]
MAX_ARGS_CHARS = 1000  # longer arguments are cut: nothing we look up is that long
MAX_CAPTION = 1024  # Telegram's limit for a photo caption


class UsageError(Exception):
    """Bad input from the user; the message (already HTML-safe) is shown to them."""


def deps(context: Context) -> Deps:
    return context.deps


def register_action(app: BotApplication, prefix: str, fn: Action) -> None:
    """The button action for callback_data starting with `prefix` (handlers.callbacks
    dispatches every callback query to these)."""
    app.bot_data.actions[prefix] = fn


def tr(update: Update) -> Translator:
    """The reply language: the chat's choice (/language) or the user's Telegram language, as
    decided for this update by handlers/language.py before any other handler ran."""
    chosen = chosen_language()
    if chosen is not None:
        return get_translator(chosen)
    user = update.effective_user
    return get_translator(user.language_code if user else None)


def args_text(context: Context) -> str:
    return " ".join(context.args or [])[:MAX_ARGS_CHARS].strip()


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
    import asyncio

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


def command(func: Handler) -> Handler:
    """Turn UsageError into a short answer; everything else goes to the error handler."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> None:
        try:
            await func(update, context)
        except UsageError as exc:
            await send(update, context, Reply(str(exc)))

    return wrapper


def is_admin(update: Update, context: Context) -> bool:
    """Whether the user behind the update is one of the bot's admins."""
    user = update.effective_user
    return deps(context).settings.is_admin(user.id if user else None)


def admin_only(func: Handler) -> Handler:
    """Politely refuse non-admins; nothing runs for them."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            _ = tr(update)
            await send(update, context, Reply(_("Sorry, only the bot's admins can do that.")))
            return
        await func(update, context)

    return wrapper


def page_arg(value: Any, default: int = 1) -> int:
    try:
        return max(1, min(int(value), 10**6))
    except (TypeError, ValueError):
        return default


async def in_session(context: Context, fn: Callable[..., Any], *args: Any) -> Any:
    """Run `fn(session, *args)` in one unit of work, off the event loop."""
    db = deps(context).db

    def work() -> Any:
        with db.session() as session:
            return fn(session, *args)

    return await asyncio.to_thread(work)


async def run_search(
    update: Update, context: Context, query: str, page: int = 1, token: str | None = None
) -> Reply:
    """One page of search results; a query with more pages is kept under a short token."""
    results = await in_session(context, search.search, query, page)
    if token is None and results.has_more:
        token = deps(context).queries.put(query)
    return search_reply(tr(update), query, results, token)


def not_found(update: Update, kind: str, query: str, found: Resolution) -> UsageError | Reply:
    """A 'did you mean' reply with buttons, or a usage error when nothing is close."""
    _ = tr(update)
    shown = esc(shorten(query, 80))
    if found.suggestions:
        prefix = callbacks.PROPOSAL if kind == "proposal" else callbacks.ACTOR
        text = _("No exact match for “{query}”. Did you mean:", query=shown)
        return Reply(text, proposals_view.suggestions_keyboard(prefix, found.suggestions))
    if kind == "proposal":
        return UsageError(
            _("No proposal matches “{query}”. See /proposals for the list.", query=shown)
        )
    return UsageError(_("No actor matches “{query}”. See /actors for the list.", query=shown))


async def find_or_answer(
    update: Update, context: Context, kind: Literal["proposal", "actor"], query: str
) -> Ref | None:
    """The proposal or actor `query` names; otherwise the user has been answered (suggestion
    buttons, or a UsageError raised) and None is returned."""
    lookup = resolve.resolve_proposal if kind == "proposal" else resolve.resolve_actor
    found = await in_session(context, lookup, query)
    if found.match is not None:
        return found.match
    answer = not_found(update, kind, query, found)
    if isinstance(answer, UsageError):
        raise answer
    await send(update, context, answer)
    return None
