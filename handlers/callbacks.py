"""Inline buttons: the one CallbackQueryHandler, and the paging and opening buttons of the read
views (other handler modules register their own actions in their `register(app)`).

Every callback query is answered, including data this bot never issued."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.render import actors as actors_view
from bot.render import callbacks
from bot.render import proposals as proposals_view
from bot.render.html import Reply
from bot.render.timeline import latest_reply, timeline_reply
from bot.services import catalog, timeline
from handlers.common.actions import Action, register_action
from handlers.common.context import Context, in_session, is_admin, tr
from handlers.common.replies import edit, send

Render = Callable[..., Reply | list[Reply]]  # (translator, view, **options)


def _numbered(update: Update, context: Context) -> dict[str, bool]:
    """Admins see fact numbers (#12): the keyword for renderers that show facts."""
    return {"numbered": is_admin(update, context)}


def _paging(
    fetch: Callable[..., Any], render: Render, *fetch_args: Any, facts: bool = False
) -> Action:
    """‹ › of a list view: fetch page N (`fetch(session, n, *fetch_args)`) into the message;
    `facts`: the view shows facts (numbered for admins)."""

    async def turn_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
        page = await in_session(context, fetch, cb.int_arg(0) or 1, *fetch_args)
        extra = _numbered(update, context) if facts else {}
        await edit(update, render(tr(update), page, **extra))
        return True

    return turn_page


def _opening(detail: Callable[..., Any], render: Render, facts: bool = False) -> Action:
    """A button that opens one item by id as new messages; stale ids are reported."""

    async def open_item(update: Update, context: Context, cb: callbacks.Callback) -> bool:
        item_id = cb.int_arg(0)
        view = await in_session(context, detail, item_id) if item_id else None
        if view is None:
            return False
        extra = _numbered(update, context) if facts else {}
        await send(
            update, context, render(tr(update), view, bot_username=context.bot.username, **extra)
        )
        return True

    return open_item


async def _proposal_timeline_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    proposal_id = cb.int_arg(0)
    found = (
        await in_session(context, catalog.proposal_facts, proposal_id, 1) if proposal_id else None
    )
    if found is None:
        return False
    page = await in_session(context, timeline.timeline, cb.int_arg(1) or 1, proposal_id)
    await edit(update, timeline_reply(tr(update), page, found[0], **_numbered(update, context)))
    return True


async def _proposal_facts_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    proposal_id = cb.int_arg(0)
    found = (
        await in_session(context, catalog.proposal_facts, proposal_id, cb.int_arg(1) or 1)
        if proposal_id
        else None
    )
    if found is None:
        return False
    await edit(update, proposals_view.facts_page(tr(update), *found, **_numbered(update, context)))
    return True


async def _proposal_latest_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    proposal_id = cb.int_arg(0)
    found = (
        await in_session(context, catalog.proposal_facts, proposal_id, 1) if proposal_id else None
    )
    if found is None:
        return False
    page = await in_session(context, timeline.latest_for_proposal, cb.int_arg(1) or 1, proposal_id)
    await edit(update, latest_reply(tr(update), page, found[0]))
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
    handler = context.bot_data.actions.get(cb.prefix)
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
    register_action(
        app, callbacks.PROPOSALS, _paging(catalog.list_proposals, proposals_view.proposal_list)
    )
    register_action(app, callbacks.ACTORS, _paging(catalog.list_actors, actors_view.actor_list))
    register_action(app, callbacks.TIMELINE, _paging(timeline.timeline, timeline_reply, facts=True))
    # callbacks.LATEST: handlers/linking.py (admins' 🏷 buttons on every page)
    register_action(
        app,
        callbacks.PROPOSAL,
        _opening(catalog.proposal_detail, proposals_view.proposal_replies, facts=True),
    )
    register_action(app, callbacks.ACTOR, _opening(catalog.actor_detail, actors_view.actor_replies))
    register_action(app, callbacks.TIMELINE_PROPOSAL, _proposal_timeline_page)
    register_action(app, callbacks.PROPOSAL_FACTS, _proposal_facts_page)
    register_action(app, callbacks.LATEST_PROPOSAL, _proposal_latest_page)
