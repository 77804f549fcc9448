"""Adding, removing and listing sources; OPML import and export."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.i18n import get_translator
from bot.render.html import esc
from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor
from bot.services.ingest.sources import (
    SourceError,
    add_source,
    export_opml,
    import_opml,
    list_sources,
    parse_opml,
    remove_source,
)
from bot.settings import load_settings
from storage.db import Database
from storage.models import AuditLog, Document, Source
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

ADMIN = 4242


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as srv:
        srv.route(
            "/rss",
            Reply(
                body=rss([_story(srv, 1), _story(srv, 2)], "Kyiv Daily"),
                headers={"Content-Type": RSS_TYPE},
            ),
        )
        srv.route(
            "/atom",
            Reply(body=atom([_story(srv, 3)], "Atom News"), headers={"Content-Type": ATOM_TYPE}),
        )
        srv.route(
            "/page",
            Reply(
                body=article_page("An analysis", story_text("page")),
                headers={"Content-Type": HTML_TYPE},
            ),
        )
        srv.route(
            "/binary",
            Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": "image/png"}),
        )
        yield srv


def _story(srv: LocalHTTPServer, n: int) -> Story:
    return Story(srv.url(f"/s/{n}"), f"Story {n}", story_text("sources", n), f"g{n}")


async def test_add_source_probes_kind_title_and_items(ingestor: Ingestor, server, db) -> None:  # type: ignore[no-untyped-def]
    rss_probe = await add_source(ingestor, server.url("/rss"), None, ADMIN)
    atom_probe = await add_source(ingestor, server.url("/atom"), "My name", ADMIN)
    page_probe = await add_source(ingestor, server.url("/page"), None, ADMIN)

    assert (rss_probe.kind, rss_probe.title, rss_probe.item_count) == ("rss", "Kyiv Daily", 2)
    assert (atom_probe.kind, atom_probe.title, atom_probe.item_count) == ("atom", "My name", 1)
    assert (page_probe.kind, page_probe.item_count) == ("html", 1)
    with db.session() as session:
        stored = session.get(Source, rss_probe.source_id)
        assert stored.kind == "rss" and stored.added_by == ADMIN and stored.next_fetch_at is None
        actions = session.scalars(select(AuditLog.action)).all()
    assert actions.count("source.add") == 3


async def test_duplicate_source_is_refused_politely(ingestor: Ingestor, server) -> None:  # type: ignore[no-untyped-def]
    await add_source(ingestor, server.url("/rss"), None, ADMIN)
    with pytest.raises(SourceError) as err:
        await add_source(ingestor, server.url("/rss") + "?utm_source=tg", None, ADMIN)
    assert "already in the list" in str(err.value) and "Kyiv Daily" in str(err.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "Only http"),
        ("not a url", "Only http"),
        ("", "does not look like a URL"),
    ],
)
async def test_bad_urls_are_refused(ingestor: Ingestor, url: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        await add_source(ingestor, url, None, ADMIN)


async def test_unreachable_or_non_feed_sources_say_why(ingestor: Ingestor, server, db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError, match="Could not fetch"):
        await add_source(ingestor, server.url("/missing"), None, ADMIN)
    with pytest.raises(SourceError, match="Not a feed"):
        await add_source(ingestor, server.url("/binary"), None, ADMIN)
    with db.session() as session:
        assert list_sources(session) == []


async def test_private_addresses_refused_unless_allowed(db: Database, server) -> None:  # type: ignore[no-untyped-def]
    strict = load_settings(database_url=db.url, allow_private_urls=False)
    fetcher = Fetcher.from_settings(strict)
    try:
        with pytest.raises(SourceError, match="Refused"):
            await add_source(Ingestor(db, fetcher, strict), server.url("/rss"), None, ADMIN)
    finally:
        await fetcher.aclose()


def test_source_error_html_is_translated_and_escaped() -> None:
    err = SourceError("No source matches “{query}”.", query="<b>x</b>")
    assert err.text(get_translator("en"), esc) == "No source matches “&lt;b&gt;x&lt;/b&gt;”."


async def test_remove_by_id_or_url_keeps_documents(ingestor: Ingestor, server, db) -> None:  # type: ignore[no-untyped-def]
    first = await add_source(ingestor, server.url("/rss"), None, ADMIN)
    second = await add_source(ingestor, server.url("/atom"), None, ADMIN)
    await ingestor.ingest_all()
    with db.session() as session:
        docs_before = len(session.scalars(select(Document.id)).all())
        assert remove_source(session, str(first.source_id), ADMIN).id == first.source_id
        assert remove_source(session, server.url("/atom"), ADMIN).id == second.source_id
    with db.session() as session:
        assert list_sources(session) == []
        assert len(session.scalars(select(Document.id)).all()) == docs_before == 3
        with pytest.raises(SourceError, match="No source matches"):
            remove_source(session, str(first.source_id), ADMIN)
        with pytest.raises(SourceError, match="Say which"):
            remove_source(session, "  ", ADMIN)
    # a removed source can be added again
    again = await add_source(ingestor, server.url("/rss"), None, ADMIN)
    assert again.source_id == first.source_id


async def test_list_sources_shows_status_and_error(ingestor: Ingestor, server, db) -> None:  # type: ignore[no-untyped-def]
    probe = await add_source(ingestor, server.url("/rss"), None, ADMIN)
    server.route("/rss", Reply(status=503, body=b"down"))
    await ingestor.ingest_all()
    with db.session() as session:
        (view,) = list_sources(session)
    assert view.id == probe.source_id and view.last_status == "error"
    assert view.last_fetched_at is not None and "503" in (view.last_error or "")


async def test_opml_round_trip(ingestor: Ingestor, server, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for path in ("/rss", "/atom", "/page"):
        await add_source(ingestor, server.url(path), None, ADMIN)
    with db.session() as session:
        text = export_opml(session)
    feeds = parse_opml(text.encode())
    assert [url for url, _ in feeds] == [server.url(p) for p in ("/rss", "/atom", "/page")]
    assert feeds[0][1] == "Kyiv Daily"

    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other.upgrade()
    fetcher = Fetcher.from_settings(ingestor.settings)
    try:
        result = await import_opml(
            Ingestor(other, fetcher, ingestor.settings), text.encode(), ADMIN
        )
        again = await import_opml(Ingestor(other, fetcher, ingestor.settings), text.encode(), ADMIN)
    finally:
        await fetcher.aclose()
    assert sorted(p.kind for p in result.added) == ["atom", "html", "rss"]
    assert not result.failed and len(again.skipped) == 3 and not again.added
    other.dispose()


def test_opml_import_reports_failures_per_feed() -> None:
    data = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Folder"><outline type="rss" text="A" xmlUrl="http://a.example/feed"/></outline>
      <outline type="rss" text="dup" xmlUrl="http://a.example/feed"/>
      <outline type="rss" text="js" xmlUrl="javascript:alert(1)"/>
      <outline text="no url"/></body></opml>"""
    assert parse_opml(data) == [("http://a.example/feed", "A")]


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<opml><body><outline xmlUrl='http://x.example/&lol2;'/></body></opml>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<opml><body><outline text='&e;' xmlUrl='http://x.example/'/></body></opml>",
        b"<opml><body><outline",
        b"<rss><channel/></rss>",
    ],
)
def test_hostile_or_wrong_opml_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError):
        parse_opml(data)


