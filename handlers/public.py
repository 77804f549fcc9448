"""Read commands everyone can use: /start /help /proposals /proposal /actors /actor /search
/latest /timeline."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render import actors as actors_view
from bot.render import callbacks
from bot.render import proposals as proposals_view
from bot.render.help import help_text, start_text
from bot.render.html import Reply
from bot.render.timeline import latest_reply, timeline_reply
from bot.services import catalog, search, timeline
from handlers.common.actions import register_action
from handlers.common.context import Context, args_text, deps, in_session, is_admin, tr
from handlers.common.guards import UsageError, command
from handlers.common.lookup import find_or_answer, run_search
from handlers.common.replies import edit, send


@command
async def start(update: Update, context: Context) -> None:
    user = update.effective_user
    await send(update, context, Reply(start_text(tr(update), user.first_name if user else None)))


@command
async def help_(update: Update, context: Context) -> None:
    await send(update, context, Reply(help_text(tr(update), is_admin(update, context))))


@command
async def proposals(update: Update, context: Context) -> None:
    page = await in_session(context, catalog.list_proposals, 1)
    await send(update, context, proposals_view.proposal_list(tr(update), page))


@command
async def actors(update: Update, context: Context) -> None:
    page = await in_session(context, catalog.list_actors, 1)
    await send(update, context, actors_view.actor_list(tr(update), page))


@command
async def proposal(update: Update, context: Context) -> None:
    _ = tr(update)
    query = args_text(context)
    if not query:
        raise UsageError(
            _(
                "Which one? Send /proposal followed by a number or a name, e.g. /proposal 1 or /proposal art5."
            )
        )
    match = await find_or_answer(update, context, "proposal", query)
    if match is not None:
        view = await in_session(context, catalog.proposal_detail, match.id)
        if view is None:  # removed between the lookup and now
            raise UsageError(_("That proposal no longer exists. See /proposals for the list."))
        numbered = is_admin(update, context)
        replies = proposals_view.proposal_replies(
            _, view, numbered, bot_username=context.bot.username
        )
        await send(update, context, replies)


@command
async def actor(update: Update, context: Context) -> None:
    _ = tr(update)
    query = args_text(context)
    if not query:
        raise UsageError(_("Who? Send /actor followed by a name, e.g. /actor meloni."))
    match = await find_or_answer(update, context, "actor", query)
    if match is not None:
        view = await in_session(context, catalog.actor_detail, match.id)
        if view is None:  # removed between the lookup and now
            raise UsageError(_("That actor no longer exists. See /actors for the list."))
        replies = actors_view.actor_replies(_, view, bot_username=context.bot.username)
        await send(update, context, replies)


EVERY_WORDS = frozenset({"all", "усі", "все"})  # /latest all: off-topic articles too


@command
async def search_(update: Update, context: Context) -> None:
    _ = tr(update)
    query = args_text(context)
    if not search.search_words(query):
        raise UsageError(
            _("What should I look for? Send /search followed by words, e.g. /search air support.")
        )
    await send(update, context, await run_search(update, context, query))


@command
async def latest(update: Update, context: Context) -> None:
    """/latest: the newest on-topic articles; /latest all: every stored one; /latest
    <proposal>: one proposal's. Admins get 🏷 buttons that open an article's link editor."""
    query = args_text(context)
    curate = is_admin(update, context)
    every = query.casefold() in EVERY_WORDS
    if not query or every:
        page = await in_session(context, timeline.latest_documents, 1, timeline.PER_PAGE, every)
        await send(update, context, latest_reply(tr(update), page, every=every, curate=curate))
        return
    match = await find_or_answer(update, context, "proposal", query)
    if match is not None:
        page = await in_session(context, timeline.latest_for_proposal, 1, match.id)
        await send(update, context, latest_reply(tr(update), page, match))


@command
async def timeline_(update: Update, context: Context) -> None:
    """/timeline, or /timeline <proposal> for the dated facts of one proposal."""
    _ = tr(update)
    query = args_text(context)
    numbered = is_admin(update, context)
    if not query:
        page = await in_session(context, timeline.timeline, 1)
        await send(update, context, timeline_reply(_, page, numbered=numbered))
        return
    match = await find_or_answer(update, context, "proposal", query)
    if match is not None:
        page = await in_session(context, timeline.timeline, 1, match.id)
        await send(update, context, timeline_reply(_, page, match, numbered))


async def _search_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    token = cb.args[0] if cb.args else ""
    query = deps(context).queries.get(token)
    if query is None:  # the bot restarted or the query fell out of the cache
        return False
    await edit(update, await run_search(update, context, query, cb.int_arg(1) or 1, token))
    return True


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_))
    app.add_handler(CommandHandler("proposals", proposals))
    app.add_handler(CommandHandler("proposal", proposal))
    app.add_handler(CommandHandler("actors", actors))
    app.add_handler(CommandHandler("actor", actor))
    app.add_handler(CommandHandler("search", search_))
    app.add_handler(CommandHandler("latest", latest))
    app.add_handler(CommandHandler("timeline", timeline_))
    register_action(app, callbacks.SEARCH, _search_page)
