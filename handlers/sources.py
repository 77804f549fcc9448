"""Sources: /sources for everyone; /addsource, /removesource, /fetch and OPML upload for admins.

The work is done by the ingestion services (bot.services.ingest.sources, the shared Ingestor);
these handlers parse, call, and render.
"""

from __future__ import annotations

from telegram import Document, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.i18n import Translator
from bot.render import callbacks
from bot.render import sources as view
from bot.render.html import Reply
from bot.services import audit
from bot.services.ingest import sources as service
from bot.services.ingest.ingestor import Ingestor
from bot.services.ingest.source_context import (
    ContextError,
    SourceContext,
    is_context_arg,
    parse_context,
)
from bot.services.ingest.sources import SourceError
from handlers.common.actions import register_action
from handlers.common.context import Context, deps, in_session, is_admin, tr
from handlers.common.guards import UsageError, admin_only, command
from handlers.common.replies import edit, send

MAX_OPML_DOWNLOAD = service.MAX_OPML_BYTES  # the services refuse larger files; don't fetch them


def _ingestor(context: Context) -> Ingestor:
    return deps(context).ingestor


async def _source_page(update: Update, context: Context, page: int) -> Reply:
    found = await in_session(context, service.list_sources)
    tz = deps(context).settings.timezone_name
    return view.source_list(tr(update), found, page, is_admin(update, context), tz)


@command
async def sources(update: Update, context: Context) -> None:
    await send(update, context, await _source_page(update, context, 1))


async def _sources_page(update: Update, context: Context, cb: callbacks.Callback) -> bool:
    await edit(update, await _source_page(update, context, cb.int_arg(0) or 1))
    return True


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None  # admin_only let the update through, so there is a user
    return user.id


async def _typing(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)


@command
@admin_only
async def addsource(update: Update, context: Context) -> None:
    _ = tr(update)
    args = context.args or []
    if not args:
        raise UsageError(
            _("Send /addsource URL [name], e.g. /addsource https://example.org/feed.xml")
        )
    words = [a for a in args[1:] if not is_context_arg(a)]
    about = _context(update, [a for a in args[1:] if is_context_arg(a)])
    url, name = args[0], " ".join(words)[:300] or None
    await _typing(update, context)
    try:
        probe = await service.add_source(_ingestor(context), url, name, _user_id(update), about)
    except SourceError as exc:
        raise UsageError(view.source_error(_, exc)) from None
    await send(update, context, view.source_added(_, probe))


def _context(update: Update, tokens: list[str]) -> SourceContext:
    try:
        return parse_context(tokens)
    except ContextError as exc:
        raise UsageError(view.context_error(tr(update), exc)) from None


@command
@admin_only
async def sourceinfo(update: Update, context: Context) -> None:
    """/sourceinfo ID kind=… country=… lang=…: who publishes a source."""
    _ = tr(update)
    args = context.args or []
    if len(args) < 2:
        raise UsageError(view.source_info_usage(_))
    about = _context(update, args[1:])
    try:
        source = await in_session(
            context, service.set_source_context, args[0], about, _user_id(update)
        )
    except SourceError as exc:
        raise UsageError(view.source_error(_, exc)) from None
    await send(update, context, view.source_info_set(_, source))


@command
@admin_only
async def removesource(update: Update, context: Context) -> None:
    _ = tr(update)
    ident = " ".join(context.args or []).strip()
    if not ident:
        raise UsageError(_("Send /removesource ID or /removesource URL; /sources shows the IDs."))
    try:
        removed = await in_session(context, service.remove_source, ident, _user_id(update))
    except SourceError as exc:
        raise UsageError(view.source_error(_, exc)) from None
    await send(update, context, view.source_removed(_, removed))


@command
@admin_only
async def fetch(update: Update, context: Context) -> None:
    _ = tr(update)
    await send(update, context, view.fetch_started(_))
    summary = await _ingestor(context).ingest_all(only_due=False)
    detail = (
        f"{len(summary.reports)} sources, {summary.new_documents} new, {len(summary.errors)} errors"
    )
    await in_session(context, audit.record, _user_id(update), "fetch", detail)
    await send(update, context, view.fetch_result(_, summary))


@command
@admin_only
async def opml_upload(update: Update, context: Context) -> None:
    """Check and parse the file now, answer at once, and probe its feeds in the background:
    an import of hundreds of feeds takes minutes, and the update handler must not wait."""
    _ = tr(update)
    message = update.effective_message
    document = message.document if message else None
    if document is None:
        return
    await _typing(update, context)
    data = await download_opml(_, document)
    try:
        feeds = service.parse_opml(data)
    except SourceError as exc:
        raise UsageError(view.source_error(_, exc)) from None
    if not feeds:
        raise UsageError(_("This OPML file lists no feeds."))
    await send(update, context, view.opml_started(_, len(feeds)))
    name = document.file_name or "opml"
    context.application.create_task(
        _import_feeds(update, context, feeds, name), update=update, name="opml-import"
    )


async def download_opml(_: Translator, document: Document) -> bytes:
    """The file's bytes, refused above MAX_OPML_DOWNLOAD. The size is checked as Telegram
    reports it on the message, again after getFile, and on the bytes received when neither
    reported one (getFile serves at most 20 MB, which bounds that last download)."""
    too_large = UsageError(_("That OPML file is too large (over 2 MB)."))
    if (document.file_size or 0) > MAX_OPML_DOWNLOAD:
        raise too_large
    file = await document.get_file()
    if (file.file_size or 0) > MAX_OPML_DOWNLOAD:
        raise too_large
    data = bytes(await file.download_as_bytearray())
    if len(data) > MAX_OPML_DOWNLOAD:
        raise too_large
    return data


async def _import_feeds(
    update: Update, context: Context, feeds: list[tuple[str, str]], file_name: str
) -> None:
    """The background part of an upload: probe, store, audit, then report to the admin."""
    _ = tr(update)
    user_id = _user_id(update)
    result = await service.import_feeds(_ingestor(context), feeds, user_id)
    detail = f"{file_name}: {len(result.added)} added, {len(result.skipped)} skipped, "
    detail += f"{len(result.failed)} failed"
    await in_session(context, audit.record, user_id, "opml.import", detail)
    await send(update, context, view.opml_result(_, result))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("sources", sources))
    app.add_handler(CommandHandler("addsource", addsource))
    app.add_handler(CommandHandler("removesource", removesource))
    app.add_handler(CommandHandler("fetch", fetch))
    app.add_handler(CommandHandler("sourceinfo", sourceinfo))
    app.add_handler(MessageHandler(filters.Document.FileExtension("opml"), opml_upload))
    register_action(app, callbacks.SOURCES, _sources_page)
