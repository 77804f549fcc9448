"""How many ingested articles each proposal got per day (the /coverage chart)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Document, DocumentProposal


def articles_per_proposal_day(session: Session, since: datetime) -> Counter[tuple[int, date]]:
    """(proposal id, day) → articles, counting an article on the day it was published (or
    stored, when the feed gave no date), from `since` (UTC) on."""
    when = func.coalesce(Document.published_at, Document.stored_at)
    rows = session.execute(
        select(DocumentProposal.proposal_id, when)
        .join(Document, Document.id == DocumentProposal.document_id)
        .where(when >= since)
    )
    counts: Counter[tuple[int, date]] = Counter()
    for proposal_id, at in rows:
        if isinstance(at, str):  # SQLite returns coalesce() of datetimes as text
            at = datetime.fromisoformat(at)
        counts[(proposal_id, at.date())] += 1
    return counts
