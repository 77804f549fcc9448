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

from telegram.ext import Application, ContextTypes

from bot.deps import Deps
from bot.leadership import is_leader
from bot.services.digests.delivery import enqueue_due, enqueue_instant
from bot.services.digests.outbox_worker import DeliveryWorker
from bot.services.digests.pacing import FloodGate

log = logging.getLogger(__name__)
SCHEDULER_INTERVAL = 20.0  # seconds between looks at due schedules
# sends between "sent" and "marked": 30/s with ~100 ms round trips needs 3, and after a kill -9
# at most this many messages go out twice
MAX_IN_FLIGHT = 5
WORKER_KEY, GATE_KEY, LISTENER_KEY = "delivery", "flood_gate", "digest_listener"
Listener = Callable[[list[int]], Awaitable[None]]


def _deps(app: Application) -> Deps:
    return app.bot_data["deps"]


def flood_gate(deps: Deps) -> FloodGate:
    """The bot's one FloodGate (build_application creates it; tests may not)."""
    gate = deps.services.get(GATE_KEY)
    if gate is None:
        settings = deps.settings
        gate = deps.services[GATE_KEY] = FloodGate.for_settings(
            settings.paid_broadcast, scale=settings.flood_limit_scale
        )
    return gate


def delivery_worker(app: Application) -> DeliveryWorker:
    """The running worker, or one created on first use (the console runs no jobs, and
    /digest still delivers through it)."""
    deps = _deps(app)
    worker = deps.services.get(WORKER_KEY)
    if worker is None:
        paid = deps.settings.paid_broadcast
        worker = DeliveryWorker(
            deps.db, app.bot, flood_gate(deps), paid_broadcast=paid,
            max_in_flight=100 if paid else MAX_IN_FLIGHT, lease=deps.settings.outbox_lease,
            may_send=lambda: is_leader(app),
            # other processes queue rows too and cannot wake this one: look more often
            idle_poll=0.5 if deps.db.engine.dialect.name == "postgresql" else 2.0,
        )  # fmt: skip
        deps.services[WORKER_KEY] = worker
    return worker


def register(app: Application) -> None:
    """A JOB_REGISTRARS entry: start the worker once running, then tick the schedules."""
    assert app.job_queue is not None
    app.job_queue.run_once(
        _start_worker, when=0, name="delivery-worker-start",
        job_kwargs={"misfire_grace_time": None},  # a busy start must not skip the worker
    )  # fmt: skip
    app.job_queue.run_repeating(
        _tick, interval=SCHEDULER_INTERVAL, first=1.0, name="digest-scheduler"
    )


async def _start_worker(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    worker = delivery_worker(app)
    attach_ingest_listener(app)
    app.create_task(worker.run(lambda: app.running), name="delivery-worker")
    log.info("delivery worker started")


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    attach_ingest_listener(app)  # the ingestor may have been created after our start
    await queue_digests(app)


async def queue_digests(app: Application, *, scheduled: bool = True) -> None:
    deps = _deps(app)
    worker = delivery_worker(app)
    now = datetime.now(UTC)
    messages = digests = 0
    if scheduled:
        due = await asyncio.to_thread(
            enqueue_due, deps.db, deps.settings, now, worker.wake_from_thread
        )
        messages, digests = messages + due.messages, digests + due.digests
    instant = await asyncio.to_thread(
        enqueue_instant, deps.db, deps.settings, now, worker.wake_from_thread
    )
    messages, digests = messages + instant.messages, digests + instant.digests
    if messages:
        log.info(
            "queued %d digest messages",
            messages,
            extra={"fields": {"kind": "digest_enqueued", "digests": digests, "messages": messages}},
        )
        worker.wake()


def attach_ingest_listener(app: Application) -> bool:
    """Subscribe to the Ingestor's new-documents callbacks, once; tolerant of its absence."""
    deps = _deps(app)
    ingestor = deps.services.get("ingestor")
    if ingestor is None:
        try:  # create it now rather than miss the first run's new documents
            from bot.ingest_jobs import ensure_ingestor
        except ImportError:  # a build without ingestion: nothing to listen to
            return False
        ingestor = ensure_ingestor(deps)
    listeners = getattr(ingestor, "listeners", None)
    if listeners is None:
        return False
    listener = deps.services.get(LISTENER_KEY)
    if listener is None:
        listener = deps.services[LISTENER_KEY] = make_listener(app)
    if listener not in listeners:
        listeners.append(listener)
    return True


def make_listener(app: Application) -> Listener:
    async def on_new_documents(new_document_ids: list[int]) -> None:
        if new_document_ids:
            await queue_digests(app, scheduled=False)

    return on_new_documents
