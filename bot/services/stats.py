"""The operator's view: one snapshot of the bot's state for /stats and `briefbot status`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from storage.models import utcnow
from storage.repositories.stats import StatsRepo

DAYS = 7
FAILING_SHOWN = 10


@dataclass(frozen=True)
class FailingSource:
    id: int
    name: str
    url: str
    error: str | None
    failures: int
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None


@dataclass
class Stats:
    at: datetime
    proposals: int
    actors: int
    facts: dict[str, int]  # by status: approved / pending / rejected
    pending_actors: int
    documents: int
    documents_24h: int
    documents_per_day: list[tuple[date, int]]  # oldest first, today last (in `tz`)
    sources: dict[str, int]  # ok / failing / backing_off / new / inactive
    failing: list[FailingSource]
    last_fetch: datetime | None
    subscriptions: dict[str, int]  # active ones by mode
    inactive_subscriptions: int
    outbox: dict[str, int]  # pending / sent / failed
    last_digest: datetime | None
    tz_name: str = "UTC"

    @property
    def pending_review(self) -> int:
        return self.facts.get("pending", 0) + self.pending_actors

    @property
    def active_sources(self) -> int:
        return sum(n for state, n in self.sources.items() if state != "inactive")

    @property
    def active_subscriptions(self) -> int:
        return sum(self.subscriptions.values())


def collect_stats(session: Session, tz: tzinfo, now: datetime | None = None) -> Stats:
    now = now or utcnow()
    repo = StatsRepo(session)
    return Stats(
        at=now,
        proposals=repo.proposals(),
        actors=repo.actors(),
        facts=repo.facts_by_status(),
        pending_actors=repo.pending_candidate_actors(),
        documents=repo.documents(),
        documents_24h=repo.documents_between(now - timedelta(hours=24), now + timedelta(seconds=1)),
        documents_per_day=documents_per_day(repo, now, tz),
        sources=repo.sources_by_state(),
        failing=[
            FailingSource(
                s.id,
                s.name or s.url,
                s.url,
                s.last_error,
                s.consecutive_failures,
                s.last_fetched_at,
                s.next_fetch_at,
            )
            for s in repo.failing_sources(FAILING_SHOWN)
        ],
        last_fetch=repo.last_fetch(),
        subscriptions=repo.subscriptions_by_mode(),
        inactive_subscriptions=repo.inactive_subscriptions(),
        outbox=repo.outbox_by_state(),
        last_digest=repo.last_digest(),
        tz_name=str(tz),
    )


def documents_per_day(repo: StatsRepo, now: datetime, tz: tzinfo) -> list[tuple[date, int]]:
    """Documents stored on each of the last DAYS calendar days in the operator's time zone."""
    today = now.astimezone(tz).date()
    out = []
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time.min, tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
        out.append((day, repo.documents_between(start, end)))
    return out
