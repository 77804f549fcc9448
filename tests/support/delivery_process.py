"""A bot process for the crash test and the fan-out benchmark (run with `python -m`).

It queues the due digests and sends them through the delivery worker against a fake Bot API,
then prints one JSON line of statistics and exits. The caller may SIGKILL it at any moment
and start it again: that is the point.

    python -m tests.support.delivery_process --database-url sqlite:///x.db \\
        --base-url http://127.0.0.1:PORT/bot [--scale 50] [--max-in-flight 5] [--app]

--app runs the whole Application (long polling and command handlers, with the worker as in
production) so that commands sent during the fan-out can be timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from datetime import UTC, datetime

from telegram import Bot
from telegram.request import HTTPXRequest

from storage.db import Database

TOKEN = "123456:" + "A" * 35


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", required=True)
    p.add_argument("--base-url", required=True)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--max-in-flight", type=int, default=10)
    p.add_argument("--app", action="store_true")
    return p.parse_args()


async def run_worker_only(args: argparse.Namespace) -> dict[str, object]:
    from bot.render.digest import render_digest
    from bot.services.digests.enqueue import enqueue_due
    from bot.services.digests.outbox_worker import OutboxWorker
    from bot.services.digests.pacing import FloodGate
    from bot.settings import load_settings

    settings = load_settings(database_url=args.database_url)
    db = Database(args.database_url)
    gate = FloodGate.for_settings(False, scale=args.scale)
    request = HTTPXRequest(connection_pool_size=args.max_in_flight + 2)
    async with Bot(TOKEN, base_url=args.base_url, request=request) as bot:
        worker = OutboxWorker(db, bot, gate, max_in_flight=args.max_in_flight)
        runner = asyncio.create_task(worker.run())  # sends while the fan-out is being queued
        queued = await asyncio.to_thread(
            enqueue_due,
            db,
            settings,
            datetime.now(UTC),
            worker.wake_from_thread,
            render=render_digest,
        )
        worker.wake()
        while await asyncio.to_thread(_pending, db):
            await asyncio.sleep(0.05)
        worker.stop()
        await runner
    return {"queued": queued.messages, **worker.stats}


def _pending(db: Database) -> bool:
    from storage.repositories.outbox import OutboxRepo

    with db.session() as session:
        return OutboxRepo(session).next_not_before() is not None


async def run_application(args: argparse.Namespace) -> dict[str, object]:
    from bot.app import build_application
    from bot.render.digest import render_digest
    from bot.services.digests.enqueue import enqueue_due
    from bot.services.digests.outbox_worker import OutboxWorker
    from bot.services.digests.pacing import FloodGate
    from bot.settings import load_settings

    settings = load_settings(database_url=args.database_url, telegram_base_url=args.base_url)
    db = Database(args.database_url)
    app = build_application(settings, db, token=TOKEN, jobs=False)
    gate = FloodGate.for_settings(settings.paid_broadcast, scale=args.scale)
    app.bot_data.deps.gate = gate
    app.bot.rate_limiter.gate = gate  # type: ignore[union-attr]  # the limiter shares it
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)  # type: ignore[union-attr]
    worker = OutboxWorker(db, app.bot, gate, max_in_flight=args.max_in_flight)
    app.bot_data.deps.outbox = worker
    app.create_task(worker.run(lambda: app.running))
    started = time.monotonic()
    queued = await asyncio.to_thread(
        enqueue_due, db, settings, datetime.now(UTC), worker.wake_from_thread, render=render_digest
    )
    worker.wake()

    while await asyncio.to_thread(_pending, db):
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    await app.updater.stop()  # type: ignore[union-attr]
    await app.stop()
    await app.shutdown()
    return {"queued": queued.messages, "elapsed": elapsed, **worker.stats}


def main() -> None:
    args = _args()
    runner = run_application if args.app else run_worker_only
    stats = asyncio.run(runner(args))
    stats["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
