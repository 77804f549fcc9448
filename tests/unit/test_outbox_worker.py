"""The outbox state machine against the fake Bot API: sent, 429, 403, 5xx, order, topics."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.services.digests.outbox_worker import OutboxWorker
from bot.services.digests.pacing import FloodGate
from storage.db import Database
from storage.models import OutboxMessage, Subscription
from storage.repositories.outbox import OutboxRepo
from tests.support import news_factory as news
from tests.support.fake_telegram import FakeTelegram

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


def fast_gate() -> FloodGate:
    return FloodGate(global_rate=2000, private_rate=200, group_per_minute=12_000)


def worker(db: Database, bot: Bot, **kw: object) -> OutboxWorker:
    return OutboxWorker(db, bot, fast_gate(), backoff_base=0.05, **kw)  # type: ignore[arg-type]


def queue(db: Database, chat_id: int, parts: list[str], thread_id: int = 0) -> int:
    with db.session() as s:
        sub = s.scalars(select(Subscription).where(Subscription.chat_id == chat_id)).first()
        if sub is None:
            sub = news.subscription(s, chat_id, thread_id=thread_id)
        return OutboxRepo(s).add_digest(
            subscription_id=sub.id,
            chat_id=chat_id,
            thread_id=thread_id,
            parts=parts,
            trigger="scheduled",
            document_count=1,
            fact_count=0,
        )


def rows(db: Database) -> list[OutboxMessage]:
    with db.session() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_sends_in_order_marks_sent_with_message_ids(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    queue(db, 11, ["<b>part one</b>", "part two", "part three"])
    queue(db, -1001, ["in a topic"], thread_id=77)
    await worker(db, bot).drain(timeout=10)
    assert [m.text for m in fake.messages_to(11)] == ["<b>part one</b>", "part two", "part three"]
    [topic] = fake.messages_to(-1001)
    assert topic.message_thread_id == 77
    assert all(m.link_preview_options == {"is_disabled": True} for m in fake.messages)
    assert all(r.state == "sent" and r.telegram_message_id and r.sent_at for r in rows(db))
    assert sorted(r.telegram_message_id for r in rows(db) if r.chat_id == 11) == [1, 2, 3]


async def test_429_pauses_everything_then_retries(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    queue(db, 12, ["a"])
    queue(db, 13, ["b"])
    fake.fail_next("sendMessage", status=429, retry_after=1)
    w = worker(db, bot)
    start = time.monotonic()
    await w.drain(timeout=10)
    assert time.monotonic() - start >= 0.9  # nobody sent during the pause
    assert sorted(m.chat_id for m in fake.messages) == [12, 13]
    assert w.stats["rate_limited"] == 1 and w.gate.pauses == 1
    assert {r.state for r in rows(db)} == {"sent"}


async def test_403_deactivates_and_drops_pending(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    queue(db, 14, ["first", "second"])
    queue(db, 14, ["next digest"])
    queue(db, 15, ["fine"])
    fake.block_chat(14)
    await worker(db, bot).drain(timeout=10)
    assert [m.chat_id for m in fake.messages] == [15]
    blocked = [r for r in rows(db) if r.chat_id == 14]
    assert {r.state for r in blocked} == {"failed"}
    assert "blocked" in (blocked[0].last_error or "")
    with db.session() as s:
        sub = s.scalars(select(Subscription).where(Subscription.chat_id == 14)).one()
        assert not sub.active and "blocked" in (sub.inactive_reason or "")


async def test_5xx_backs_off_then_succeeds_or_fails_with_reason(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    queue(db, 16, ["one", "two"])
    fake.fail_next("sendMessage", status=500, count=2)
    w = worker(db, bot)
    await w.drain(timeout=10)
    assert [m.text for m in fake.messages_to(16)] == ["one", "two"]  # order kept across retries
    assert w.stats["retried"] == 2
    fake.clear()
    queue(db, 17, ["doomed"])
    fake.fail_next("sendMessage", status=502, count=10)
    w = worker(db, bot, max_attempts=3)
    await w.drain(timeout=10)
    doomed = rows(db)[-1]
    assert doomed.state == "failed" and doomed.attempts == 3
    assert "Bad Gateway" in (doomed.last_error or "")
    assert fake.messages_to(17) == []


async def test_rejected_message_fails_at_once(db: Database, bot: Bot, fake: FakeTelegram) -> None:
    queue(db, 18, ["<b>broken"])
    await worker(db, bot).drain(timeout=10)
    [row] = rows(db)
    assert row.state == "failed" and "parse entities" in (row.last_error or "")
    fake.rejected.clear()


async def test_deliver_now_sends_one_digest_with_priority(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    digest_id = queue(db, 19, ["now 1", "now 2"])
    queue(db, 20, ["later"])
    w = worker(db, bot)
    assert await w.deliver_now(digest_id) == 2
    assert [m.text for m in fake.messages] == ["now 1", "now 2"]
    assert [r.state for r in rows(db)] == ["sent", "sent", "pending"]


async def test_paid_broadcast_flag_and_pace(db: Database, bot: Bot, fake: FakeTelegram) -> None:
    assert FloodGate.for_settings(True).global_rate == 1000
    assert FloodGate.for_settings(False).global_rate == 30
    queue(db, 21, ["paid"])
    await worker(db, bot, paid_broadcast=True).drain(timeout=10)
    [call] = [c for c in fake.calls if c.method == "sendMessage"]
    assert str(call.params.get("allow_paid_broadcast")).lower() == "true"


async def test_row_sent_by_deliver_now_during_a_claim_is_not_sent_again(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    """The worker's claim query can read a row as pending just before /digest sends and
    marks it; the stale answer must not queue the row a second time."""
    import asyncio

    digest_id = queue(db, 31, ["only once"])
    w = worker(db, bot)
    original = w._claim
    read_done = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stale_claim(limit: int, exclude: set[int]) -> list:
        found = original(limit, exclude)  # read while the row is still pending
        loop.call_soon_threadsafe(read_done.set)
        deadline = time.monotonic() + 5
        while len(fake.messages_to(31)) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # deliver_now has marked the row and released it by now
        return found

    w._claim = stale_claim  # type: ignore[method-assign]
    claiming = asyncio.create_task(w._claim_more())
    await read_done.wait()
    w._claim = original  # type: ignore[method-assign]
    assert await w.deliver_now(digest_id) == 1
    await claiming
    await asyncio.gather(*list(w._tasks.values()))
    assert [m.text for m in fake.messages_to(31)] == ["only once"]


def pending(db: Database) -> int:
    with db.session() as s:
        return OutboxRepo(s).pending_at_least(10_000)


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="several processes (PostgreSQL): alone on SQLite, the worker queues while it sends",
)
async def test_the_sending_process_queues_only_while_its_backlog_is_short(
    db: Database, bot: Bot, fake: FakeTelegram
) -> None:
    for n in range(40):
        queue(db, 5000 + n, [f"digest {n}"])
    gate = FloodGate(global_rate=10, private_rate=200, group_per_minute=12_000)
    leading = True
    sender = OutboxWorker(db, bot, gate, batch=4, may_send=lambda: leading)
    room = 30  # 3 s of sending at 10/s
    started = time.monotonic()
    sender.wait_for_room()  # not running: nothing would drain the backlog, so no waiting
    assert time.monotonic() - started < 0.5
    runner = asyncio.create_task(sender.run())
    await asyncio.sleep(0.05)  # the worker is under way
    try:
        started = time.monotonic()
        await asyncio.to_thread(sender.wait_for_room)
        waited = time.monotonic() - started
        assert pending(db) < room
        assert waited > 0.5  # 11 of 40 rows had to go out at 10/s first
        for n in range(40):
            queue(db, 6000 + n, [f"more {n}"])
        leading = False  # standing by: another process sends, this one queues freely
        started = time.monotonic()
        await asyncio.to_thread(sender.wait_for_room)
        assert time.monotonic() - started < 0.5 and pending(db) >= room
    finally:
        sender.stop()
        await runner
