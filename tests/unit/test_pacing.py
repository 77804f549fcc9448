"""The FloodGate: bulk sends at the global rate, replies ahead of them, 429 pauses all."""

from __future__ import annotations

import asyncio
import time

from bot.services.digests.pacing import FloodGate, PriorityRateLimiter, TokenBucket


def test_token_bucket_rate_and_debt() -> None:
    bucket = TokenBucket(rate=10, capacity=2, now=0.0)
    bucket.take(0.0)
    bucket.take(0.0)
    assert bucket.delay(0.0) == 0.1
    bucket.take(0.0)  # a reply that could not wait: the next sender repays
    assert round(bucket.delay(0.0), 3) == 0.2
    assert bucket.delay(0.3) == 0.0


async def test_bulk_runs_at_the_rate_and_replies_jump_the_queue() -> None:
    gate = FloodGate(global_rate=200, private_rate=200, group_per_minute=12_000)
    done: list[float] = []
    start = time.monotonic()

    async def bulk(chat: int) -> None:
        await gate.acquire_bulk(chat)
        done.append(time.monotonic() - start)

    fan_out = [asyncio.create_task(bulk(n)) for n in range(1, 201)]  # 200 chats: ~1 s at 200/s
    await asyncio.sleep(0.3)
    waited = time.monotonic()
    await gate.acquire_reply(99_999)
    reply_latency = time.monotonic() - waited
    await asyncio.gather(*fan_out)
    assert reply_latency < 0.05  # not behind the ~140 bulk sends still queued
    assert 0.85 <= max(done) <= 1.4  # bulk kept close to 200/s, not above it


async def test_pause_stops_replies_and_bulk() -> None:
    gate = FloodGate(global_rate=1000)
    gate.pause(0.3)
    start = time.monotonic()
    await asyncio.gather(gate.acquire_reply(1), gate.acquire_bulk(2))
    assert time.monotonic() - start >= 0.29
    assert gate.pauses == 1


async def test_group_limit_applies_to_bulk() -> None:
    gate = FloodGate(global_rate=1000, group_per_minute=600, group_burst=1)  # 10/s per group
    start = time.monotonic()
    for _ in range(4):
        await gate.acquire_bulk(-100123)
    assert time.monotonic() - start >= 0.29


async def test_rate_limiter_lets_paced_requests_through_and_retries_429() -> None:
    from telegram.error import RetryAfter

    gate = FloodGate(global_rate=1000)
    limiter = PriorityRateLimiter(gate, max_retries=2)
    calls: list[str] = []

    async def flaky(*_args: object, **_kw: object) -> bool:
        calls.append("call")
        if len(calls) == 1:
            raise RetryAfter(0)
        return True

    data = {"chat_id": 5, "text": "hi"}
    assert await limiter.process_request(flaky, (), {}, "sendMessage", data, None) is True
    assert len(calls) == 2
    assert await limiter.process_request(flaky, (), {}, "sendMessage", data, {"paced": True})
    assert len(calls) == 3


async def test_a_private_chat_gets_a_short_burst_then_waits_in_its_own_chat() -> None:
    gate = FloodGate(global_rate=1000, private_rate=10, private_burst=3)  # 10/s per chat
    start = time.monotonic()
    for _ in range(3):
        await gate.acquire_reply(42)
    burst = time.monotonic() - start
    await gate.acquire_reply(42)  # the fourth waits ~0.1 s for this chat's bucket
    fourth = time.monotonic() - start
    other = time.monotonic()
    await gate.acquire_reply(43)  # another chat is not held up
    assert burst < 0.05
    assert 0.08 <= fourth <= 0.3
    assert time.monotonic() - other < 0.05
    assert gate.pauses == 0
