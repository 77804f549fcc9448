"""Scheduled polling: a job every POLL_TICK seconds ingests the sources that are due.

When a source is due lives in the database (`sources.next_fetch_at`), so polling state
survives restarts and a restart only polls what is due, not every source at once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.deps import BotApplication, BotContext, Deps
from bot.services.ingest.ingestor import IngestSummary

log = logging.getLogger(__name__)
POLL_TICK = 30.0  # seconds between looks at which sources are due
POLL_FIRST = 10.0  # let the bot answer its first updates before the first poll


async def poll_due_sources(deps: Deps) -> IngestSummary | None:
    """One tick: ingest every due source; never raises (a bad tick must not stop the job)."""
    try:
        summary = await deps.ingestor.ingest_all(only_due=True)
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


def poll_tick(fetch_interval: int) -> float:
    """Seconds between looks at due sources: POLL_TICK, or FETCH_INTERVAL when that is shorter
    (so a 5-second demo interval really polls every 5 seconds)."""
    return float(min(POLL_TICK, fetch_interval))


async def _poll_job(context: BotContext) -> None:
    if not context.deps.leadership.is_leader:  # another process polls (services/leadership.py)
        return
    await poll_due_sources(context.deps)


def register_ingest_jobs(app: BotApplication) -> None:
    """JOB_REGISTRARS entry: the polling job (the ingestor is built by bot.bootstrap)."""
    assert app.job_queue is not None
    # one tick at a time: a long cycle makes the next tick wait instead of piling up
    app.job_queue.run_repeating(
        _poll_job,
        interval=poll_tick(app.bot_data.deps.settings.fetch_interval),
        first=POLL_FIRST,
        name="ingest-due-sources",
        job_kwargs={
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": None,
            # fixed now: APScheduler would otherwise move a first run that passed while the
            # application was starting a whole interval later
            "next_run_time": datetime.now(UTC) + timedelta(seconds=POLL_FIRST),
        },
    )
