"""What every repository shares: the session of its unit of work, and adding or deleting one
row with a flush (so ids are known, and constraint errors surface, at once)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from storage.models import Base

Row = TypeVar("Row", bound=Base)


class Repo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: Row) -> Row:
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: Base) -> None:
        self.session.delete(row)
        self.session.flush()
