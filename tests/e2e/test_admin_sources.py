"""OPML upload end to end: an admin sends a file, its feeds are probed and added."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.ingest_jobs import close_ingestor
from storage.models import Source
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotEnv
from tests.local_feeds import FeedServer, opml
from tests.review_data import admin_audit, db_snapshot
from tests.support.fake_telegram import check_telegram_html


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture(autouse=True)
async def _close_ingestor(bot_env: BotEnv):  # type: ignore[no-untyped-def]
    """jobs=False: the handlers created the Ingestor (and its HTTP client) on first use."""
    yield
    await close_ingestor(bot_env.app.bot_data["deps"])


async def _upload(env: BotEnv, data: bytes, user_id: int) -> list:  # type: ignore[type-arg]
    start = len(env.fake.messages)
    env.fake.push_document(user_id, "feeds.opml", data, user_id=user_id, mime_type="text/x-opml")
    return await env._collect(user_id, start, timeout=10)


async def test_admin_uploads_opml(bot_env: BotEnv, feeds: FeedServer) -> None:
    known = feeds.add_rss("/known.xml", "Known", 1)
    await bot_env.ask(ADMIN_ID, f"/addsource {known}", user_id=ADMIN_ID)
    urls = [feeds.add_rss("/a.xml", "Alpha", 2), feeds.add_rss("/b.xml", "Beta", 1)]
    urls += [known, feeds.url("/gone.xml")]
    [reply] = await _upload(bot_env, opml(urls), ADMIN_ID)
    check_telegram_html(reply.text)
    assert "2 added, 1 already present, 1 failed" in reply.plain_text
    assert "gone.xml" in reply.plain_text and "404" in reply.plain_text
    with bot_env.db.session() as s:
        assert s.query(Source).count() == 3
        actions = [e.action for e in admin_audit(s)]
    assert actions.count("source.add") == 3 and actions[-1] == "opml.import"


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
