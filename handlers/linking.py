"""Curators correct an article's links from chat: 🏷 under /latest, a /review card,
✏️ under a digest (a numbered picker of its articles) or /links <article id> opens the link
editor; its buttons add or
remove a proposal, confirm the links, or mark the article on- or off-topic. Admins only,
every press answered and audited; each correction schedules a retraining of the model."""

from __future__ import annotations

import asyncio
import logging
import warnings

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render import callbacks
from bot.render import linking as view
from bot.render.html import Reply
from bot.render.timeline import latest_reply
from bot.services import timeline
from bot.services.knowledge import curation, training
from handlers.common.actions import register_action
from handlers.common.context import Context, deps, in_session, is_admin, tr
from handlers.common.guards import admin_only, command
from handlers.common.replies import edit, send

log = logging.getLogger(__name__)
RETRAIN_DELAY = 60.0  # seconds after a correction
RETRAIN_JOB = "linking-retrain"
VERBS: dict[str, curation.Action] = {
    "a": "add",
    "r": "remove",
    "c": "confirm",
    "on": "on",
    "off": "off",
}


@command
@admin_only
async def links_cmd(update: Update, context: Context) -> None:
    """/links <article id>: the link editor of one stored article."""
    _ = tr(update)
    arg = context.args[0] if context.args else ""
    editor = await in_session(context, curation.link_editor, int(arg)) if arg.isdigit() else None
    if editor is None:
        await send(update, context, Reply(_("Send /links followed by an article number.")))
        return
    await send(update, context, view.link_editor(_, editor))


async def on_links_button(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    _ = tr(update)
    if not is_admin(update, context):
        return _("Sorry, only the bot's admins can do that.")
    parsed = view.parse_links_data(cb)
    if parsed is None:
        return False
    verb, document_id, proposal_id = parsed
    if verb == "o":
        editor = await in_session(context, curation.link_editor, document_id)
        if editor is None:
            return False
        await send(update, context, view.link_editor(_, editor))
        return True
    user = update.effective_user
    editor = await in_session(
        context, curation.correct, document_id, VERBS[verb], proposal_id, user and user.id
    )
    if editor is None:
        return False
    await edit(update, view.link_editor(_, editor, view.saved_notice(_)))
    schedule_retrain(context)
    return True


async def on_digest_links(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    """✏️ under an admin's digest: the numbered picker of its articles (a new message, so the
    digest stays as it was); ‹ › in the picker turn its page in place."""
    _ = tr(update)
    if not is_admin(update, context):  # the button goes to admins' chats; ADMIN_IDS may change
        return _("Sorry, only the bot's admins can do that.")
    parsed = view.parse_digest_data(cb)
    chat = update.effective_chat
    if parsed is None or chat is None:
        return False
    digest_id, page = parsed
    articles = await in_session(context, curation.digest_articles, digest_id, chat.id)
    if articles is None:
        return False
    picker = view.digest_picker(_, digest_id, articles, page)
    if len(cb.args) > 1:  # a page button of the picker itself
        await edit(update, picker)
    else:
        await send(update, context, picker)
    return True


def schedule_retrain(context: Context) -> None:
    """Retrain a minute from now (corrections come in bursts: one run for the burst), unless
    a run is already scheduled or the application runs without jobs (the console, tests)."""
    with warnings.catch_warnings():  # PTB warns on reading a job queue it was built without
        warnings.simplefilter("ignore")
        queue = context.job_queue
    if queue is None or queue.get_jobs_by_name(RETRAIN_JOB):
        return
    queue.run_once(_retrain_job, when=RETRAIN_DELAY, name=RETRAIN_JOB)


async def _retrain_job(context: Context) -> None:
    settings, db = deps(context).settings, deps(context).db
    try:
        await asyncio.to_thread(training.train_from_settings, db, settings.linking_labels)
    except Exception:
        log.exception("retraining the linking model failed; the previous model stays")


def _latest_page(every: bool):  # type: ignore[no-untyped-def]
    async def turn_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
        page = await in_session(
            context, timeline.latest_documents, cb.int_arg(0) or 1, timeline.PER_PAGE, every
        )
        curate = is_admin(update, context)
        await edit(update, latest_reply(tr(update), page, every=every, curate=curate))
        return True

    return turn_page


def register(app: Application) -> None:
    app.add_handler(CommandHandler("links", links_cmd))
    register_action(app, callbacks.LINKS, on_links_button)
    register_action(app, callbacks.DIGEST_LINKS, on_digest_links)
    register_action(app, callbacks.LATEST, _latest_page(False))
    register_action(app, callbacks.LATEST_ALL, _latest_page(True))
