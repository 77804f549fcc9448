"""The Bot API failing under command replies: 429 with retry_after, 5xx, timeouts, lost polls.

What the bot does (bot/services/pacing.py, handlers/errors.py):
* 429: waits retry_after (every send pauses) and sends the reply then, once;
* 5xx (Telegram did not process it): sends again, twice at most, with a doubling backoff;
  if it keeps failing, the error handler logs it and tries a short apology;
* timeout: NOT sent again (sendMessage is not idempotent: the reply may have arrived),
  logged, no apology;
* getUpdates failing: the updater keeps polling and later commands are answered.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.settings import Settings
from storage.db import Database
from tests.support.bot_harness import BotEnv, running_bot

PTB_READ_TIMEOUT = 5.0  # HTTPXRequest's default read timeout for sendMessage


async def answer_text(env: BotEnv, chat: int, text: str = "/proposals") -> tuple[str, float]:
    """The reply's text and seconds from sending the command to the first message."""
    sent = time.monotonic()
    replies = await env.ask(chat, text, timeout=8)
    return "\n".join(m.plain_text for m in replies), replies[0].received_at - sent


def rejected(env: BotEnv, code: int) -> int:
    return sum(r.error_code == code and r.method == "sendMessage" for r in env.fake.rejected)


async def test_reply_hit_by_429_is_sent_after_retry_after_once(
    settings: Settings, db: Database
) -> None:
    async with running_bot(settings, db) as env:
        expected, _fast = await answer_text(env, 1)
        env.fake.fail_next("sendMessage", status=429, retry_after=1)
        text, waited = await answer_text(env, 2)
        later, _ = await answer_text(env, 3, "/help")
    assert text == expected, "the same answer, once"
    assert waited >= 1.0, "sent again only after retry_after"
    assert rejected(env, 429) == 1 and later


async def test_reply_hit_by_5xx_is_sent_again_with_backoff(
    settings: Settings, db: Database
) -> None:
    async with running_bot(settings, db) as env:
        expected, _fast = await answer_text(env, 1)
        env.fake.fail_next("sendMessage", status=500, count=1)
        env.fake.fail_next("sendMessage", status=502, count=1)
        text, waited = await answer_text(env, 2)
    assert text == expected
    assert rejected(env, 500) == 1 and rejected(env, 502) == 1
    assert 1.4 <= waited < 5, "backoff 0.5 s then 1 s"


async def test_lasting_5xx_gives_up_logs_and_the_bot_answers_later(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(settings, db) as env:
        expected, _fast = await answer_text(env, 3)
        env.fake.fail_next("sendMessage", status=500, count=6)  # 3 tries reply, 3 apology
        env.fake.push_text(1, "/proposals")
        deadline = time.monotonic() + 10
        while rejected(env, 500) < 6:
            assert time.monotonic() < deadline, env.fake.rejected
            await asyncio.sleep(0.05)
        later, _ = await answer_text(env, 2)
    assert not env.fake.messages_to(1), "nothing half-sent"
    assert later == expected
    errors = [r for r in caplog.records if r.name == "briefbot.errors"]
    assert any(r.levelno == logging.ERROR for r in errors)


async def test_timed_out_reply_is_not_sent_twice_and_polling_goes_on(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(settings, db) as env:
        expected, _fast = await answer_text(env, 1)
        before = env.fake.method_counts["sendMessage"]
        env.fake.set_delay("sendMessage", PTB_READ_TIMEOUT + 1)  # processed, but too late
        env.fake.push_text(2, "/proposals")
        deadline = time.monotonic() + 5
        while env.fake.method_counts["sendMessage"] == before:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        env.fake.set_delay("sendMessage", 0)  # only the first call is slow
        await asyncio.sleep(PTB_READ_TIMEOUT + 1.5)  # the timeout, then the late delivery
        later, waited = await answer_text(env, 3)
    assert [m.plain_text for m in env.fake.messages_to(2)] == [expected], "once, no apology"
    assert env.fake.method_counts["sendMessage"] == before + 2  # the slow one and chat 3's
    assert later == expected and waited < 1
    assert any("timed out" in r.getMessage() for r in caplog.records)


async def test_polling_survives_failing_and_dropped_get_updates(
    settings: Settings, db: Database
) -> None:
    async with running_bot(settings, db) as env:
        await answer_text(env, 1)
        env.fake.fail_next("getUpdates", status=500)
        env.fake.drop_next("getUpdates")
        text, _waited = await answer_text(env, 2)
    assert text
    assert [r.method for r in env.fake.rejected] == ["getUpdates"], "the 500 was seen"
