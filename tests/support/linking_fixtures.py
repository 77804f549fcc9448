"""The linker's gazetteer as a fixture (a pytest plugin, loaded by tests/conftest.py) and the
slugs a link result names, for the linking, relevance and claims tests."""

from __future__ import annotations

import pytest

from bot.services.text.linking import Gazetteer, LinkResult
from storage.db import Database


@pytest.fixture
def gazetteer(db: Database) -> Gazetteer:
    """The gazetteer of the test's seeded database."""
    with db.session() as session:
        return Gazetteer.from_session(session)


def proposals(result: LinkResult) -> set[str]:
    return {link.slug for link in result.proposals}


def actors(result: LinkResult) -> set[str]:
    return {link.slug for link in result.actors}
