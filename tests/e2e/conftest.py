"""End-to-end fixtures: `bot_env`, the real Application polling the fake Bot API
(the harness itself lives in tests/support/bot_harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from storage.db import Database
from tests.support.bot_harness import (  # noqa: F401  (re-exported for tests that import them here)
    QUIET,
    TOKEN,
    BotEnv,
    assert_nothing_rejected,
    running_bot,
)


@pytest.fixture
async def bot_env(settings: Settings, db: Database) -> AsyncIterator[BotEnv]:
    async with running_bot(settings, db) as env:
        yield env
    assert_nothing_rejected(env.fake)
