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
import contextlib
import logging
from collections.abc import Awaitable, Callable

from telegram.ext import Application, ContextTypes

from storage.advisory_lock import AdvisoryLock
from storage.db import Database

log = logging.getLogger(__name__)
KEY = "leadership"
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


def leadership_of(app: Application) -> Leadership | None:
    return app.bot_data.get(KEY)


def is_leader(app: Application) -> bool:
    """True unless leadership runs and another process leads (no leadership: one process)."""
    leadership = leadership_of(app)
    return leadership is None or leadership.is_leader


def register(app: Application) -> None:
    """A JOB_REGISTRARS entry: leadership from the first moment, polling only while leading."""
    deps = app.bot_data["deps"]
    bot_id = app.bot.token.split(":", 1)[0]
    leadership = app.bot_data[KEY] = Leadership.for_bot(deps.db, bot_id)
    leadership.listeners.append(lambda leading: _poll_updates_while_leading(app, leading))
    assert app.job_queue is not None
    # never skipped: APScheduler drops a job more than a second late by default, and a busy
    # machine at start-up is exactly when that happens
    app.job_queue.run_once(
        _start, when=0, name="leadership-start", job_kwargs={"misfire_grace_time": None}
    )


async def _start(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    leadership = leadership_of(app)
    assert leadership is not None
    await _poll_updates_while_leading(app, leadership.is_leader)
    app.create_task(leadership.run(lambda: app.running), name="leadership")


async def _poll_updates_while_leading(app: Application, leading: bool) -> None:
    """Long polling: only the leader calls getUpdates (Telegram answers 409 to a second one)."""
    updater = app.updater
    if updater is None or not app.bot_data.get("long_polling"):
        return
    if leading and not updater.running:
        await updater.start_polling(allowed_updates=None, drop_pending_updates=False)
    elif not leading and updater.running:
        with contextlib.suppress(RuntimeError):
            await updater.stop()
