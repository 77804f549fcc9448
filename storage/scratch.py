"""A throw-away database with the built-in dossier: for evaluations, benchmarks and scripts
that need the gazetteer or the question service without touching the bot's own database."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import Database
from storage.dossier.seed import seed_default_dossier


def seeded_database(url: str) -> Database:
    """The database at `url`, migrated and seeded with the built-in dossier."""
    db = Database(url)
    db.upgrade()
    with db.session() as session:
        seed_default_dossier(session)
    return db


@contextmanager
def scratch_database(prefix: str = "briefbot-scratch-") -> Iterator[Database]:
    """A seeded SQLite database in a temporary folder, closed and removed on leaving."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        db = seeded_database(f"sqlite:///{Path(folder) / 'scratch.sqlite3'}")
        try:
            yield db
        finally:
            db.dispose()
