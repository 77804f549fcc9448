"""Source context end to end: /sourceinfo and /addsource with kind=… country=… lang=…, the
state-affiliated list, and the kind shown next to the source in /sources and /latest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.services.ingest import source_context
from storage.models import Source
from tests.conftest import ADMIN_ID
from tests.local_feeds import FeedServer
from tests.review_data import admin_audit, db_snapshot
from tests.support import news_factory as news
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import check_telegram_html

STRANGER = 777


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def _source(env: BotEnv, url: str) -> Source:
    with env.db.session() as s:
        return s.scalars(select(Source).where(Source.url == url)).one()


async def test_addsource_with_context_then_sourceinfo_changes_it(
    bot_env: BotEnv, feeds: FeedServer
) -> None:
    url = feeds.add_rss("/wire.xml", "Wire", 2)
    [added] = await bot_env.ask(
        ADMIN_ID, f"/addsource {url} Kyiv Wire kind=wire country=ua lang=UK", user_id=ADMIN_ID
    )
    check_telegram_html(added.text)
    assert "Kyiv Wire" in added.plain_text and "Publisher: wire service, UA, uk" in added.plain_text
    source = _source(bot_env, url)
    assert (source.name, source.outlet_kind, source.country, source.language) == (
        "Kyiv Wire",
        "wire",
        "UA",
        "uk",
    )

    [done] = await bot_env.ask(
        ADMIN_ID, f"/sourceinfo {source.id} kind=state-affiliated country=RU", user_id=ADMIN_ID
    )
    check_telegram_html(done.text)
    assert f"Source #{source.id}" in done.plain_text
    assert "state-affiliated, RU, uk" in done.plain_text
    changed = _source(bot_env, url)
    assert (changed.outlet_kind, changed.country, changed.language) == (
        "state-affiliated",
        "RU",
        "uk",
    )
    with bot_env.db.session() as s:
        assert [a.action for a in admin_audit(s)][-1] == "source.info"

    [cleared] = await bot_env.ask(ADMIN_ID, f"/sourceinfo {url} lang=-", user_id=ADMIN_ID)
    assert "state-affiliated, RU." in cleared.plain_text and _source(bot_env, url).language is None

    [listing] = await bot_env.ask(ADMIN_ID, "/sources", user_id=ADMIN_ID)
    assert "Kyiv Wire — RSS feed · state-affiliated, RU" in listing.plain_text


async def test_kind_shows_next_to_the_source_in_latest(bot_env: BotEnv) -> None:
    with bot_env.db.session() as s:
        news.source(s, "TASS").outlet_kind = "state-affiliated"
        doc = news.document(s, "A report from a state outlet", age_hours=1)
        doc.source_id = news.source(s, "TASS").id
    [latest, *_rest] = await bot_env.ask(5, "/latest")
    check_telegram_html(latest.text)
    assert "TASS (state-affiliated)" in latest.plain_text


async def test_listed_state_outlets_are_marked_when_added(
    bot_env: BotEnv, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the curated list, pointed at the loopback feed server (real outlets are not reachable)
    monkeypatch.setattr(source_context, "_state_outlets", lambda: {"127.0.0.1": "RU"})
    url = feeds.add_rss("/state.xml", "State", 1)
    [added] = await bot_env.ask(ADMIN_ID, f"/addsource {url}", user_id=ADMIN_ID)
    assert "Publisher: state-affiliated, RU" in added.plain_text
    assert _source(bot_env, url).outlet_kind == "state-affiliated"


async def test_non_admins_cannot_set_source_info(bot_env: BotEnv) -> None:
    with bot_env.db.session() as s:
        source_id = news.source(s, "Somewhere").id
    before = db_snapshot(bot_env.db)
    [refused] = await bot_env.ask(STRANGER, f"/sourceinfo {source_id} kind=wire", user_id=STRANGER)
    assert "only the bot's admins" in refused.plain_text
    assert db_snapshot(bot_env.db) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", "Send /sourceinfo ID kind="),
        ("{id}", "Send /sourceinfo ID kind="),
        ("{id} colour=red", "Unknown setting “colour”"),
        ("{id} kind=tabloid", "Unknown kind “tabloid”: use one of official, wire, outlet"),
        ("{id} country=Ukraine", "“Ukraine” is not a country code"),
        ("{id} lang=ukrainian", "“ukrainian” is not a language code"),
        ("{id} kind=", "Write settings as key=value"),
        ("{id} wire", "Write settings as key=value"),
        ("999 kind=wire", "No source matches “999”"),
        ("{id} kind=<b>x</b>", "Unknown kind “&lt;b&gt;x&lt;/b&gt;”"),
    ],
)
async def test_bad_source_info_gets_one_clear_line(
    bot_env: BotEnv, args: str, expected: str
) -> None:
    with bot_env.db.session() as s:
        source_id = news.source(s, "Somewhere").id
    before = db_snapshot(bot_env.db)
    [reply] = await bot_env.ask(
        ADMIN_ID, f"/sourceinfo {args.format(id=source_id)}".strip(), user_id=ADMIN_ID
    )
    check_telegram_html(reply.text)
    assert expected in (reply.text if "&lt;" in expected else reply.plain_text)
    assert "\n" not in reply.plain_text.strip()
    assert db_snapshot(bot_env.db) == before


async def test_addsource_with_bad_context_probes_nothing(
    bot_env: BotEnv, feeds: FeedServer
) -> None:
    url = feeds.add_rss("/x.xml", "X", 1)
    [reply] = await bot_env.ask(ADMIN_ID, f"/addsource {url} kind=gossip", user_id=ADMIN_ID)
    assert "Unknown kind “gossip”" in reply.plain_text
    assert feeds.hits.get("/x.xml", 0) == 0
