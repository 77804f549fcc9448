"""Inline buttons of the read views: paging, opening items, the compare picker.

Every callback query is answered, including data this bot never issued."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import Translator
from bot.render import actors as actors_view
from bot.render import callbacks
from bot.render import compare as compare_view
from bot.render import proposals as proposals_view
from bot.render.html import Reply
from bot.render.timeline import latest_reply, timeline_reply
from bot.services import catalog, timeline
from bot.services.compare import compare_proposals
from handlers.common import Context, deps, edit, in_session, send, tr
from handlers.compare import PICKER_PAGE
from handlers.public import run_search

# an action returns True when handled, False for stale or foreign data, or a short text that
# is shown to the user as the answer (a refusal, "already reviewed", …)
Action = Callable[[Update, Context, callbacks.Callback], Awaitable[bool | str]]
_ACTIONS: dict[str, Action] = {}
Render = Callable[[Translator, Any], Reply | list[Reply]]
# a card renderer: translator, view, and the bot's username for the card's deep link
Opener = Callable[[Translator, Any, str | None], list[Reply]]


def action(prefix: str) -> Callable[[Action], Action]:
    def decorate(fn: Action) -> Action:
        _ACTIONS[prefix] = fn
        return fn

    return decorate


def register_action(prefix: str, fn: Action) -> None:
    """Other handler modules (admin review, subscriptions) add their buttons here."""
    _ACTIONS[prefix] = fn


def _paging(prefix: str, fetch: Callable[..., Any], render: Render, *fetch_args: Any) -> None:
    """‹ › of a list view: fetch page N (`fetch(session, n, *fetch_args)`) into the message."""

    async def turn_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
        page = await in_session(context, fetch, cb.int_arg(0) or 1, *fetch_args)
        await edit(update, render(tr(update), page))
        return True

    register_action(prefix, turn_page)


def _opening(prefix: str, detail: Callable[..., Any], render: Opener) -> None:
    """A button that opens one item by id as new messages; stale ids are reported."""

    async def open_item(update: Update, context: Context, cb: callbacks.Callback) -> bool:
        item_id = cb.int_arg(0)
        view = await in_session(context, detail, item_id) if item_id else None
        if view is None:
            return False
        await send(update, context, render(tr(update), view, context.bot.username))
        return True

    register_action(prefix, open_item)


_paging(callbacks.PROPOSALS, catalog.list_proposals, proposals_view.proposal_list)
_paging(callbacks.ACTORS, catalog.list_actors, actors_view.actor_list)
_paging(callbacks.TIMELINE, timeline.timeline, timeline_reply)
_paging(callbacks.LATEST, timeline.latest_documents, latest_reply)
_paging(
    callbacks.COMPARE_LEFT_PAGE,
    catalog.list_proposals,
    lambda _, page: compare_view.picker(_, page, None),
    PICKER_PAGE,
)
_opening(callbacks.PROPOSAL, catalog.proposal_detail, proposals_view.proposal_replies)
_opening(callbacks.ACTOR, catalog.actor_detail, actors_view.actor_replies)


@action(callbacks.TIMELINE_PROPOSAL)
async def _proposal_timeline_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    proposal_id = cb.int_arg(0)
    found = (
        await in_session(context, catalog.proposal_facts, proposal_id, 1) if proposal_id else None
    )
    if found is None:
        return False
    page = await in_session(context, timeline.timeline, cb.int_arg(1) or 1, proposal_id)
    await edit(update, timeline_reply(tr(update), page, found[0]))
    return True


@action(callbacks.PROPOSAL_FACTS)
async def _proposal_facts_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    proposal_id = cb.int_arg(0)
    found = (
        await in_session(context, catalog.proposal_facts, proposal_id, cb.int_arg(1) or 1)
        if proposal_id
        else None
    )
    if found is None:
        return False
    await edit(update, proposals_view.facts_page(tr(update), *found))
    return True


@action(callbacks.SEARCH)
async def _search_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    token = cb.args[0] if cb.args else ""
    query = deps(context).queries.get(token)
    if query is None:  # the bot restarted or the query fell out of the cache
        return False
    await edit(update, await run_search(update, context, query, cb.int_arg(1) or 1, token))
    return True


async def _right_picker(update: Update, context: Context, left_id: int, page_no: int) -> bool:
    left = await in_session(context, catalog.proposal_detail, left_id)
    if left is None:
        return False
    page = await in_session(context, catalog.list_proposals, page_no, PICKER_PAGE)
    await edit(update, compare_view.picker(tr(update), page, left.ref))
    return True


@action(callbacks.COMPARE_RIGHT_PAGE)
async def _compare_right_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    left_id, page_no = cb.int_arg(0), cb.int_arg(1)
    if not left_id:
        return False
    return await _right_picker(update, context, left_id, page_no or 1)


@action(callbacks.COMPARE)
async def _compare(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    left_id = cb.int_arg(0)
    if not left_id:
        return False
    if len(cb.args) == 1:
        return await _right_picker(update, context, left_id, 1)
    right_id = cb.int_arg(1)
    if not right_id or right_id == left_id:
        return False
    result = await in_session(context, compare_proposals, left_id, right_id)
    if result is None:
        return False
    await send(update, context, compare_view.comparison_replies(tr(update), result))
    return True


async def on_callback(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    _ = tr(update)
    cb = callbacks.parse(query.data)
    if cb is None or cb.prefix == callbacks.NOOP:
        await query.answer()
        return
    handler = _ACTIONS.get(cb.prefix)
    try:
        ok = await handler(update, context, cb) if handler else False
    except Exception:
        await query.answer(_("Something went wrong; please try again."))
        raise
    if isinstance(ok, str):  # handled, with a notice (a refusal, "already reviewed") shown
        await query.answer(ok, show_alert=True)
    elif ok:
        await query.answer()
    else:
        await query.answer(
            _("This button is out of date. Send the command again."), show_alert=False
        )


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_callback))
