"""kill -9 in the middle of `briefbot ingest`, then a second run: nothing lost, nothing twice.

Each feed is stored in one transaction (documents, their sources and the source's poll
state together), so a process killed between feeds leaves whole feeds or nothing, and the
next run picks up the rest without storing anything a second time.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from storage.db import Database
from storage.models import Document, DocumentSource
from storage.repositories.sources import SourceRepo
from tests.support.http_server import LocalHTTPServer, Reply
from tests.unit.feeds import RSS_TYPE, Story, rss, story_text

ROOT = Path(__file__).resolve().parents[2]
FEEDS, ITEMS, SHARED = 24, 8, 2  # feed i < 12 also carries 2 stories of feed i + 12
FEED_DELAY = 0.25  # a slow-ish server: two requests at a time per host, so ~3 s of fetching

# what the `briefbot` console script runs (bot.cli:main)
BRIEFBOT = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _stories(server: LocalHTTPServer, feed: int) -> list[Story]:
    return [
        Story(
            url=server.url(f"/news/{feed}/story-{i}"),
            title=f"Feed {feed} story {i}",
            text=story_text(f"feed {feed}", i),
            guid=f"f{feed}-{i}",
        )
        for i in range(ITEMS)
    ]


def _mirrored(server: LocalHTTPServer, feed: int) -> list[Story]:
    """The same stories under another path and guid (as another outlet republishes them)."""
    return [
        Story(s.url.replace("/news/", "/mirror/"), s.title, s.text, "m-" + (s.guid or ""))
        for s in _stories(server, feed)[:SHARED]
    ]


@pytest.fixture
def feeds(db: Database) -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer(max_lifetime=60) as server:
        for feed in range(FEEDS):
            items = _stories(server, feed)
            if feed < FEEDS // 2:
                items += _mirrored(server, feed + FEEDS // 2)
            body = rss(items, title=f"Feed {feed}")
            server.route(
                f"/feed/{feed}",
                Reply(body=body, headers={"Content-Type": RSS_TYPE}, delay=FEED_DELAY),
            )
        with db.session() as session:
            repo = SourceRepo(session)
            for feed in range(FEEDS):
                repo.add(server.url(f"/feed/{feed}"), name=f"Feed {feed}", kind="rss")
        yield server


def _start_ingest(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": settings.database_url,
        "ALLOW_PRIVATE_URLS": "true",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-c", BRIEFBOT, "ingest"],
        cwd=log.parent,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _documents_now(path: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def _kill_mid_run(proc: subprocess.Popen[bytes], db_path: str, deadline: float) -> int:
    """SIGKILL as soon as some feeds are stored and others are not; the count at that time."""
    while time.monotonic() < deadline:
        stored = _documents_now(db_path)
        if stored > 0:
            proc.send_signal(signal.SIGKILL)
            proc.wait(5)
            return stored
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"the ingest ended (rc={proc.returncode}) before it could be killed mid-run")


def _integrity(db_path: str) -> str:
    with sqlite3.connect(db_path, timeout=5) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_kill_9_during_ingest_then_restart_stores_everything_once(
    settings: Settings, db: Database, feeds: LocalHTTPServer, tmp_path: Path
) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the kill test inspects the SQLite file directly")
    db_path = db.engine.url.database
    assert db_path
    first = _start_ingest(settings, tmp_path / "first.log")
    stored_when_killed = _kill_mid_run(first, db_path, time.monotonic() + 12)
    assert first.returncode == -signal.SIGKILL
    assert 0 < stored_when_killed < FEEDS * ITEMS, "killed too late to prove anything"
    assert _integrity(db_path) == "ok"

    second = _start_ingest(settings, tmp_path / "second.log")
    try:
        second.wait(15)
    finally:
        second.kill()
    output = (tmp_path / "second.log").read_text(errors="replace")
    assert second.returncode == 0, output

    assert _integrity(db_path) == "ok"
    with db.session() as session:
        urls = session.scalars(select(Document.url)).all()
        links = session.execute(select(DocumentSource.document_id, DocumentSource.source_id)).all()
        per_title = session.execute(
            select(Document.title, func.count()).group_by(Document.title)
        ).all()
    expected = {s.title for f in range(FEEDS) for s in _stories(feeds, f)}
    assert len(urls) == len(set(urls)), "a canonical URL is stored twice"
    # a mirrored story is stored under whichever URL came first, but only once
    assert {title for title, _n in per_title} == expected, "every story is stored"
    assert all(n == 1 for _title, n in per_title), "a story was stored twice"
    assert len(urls) == FEEDS * ITEMS
    assert len(links) == len(set(links)) == FEEDS * ITEMS + (FEEDS // 2) * SHARED
