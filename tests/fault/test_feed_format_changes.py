"""One URL that changes what it serves between polls: RSS → Atom → HTML → RSS.

Sites move between feed generators and sometimes put a landing page where the feed was.
Each poll must succeed or say clearly what came back, and a story seen in one format is
not stored again when it comes back in another (other guids, tracking parameters).
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.services.ingest.ingestor import Ingestor
from storage.db import Database
from storage.models import Document, DocumentSource, Source
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

LANDING = (
    b"<!doctype html><html><head><title>Our new site</title>"
    b'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>'
    b"<body><nav><a href='/'>Home</a></nav><p>We moved!</p></body></html>"
)


def _stories(server: LocalHTTPServer, numbers: range) -> list[Story]:
    return [
        Story(
            server.url(f"/news/{n}"),
            f"Story {n}",
            story_text("format change", n),
            f"rss-{n}",
        )
        for n in numbers
    ]


def _as_atom(stories: list[Story]) -> list[Story]:
    """What a new feed generator makes of the same stories: other ids, tagged links."""
    return [
        Story(f"{s.url}?utm_source=atom", s.title, s.text, f"tag:news,{s.guid}") for s in stories
    ]


async def test_feed_that_changes_format_between_polls(
    db: Database, ingestor: Ingestor, server: LocalHTTPServer
) -> None:
    article = article_page("The site now shows one article", story_text("landing article", 7))
    polls = [
        Reply(body=rss(_stories(server, range(0, 3))), headers={"Content-Type": RSS_TYPE}),
        Reply(
            body=atom(_as_atom(_stories(server, range(1, 5)))), headers={"Content-Type": ATOM_TYPE}
        ),
        Reply(body=LANDING, headers={"Content-Type": HTML_TYPE}),
        Reply(body=article, headers={"Content-Type": HTML_TYPE}),
        Reply(body=rss(_stories(server, range(0, 6))), headers={"Content-Type": RSS_TYPE}),
    ]
    served = iter(polls)
    server.route("/feed", lambda request: next(served))
    with db.session() as session:
        source_id = SourceRepo(session).add(server.url("/feed"), name="Shifty", kind="rss").id

    reports, states = [], []
    for _poll in polls:
        reports.append(await ingestor.ingest_source(source_id))
        with db.session() as session:
            state = session.get(Source, source_id)
            assert state is not None
            states.append((state.last_status, state.consecutive_failures))

    assert [(r.status, r.new_documents) for r in reports] == [
        ("ok", 3),  # stories 0-2
        ("ok", 2),  # stories 3 and 4; 1 and 2 are known under other ids and tagged links
        ("error", 0),
        ("ok", 1),  # the page itself, as an article
        ("ok", 1),  # story 5; 0-4 known
    ]
    assert reports[2].error == (
        "an HTML page without article text; the page links to a feed: " + server.url("/rss.xml")
    )
    # the admin sees the landing page as a failing source, and it recovers with the feed
    assert states == [("ok", 0), ("ok", 0), ("error", 1), ("ok", 0), ("ok", 0)]
    with db.session() as session:
        titles = session.execute(
            select(Document.title, func.count()).group_by(Document.title)
        ).all()
        links = session.execute(select(DocumentSource.document_id, DocumentSource.source_id)).all()
    assert all(n == 1 for _t, n in titles), f"a story stored twice: {titles}"
    assert len(titles) == 7  # stories 0-5 and the article page
    assert len(links) == len(set(links)) == 7
