"""Which of several bot processes on one PostgreSQL leads: polls Telegram, polls sources, sends.

Telegram allows one getUpdates consumer per bot and about 30 messages/s per bot, so the work
that must not be doubled, and the pacing that must hold across processes, belong to one
leader, chosen with a PostgreSQL advisory lock named after the bot. The others stand by:
they answer the updates that reach them (webhook mode behind a load balancer), queue digests
(subscriptions are claimed with SKIP LOCKED), and one of them takes over within about
`interval` seconds when the leader's connection ends (kill -9 included). The leader's unsent
outbox rows carry a lease; the next leader sends them once it has ended.

On SQLite there is one process (bot/single_process.py) and it always leads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from storage.advisory_lock import AdvisoryLock
from storage.db import Database

log = logging.getLogger(__name__)
RoleChange = Callable[[bool], Awaitable[None]]


class Leadership:
    def __init__(
        self, lock: AdvisoryLock, *, interval: float = 1.0, check_every: float = 5.0
    ) -> None:
        self.lock, self.interval, self.check_every = lock, interval, check_every
        self.listeners: list[RoleChange] = []
        self._stopping = False

    @classmethod
    def for_bot(cls, db: Database, bot_id: int | str) -> Leadership:
        return cls(AdvisoryLock(db.engine, f"briefbot-leader:{bot_id}"))

    @property
    def is_leader(self) -> bool:
        return self.lock.held

    async def run(self, keep_running: Callable[[], bool] = lambda: True) -> None:
        """Try for the lock every `interval` s; once held, check it every `check_every` s."""
        self._stopping = False
        was = False
        since_check = 0.0
        try:
            while keep_running() and not self._stopping:
                if not self.lock.held:
                    await asyncio.to_thread(self.lock.try_acquire)
                elif since_check >= self.check_every:
                    since_check = 0.0
                    await asyncio.to_thread(self.lock.check)
                if self.lock.held != was:
                    was = self.lock.held
                    log.info(
                        "this process %s", "leads" if was else "stands by",
                        extra={"fields": {"kind": "leadership", "leader": was}},
                    )  # fmt: skip
                    await self._tell(was)
                await asyncio.sleep(self.interval)
                since_check += self.interval
        finally:
            await asyncio.to_thread(self.lock.release)

    def stop(self) -> None:
        self._stopping = True

    async def _tell(self, leading: bool) -> None:
        for listener in list(self.listeners):
            try:
                await listener(leading)
            except Exception:
                log.exception("leadership listener failed")
