"""Fast bulk inserts (executemany, no ORM objects) for generated data: benchmarks and tests.

Rows are plain dicts with the model's column names; ids may be given so that links between
tables can be built without reading anything back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from storage.models import (
    Actor,
    ActorAlias,
    Base,
    Document,
    DocumentActor,
    DocumentProposal,
    Fact,
    Position,
    Proposal,
    Source,
)

CHUNK = 5000
TABLES: dict[str, type[Base]] = {
    "sources": Source,
    "proposals": Proposal,
    "actors": Actor,
    "actor_aliases": ActorAlias,
    "positions": Position,
    "facts": Fact,
    "documents": Document,
    "document_actors": DocumentActor,
    "document_proposals": DocumentProposal,
}


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class BulkRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows into one of TABLES in chunks; returns how many were written."""
        model = TABLES[table]
        written = 0
        for chunk in _chunks(rows, CHUNK):
            self.session.execute(insert(model), chunk)
            written += len(chunk)
        return written

    def next_id(self, table: str) -> int:
        model = TABLES[table]
        return (self.session.scalar(select(func.max(model.id))) or 0) + 1  # type: ignore[attr-defined]

    def count(self, table: str) -> int:
        model = TABLES[table]
        return self.session.scalar(select(func.count()).select_from(model)) or 0
