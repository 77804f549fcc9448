"""The ingestion pipeline end to end: local feeds on 127.0.0.1 into the test database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services.ingest.ingestor import Ingestor
from bot.settings import Settings
from storage.db import Database
from storage.models import Document, DocumentActor, DocumentSource, Source, utcnow
from storage.repositories.sources import SourceRepo
from tests.support.http_server import LocalHTTPServer, Reply
from tests.unit.feeds import (
    ATOM_TYPE,
    HTML_TYPE,
    RSS_TYPE,
    Story,
    article_page,
    atom,
    rss,
    story_text,
)


def add_source(db: Database, url: str, kind: str = "rss", name: str = "") -> int:
    with db.session() as session:
        return SourceRepo(session).add(url, name=name or url, kind=kind).id


def stories(server: LocalHTTPServer, prefix: str, n: int, guids: bool = True) -> list[Story]:
    return [
        Story(
            url=server.url(f"/{prefix}/story-{i}"),
            title=f"{prefix} story {i}",
            text=story_text(f"{prefix} topic", i),
            guid=f"{prefix}-{i}" if guids else None,
        )
        for i in range(n)
    ]


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def source(db: Database, source_id: int) -> Source:
    with db.session() as session:
        return session.get(Source, source_id)  # type: ignore[return-value]


async def test_rss_atom_and_html_sources_end_to_end(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    server.route(
        "/rss", Reply(body=rss(stories(server, "r", 3)), headers={"Content-Type": RSS_TYPE})
    )
    server.route(
        "/atom", Reply(body=atom(stories(server, "a", 2)), headers={"Content-Type": ATOM_TYPE})
    )
    page = article_page("Page about the reassurance force", story_text("page", 99))
    server.route("/page", Reply(body=page, headers={"Content-Type": HTML_TYPE}))
    ids = [
        add_source(db, server.url("/rss")),
        add_source(db, server.url("/atom"), "atom"),
        add_source(db, server.url("/page"), "html"),
    ]

    summary = await ingestor.ingest_all()

    by_id = {r.source_id: r for r in summary.reports}
    assert [by_id[i].new_documents for i in ids] == [3, 2, 1]
    assert all(r.status == "ok" for r in summary.reports)
    assert count(db, Document) == 6
    with db.session() as session:
        doc = session.scalars(select(Document).where(Document.title == "r story 1")).one()
        assert doc.url == server.url("/r/story-1") and doc.source_id == ids[0]
        assert "reassurance force" in doc.text and doc.summary and doc.content_hash
        assert doc.minhash is not None and doc.published_at is not None
        linked = session.scalars(
            select(DocumentActor.matched).where(DocumentActor.document_id == doc.id)
        ).all()
        assert linked, "the text names France and the United Kingdom"
    assert source(db, ids[0]).item_count == 3 and source(db, ids[0]).last_status == "ok"


async def test_not_modified_stores_nothing_new(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    body = rss(stories(server, "c", 2))

    def conditional(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=body, headers={"Content-Type": RSS_TYPE, "ETag": '"v1"'})

    server.route("/feed", conditional)
    source_id = add_source(db, server.url("/feed"))

    first = await ingestor.ingest_source(source_id)
    second = await ingestor.ingest_source(source_id)

    assert (first.status, first.new_documents) == ("ok", 2)
    assert (second.status, second.new_documents) == ("not_modified", 0)
    assert server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert source(db, source_id).etag == '"v1"' and count(db, Document) == 2


async def test_same_story_in_two_feeds_with_tracking_params_is_stored_once(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    text = story_text("shared", 1)
    a = Story(server.url("/news/shared?utm_source=feed-a"), "Shared story", text, "a-1")
    b = Story(server.url("/news/shared/?fbclid=xyz&utm_medium=rss"), "Shared story", text, "b-7")
    server.route("/a", Reply(body=rss([a]), headers={"Content-Type": RSS_TYPE}))
    server.route("/b", Reply(body=atom([b]), headers={"Content-Type": ATOM_TYPE}))
    first, second = add_source(db, server.url("/a")), add_source(db, server.url("/b"), "atom")

    report_a = await ingestor.ingest_source(first)
    report_b = await ingestor.ingest_source(second)

    assert (report_a.new_documents, report_b.new_documents, report_b.duplicates) == (1, 0, 1)
    with db.session() as session:
        (doc,) = session.scalars(select(Document)).all()
        assert doc.url == server.url("/news/shared")
        rows = session.execute(select(DocumentSource.source_id, DocumentSource.url)).all()
    assert sorted(r[0] for r in rows) == [first, second]
    assert b.url in {r[1] for r in rows}  # each source's own spelling is kept


async def test_near_identical_story_on_another_domain_is_stored_once(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    text = story_text("syndicated", 3)
    a = Story(server.url("/agency/story-3"), "Ministers discuss a mission", text)
    b = Story(
        f"http://localhost:{server.port}/mirror/2025/06/ministers",
        "Ministers discuss a mission",
        text.replace("Foreign ministers", "Ministers") + " (Reporting by the agency.)",
    )
    server.route("/a", Reply(body=rss([a]), headers={"Content-Type": RSS_TYPE}))
    server.route("/b", Reply(body=rss([b]), headers={"Content-Type": RSS_TYPE}))
    first, second = add_source(db, server.url("/a")), add_source(db, server.url("/b"))

    await ingestor.ingest_all()

    assert count(db, Document) == 1
    with db.session() as session:
        sources = session.scalars(select(DocumentSource.source_id)).all()
    assert sorted(sources) == [first, second]


async def test_feed_without_guids_polled_twice_has_no_duplicates(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    polls = {"n": 0}
    items = stories(server, "g", 4, guids=False)

    def changing_tracking(request):  # type: ignore[no-untyped-def]
        polls["n"] += 1  # the links carry a different campaign tag on every poll
        tagged = [Story(f"{s.url}?utm_campaign=p{polls['n']}", s.title, s.text) for s in items]
        return Reply(body=rss(tagged), headers={"Content-Type": RSS_TYPE})

    server.route("/noguid", changing_tracking)
    source_id = add_source(db, server.url("/noguid"))

    first = await ingestor.ingest_source(source_id)
    second = await ingestor.ingest_source(source_id)

    assert (first.new_documents, second.new_documents, second.duplicates) == (4, 0, 0)
    assert count(db, Document) == 4 and count(db, DocumentSource) == 4


async def test_failing_source_is_marked_and_backed_off_while_others_ingest(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer, settings: Settings
) -> None:
    server.route(
        "/ok", Reply(body=rss(stories(server, "ok", 2)), headers={"Content-Type": RSS_TYPE})
    )
    server.route("/broken", Reply(status=500, body=b"oops"))
    server.route(
        "/junk",
        Reply(
            body=b"\x00\x01\x02 not a feed \xff",
            headers={"Content-Type": "application/octet-stream"},
        ),
    )
    good = add_source(db, server.url("/ok"))
    broken = add_source(db, server.url("/broken"))
    junk = add_source(db, server.url("/junk"))

    before = utcnow()
    summary = await ingestor.ingest_all()

    by_id = {r.source_id: r for r in summary.reports}
    assert by_id[good].new_documents == 2 and by_id[good].status == "ok"
    for bad in (broken, junk):
        assert by_id[bad].status == "error" and by_id[bad].error
        row = source(db, bad)
        assert row.last_status == "error" and row.last_error and row.consecutive_failures == 1
        assert row.next_fetch_at >= before + timedelta(seconds=2 * settings.fetch_interval)
    assert "500" in (source(db, broken).last_error or "")

    await ingestor.ingest_source(broken)
    row = source(db, broken)
    assert row.consecutive_failures == 2
    assert row.next_fetch_at >= before + timedelta(seconds=4 * settings.fetch_interval)


async def test_unexpected_exception_marks_the_source_and_spares_the_others(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.services.ingest.ingestor as ingest_module

    real_parse = ingest_module.parse_source

    def parse(body: bytes, url: str, content_type: str | None):  # type: ignore[no-untyped-def]
        if url.endswith("/explodes"):
            raise RuntimeError("boom")
        return real_parse(body, url, content_type)

    monkeypatch.setattr(ingest_module, "parse_source", parse)
    server.route(
        "/explodes", Reply(body=rss(stories(server, "x", 1)), headers={"Content-Type": RSS_TYPE})
    )
    server.route(
        "/fine", Reply(body=rss(stories(server, "f", 1)), headers={"Content-Type": RSS_TYPE})
    )
    bad, good = add_source(db, server.url("/explodes")), add_source(db, server.url("/fine"))

    summary = await ingestor.ingest_all()

    by_id = {r.source_id: r for r in summary.reports}
    assert by_id[bad].status == "error" and "RuntimeError" in (by_id[bad].error or "")
    assert by_id[good].new_documents == 1


async def test_listeners_get_new_document_ids_once(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    server.route(
        "/feed", Reply(body=rss(stories(server, "l", 3)), headers={"Content-Type": RSS_TYPE})
    )
    add_source(db, server.url("/feed"))
    calls: list[list[int]] = []

    async def listener(ids: list[int]) -> None:
        calls.append(ids)

    async def broken_listener(ids: list[int]) -> None:
        raise RuntimeError("a digest bug")

    ingestor.listeners.extend([broken_listener, listener])

    await ingestor.ingest_all()
    await ingestor.ingest_all()  # nothing new: no call

    with db.session() as session:
        stored = sorted(session.scalars(select(Document.id)))
    assert len(calls) == 1 and sorted(calls[0]) == stored and len(stored) == 3


async def test_teaser_items_get_their_article_page(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    full = story_text("teaser", 5)
    teaser = Story(server.url("/articles/5"), "A teaser", "Ministers met in Paris.", "t-5")
    server.route("/feed", Reply(body=rss([teaser]), headers={"Content-Type": RSS_TYPE}))
    server.route(
        "/articles/5",
        Reply(body=article_page("A teaser", full), headers={"Content-Type": HTML_TYPE}),
    )
    add_source(db, server.url("/feed"))

    await ingestor.ingest_all()

    assert server.hits["/articles/5"] == 1
    with db.session() as session:
        (doc,) = session.scalars(select(Document)).all()
    assert "rules of engagement" in doc.text


async def test_overlapping_polls_of_one_source_never_run_together(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    server.route(
        "/feed", Reply(body=rss(stories(server, "o", 2)), headers={"Content-Type": RSS_TYPE})
    )
    source_id = add_source(db, server.url("/feed"))

    first, second = await asyncio.gather(
        ingestor.ingest_source(source_id), ingestor.ingest_source(source_id)
    )

    assert sorted([first.status, second.status]) == ["busy", "ok"]
    assert server.hits["/feed"] == 1 and count(db, Document) == 2
