"""Fault-test harness: the real Application over the fake Bot API, optionally with jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import build_application
from bot.settings import Settings
from storage.db import Database
from tests.e2e.conftest import TOKEN, BotEnv
from tests.support.fake_telegram import FakeTelegram


@asynccontextmanager
async def running_bot(
    settings: Settings, db: Database, *, jobs: bool = False
) -> AsyncIterator[BotEnv]:
    """Start polling against a fresh fake; on exit stop everything, whatever happened."""
    fake = FakeTelegram(token=TOKEN).start()
    settings = settings.model_copy(update={"telegram_base_url": fake.base_url})
    app = build_application(settings, db, token=TOKEN, jobs=jobs)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield BotEnv(fake, app, settings, db)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:  # run_polling() would call these two as well
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        fake.stop()


@asynccontextmanager
async def console_for(settings: Settings, db: Database, user_id: int = 1) -> AsyncIterator[object]:
    """The in-process console (tests/conftest.py) on a Database of the test's choosing."""
    from bot.console import CONSOLE_TOKEN, Console, ConsoleRequest

    request = ConsoleRequest()
    app = build_application(
        settings, db, token=CONSOLE_TOKEN, request=request, rate_limit=False, jobs=False
    )
    await app.initialize()
    try:
        yield Console(app, request, user_id=user_id, out=None)  # type: ignore[arg-type]
    finally:
        await app.shutdown()
