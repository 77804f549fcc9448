"""Writing "sent" marks for outbox rows as fast as the database allows.

The delivery worker holds a send slot from the request until the row is marked, so the time a
mark takes bounds the fan-out's pace (5 slots / (request + mark)). On PostgreSQL the marks go
through one autocommit connection owned by the event loop: one statement, one round trip, no
worker thread (a thread hop waits for the GIL behind whatever else the process runs). SQLite
(one process, a file) keeps a short transaction in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from storage.db import Database
from storage.repositories.outbox import OutboxRepo

# one round trip: the ids and Telegram's message ids travel as two arrays
_MARK_SENT = (
    "UPDATE outbox AS o SET state = 'sent', telegram_message_id = v.tg, sent_at = %s "
    "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, tg) WHERE o.id = v.id"
)


class SentWriter(Protocol):
    concurrency: int  # how many writes may run at once

    async def write(self, sent: Sequence[tuple[int, int]], now: datetime) -> None:
        """Mark (outbox id, Telegram message id) pairs sent; returns once they are committed."""

    async def close(self) -> None: ...


def sent_writer(db: Database) -> SentWriter:
    if db.engine.dialect.name == "postgresql":
        return PostgresSentWriter(db.url)
    return ThreadedSentWriter(db)


class ThreadedSentWriter:
    """A session in a worker thread (SQLite: one writer at a time, and any other engine)."""

    concurrency = 1

    def __init__(self, db: Database) -> None:
        self.db = db

    async def write(self, sent: Sequence[tuple[int, int]], now: datetime) -> None:
        await asyncio.to_thread(self._write, list(sent), now)

    def _write(self, sent: list[tuple[int, int]], now: datetime) -> None:
        with self.db.session() as session:
            OutboxRepo(session).mark_sent_many(sent, now)

    async def close(self) -> None:
        return None


class PostgresSentWriter:
    """psycopg AsyncConnections in autocommit mode, up to `concurrency` of them (a mark that
    comes while one write runs starts its own instead of waiting for it), opened on first use;
    one that failed is dropped, and all are when the event loop changes (a test's loop)."""

    concurrency = 2

    def __init__(self, url: str) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._idle: list[Any] = []  # psycopg.AsyncConnection, imported lazily
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _connection(self) -> Any:
        import psycopg

        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            await self.close()
            self._loop = loop
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn
        return await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)

    async def write(self, sent: Sequence[tuple[int, int]], now: datetime) -> None:
        if not sent:
            return
        conn = await self._connection()
        ids, message_ids = [row for row, _tg in sent], [tg for _row, tg in sent]
        try:
            await conn.execute(_MARK_SENT, (now, ids, message_ids))
        except BaseException:
            await _close(conn)  # a broken connection is not reused; the caller sees the error
            raise
        self._idle.append(conn)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await _close(conn)


async def _close(conn: Any) -> None:
    # closing one opened by a finished event loop may fail: there is nothing left to free then
    with contextlib.suppress(Exception):
        await conn.close()
