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
from bot.services.leadership import Leadership
from bot.settings import SHORT_FETCH_INTERVAL, Settings
from storage.db import Database
from storage.dossier.apply import file_changed_since_taken, remember_file
from storage.dossier.schema import DEFAULT_DOSSIER
from storage.dossier.seed import seed_default_dossier

log = logging.getLogger(__name__)
# sends between "sent" and "marked": 30/s with ~100 ms round trips needs 3, and after a kill -9
# at most this many messages go out twice
MAX_IN_FLIGHT = 5
_warned: set[str] = set()  # what this process has warned about already (each once)


def prepare_database(settings: Settings) -> Database:
    """Open the database, apply migrations, and seed the default dossier once."""
    db = Database(settings.database_url)
    db.upgrade()
    with db.session() as session:
        result = seed_default_dossier(session)
        changed = None if not result.skipped else file_changed_since_taken(session, DEFAULT_DOSSIER)
        if changed is None:  # seeded now, or by a version that kept no record of the file
            remember_file(session, DEFAULT_DOSSIER)
    if changed:
        log.warning(
            "the dossier file %s changed since this database took it; the database keeps its "
            "version (see `briefbot dossier diff %s`, then `briefbot dossier apply %s`)",
            DEFAULT_DOSSIER,
            DEFAULT_DOSSIER,
            DEFAULT_DOSSIER,
            extra={"fields": {"kind": "dossier_file_changed", "file": str(DEFAULT_DOSSIER)}},
        )
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
    return FloodGate.for_settings(settings.paid_broadcast, scale=settings.flood_limit_scale)


def wire(settings: Settings, db: Database, bot: Bot, gate: FloodGate) -> Deps:
    """Build the shared services around one bot (the fetcher's HTTP client is closed by
    `close` at shutdown)."""
    warn_about(settings)
    fetcher = Fetcher.from_settings(settings)
    paid = settings.paid_broadcast
    # several processes on one PostgreSQL: the leader polls and sends (bot/services/leadership.py)
    leadership = Leadership.for_bot(db, bot.token.split(":", 1)[0])
    outbox = OutboxWorker(
        db, bot, gate, paid_broadcast=paid, max_in_flight=100 if paid else MAX_IN_FLIGHT,
        lease=settings.outbox_lease, may_send=lambda: leadership.is_leader,
        # other processes queue rows too and cannot wake this one: look more often
        idle_poll=0.5 if db.engine.dialect.name == "postgresql" else 2.0,
    )  # fmt: skip
    return Deps(
        settings=settings,
        db=db,
        gate=gate,
        fetcher=fetcher,
        ingestor=Ingestor(db, fetcher, settings),
        outbox=outbox,
        leadership=leadership,
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
