"""Queries over news sources: adding, listing, polling state and backoff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Source, utcnow

MAX_BACKOFF = timedelta(hours=24)
MAX_ERROR_CHARS = 300


def backoff_delay(interval_seconds: int, failures: int) -> timedelta:
    """interval × 2^failures, capped at 24 h: a dead source costs little, a flaky one recovers."""
    exponent = min(max(failures, 0), 16)  # 2^16 × 30 s already exceeds the cap
    return min(timedelta(seconds=interval_seconds * (2**exponent)), MAX_BACKOFF)


def _ok_values(
    interval_seconds: int,
    etag: str | None,
    last_modified: str | None,
    item_count: int | None,
    now: datetime | None,
) -> dict[str, object]:
    """The columns a successful poll sets."""
    now = now or utcnow()
    values: dict[str, object] = {
        "last_fetched_at": now,
        "last_ok_at": now,
        "last_status": "ok",
        "last_error": None,
        "consecutive_failures": 0,
        "next_fetch_at": now + timedelta(seconds=interval_seconds),
    }
    # a 304 carries no validators of its own: keep the ones we sent
    if etag is not None:
        values["etag"] = etag[:500]
    if last_modified is not None:
        values["last_modified"] = last_modified[:100]
    if item_count is not None:
        values["item_count"] = item_count
    return values


class SourceRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # reading -------------------------------------------------------------------------
    def get(self, source_id: int) -> Source | None:
        return self.session.get(Source, source_id)

    def by_url(self, url: str) -> Source | None:
        return self.session.scalars(select(Source).where(Source.url == url)).first()

    def list(self, *, include_inactive: bool = False) -> Sequence[Source]:
        stmt = select(Source)
        if not include_inactive:
            stmt = stmt.where(Source.active.is_(True))
        return self.session.scalars(stmt.order_by(Source.id)).all()

    def active(self) -> Sequence[Source]:
        return self.list()

    def count(self, *, include_inactive: bool = False) -> int:
        stmt = select(func.count(Source.id))
        if not include_inactive:
            stmt = stmt.where(Source.active.is_(True))
        return self.session.scalar(stmt) or 0

    def due(self, now: datetime | None = None, limit: int | None = None) -> Sequence[Source]:
        """Active sources whose next poll time has come (never polled ones first)."""
        now = now or utcnow()
        stmt = (
            select(Source)
            .where(Source.active.is_(True))
            .where(or_(Source.next_fetch_at.is_(None), Source.next_fetch_at <= now))
            .order_by(Source.next_fetch_at.is_not(None), Source.next_fetch_at, Source.id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return self.session.scalars(stmt).all()

    # writing -------------------------------------------------------------------------
    def add(
        self,
        url: str,
        *,
        name: str = "",
        kind: str = "rss",
        added_by: int | None = None,
        item_count: int = 0,
    ) -> Source:
        """A new source, or the inactive one with this URL brought back."""
        source = self.by_url(url)
        if source is None:
            source = Source(url=url)
            self.session.add(source)
        source.name = name[:300]
        source.kind = kind
        source.active = True
        source.added_by = added_by
        source.item_count = item_count
        source.last_status = "new"
        source.last_error = None
        source.consecutive_failures = 0
        source.next_fetch_at = None
        self.session.flush()
        return source

    def mark_ok_by_id(
        self,
        source_id: int,
        *,
        interval_seconds: int,
        etag: str | None = None,
        last_modified: str | None = None,
        item_count: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """A successful poll, as one UPDATE without loading the source first (each poll does
        this: a get and a flush of the ORM object cost several times as much). A source
        deleted meanwhile is left alone."""
        table = Source.__table__
        values = _ok_values(interval_seconds, etag, last_modified, item_count, now)
        self.session.execute(update(table).where(table.c.id == source_id).values(values))

    def mark_error(
        self, source: Source, error: str, *, interval_seconds: int, now: datetime | None = None
    ) -> None:
        now = now or utcnow()
        source.last_fetched_at = now
        source.last_status = "error"
        source.last_error = " ".join(error.split())[:MAX_ERROR_CHARS] or "unknown error"
        source.consecutive_failures = (source.consecutive_failures or 0) + 1
        source.next_fetch_at = now + backoff_delay(interval_seconds, source.consecutive_failures)

    def deactivate(self, source: Source) -> None:
        """Remove from polling; its documents stay (they may be cited in digests)."""
        source.active = False
        source.next_fetch_at = None
