"""The running bot: the scheduler tick sends a digest that fell due while the bot was down
(once), the ingest hook sends instant digests, and shutdown stops the worker promptly."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import build_application
from bot.settings import Settings
from storage.db import Database
from storage.models import OutboxMessage, Subscription
from tests.support import news_factory as news
from tests.support.bot_harness import TOKEN
from tests.support.fake_telegram import FakeTelegram


async def test_due_digest_after_downtime_instant_hook_and_clean_stop(
    settings: Settings, db: Database
) -> None:
    with db.session() as s:
        news.subscription(s, 21, next_due_at=datetime.now(UTC) - timedelta(days=3))
        news.subscription(s, 22, mode="instant", schedule="")
        news.document(s, "Missed while down", age_hours=1)
    with FakeTelegram(token=TOKEN) as fake:
        settings = settings.model_copy(update={"telegram_base_url": fake.base_url})
        app = build_application(settings, db, token=TOKEN, jobs=True)
        ingestor = app.bot_data.deps.ingestor
        await app.initialize()
        await app.start()
        try:
            [due] = await fake.wait_for_messages(1, timeout=10, chat_id=21)
            assert "Missed while down" in due.plain_text
            await fake.wait_for_messages(1, timeout=5, chat_id=22)  # instant, same tick
            [listener] = ingestor.listeners  # the worker's start attached it, once
            with db.session() as s:
                doc_id = news.document(s, "Breaking after ingest", age_hours=0.1).id
            await listener([doc_id])  # what the Ingestor does after a run
            [breaking] = (await fake.wait_for_messages(2, timeout=5, chat_id=22))[1:]
            assert "Breaking after ingest" in breaking.plain_text
            assert len(fake.messages_to(21)) == 1  # scheduled: once, not per missed day
        finally:
            started = time.monotonic()
            await app.stop()
            await app.shutdown()
            assert time.monotonic() - started < 4  # the worker noticed and returned
    with db.session() as s:
        sub = s.scalars(select(Subscription).where(Subscription.chat_id == 21)).one()
        assert sub.next_due_at > datetime.now(UTC)  # type: ignore[operator]
        assert {r.state for r in s.scalars(select(OutboxMessage))} == {"sent"}
