"""Shared fixtures: settings, a migrated and seeded database, and the in-process console."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.services.knowledge.training import MODELS
from bot.settings import Settings, load_settings
from storage.db import Database
from storage.dossier.seed import seed_default_dossier

ADMIN_ID = 4242
# server, ingestor; seeded, session (one seeded database per read-only module)
pytest_plugins = [
    "tests.support.ingest_fixtures",
    "tests.support.linking_fixtures",
    "tests.support.seeded_db",
]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or environment by accident."""
    for name in ("BOT_TOKEN", "ADMIN_IDS", "DIGEST_TZ", "TZ", "LOG_FORMAT", "FETCH_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    if "DATABASE_URL" not in __import__("os").environ:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    # the project's .env and data folder are the developer's: tests use their own
    monkeypatch.setattr("bot.settings.PROJECT_DIR", tmp_path)
    monkeypatch.delenv("DATA_DIR", raising=False)
    monkeypatch.delenv("METRICS_PORT", raising=False)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite in tmp_path; CI also runs the suite against PostgreSQL via TEST_DATABASE_URL."""
    import os

    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    # linking_labels=none: no model training 5 s after a bot starts (a few seconds of CPU that
    # would skew the timing of fault and e2e tests); the model's own tests train explicitly
    return load_settings(
        database_url=database_url,
        admin_ids=str(ADMIN_ID),
        allow_private_urls=True,
        linking_labels="none",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """A migrated database with the default dossier loaded."""
    database = Database(settings.database_url)
    _reset(database)
    MODELS.forget(database)  # a shared PostgreSQL test database numbers its models from 1 again
    database.upgrade()
    with database.session() as session:
        seed_default_dossier(session)
    yield database
    database.dispose()


def _reset(database: Database) -> None:
    """Drop everything (PostgreSQL test databases are shared between tests)."""
    if database.engine.dialect.name == "sqlite":
        return
    from sqlalchemy import text

    from storage.models import Base

    with database.engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
async def console(settings: Settings, db: Database) -> AsyncIterator[object]:
    """The real Application with an in-process Bot API: `await console.send_line('/help')`."""
    from tests.support.bot_harness import console_for

    async with console_for(settings, db) as console:
        yield console
