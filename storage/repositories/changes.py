"""The dossier change log: curators' changes, their history and the digest announcement numbers.

Announced changes (status changes, positions, retractions) are numbered like fact approvals
(storage/repositories/approvals.py): the number is taken after the writer's own insert, while
it holds the write lock, so numbers are handed out in commit order and a digest cursor over
them neither skips nor repeats a change. The unique index turns a concurrent writer on a
database without one global write lock into an error rather than a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import DossierChange, utcnow

ANNOUNCED = ("status", "position", "retraction")


class ChangeFields(TypedDict, total=False):
    """What a change touched (ids), its fields before and after, its source and a note."""

    proposal_id: int | None
    actor_id: int | None
    fact_id: int | None
    item_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    source_url: str | None
    note: str


class ChangeRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        kind: str,
        user_id: int | None,
        *,
        effective_on: date | None = None,
        **fields: Unpack[ChangeFields],
    ) -> DossierChange:
        now = utcnow()
        change = DossierChange(
            kind=kind, user_id=user_id, at=now, effective_on=effective_on or now.date(), **fields
        )
        self.session.add(change)
        self.session.flush()
        if kind in ANNOUNCED:
            last = self.session.scalar(select(func.max(DossierChange.seq))) or 0
            change.seq = last + 1
            self.session.flush()
        return change

    def get(self, change_id: int) -> DossierChange | None:
        return self.session.get(DossierChange, change_id)

    def last_by(self, user_id: int) -> DossierChange | None:
        """The user's newest change that has not been undone."""
        stmt = (
            select(DossierChange)
            .where(DossierChange.user_id == user_id, DossierChange.undone_at.is_(None))
            .order_by(DossierChange.id.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def mark_undone(self, change: DossierChange, user_id: int, at: datetime) -> None:
        change.undone_at, change.undone_by = at, user_id
        self.session.flush()

    def latest_status(self, proposal_id: int) -> DossierChange | None:
        stmt = (
            select(DossierChange)
            .where(
                DossierChange.kind == "status",
                DossierChange.proposal_id == proposal_id,
                DossierChange.undone_at.is_(None),
            )
            .order_by(DossierChange.id.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def since(
        self, at: datetime, limit: int, kinds: Sequence[str] | None = None
    ) -> Sequence[DossierChange]:
        """Changes made at or after `at` and not undone, newest first."""
        stmt = select(DossierChange).where(
            DossierChange.at >= at, DossierChange.undone_at.is_(None)
        )
        if kinds is not None:
            stmt = stmt.where(DossierChange.kind.in_(kinds))
        return self.session.scalars(stmt.order_by(DossierChange.id.desc()).limit(limit)).all()

    def count_since(self, at: datetime, kinds: Sequence[str] | None = None) -> int:
        stmt = select(func.count(DossierChange.id)).where(
            DossierChange.at >= at, DossierChange.undone_at.is_(None)
        )
        if kinds is not None:
            stmt = stmt.where(DossierChange.kind.in_(kinds))
        return self.session.scalar(stmt) or 0

    # history events (status and position changes) for /timeline ------------------------
    def _events(self, proposal_id: int | None) -> Any:
        stmt = select(DossierChange).where(
            DossierChange.kind.in_(("status", "position")), DossierChange.undone_at.is_(None)
        )
        if proposal_id is not None:
            stmt = stmt.where(DossierChange.proposal_id == proposal_id)
        return stmt

    def events(self, limit: int, proposal_id: int | None = None) -> Sequence[DossierChange]:
        """The newest `limit` status and position events, newest first."""
        stmt = self._events(proposal_id).order_by(
            DossierChange.effective_on.desc(), DossierChange.id.desc()
        )
        return self.session.scalars(stmt.limit(limit)).all()

    def count_events(self, proposal_id: int | None = None) -> int:
        sub = self._events(proposal_id).subquery()
        return self.session.scalar(select(func.count()).select_from(sub)) or 0

    # digests -------------------------------------------------------------------------
    def max_seq(self) -> int:
        return self.session.scalar(select(func.max(DossierChange.seq))) or 0

    def announced_after(
        self, after_seq: int, up_to_seq: int, limit: int
    ) -> Sequence[DossierChange]:
        """Announced changes numbered after the cursor, in order (undone ones included: the
        caller skips them but its cursor moves over them)."""
        stmt = (
            select(DossierChange)
            .where(DossierChange.seq > after_seq, DossierChange.seq <= up_to_seq)
            .order_by(DossierChange.seq)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()
