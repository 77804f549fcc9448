"""Counting queries for the operator's view (/stats, `briefbot status`): all cheap aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    Actor,
    CandidateActor,
    Digest,
    Document,
    Fact,
    OutboxMessage,
    Proposal,
    Source,
    Subscription,
)

SOURCE_STATES = ("ok", "failing", "backing_off", "new", "inactive")
BACKOFF_AFTER = 2  # consecutive failures


class StatsRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _count(self, stmt) -> int:  # type: ignore[no-untyped-def]
        return self.session.scalar(stmt) or 0

    def proposals(self) -> int:
        return self._count(select(func.count(Proposal.id)))

    def actors(self) -> int:
        return self._count(select(func.count(Actor.id)))

    def facts_by_status(self) -> dict[str, int]:
        rows = self.session.execute(select(Fact.status, func.count(Fact.id)).group_by(Fact.status))
        return {status: n for status, n in rows}

    def pending_candidate_actors(self) -> int:
        stmt = select(func.count(CandidateActor.id)).where(CandidateActor.status == "pending")
        return self._count(stmt)

    def documents(self) -> int:
        return self._count(select(func.count(Document.id)))

    def documents_between(self, start: datetime, end: datetime) -> int:
        """Documents stored in [start, end) — uses the index on stored_at."""
        stmt = select(func.count(Document.id)).where(
            Document.stored_at >= start, Document.stored_at < end
        )
        return self._count(stmt)

    def sources_by_state(self) -> dict[str, int]:
        """Active sources as ok / failing / backing_off / new; `inactive` counts removed ones."""
        counts = dict.fromkeys(SOURCE_STATES, 0)
        stmt = select(
            Source.active, Source.last_status, Source.consecutive_failures, func.count(Source.id)
        ).group_by(Source.active, Source.last_status, Source.consecutive_failures)
        for active, status, failures, n in self.session.execute(stmt):
            counts[source_state(active, status, failures or 0)] += n
        return counts

    def failing_sources(self, limit: int = 10) -> Sequence[Source]:
        stmt = (
            select(Source)
            .where(Source.active.is_(True), Source.last_status.in_(("error", "backoff")))
            .order_by(Source.consecutive_failures.desc(), Source.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def last_fetch(self) -> datetime | None:
        return self.session.scalar(select(func.max(Source.last_fetched_at)))

    def subscriptions_by_mode(self) -> dict[str, int]:
        stmt = (
            select(Subscription.mode, func.count(Subscription.id))
            .where(Subscription.active.is_(True))
            .group_by(Subscription.mode)
        )
        return {mode: n for mode, n in self.session.execute(stmt)}

    def inactive_subscriptions(self) -> int:
        stmt = select(func.count(Subscription.id)).where(Subscription.active.is_(False))
        return self._count(stmt)

    def outbox_by_state(self) -> dict[str, int]:
        stmt = select(OutboxMessage.state, func.count(OutboxMessage.id)).group_by(
            OutboxMessage.state
        )
        return {state: n for state, n in self.session.execute(stmt)}

    def last_digest(self) -> datetime | None:
        return self.session.scalar(select(func.max(Digest.created_at)))


def source_state(active: bool, status: str, failures: int) -> str:
    """One word for a source's health. One failure is "failing" (shown with its error); from
    the second in a row the poller waits longer and longer, so it is "backing off"."""
    if not active:
        return "inactive"
    if status == "backoff" or (status == "error" and failures >= BACKOFF_AFTER):
        return "backing_off"
    if status == "error":
        return "failing"
    return "ok" if status == "ok" else "new"
