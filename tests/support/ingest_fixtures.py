"""Fixtures for tests that ingest from local feeds (a pytest plugin, loaded by tests/conftest.py):
`server`, an empty LocalHTTPServer on 127.0.0.1 (a test module may define its own, with
routes), and `ingestor`, the Ingestor over the test database with a fetcher that does not
retry 5xx answers (retries are the fetcher's own tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor
from bot.settings import Settings
from storage.db import Database
from tests.support.http_server import LocalHTTPServer


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as srv:
        yield srv


@pytest.fixture
async def ingestor(db: Database, settings: Settings) -> AsyncIterator[Ingestor]:
    fetcher = Fetcher.from_settings(settings, retries=0)
    yield Ingestor(db, fetcher, settings)
    await fetcher.aclose()
