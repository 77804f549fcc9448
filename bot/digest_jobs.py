"""Digests in a running bot: the delivery worker, the schedule tick, and the ingest hook.

* At start, the delivery worker becomes a long-running task (Application.create_task, so
  PTB waits for it at shutdown; it notices `app.running` turning False, lets the sends in
  flight finish and returns; rows not sent stay pending for the next start).
* Every SCHEDULER_INTERVAL seconds due daily/weekly digests, and instant subscribers behind
  the newest documents, are written to the outbox. Schedules live in the database, so a
  digest due while the bot was down goes out once on the first tick after start.
* After an ingest run with new documents, the Ingestor calls our listener, which queues
  instant digests at once instead of at the next tick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial

from bot.background import run_in_background
from bot.deps import BotApplication, BotContext, Deps
from bot.render.digest import render_digest
from bot.render.linking import digest_keyboard
from bot.services.digests.enqueue import enqueue_due, enqueue_instant

log = logging.getLogger(__name__)
SCHEDULER_INTERVAL = 20.0  # seconds between looks at due schedules
Listener = Callable[[list[int]], Awaitable[None]]


def register(app: BotApplication) -> None:
    """A JOB_REGISTRARS entry: start the worker once running, then tick the schedules."""
    assert app.job_queue is not None
    app.job_queue.run_once(
        _start_worker, when=0, name="delivery-worker-start",
        job_kwargs={"misfire_grace_time": None},  # a busy start must not skip the worker
    )  # fmt: skip
    app.job_queue.run_repeating(
        _tick, interval=SCHEDULER_INTERVAL, first=1.0, name="digest-scheduler"
    )


async def _start_worker(context: BotContext) -> None:
    app = context.application
    attach_ingest_listener(context.deps)
    app.create_task(context.deps.outbox.run(lambda: app.running), name="delivery-worker")
    log.info("delivery worker started")


async def _tick(context: BotContext) -> None:
    await queue_digests(context.deps)


async def queue_digests(deps: Deps, *, scheduled: bool = True) -> None:
    worker = deps.outbox
    now = datetime.now(UTC)
    # standing by, this process queues on a low-priority thread: the leader's sends go first
    run = asyncio.to_thread if deps.leadership.is_leader else run_in_background
    messages = digests = 0
    if scheduled:
        due = await run(partial(
            enqueue_due, deps.db, deps.settings, now, worker.wake_from_thread,
            render=render_digest, before_batch=worker.wait_for_room, keyboard=digest_keyboard,
        ))  # fmt: skip
        messages, digests = messages + due.messages, digests + due.digests
    instant = await run(partial(
        enqueue_instant, deps.db, deps.settings, now, worker.wake_from_thread,
        render=render_digest, before_batch=worker.wait_for_room, keyboard=digest_keyboard,
    ))  # fmt: skip
    messages, digests = messages + instant.messages, digests + instant.digests
    if messages:
        log.info(
            "queued %d digest messages",
            messages,
            extra={"fields": {"kind": "digest_enqueued", "digests": digests, "messages": messages}},
        )
        worker.wake()


def attach_ingest_listener(deps: Deps) -> Listener:
    """Queue instant digests as soon as an ingest run brings new documents (called once, when
    the worker starts: the console runs no jobs, so its /addsource queues nothing)."""

    async def on_new_documents(new_document_ids: list[int]) -> None:
        if new_document_ids:
            await queue_digests(deps, scheduled=False)

    deps.ingestor.listeners.append(on_new_documents)
    return on_new_documents
