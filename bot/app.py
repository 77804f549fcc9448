"""Build the python-telegram-bot Application: handlers, rate limiter, commands menu, jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot import digest_jobs
from bot.deps import Deps
from bot.i18n import DEFAULT_LANGUAGE, available_languages, get_translator
from bot.ingest_jobs import register_ingest_jobs
from bot.render.help import ADMIN_COMMANDS, PUBLIC_COMMANDS
from bot.services.digests.pacing import FloodGate, PriorityRateLimiter
from bot.settings import Settings
from handlers import (
    admin,
    callbacks,
    compare,
    errors,
    fallback,
    public,
    questions,
    review,
    sharing,
    sources,
    subscriptions,
)
from storage.db import Database
from storage.dossier.seed import seed_default_dossier

log = logging.getLogger(__name__)

# order matters: command families first, the catch-all fallbacks and callbacks last
HANDLER_MODULES = [
    public,
    compare,
    review,
    admin,
    sources,
    subscriptions,
    questions,
    sharing,
    fallback,
    callbacks,
    errors,
]
# functions that add scheduled jobs (source polling, digests) to a running application
JOB_REGISTRARS: list[Callable[[Application], None]] = [
    register_ingest_jobs,
    digest_jobs.register,
]


def prepare_database(settings: Settings) -> Database:
    """Open the database, apply migrations, and seed the default dossier once."""
    db = Database(settings.database_url)
    db.upgrade()
    with db.session() as session:
        result = seed_default_dossier(session)
    if not result.skipped:
        log.info(
            "seeded the default dossier: %d proposals, %d actors, %d facts",
            result.proposals,
            result.actors,
            result.facts,
        )
    return db


def build_application(
    settings: Settings,
    db: Database,
    *,
    token: str,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
    jobs: bool = True,
) -> Application:
    builder: ApplicationBuilder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(True)
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # one FloodGate for every send: command replies (through the rate limiter) go ahead of
    # the delivery worker's bulk sends, which pace themselves at the same gate
    gate = FloodGate.for_settings(settings.paid_broadcast)
    if rate_limit:
        builder = builder.rate_limiter(PriorityRateLimiter(gate, max_retries=3))
    if not jobs:
        builder = builder.job_queue(None)
    app = builder.build()
    app.bot_data["deps"] = Deps(settings=settings, db=db)
    app.bot_data["deps"].services[digest_jobs.GATE_KEY] = gate
    for module in HANDLER_MODULES:
        module.register(app)
    if jobs and app.job_queue is not None:
        for add_jobs in JOB_REGISTRARS:
            add_jobs(app)
    return app


async def _post_init(app: Application) -> None:
    log.info(
        "bot @%s is up",
        app.bot.username,
        extra={"fields": {"kind": "startup", "bot": app.bot.username, "bot_id": app.bot.id}},
    )
    await set_commands(app)


async def set_commands(app: Application) -> None:
    """The command menu: public commands for everyone, plus admin commands in admins' chats.

    English is the default menu; each other catalogue gets its own menu (Telegram shows it to
    users whose app language matches)."""
    deps: Deps = app.bot_data["deps"]
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
