"""Fixtures for read-only test modules that share one seeded database (a pytest plugin, loaded
by tests/conftest.py): `seeded`, a migrated SQLite database holding the default dossier, one per
module because setup is most of such a module's time; `session`, a session on it per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from storage.db import Database
from storage.scratch import seeded_database


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = seeded_database(f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'db.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def session(seeded: Database) -> Iterator[Session]:
    with seeded.session() as s:
        yield s
