"""The database locked by another writer, or full: clear errors, retries, nothing lost.

"Full" is simulated with SQLite's `PRAGMA max_page_count` on every new connection (the file
may not grow), which fails writes with SQLITE_FULL exactly as a full disk does.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest
from sqlalchemy import event, func, select

from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor
from bot.settings import Settings
from storage.db import Database
from storage.models import Document, Fact, Source
from storage.repositories.sources import SourceRepo
from tests.conftest import ADMIN_ID
from tests.support.bot_harness import console_for
from tests.support.http_server import LocalHTTPServer, Reply
from tests.unit.feeds import RSS_TYPE, Story, rss, story_text


@pytest.fixture
def sqlite_path(db: Database) -> str:
    if db.engine.dialect.name != "sqlite" or not db.engine.url.database:
        pytest.skip("locks and page limits are SQLite's")
    return db.engine.url.database


def add_feed(db: Database, server: LocalHTTPServer, name: str, n: int) -> int:
    """A feed of `n` stories at /<name>, registered as a source; returns its id."""
    stories = [
        Story(server.url(f"/{name}/{i}"), f"{name} {i}", story_text(name, i), f"{name}-{i}")
        for i in range(n)
    ]
    server.route(f"/{name}", Reply(body=rss(stories), headers={"Content-Type": RSS_TYPE}))
    with db.session() as session:
        return SourceRepo(session).add(server.url(f"/{name}"), name=name, kind="rss").id


@asynccontextmanager
async def ingestor_for(db: Database, settings: Settings) -> AsyncIterator[Ingestor]:
    fetcher = Fetcher.from_settings(settings, retries=0)
    try:
        yield Ingestor(db, fetcher, settings)
    finally:
        await fetcher.aclose()


@contextmanager
def write_lock_held(path: str, seconds: float) -> Iterator[threading.Thread]:
    """Another process-like writer: BEGIN IMMEDIATE, write, hold for `seconds`, commit."""
    locked = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, timeout=5, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE sources SET name = name")
            locked.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert locked.wait(5), "could not take the write lock"
    try:
        yield thread
    finally:
        thread.join(seconds + 5)


@contextmanager
def database_full(db: Database) -> Iterator[None]:
    """Every new connection may not grow the file (SQLITE_FULL on the first new page)."""

    def cap(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # clamps to the current size

    db.engine.dispose()
    event.listen(db.engine, "connect", cap)
    try:
        yield
    finally:
        event.remove(db.engine, "connect", cap)
        db.engine.dispose()


def integrity(path: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def documents(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def source_state(db: Database, source_id: int) -> tuple[str, str | None]:
    with db.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        return source.last_status, source.last_error


async def test_store_waits_for_a_writer_holding_the_lock_and_succeeds(
    db: Database, settings: Settings, server: LocalHTTPServer, sqlite_path: str
) -> None:
    source_id = add_feed(db, server, "locked", 5)
    async with ingestor_for(db, settings) as ingestor:
        with write_lock_held(sqlite_path, 2.0):
            started = time.monotonic()
            report = await ingestor.ingest_source(source_id)
            waited = time.monotonic() - started
    assert (report.status, report.new_documents) == ("ok", 5)
    assert waited >= 1.5, "the store step did not wait for the other writer"
    assert documents(db) == 5 and integrity(sqlite_path) == "ok"


async def test_lock_held_beyond_the_busy_timeout_is_a_clear_error_then_a_retry(
    settings: Settings, db: Database, server: LocalHTTPServer, sqlite_path: str
) -> None:
    impatient = Database(settings.database_url, busy_timeout=0.3)
    source_id = add_feed(db, server, "impatient", 4)
    try:
        async with ingestor_for(impatient, settings) as ingestor:
            with write_lock_held(sqlite_path, 1.5):
                report = await ingestor.ingest_source(source_id)
            assert report.status == "error"
            assert report.error and report.error.startswith("database busy")
            assert documents(db) == 0, "a half-stored poll"
            again = await ingestor.ingest_source(source_id)  # the next poll, lock gone
    finally:
        impatient.dispose()
    assert (again.status, again.new_documents) == ("ok", 4)
    assert source_state(db, source_id) == ("ok", None)
    assert integrity(sqlite_path) == "ok"


async def test_full_database_fails_the_poll_clearly_and_loses_nothing_stored(
    db: Database, settings: Settings, server: LocalHTTPServer, sqlite_path: str
) -> None:
    before = add_feed(db, server, "before", 3)
    during = add_feed(db, server, "during", 12)
    async with ingestor_for(db, settings) as ingestor:
        assert (await ingestor.ingest_source(before)).new_documents == 3
        with database_full(db):
            report = await ingestor.ingest_source(during)
            assert documents(db) == 3, "what was stored before is still readable"
        assert report.status == "error"
        assert report.error == (
            "database full (disk or size limit): nothing from this poll was stored"
        )
        assert source_state(db, during) == ("error", report.error)
        assert integrity(sqlite_path) == "ok"
        after = await ingestor.ingest_source(during)  # space again: the poll goes through
    assert (after.status, after.new_documents) == ("ok", 12)
    assert documents(db) == 15 and integrity(sqlite_path) == "ok"


# ---- a write command (/addfact) over the real handlers ---------------------------------

FACT = "/addfact 1 Poland offered to host a logistics hub for the mission."
BUSY = "The bot is busy writing other changes. Please try again in a minute."
FULL = "The bot's storage is full, so nothing was changed. Please try again later."


def facts_like_poland(db: Database) -> int:
    with db.session() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Fact).where(Fact.text.like("Poland offered%"))
            )
            or 0
        )


async def test_write_command_waits_for_another_writer_and_succeeds(
    settings: Settings, db: Database, sqlite_path: str
) -> None:
    async with console_for(settings, db, ADMIN_ID) as console:
        with write_lock_held(sqlite_path, 2.0):
            started = time.monotonic()
            answer = await console.send_line(FACT)  # type: ignore[attr-defined]
            waited = time.monotonic() - started
    assert "Added fact #" in answer and waited >= 1.5
    assert facts_like_poland(db) == 1


async def test_write_command_says_busy_when_the_lock_outlasts_the_timeout(
    settings: Settings, db: Database, sqlite_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    impatient = Database(settings.database_url, busy_timeout=0.3)
    try:
        async with console_for(settings, impatient, ADMIN_ID) as console:
            with write_lock_held(sqlite_path, 1.5):
                answer = await console.send_line(FACT)  # type: ignore[attr-defined]
            again = await console.send_line(FACT)  # type: ignore[attr-defined]
    finally:
        impatient.dispose()
    assert answer.strip() == BUSY  # no traceback, no internals
    assert "Added fact #" in again and facts_like_poland(db) == 1
    logged = [r for r in caplog.records if r.name == "briefbot.errors"]
    assert logged and all(r.exc_info is None for r in logged), "one line, not a traceback"


async def test_write_command_on_a_full_database_changes_nothing(
    settings: Settings, db: Database, sqlite_path: str
) -> None:
    async with console_for(settings, db, ADMIN_ID) as console:
        before = await console.send_line("/proposal 1")  # type: ignore[attr-defined]
        with database_full(db):
            answer = await console.send_line(FACT + " More words." * 110)  # type: ignore[attr-defined]
            still_readable = await console.send_line("/proposal 1")  # type: ignore[attr-defined]
        after = await console.send_line(FACT)  # type: ignore[attr-defined]
    assert answer.strip() == FULL
    assert still_readable == before, "reading goes on while writes fail"
    assert "Added fact #" in after and facts_like_poland(db) == 1
    assert integrity(sqlite_path) == "ok"
