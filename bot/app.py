"""Build the python-telegram-bot Application: handlers, rate limiter, commands menu, jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot import bootstrap, digest_jobs, leadership_jobs, linking_jobs
from bot.deps import CONTEXT_TYPES, BotApplication
from bot.i18n import DEFAULT_LANGUAGE, available_languages, get_translator
from bot.ingest_jobs import register_ingest_jobs
from bot.instrumented_app import InstrumentedApplication
from bot.render.help import ADMIN_COMMANDS, PUBLIC_COMMANDS
from bot.services.digests.pacing import PriorityRateLimiter
from bot.settings import Settings
from handlers import (
    admin,
    callbacks,
    compare,
    curation,
    errors,
    fallback,
    linking,
    public,
    questions,
    review,
    sharing,
    sources,
    subscriptions,
)
from handlers import coverage as coverage_handlers
from handlers import language as language_handlers
from storage.db import Database

log = logging.getLogger(__name__)

# order matters: command families first, the catch-all fallbacks and callbacks last
HANDLER_MODULES = [
    sharing,  # before public: /start with a deep-link payload opens a card
    public,
    compare,
    curation,  # its conversations' /cancel and text steps go ahead of /review's
    review,
    linking,
    admin,
    sources,
    subscriptions,
    language_handlers,
    coverage_handlers,
    questions,
    fallback,
    callbacks,
    errors,
]
# functions that add scheduled jobs (source polling, digests) to a running application
JOB_REGISTRARS: list[Callable[[Application], None]] = [
    leadership_jobs.register,
    register_ingest_jobs,
    digest_jobs.register,
    linking_jobs.register,
]


def build_application(
    settings: Settings,
    db: Database,
    *,
    token: str,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
    jobs: bool = True,
) -> BotApplication:
    builder: ApplicationBuilder = (
        Application.builder()
        .application_class(InstrumentedApplication)
        .token(token)
        .context_types(CONTEXT_TYPES)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # one FloodGate for every send: command replies (through the rate limiter) go ahead of
    # the delivery worker's bulk sends, which pace themselves at the same gate
    gate = bootstrap.flood_gate(settings)
    if rate_limit:
        builder = builder.rate_limiter(PriorityRateLimiter(gate, max_retries=3))
    if not jobs:
        builder = builder.job_queue(None)
    app = builder.build()
    app.bot_data.deps = bootstrap.wire(settings, db, app.bot, gate)
    for module in HANDLER_MODULES:
        module.register(app)
    if jobs and app.job_queue is not None:
        for add_jobs in JOB_REGISTRARS:
            add_jobs(app)
    return app


async def _post_init(app: BotApplication) -> None:
    log.info(
        "bot @%s is up",
        app.bot.username,
        extra={"fields": {"kind": "startup", "bot": app.bot.username, "bot_id": app.bot.id}},
    )
    await set_commands(app)


async def _post_shutdown(app: BotApplication) -> None:
    await bootstrap.close(app.bot_data.deps)


async def set_commands(app: BotApplication) -> None:
    """The command menu: public commands for everyone, plus admin commands in admins' chats.

    English is the default menu; each other catalogue gets its own menu (Telegram shows it to
    users whose app language matches)."""
    deps = app.bot_data.deps
    for language in available_languages():
        code = None if language == DEFAULT_LANGUAGE else language
        _ = get_translator(language)
        public = [BotCommand(name, _(desc)) for name, desc in PUBLIC_COMMANDS]
        try:
            await app.bot.set_my_commands(
                public, scope=BotCommandScopeDefault(), language_code=code
            )
        except TelegramError as exc:
            log.warning("setMyCommands failed: %s", exc)
            return
        admin = public + [BotCommand(name, _(desc)) for name, desc in ADMIN_COMMANDS]
        for admin_id in sorted(deps.settings.admin_ids):
            try:
                await app.bot.set_my_commands(
                    admin, scope=BotCommandScopeChat(admin_id), language_code=code
                )
            except TelegramError as exc:  # the admin has not started a chat with the bot yet
                log.info("admin commands menu not set for %s: %s", admin_id, exc)
