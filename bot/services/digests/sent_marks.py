"""Recording sends in the outbox, batched, without loosening the crash-safety bound."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from storage.db import Database
from storage.repositories.sent_writer import SentWriter, sent_writer


class SentMarks:
    """Marks rows `sent`, many per statement: while the writer's writes run, the sends that
    finish meanwhile queue up and go into the next one. `mark` returns once the row is committed,
    so the caller's in-flight slot still covers it (the duplicate bound holds). On PostgreSQL a
    write is one round trip on the event loop (storage/repositories/sent_writer.py)."""

    def __init__(self, db: Database) -> None:
        self.writer: SentWriter = sent_writer(db)
        self._pending: list[tuple[int, int, asyncio.Future[None]]] = []
        self._writing = 0  # writing tasks (at most writer.concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def mark(self, row_id: int, telegram_message_id: int) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row_id, telegram_message_id, done))
        if self._writing < self.writer.concurrency:
            # a task of its own: the caller's slot is free once its row is in, not after
            # the writes for rows that came later
            self._writing += 1
            task = asyncio.create_task(self._write_pending())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        await done

    async def _write_pending(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                await self._flush(batch)
        finally:
            self._writing -= 1

    async def _flush(self, batch: list[tuple[int, int, asyncio.Future[None]]]) -> None:
        try:
            await self.writer.write([(row, tg) for row, tg, _f in batch], datetime.now(UTC))
        except BaseException as exc:  # the rows stay pending: re-sent after a restart
            for _row, _tg, future in batch:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError(exc))
            if not isinstance(exc, Exception):
                raise  # cancelled: the waiters were told, the task ends
            return
        for _row, _tg, future in batch:
            future.set_result(None)

    async def close(self) -> None:
        await self.writer.close()
