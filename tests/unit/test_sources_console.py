"""Source commands through the real handlers, against feeds on a local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.models import Source
from tests.conftest import ADMIN_ID
from tests.local_feeds import FeedServer
from tests.review_data import admin_audit, db_snapshot


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
async def admin_console(console):  # type: ignore[no-untyped-def]
    console.user_id = ADMIN_ID
    return console


@pytest.mark.parametrize("line", ["/addsource {url}", "/removesource 1", "/fetch"])
async def test_non_admins_cannot_touch_sources(console, db, feeds, line: str) -> None:
    url = feeds.add_rss("/a.xml", "Alpha News", 2)
    with db.session() as s:
        s.add(Source(url=feeds.add_rss("/b.xml", "Beta", 1), name="Beta"))
    before = db_snapshot(db)
    console.user_id = 777
    assert "only the bot's admins" in await console.send_line(line.format(url=url))
    assert db_snapshot(db) == before
    assert feeds.requests == []  # nothing was fetched either


async def test_addsource_reports_title_kind_items_and_lists_it(admin_console, db, feeds) -> None:
    url = feeds.add_rss("/alpha.xml", "Alpha & Omega", 3)
    answer = await admin_console.send_line(f"/addsource {url}")
    assert "Added source #1: Alpha & Omega" in answer
    assert "Alpha &amp; Omega</a>" in admin_console.request.sent[-1].text
    assert "Kind: RSS feed" in answer and "3 items" in answer
    with db.session() as s:
        assert [a.action for a in admin_audit(s)] == ["source.add"]
    admin_view = await admin_console.send_line("/sources")
    assert "Alpha & Omega" in admin_view and "not fetched yet" in admin_view
    admin_console.user_id = 777
    public_view = await admin_console.send_line("/sources")
    assert "Alpha & Omega" in public_view and "not fetched yet" not in public_view


async def test_addsource_refusals_are_clear(admin_console, db, feeds) -> None:
    assert "Send /addsource URL" in await admin_console.send_line("/addsource")
    assert "http://" in await admin_console.send_line("/addsource ftp://example.org/feed")
    answer = await admin_console.send_line(f"/addsource {feeds.url('/missing.xml')}")
    assert "Could not fetch it" in answer and "404" in answer
    with db.session() as s:
        assert s.query(Source).count() == 0


async def test_fetch_counts_new_documents_and_lists_failures(admin_console, db, feeds) -> None:
    await admin_console.send_line(f"/addsource {feeds.add_rss('/a.xml', 'Alpha', 2)} Alpha")
    await admin_console.send_line(f"/addsource {feeds.add_rss('/b.xml', 'Beta', 1)} Beta")
    feeds.fail("/b.xml", 410)
    answer = await admin_console.send_line("/fetch")
    assert "Polled 2 sources. 2 new documents." in answer
    assert "1 failed." in answer and "#2 Beta" in answer and "410" in answer
    assert "Polled 2 sources. 0 new documents." in await admin_console.send_line("/fetch")
    with db.session() as s:
        assert [a.action for a in admin_audit(s)][-2:] == ["fetch", "fetch"]
    listing = await admin_console.send_line("/sources")
    assert "failing" in listing and "410" in listing


async def test_removesource_by_id_and_url(admin_console, db, feeds) -> None:
    url = feeds.add_rss("/a.xml", "Alpha", 1)
    await admin_console.send_line(f"/addsource {url}")
    await admin_console.send_line(f"/addsource {feeds.add_rss('/b.xml', 'Beta', 1)}")
    assert "Removed source #1" in await admin_console.send_line("/removesource 1")
    assert "Removed source #2" in await admin_console.send_line(
        f"/removesource {feeds.url('/b.xml')}"
    )
    assert "No source matches" in await admin_console.send_line("/removesource 99")
    assert "No sources yet" in await admin_console.send_line("/sources")


async def test_sources_are_paged(admin_console, db) -> None:
    with db.session() as s:
        s.add_all(Source(url=f"https://ex.org/{i}.xml", name=f"Feed {i:02d}") for i in range(12))
    first = await admin_console.send_line("/sources")
    assert "Feed 00" in first and "Feed 08" not in first and "1/2" in first
    second = await admin_console.send_line(":2")  # [1/2] [›]
    assert "(updated)" in second and "Feed 08" in second and "Feed 00" not in second
