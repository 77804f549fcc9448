"""The delivery worker: sends pending outbox rows, paced by the FloodGate, and records each.

Crash safety: a row is marked `sent` (with Telegram's message id) right after its send, and
at most `max_in_flight` sends are between "sent" and "marked" at any moment, so a `kill -9`
followed by a restart re-sends at most that many messages and never a whole fan-out.

Per chat, rows go out one after the other in outbox order (parts of a digest in order);
different chats are served concurrently up to `max_in_flight` requests.

Several processes on one PostgreSQL: rows are claimed in the database (FOR UPDATE SKIP LOCKED,
stamped with `owner` and a lease renewed while they are held), so no two processes take the
same row, and the rows of a process that died go to another once their lease has ended. Bulk
sending happens only while `may_send()` is true (the leader, see bot/services/leadership.py), so the
flood limits of one bot hold across processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import socket
import time
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.services.digests.pacing import FloodGate, retry_seconds
from bot.services.digests.sent_marks import SentMarks
from storage.db import Database
from storage.models import utcnow
from storage.repositories.outbox import OutboxRepo, PendingMessage
from storage.repositories.subscriptions import SubscriptionRepo

log = logging.getLogger(__name__)
_NO_PREVIEW = {"is_disabled": True}
BACKLOG_SECONDS = 3.0  # the sending process queues more only below this much work (PostgreSQL)
BACKLOG_POLL = 0.5  # seconds between looks at that backlog
# `_send` calls sendMessage through do_api_request on purpose (a dict answer, no Message
# object); PTB would suggest send_message on every call
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)

# 400 answers that mean the chat (or topic) will never accept our messages again
_CHAT_GONE = ("chat not found", "not enough rights", "have no rights", "need administrator")
_TOPIC_GONE = ("thread not found", "topic_closed", "topic_deleted", "topic closed")


class NextStep(enum.Enum):
    """What the worker does after one row of a chat."""

    NEXT = "next"  # go on with the chat's next row
    STOP_CHAT = "stop"  # leave the chat's other rows (postponed, or the chat is gone)


def process_name() -> str:
    """Who claims outbox rows: host and process id (64 characters at most)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        bot: Bot,
        gate: FloodGate,
        *,
        paid_broadcast: bool = False,
        max_in_flight: int = 10,
        batch: int = 256,
        max_attempts: int = 5,
        backoff_base: float = 5.0,
        backoff_max: float = 900.0,
        idle_poll: float = 2.0,
        owner: str | None = None,
        lease: float = 60.0,
        may_send: Callable[[], bool] = lambda: True,
    ) -> None:
        self.db, self.bot, self.gate = db, bot, gate
        self.owner = owner or process_name()
        self.lease = timedelta(seconds=lease)
        self.may_send = may_send
        self._renewed_at = 0.0
        self.paid_broadcast = paid_broadcast
        self.batch, self.max_attempts = batch, max_attempts
        self.backoff_base, self.backoff_max, self.idle_poll = backoff_base, backoff_max, idle_poll
        self.stats: Counter[str] = Counter()
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self._claimed: set[int] = set()
        # rows released while a read of pending rows is under way, one set per such read:
        # that read may have seen them pending just before they were marked sent
        self._released_during: list[set[int]] = []
        self._queues: dict[int, deque[PendingMessage]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._migrated: dict[int, int] = {}
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._running = False  # `run` is under way (read by the enqueuer's thread)
        self._paced = getattr(bot, "rate_limiter", None) is not None
        self._marks = SentMarks(db)

    # -- control ------------------------------------------------------------------------
    def wake(self) -> None:
        """New rows were written: look now rather than at the next poll."""
        self._wake.set()

    def wake_from_thread(self) -> None:
        """`wake` for code running in a worker thread (the enqueuer after each batch)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Finish the sends in flight, then let `run` return (pending rows stay pending)."""
        self._stopping = True
        self._wake.set()

    @property
    def busy(self) -> bool:
        return bool(self._claimed)

    def wait_for_room(self) -> None:
        """The enqueuer calls this (in its worker thread) before each batch of a fan-out.

        On PostgreSQL the sending process queues only while the outbox holds less than
        BACKLOG_SECONDS of sending: rendering digests in its own threads would take the GIL
        from the send loop, and processes standing by have the CPU to queue the rest (they
        take subscriptions with SKIP LOCKED). Alone, it queues again as its backlog drains."""
        if self.db.engine.dialect.name != "postgresql":
            return  # one process: it queues while it sends, as before
        room = max(self.batch, int(self.gate.global_rate * BACKLOG_SECONDS))
        while self._running and self.may_send() and self._backlog(room) >= room:
            time.sleep(BACKLOG_POLL)

    async def run(self, keep_running: Callable[[], bool] = lambda: True) -> None:
        self._stopping = False
        self._running = True
        self._loop = asyncio.get_running_loop()
        if self.db.engine.dialect.name == "sqlite":  # one process: older claims are a past run's
            await asyncio.to_thread(self._release_all)
        try:
            while keep_running() and not self._stopping:
                self._wake.clear()  # before looking: a wake-up while we look is kept
                await self._renew_leases()
                if len(self._claimed) <= self.batch // 2 and self.may_send():
                    await self._claim_more()
                if self._claimed:
                    timeout = 0.5
                elif self.may_send():
                    timeout = await self._idle_timeout()
                else:  # standing by: the leader sends, nothing to look up
                    timeout = self.idle_poll
                if self._stopping:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
        finally:
            self._stopping = True
            self._running = False
            if self._tasks:
                await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            with contextlib.suppress(Exception):  # give the rest back for another process
                await asyncio.to_thread(self._release_mine)
            with contextlib.suppress(Exception):
                await self._marks.close()

    async def drain(self, timeout: float = 30.0) -> None:
        """Run until nothing is pending any more, retries included (tests, benchmarks)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def keep_running() -> bool:
            return loop.time() < deadline

        runner = asyncio.create_task(self.run(keep_running))
        while loop.time() < deadline:
            await asyncio.sleep(0.02)
            if not self._claimed and not await asyncio.to_thread(self._has_pending):
                break
        self.stop()
        await runner

    async def deliver_now(self, digest_id: int) -> int:
        """Send one digest at once with reply priority (/digest: someone is waiting)."""
        rows = await self._read_pending(self._claim_digest, digest_id)
        self._claimed.update(r.id for r in rows)
        sent = 0
        try:
            for row in rows:
                before = self.stats["sent"]
                outcome = await self._deliver(row, bulk=False)
                sent += self.stats["sent"] - before
                if outcome is NextStep.STOP_CHAT:
                    break
        finally:
            self._release(r.id for r in rows)
        return sent

    async def _read_pending(
        self, read: Callable[..., list[PendingMessage]], *args: object
    ) -> list[PendingMessage]:
        """Pending rows from `read` (run in a thread), minus those claimed now and those
        released while it ran: a row sent and marked meanwhile may still read as pending."""
        released: set[int] = set()
        self._released_during.append(released)
        try:
            rows = await asyncio.to_thread(read, *args)
        finally:
            # by identity: sets compare by value, and another read's set may be equal
            self._released_during = [s for s in self._released_during if s is not released]
        return [r for r in rows if r.id not in self._claimed and r.id not in released]

    def _release(self, row_ids: Iterable[int]) -> None:
        ids = set(row_ids)
        self._claimed.difference_update(ids)
        for released in self._released_during:
            released.update(ids)

    # -- the loop -----------------------------------------------------------------------
    async def _claim_more(self) -> None:
        exclude = set(self._claimed)
        rows = await self._read_pending(self._claim, self.batch - len(exclude), exclude)
        for row in rows:
            self._claimed.add(row.id)
            queue = self._queues.get(row.chat_id)
            if queue is not None:
                queue.append(row)
            else:
                self._queues[row.chat_id] = deque([row])
                self._tasks[row.chat_id] = asyncio.create_task(self._serve_chat(row.chat_id))

    async def _serve_chat(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue and not self._stopping:
                outcome = await self._deliver(queue[0], bulk=True)
                self._release([queue.popleft().id])
                if outcome is NextStep.STOP_CHAT:
                    break
        except Exception:  # never lose the worker to one chat; the row stays pending
            log.exception("delivery to chat %s failed unexpectedly", chat_id)
        finally:
            self._release(r.id for r in queue)
            del self._queues[chat_id]
            del self._tasks[chat_id]
            if len(self._claimed) <= self.batch // 2:
                self._wake.set()

    async def _renew_leases(self) -> None:
        """Every third of the lease, extend it over the rows this process still holds."""
        now = asyncio.get_running_loop().time()
        if not self._claimed or now - self._renewed_at < self.lease.total_seconds() / 3:
            return
        self._renewed_at = now
        with contextlib.suppress(Exception):  # a missed renewal only risks a duplicate
            await asyncio.to_thread(self._renew, set(self._claimed))

    async def _idle_timeout(self) -> float:
        next_at = await asyncio.to_thread(self._next_not_before)
        if next_at is None:
            return self.idle_poll
        return min(self.idle_poll, max(0.05, (next_at - utcnow()).total_seconds()))

    # -- one message --------------------------------------------------------------------
    async def _deliver(self, row: PendingMessage, *, bulk: bool) -> NextStep:
        while True:
            chat_id = self._migrated.get(row.chat_id, row.chat_id)
            # the token first, then a slot: waiting for the rate never holds a slot idle
            if bulk:
                await self.gate.acquire_bulk(chat_id)
            else:
                await self.gate.acquire_reply(chat_id)
            async with self._in_flight:  # held until the row is marked: bounds duplicates
                try:
                    message_id = await self._send(row, chat_id)
                except RetryAfter as exc:
                    self.stats["rate_limited"] += 1
                    self.gate.pause(retry_seconds(exc))
                    continue
                except ChatMigrated as exc:
                    await asyncio.to_thread(self._migrate, chat_id, exc.new_chat_id)
                    self._migrated[row.chat_id] = exc.new_chat_id
                    row = replace(row, chat_id=exc.new_chat_id)
                    continue
                except TelegramError as exc:
                    return await self._failed(row, chat_id, exc)
                except Exception as exc:  # a bug or an unexpected library error: retry later
                    log.exception("sending message %s failed", row.id)
                    return await self._retry_later(row, f"{type(exc).__name__}: {exc}"[:300])
                await self._marks.mark(row.id, message_id)
                self.stats["sent"] += 1
                _log_sent(row, chat_id, message_id)
                return NextStep.NEXT

    async def _send(self, row: PendingMessage, chat_id: int) -> int:
        """sendMessage; returns Telegram's message id. The answer stays a dict: building a
        Message (with every entity of a long digest) would cost more CPU than the request."""
        params: dict[str, object] = {
            "chat_id": chat_id,
            "text": row.text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": _NO_PREVIEW,
        }
        if row.thread_id:
            params["message_thread_id"] = row.thread_id
        if row.reply_markup:  # an admin's digest: its link-correction button
            params["reply_markup"] = row.reply_markup
        if self.paid_broadcast:
            params["allow_paid_broadcast"] = True
        paced = {"rate_limit_args": {"paced": True}} if self._paced else {}
        result = await self.bot.do_api_request("sendMessage", api_kwargs=params, **paced)
        return int(result["message_id"])

    async def _failed(self, row: PendingMessage, chat_id: int, exc: TelegramError) -> NextStep:
        reason = f"{type(exc).__name__}: {exc.message}"[:300]
        lowered = exc.message.lower()
        if isinstance(exc, Forbidden) or (
            isinstance(exc, BadRequest) and any(s in lowered for s in _CHAT_GONE)
        ):
            self.stats["blocked"] += 1
            log.info("chat %s is gone (%s): subscription deactivated", chat_id, reason)
            await asyncio.to_thread(self._chat_gone, chat_id, reason)
            return NextStep.STOP_CHAT
        if isinstance(exc, BadRequest) and any(s in lowered for s in _TOPIC_GONE):
            self.stats["blocked"] += 1
            await asyncio.to_thread(self._topic_gone, row, reason)
            return NextStep.STOP_CHAT
        if isinstance(exc, BadRequest):  # our message is wrong: sending it again cannot help
            self.stats["failed"] += 1
            log.error(
                "message %s rejected by Telegram: %s",
                row.id,
                reason,
                extra={"fields": _failed_fields(row, reason)},
            )
            await asyncio.to_thread(self._mark_failed, row.id, reason)
            return NextStep.NEXT
        return await self._retry_later(row, reason)

    async def _retry_later(self, row: PendingMessage, reason: str) -> NextStep:
        """Transient trouble (5xx, network): back off exponentially, then give up."""
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            self.stats["failed"] += 1
            log.warning(
                "giving up on message %s after %d attempts: %s",
                row.id,
                attempts,
                reason,
                extra={"fields": _failed_fields(row, reason)},
            )
            await asyncio.to_thread(self._mark_failed, row.id, reason)
            return NextStep.NEXT
        self.stats["retried"] += 1
        delay = min(self.backoff_max, self.backoff_base * 2 ** (attempts - 1))
        await asyncio.to_thread(self._postpone, row, attempts, delay, reason)
        return NextStep.STOP_CHAT

    # -- database (run in threads: never block the event loop) ---------------------------
    def _claim(self, limit: int, exclude: set[int]) -> list[PendingMessage]:
        with self.db.session() as session:
            return OutboxRepo(session).claim_pending(
                utcnow(), limit, exclude, owner=self.owner, lease=self.lease
            )

    def _claim_digest(self, digest_id: int) -> list[PendingMessage]:
        with self.db.session() as session:
            return OutboxRepo(session).claim_digest(digest_id, self.owner, utcnow(), self.lease)

    def _renew(self, ids: set[int]) -> None:
        with self.db.session() as session:
            OutboxRepo(session).renew_leases(ids, self.owner, utcnow() + self.lease)

    def _release_mine(self) -> None:
        with self.db.session() as session:
            OutboxRepo(session).release_claims(self.owner)

    def _release_all(self) -> None:
        with self.db.session() as session:
            OutboxRepo(session).release_claims(None)

    def _backlog(self, cap: int) -> int:
        with self.db.session() as session:
            return OutboxRepo(session).pending_at_least(cap)

    def _has_pending(self) -> bool:
        with self.db.session() as session:
            return OutboxRepo(session).next_not_before() is not None

    def _next_not_before(self) -> datetime | None:
        with self.db.session() as session:
            return OutboxRepo(session).next_not_before()

    def _mark_failed(self, row_id: int, reason: str) -> None:
        with self.db.session() as session:
            OutboxRepo(session).mark_failed(row_id, reason)

    def _postpone(self, row: PendingMessage, attempts: int, delay: float, reason: str) -> None:
        not_before = utcnow() + timedelta(seconds=delay)
        with self.db.session() as session:
            OutboxRepo(session).postpone_chat(row.chat_id, row.id, not_before, reason, attempts)

    def _chat_gone(self, chat_id: int, reason: str) -> None:
        with self.db.session() as session:
            SubscriptionRepo(session).deactivate_chat(chat_id, reason)
            OutboxRepo(session).drop_pending_for_chat(chat_id, reason)

    def _topic_gone(self, row: PendingMessage, reason: str) -> None:
        with self.db.session() as session:
            if row.subscription_id is not None:
                SubscriptionRepo(session).deactivate(row.subscription_id, reason)
                OutboxRepo(session).drop_pending_for_subscription(row.subscription_id, reason)
            else:
                OutboxRepo(session).mark_failed(row.id, reason)

    def _migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        with self.db.session() as session:
            SubscriptionRepo(session).migrate_chat(old_chat_id, new_chat_id)
            OutboxRepo(session).migrate_chat(old_chat_id, new_chat_id)


def _log_sent(row: PendingMessage, chat_id: int, message_id: int) -> None:
    """One line per delivered digest message (fields for LOG_FORMAT=json)."""
    log.info(
        "digest %s part %s sent to chat %s",
        row.digest_id,
        row.part,
        chat_id,
        extra={
            "fields": {
                "kind": "digest_sent",
                "digest_id": row.digest_id,
                "part": row.part,
                "outbox_id": row.id,
                "chat_id": chat_id,
                "message_id": message_id,
            }
        },
    )


def _failed_fields(row: PendingMessage, reason: str) -> dict[str, object]:
    return {
        "kind": "digest_failed",
        "digest_id": row.digest_id,
        "outbox_id": row.id,
        "chat_id": row.chat_id,
        "error": reason,
    }
