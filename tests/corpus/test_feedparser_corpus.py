"""feedparser's own test corpus through our parsing and the whole ingest path.

Nothing feedparser reads may be lost now that fastfeedparser reads most feeds: every file
feedparser reads as well-formed must be accepted, and every item with an address that
feedparser finds must come out with the same address and title. The corpus (about 2,200
files in feedparser's sdist) is not kept in this repository: scripts/test.sh fetches it
with scripts/feedparser_corpus.sh, or point FEEDPARSER_CORPUS at a `tests/` folder.
"""

from __future__ import annotations

import asyncio
import os
import socket
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from bot.services.fetching.feeds import _slow_item
from bot.services.fetching.fetcher import Fetcher
from bot.services.fetching.items import NotAFeed, ParsedItem
from bot.services.fetching.parsing import parse_source
from bot.services.ingest.dedup import canonical_url
from bot.services.ingest.ingestor import Ingestor
from bot.settings import load_settings
from storage.db import Database
from storage.models import Document, DocumentSource
from storage.repositories.sources import SourceRepo
from tests.support.http_server import LocalHTTPServer, Reply

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(
    os.environ.get("FEEDPARSER_CORPUS")
    or next(iter(sorted((ROOT / ".cache" / "feedparser-corpus").glob("*/tests"))), "")
    or "/nonexistent"
)
pytestmark = [
    pytest.mark.skipif(
        not CORPUS.is_dir(),
        reason="feedparser's test corpus is not here: run scripts/feedparser_corpus.sh (it "
        "downloads feedparser's sdist from PyPI) or set FEEDPARSER_CORPUS to its tests/ folder",
    ),
    pytest.mark.skipif(
        os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
        reason="parsing does not depend on the database: the corpus runs once, on SQLite",
    ),
]
BASE = "http://corpus.example/feed"
XML = "application/xml"


def corpus() -> list[tuple[str, bytes]]:
    return [
        (p.relative_to(CORPUS).as_posix(), p.read_bytes()) for p in sorted(CORPUS.rglob("*.xml"))
    ]


def feedparser_reads(body: bytes, base: str) -> tuple[bool, list[ParsedItem]]:
    """(well-formed?, the items with an address) as feedparser alone reads the bytes."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    items = [item for e in parsed.entries if (item := _slow_item(e, base))]
    return not parsed.get("bozo"), items


def differences(name: str, body: bytes) -> list[str]:
    well_formed, expected = feedparser_reads(body, BASE)
    try:
        got = {item.url: item for item in parse_source(body, BASE, XML).items}
    except NotAFeed as exc:
        return [f"{name}: refused ({exc})"] if well_formed or expected else []
    problems = []
    for want in expected:
        have = got.get(want.url)
        if have is None:
            problems.append(f"{name}: lost {want.url}")
        elif have.title != want.title:
            problems.append(f"{name}: title {have.title!r} instead of {want.title!r}")
        elif want.published and (
            have.published is None or abs(have.published - want.published) > timedelta(seconds=1)
        ):
            problems.append(f"{name}: date {have.published} instead of {want.published}")
    return problems


def test_nothing_feedparser_reads_is_lost_in_parsing() -> None:
    files = corpus()
    assert len(files) > 1000, f"only {len(files)} feed files in {CORPUS}"
    problems = [p for name, body in files for p in differences(name, body)]
    assert not problems, f"{len(problems)} differences, e.g.:\n" + "\n".join(problems[:15])


def test_the_corpus_through_the_whole_ingest_path(tmp_path: Path) -> None:
    """Served from loopback, fetched, parsed, deduplicated, linked and stored."""
    files = corpus()
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'corpus.sqlite3'}", allow_private_urls=True
    )
    db = Database(settings.database_url)
    db.upgrade()
    expected_urls: set[str] = set()
    well_formed: dict[str, str] = {}
    with LocalHTTPServer(max_lifetime=600) as server:
        with db.session() as session:
            repo = SourceRepo(session)
            for i, (name, body) in enumerate(files):
                path = f"/{i}.xml"
                server.route(path, Reply(200, body, {"Content-Type": XML}))
                ok, items = feedparser_reads(body, server.url(path))
                if ok:
                    well_formed[server.url(path)] = name
                expected_urls.update(canonical_url(item.url) for item in items)
                repo.add(server.url(path), name=name)
        summary = asyncio.run(_ingest_all(db, settings))
    refused = [
        f"{well_formed[r.url]}: {r.error}"
        for r in summary.reports
        if r.status == "error" and r.url in well_formed
    ]
    assert len(well_formed) > 1000
    assert not refused, f"{len(refused)} well-formed feeds refused, e.g.:\n" + "\n".join(
        refused[:15]
    )
    with db.session() as session:  # a copy of a stored story is one more address of it
        stored = set(session.scalars(select(Document.url)))
        stored |= {canonical_url(u) for u in session.scalars(select(DocumentSource.url))}
    db.dispose()
    missing = sorted(expected_urls - stored)
    assert not missing, f"{len(missing)} items feedparser reads were not stored: {missing[:10]}"


async def _offline(host: str, port: int) -> list[str]:
    """Article pages of teaser items live on example.com and the like: never look them up."""
    raise socket.gaierror(socket.EAI_NONAME, "offline test: only loopback")


async def _ingest_all(db: Database, settings):  # type: ignore[no-untyped-def]
    fetcher = Fetcher.from_settings(
        settings, retries=0, per_host=20, global_limit=20, resolver=_offline
    )
    try:
        return await Ingestor(db, fetcher, settings).ingest_all()
    finally:
        await fetcher.aclose()
