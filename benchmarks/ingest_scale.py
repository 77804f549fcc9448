"""Scale: 5,000 feeds on a 15-minute cycle from a local server, on this machine's cores.

One cold cycle (every feed new, every item stored) and one warm cycle (conditional GETs
answered 304, as most polls are), each run through the scheduler's path
(`ingest_all(only_due=True)`). A cycle is on schedule when it takes well under 900 s.

    PYTHONPATH=. python benchmarks/ingest_scale.py [--feeds 5000] [--items 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feed_server import free_port, peak_rss_mb, start_server

from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor, IngestSummary
from bot.services.knowledge import training
from bot.settings import load_settings
from storage.db import Database
from storage.dossier.seed import seed_default_dossier
from storage.models import Source
from storage.repositories.sources import SourceRepo

CYCLE_SECONDS = 900
CONCURRENCY = 50


def make_db(feeds: int, port: int) -> tuple[Database, object]:
    workdir = tempfile.mkdtemp(prefix="briefbot-scale-")
    settings = load_settings(
        database_url=f"sqlite:///{workdir}/scale.sqlite3", allow_private_urls=True,
        fetch_interval=CYCLE_SECONDS,
    )  # fmt: skip
    db = Database(settings.database_url)
    db.upgrade()
    with db.session() as session:
        seed_default_dossier(session)
        repo = SourceRepo(session)
        for i in range(feeds):
            repo.add(f"http://127.0.0.1:{port}/feed/{i}", name=f"feed {i}")
    # the linking model, trained before the clock starts, as a running bot has it stored
    training.retrain(db, training.file_documents(training.BUNDLED_LABELS))
    return db, settings


def make_all_due(db: Database) -> None:
    """Fast-forward 15 minutes: every source is due again."""
    with db.session() as session:
        session.query(Source).update({Source.next_fetch_at: None})


async def cycle(ingestor: Ingestor) -> tuple[float, IngestSummary]:
    started = time.perf_counter()
    summary = await ingestor.ingest_all(only_due=True)
    return time.perf_counter() - started, summary


async def run(feeds: int, port: int) -> list[tuple[str, float, IngestSummary, float]]:
    db, settings = make_db(feeds, port)
    fetcher = Fetcher.from_settings(settings, per_host=CONCURRENCY, global_limit=CONCURRENCY)
    ingestor = Ingestor(db, fetcher, settings, concurrency=CONCURRENCY)
    rows = []
    try:
        for name in ("cold (all new)", "warm (304s)"):
            seconds, summary = await cycle(ingestor)
            rows.append((name, seconds, summary, peak_rss_mb()[1]))
            make_all_due(db)
    finally:
        await fetcher.aclose()
        db.dispose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--items", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    port = free_port()
    server = start_server(port, args.items)
    try:
        rows = asyncio.run(run(args.feeds, port))
    finally:
        server.kill()
    print(f"\nScale: {args.feeds} feeds × {args.items} items, {os.cpu_count()} cores, "
          f"concurrency {CONCURRENCY}, cycle budget {CYCLE_SECONDS} s")  # fmt: skip
    print(f"{'cycle':<16}{'time s':>9}{'of 900 s':>10}{'feeds/s':>9}{'new':>7}{'304':>7}"
          f"{'errors':>8}{'peak RSS MB':>13}")  # fmt: skip
    for name, seconds, s, rss in rows:
        not_modified = sum(r.status == "not_modified" for r in s.reports)
        print(f"{name:<16}{seconds:>9.1f}{seconds / CYCLE_SECONDS:>9.1%}"
              f"{len(s.reports) / seconds:>10.0f}{s.new_documents:>7}{not_modified:>7}"
              f"{len(s.errors):>8}{rss:>13.0f}")  # fmt: skip
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"the model was fitted in a child process (as the bot does): its peak RSS {child:.0f} MB,"
          " for the seconds it lives; the peak above is the ingesting process's")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
