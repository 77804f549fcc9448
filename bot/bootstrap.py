"""The one wiring point: database, FloodGate, fetcher, ingestor and outbox worker, built once.

`prepare_database` opens and migrates the database (and seeds the dossier the first time);
`flood_gate` is called once per Application, before the builder needs it for the rate
limiter; `wire` builds the rest around the Application's bot. Nothing else constructs these."""

from __future__ import annotations

import logging

from telegram import Bot

from bot.deps import Deps
from bot.services.digests.outbox_worker import OutboxWorker
from bot.services.digests.pacing import FloodGate
from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor
from bot.settings import SHORT_FETCH_INTERVAL, Settings
from storage.db import Database
from storage.dossier.seed import seed_default_dossier

log = logging.getLogger(__name__)
_warned: set[str] = set()  # what this process has warned about already (each once)


def prepare_database(settings: Settings) -> Database:
    """Open the database, apply migrations, and seed the default dossier once."""
    db = Database(settings.database_url)
    db.upgrade()
    with db.session() as session:
        result = seed_default_dossier(session)
    if not result.skipped:
        log.info(
            "seeded the default dossier: %d proposals, %d actors, %d facts",
            result.proposals,
            result.actors,
            result.facts,
        )
    return db


def flood_gate(settings: Settings) -> FloodGate:
    """The FloodGate every send of one bot passes: command replies and digest fan-outs."""
    return FloodGate.for_settings(settings.paid_broadcast)


def wire(settings: Settings, db: Database, bot: Bot, gate: FloodGate) -> Deps:
    """Build the shared services around one bot (the fetcher's HTTP client is closed by
    `close` at shutdown)."""
    warn_about(settings)
    fetcher = Fetcher.from_settings(settings)
    paid = settings.paid_broadcast
    outbox = OutboxWorker(
        db, bot, gate, paid_broadcast=paid, max_in_flight=100 if paid else 10
    )  # fmt: skip
    return Deps(
        settings=settings,
        db=db,
        gate=gate,
        fetcher=fetcher,
        ingestor=Ingestor(db, fetcher, settings),
        outbox=outbox,
    )


def warn_about(settings: Settings) -> None:
    """Log, once per process, settings that work but deserve a second look."""
    if settings.short_fetch_interval() and "fetch_interval" not in _warned:
        _warned.add("fetch_interval")
        log.warning(
            "FETCH_INTERVAL is %d s: sources are polled more often than once a minute "
            "(fine for local feeds; use %d s or more for real publishers)",
            settings.fetch_interval,
            SHORT_FETCH_INTERVAL,
            extra={
                "fields": {"kind": "settings_warning", "fetch_interval": settings.fetch_interval}
            },
        )


async def close(deps: Deps) -> None:
    """Release what `wire` opened (the fetcher's HTTP connections)."""
    await deps.fetcher.aclose()
