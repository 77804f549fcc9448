"""Sharing: inline mode ("@bot <query>" in any chat offers cards to send) and deep links
(/start p-<slug> or a-<slug>, what t.me/<bot>?start=… sends) that open a card."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, InlineQueryHandler, filters

from bot.i18n import get_translator
from bot.render import actors as actors_view
from bot.render import proposals as proposals_view
from bot.render import sharing
from bot.render.html import Reply, shorten
from bot.services.sharing import card_for, inline_cards
from bot.services.views import ProposalView
from handlers.common.context import Context, in_session, tr
from handlers.common.guards import command
from handlers.common.replies import send

INLINE_CACHE_SECONDS = 60


# what t.me/<bot>?start=p-<slug> sends; a plain /start goes on to handlers/public.py
DEEP_LINK = filters.Regex(r"^/start(?:@\w+)?\s+[pa]-[A-Za-z0-9_-]+\s*$")


@command
async def open_deep_link(update: Update, context: Context) -> None:
    """/start p-<slug> or a-<slug>: the card the link names."""
    _ = tr(update)
    parsed = sharing.parse_payload(context.args[0] if context.args else None)
    card = await in_session(context, card_for, *parsed) if parsed else None
    if card is None:
        await send(update, context, Reply(_("That card no longer exists. See /proposals.")))
        return
    bot = context.bot.username
    if isinstance(card, ProposalView):
        await send(update, context, proposals_view.proposal_replies(_, card, bot_username=bot))
    else:
        await send(update, context, actors_view.actor_replies(_, card, bot_username=bot))


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    _ = get_translator(query.from_user.language_code if query.from_user else None)
    bot = context.bot.username or ""
    cards = await in_session(context, inline_cards, query.query or "")
    results = []
    for card in cards:
        if isinstance(card, ProposalView):
            title, description, text = sharing.proposal_share(_, card, bot)
            payload, result_id = sharing.proposal_payload(card), f"p{card.ref.id}"
        else:
            title, description, text = sharing.actor_share(_, card, bot)
            payload, result_id = sharing.actor_payload(card), f"a{card.ref.id}"
        button = sharing.open_button(_, bot, payload)
        results.append(
            InlineQueryResultArticle(
                id=result_id,
                title=shorten(title, 100),
                description=shorten(description, 100) or None,
                input_message_content=InputTextMessageContent(
                    text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(button.text, url=button.url)]]
                ),
            )
        )
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", open_deep_link, filters=DEEP_LINK))
    app.add_handler(InlineQueryHandler(inline_query))
