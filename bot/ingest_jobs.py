"""Scheduled polling: a job every POLL_TICK seconds ingests the sources that are due.

When a source is due lives in the database (`sources.next_fetch_at`), so polling state
survives restarts and a restart only polls what is due, not every source at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram.ext import Application, ContextTypes

from bot.deps import Deps
from bot.leadership import is_leader
from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor, IngestSummary

log = logging.getLogger(__name__)
POLL_TICK = 30.0  # seconds between looks at which sources are due
POLL_FIRST = 10.0  # let the bot answer its first updates before the first poll


def ensure_ingestor(deps: Deps) -> Ingestor:
    """The shared Ingestor (and its HTTP client), created on first use."""
    ingestor = deps.services.get("ingestor")
    if ingestor is None:
        fetcher = Fetcher.from_settings(deps.settings)
        ingestor = Ingestor(deps.db, fetcher, deps.settings)
        deps.services["fetcher"] = fetcher
        deps.services["ingestor"] = ingestor
    return ingestor


async def close_ingestor(deps: Deps) -> None:
    fetcher = deps.services.pop("fetcher", None)
    deps.services.pop("ingestor", None)
    if fetcher is not None:
        await fetcher.aclose()


async def poll_due_sources(deps: Deps) -> IngestSummary | None:
    """One tick: ingest every due source; never raises (a bad tick must not stop the job)."""
    ingestor = ensure_ingestor(deps)
    try:
        summary = await ingestor.ingest_all(only_due=True)
    except Exception:
        log.exception("polling due sources failed")
        return None
    if summary.reports:
        log.info(
            "polled %d sources: %d new documents, %d duplicates, %d errors",
            len(summary.reports),
            summary.new_documents,
            summary.duplicates,
            len(summary.errors),
            extra={
                "fields": {
                    "kind": "ingest_run",
                    "sources": len(summary.reports),
                    "new": summary.new_documents,
                    "duplicates": summary.duplicates,
                    "errors": len(summary.errors),
                }
            },
        )
    return summary


async def _poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    if not is_leader(context.application):  # another process polls (bot/leadership.py)
        return
    await poll_due_sources(context.application.bot_data["deps"])


def register_ingest_jobs(app: Application) -> None:
    """JOB_REGISTRARS entry: shared fetcher + ingestor, the polling job, cleanup at shutdown."""
    deps: Deps = app.bot_data["deps"]
    ensure_ingestor(deps)
    assert app.job_queue is not None
    # one tick at a time: a long cycle makes the next tick wait instead of piling up
    app.job_queue.run_repeating(
        _poll_job,
        interval=POLL_TICK,
        first=POLL_FIRST,
        name="ingest-due-sources",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    _after_shutdown(app, lambda: close_ingestor(deps))


def _after_shutdown(app: Application, hook: Callable[[], Awaitable[None]]) -> None:
    previous = app.post_shutdown

    async def post_shutdown(application: Application) -> None:
        if previous is not None:
            await previous(application)
        await hook()

    app.post_shutdown = post_shutdown
