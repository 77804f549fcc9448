"""OPML upload end to end: an admin sends a file, its feeds are probed and added."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from bot.services.ingest import sources as sources_service
from storage.models import Source
from tests.conftest import ADMIN_ID
from tests.local_feeds import FeedServer, opml, rss
from tests.review_data import admin_audit, db_snapshot
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import check_telegram_html
from tests.support.http_server import Reply


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


async def _upload(env: BotEnv, data: bytes, user_id: int) -> list:  # type: ignore[type-arg]
    start = len(env.fake.messages)
    env.fake.push_document(user_id, "feeds.opml", data, user_id=user_id, mime_type="text/x-opml")
    return await env._collect(user_id, start, timeout=10)


async def _until(env: BotEnv, chat_id: int, start: int, count: int, timeout: float = 10) -> list:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mine = [m for m in env.fake.messages[start:] if m.chat_id == chat_id]
        if len(mine) >= count:
            return mine
        await asyncio.sleep(0.01)
    raise TimeoutError(f"fewer than {count} messages in chat {chat_id}")


async def test_admin_uploads_opml(bot_env: BotEnv, feeds: FeedServer) -> None:
    known = feeds.add_rss("/known.xml", "Known", 1)
    await bot_env.ask(ADMIN_ID, f"/addsource {known}", user_id=ADMIN_ID)
    urls = [feeds.add_rss("/a.xml", "Alpha", 2), feeds.add_rss("/b.xml", "Beta", 1)]
    urls += [known, feeds.url("/gone.xml")]
    feeds.route("/slow.xml", Reply(body=rss("Slow", feeds.url("/slow.xml"), 1), delay=1.0))
    urls.append(feeds.url("/slow.xml"))
    start, began = len(bot_env.fake.messages), time.monotonic()
    bot_env.fake.push_document(ADMIN_ID, "feeds.opml", opml(urls), user_id=ADMIN_ID)
    [started] = await _until(bot_env, ADMIN_ID, start, 1)
    assert time.monotonic() - began < 0.9, "the answer waited for the probes"
    assert "Importing 5 feeds" in started.plain_text
    _started, reply = await _until(bot_env, ADMIN_ID, start, 2)
    check_telegram_html(reply.text)
    assert "3 added, 1 already present, 1 failed" in reply.plain_text
    assert "gone.xml" in reply.plain_text and "404" in reply.plain_text
    with bot_env.db.session() as s:
        assert s.query(Source).count() == 4
        actions = [e.action for e in admin_audit(s)]
    assert actions.count("source.add") == 4 and actions[-1] == "opml.import"


async def test_opml_with_too_many_feeds_is_refused_before_any_probe(
    bot_env: BotEnv, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources_service, "MAX_OPML_FEEDS", 3)
    urls = [feeds.url(f"/f{i}.xml") for i in range(4)]
    [reply] = await _upload(bot_env, opml(urls), ADMIN_ID)
    check_telegram_html(reply.text)
    assert "more than 3 feeds" in reply.plain_text and feeds.requests == []


async def test_non_admin_opml_is_refused(bot_env: BotEnv, feeds: FeedServer) -> None:
    before = db_snapshot(bot_env.db)
    [reply] = await _upload(bot_env, opml([feeds.add_rss("/a.xml", "Alpha", 1)]), 777)
    assert "only the bot's admins" in reply.plain_text
    assert db_snapshot(bot_env.db) == before and feeds.requests == []


async def test_broken_opml_says_why(bot_env: BotEnv) -> None:
    [reply] = await _upload(bot_env, b"\x00\x01 junk, not xml", ADMIN_ID)
    check_telegram_html(reply.text)
    assert "not a readable OPML file" in reply.plain_text
    [reply] = await _upload(bot_env, b"<html><body>a web page</body></html>", ADMIN_ID)
    check_telegram_html(reply.text)
    assert "not an OPML file" in reply.plain_text and "html" in reply.plain_text
