"""Fault-test harness: the real Application over the fake Bot API, optionally with jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import build_application
from bot.settings import Settings
from storage.db import Database
from tests.e2e.conftest import BotEnv, running_bot  # noqa: F401  (fault tests import it from here)


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