@pytest.mark.parametrize("ident", ["²", "#①", "99999999999999999999999"])
def test_remove_source_with_an_odd_number_says_no_match(db: Database, ident: str) -> None:
    with db.session() as session, pytest.raises(SourceError, match="No source matches"):
        remove_source(session, ident, ADMIN)


async def test_opml_spellings_of_one_feed_are_probed_and_stored_once(
    ingestor: Ingestor,
    server,
    db,  # type: ignore[no-untyped-def]
) -> None:
    url = server.url("/rss")
    twin = url.replace("http://127.0.0.1", "HTTP://127.0.0.1") + "?utm_source=newsletter"
    data = f"""<opml version="2.0"><body><outline type="rss" text="A" xmlUrl="{url}"/>
      <outline type="rss" text="B" xmlUrl="{twin}"/></body></opml>""".encode()
    assert parse_opml(data) == [(url, "A")]
    result = await import_opml(ingestor, data, ADMIN)
    assert (len(result.added), result.failed) == (1, [])
    with db.session() as session:
        assert session.scalars(select(Source.url)).all() == [url]


async def test_a_source_stored_by_a_concurrent_probe_counts_as_already_present(
    ingestor: Ingestor,
    server,
    db,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """Both probes looked before either stored: the unique URL constraint decides."""
    import bot.services.ingest.sources as service
    from storage.repositories.sources import SourceRepo

    first = await add_source(ingestor, server.url("/rss"), None, ADMIN)
    real_find, looks = service.find_source_by_url, []

    def stale_first_look(session, url):  # type: ignore[no-untyped-def]
        looks.append(url)
        return None if len(looks) == 1 else real_find(session, url)

    monkeypatch.setattr(service, "find_source_by_url", stale_first_look)
    monkeypatch.setattr(SourceRepo, "by_url", lambda self, url: None)
    probe = service.SourceProbe(server.url("/rss"), "rss", "Kyiv Daily", 2)
    with pytest.raises(SourceError, match=f"already in the list \\(#{first.source_id}"):
        service._store_source(ingestor, probe, ADMIN)


def test_source_context_arguments() -> None:
    from bot.services.ingest.source_context import (
        ContextError,
        SourceContext,
        parse_context,
    )

    assert parse_context(["kind=Think_Tank", "country=gb", "lang=EN"]) == SourceContext(
        "think-tank", "GB", "en"
    )
    assert parse_context(["type=state", "country=-"]) == SourceContext("state-affiliated", "-")
    for bad, reason in (
        (["size=3"], "key"),
        (["kind=blog"], "kind"),
        (["country=UKR"], "country"),
        (["lang=x"], "language"),
        (["kind="], "empty"),
        (["=wire"], "format"),
    ):
        with pytest.raises(ContextError) as raised:
            parse_context(bad)
        assert raised.value.reason == reason


def test_state_affiliated_list_matches_hosts_and_subdomains() -> None:
    from bot.services.ingest.source_context import (
        SourceContext,
        context_for_new_source,
        state_affiliated_country,
    )

    assert state_affiliated_country("https://tass.com/rss/v2.xml") == "RU"
    assert state_affiliated_country("https://www.rt.com/rss/") == "RU"
    assert state_affiliated_country("https://english.news.cn/feed") == "CN"
    assert state_affiliated_country("https://nottass.com/rss") is None
    assert state_affiliated_country("https://example.org/tass.com") is None
    marked = context_for_new_source("https://www.cgtn.com/rss", SourceContext(language="en"))
    assert marked == SourceContext("state-affiliated", "CN", "en")
    # what the admin said wins over the list
    given = SourceContext(kind="outlet")
    assert context_for_new_source("https://tass.com/", given).kind == "outlet"


@pytest.mark.parametrize("location", ["http:x", "https:foo", "http://xn--/"])
async def test_a_malformed_redirect_gets_a_clear_answer(
    ingestor: Ingestor, server, db, location: str
) -> None:  # type: ignore[no-untyped-def]
    from bot.render.sources import source_error
    from tests.support.http_server import redirect

    server.route("/moved", redirect(location))
    with pytest.raises(SourceError) as info:
        await add_source(ingestor, server.url("/moved"), None, ADMIN)
    text = source_error(get_translator("en"), info.value)
    assert text.startswith("Could not fetch it: redirect to an invalid address (")
    with db.session() as session:
        assert list_sources(session) == []
