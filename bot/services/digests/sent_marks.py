"""Recording sends in the outbox, batched, without loosening the crash-safety bound."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from storage.db import Database
from storage.repositories.outbox import OutboxRepo


class SentMarks:
    """Marks rows `sent`, many per transaction: while one commit runs, the sends that finish
    meanwhile queue up and go into the next one. `mark` returns once the row is committed,
    so the caller's in-flight slot still covers it (the duplicate bound holds)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: list[tuple[int, int, asyncio.Future[None]]] = []
        self._flushing = False

    async def mark(self, row_id: int, telegram_message_id: int) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row_id, telegram_message_id, done))
        if not self._flushing:  # the first caller writes for everyone until nothing is left
            self._flushing = True
            try:
                while self._pending:
                    batch, self._pending = self._pending, []
                    await self._flush(batch)
            finally:
                self._flushing = False
        await done

    async def _flush(self, batch: list[tuple[int, int, asyncio.Future[None]]]) -> None:
        try:
            await asyncio.to_thread(self._write, [(row, tg) for row, tg, _f in batch])
        except Exception as exc:  # the rows stay pending: re-sent after a restart
            for _row, _tg, future in batch:
                future.set_exception(exc)
            return
        for _row, _tg, future in batch:
            future.set_result(None)

    def _write(self, sent: list[tuple[int, int]]) -> None:
        with self.db.session() as session:
            OutboxRepo(session).mark_sent_many(sent, datetime.now(UTC))
