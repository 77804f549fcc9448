"""A seeded SQLite database (migrations plus the default dossier), for read-only test modules
that share one per module: setup is most of their time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from storage.db import Database
from storage.dossier.seed import seed_default_dossier


def seeded_database(folder: Path) -> Iterator[Database]:
    """Yield a migrated database in `folder` holding the default dossier; dispose of it after."""
    database = Database(f"sqlite:///{folder / 'db.sqlite3'}")
    database.upgrade()
    with database.session() as s:
        seed_default_dossier(s)
    yield database
    database.dispose()


def session_of(database: Database) -> Iterator[Session]:
    with database.session() as s:
        yield s
