"""Articles per proposal per day over the last N days: the data behind /coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.services.catalog import proposal_ref
from storage.repositories.coverage import articles_per_proposal_day
from storage.repositories.knowledge import KnowledgeRepo

DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_SERIES = 12  # proposals drawn at most: the busiest (a chart with more lines is unreadable)


@dataclass(frozen=True)
class Series:
    proposal_id: int
    label: str
    counts: tuple[int, ...]  # one per day, oldest first

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Coverage:
    first_day: date
    days: int
    series: tuple[Series, ...]  # busiest first; proposals with no article are left out

    @property
    def day_list(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.series)


def coverage(session: Session, days: int = DEFAULT_DAYS, today: date | None = None) -> Coverage:
    """Articles linked to each proposal on each of the last `days` days, today included."""
    days = min(max(days, 1), MAX_DAYS)
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    counts = articles_per_proposal_day(session, datetime.combine(first, time.min, tzinfo=UTC))
    repo = KnowledgeRepo(session)
    series = []
    for proposal_id in sorted({pid for pid, _day in counts}):
        proposal = repo.proposal_by_id(proposal_id)
        if proposal is None:
            continue
        per_day = tuple(
            counts.get((proposal_id, first + timedelta(days=n)), 0) for n in range(days)
        )
        if any(per_day):
            series.append(Series(proposal_id, proposal_ref(proposal).label, per_day))
    series.sort(key=lambda s: (-s.total, s.proposal_id))
    return Coverage(first, days, tuple(series[:MAX_SERIES]))
