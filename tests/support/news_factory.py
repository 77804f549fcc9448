"""Documents, facts and subscriptions for digest tests, written straight to the database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    Actor,
    Document,
    DocumentActor,
    DocumentProposal,
    Fact,
    Proposal,
    Source,
    Subscription,
)
from storage.repositories.approvals import stamp_approvals

_ids = itertools.count(1)


def source(session: Session, name: str = "Example News") -> Source:
    found = session.scalars(select(Source).where(Source.name == name)).first()
    if found is None:
        found = Source(url=f"https://example.org/{next(_ids)}/feed.xml", name=name)
        session.add(found)
        session.flush()
    return found


def document(
    session: Session,
    title: str,
    *,
    stored_at: datetime | None = None,
    published_at: datetime | None = None,
    age_hours: float | None = None,
    proposals: tuple[str, ...] = (),
    actors: tuple[str, ...] = (),
    summary: str = "",
    text: str = "",
) -> Document:
    """A stored document; `age_hours` sets published_at that long before stored_at."""
    stored_at = stored_at or datetime.now(UTC)
    if age_hours is not None:
        published_at = stored_at - timedelta(hours=age_hours)
    n = next(_ids)
    doc = Document(
        url=f"https://example.org/news/{n}?a=1&b=2",
        title=title,
        summary=summary or f"Summary of {title}.",
        text=text,
        stored_at=stored_at,
        published_at=published_at,
        source_id=source(session).id,
    )
    session.add(doc)
    session.flush()
    for slug in proposals:
        proposal = session.scalars(select(Proposal).where(Proposal.slug == slug)).one()
        session.add(DocumentProposal(document_id=doc.id, proposal_id=proposal.id, matched=slug))
    for slug in actors:
        actor = session.scalars(select(Actor).where(Actor.slug == slug)).one()
        session.add(DocumentActor(document_id=doc.id, actor_id=actor.id, matched=slug))
    session.flush()
    session.expire(doc)
    return doc


def fact(
    session: Session,
    text: str,
    *,
    status: str = "approved",
    proposal: str | None = None,
    reviewed_at: datetime | None = None,
) -> Fact:
    proposal_id = None
    if proposal:
        proposal_id = session.scalars(select(Proposal.id).where(Proposal.slug == proposal)).one()
    row = Fact(
        key=f"k{next(_ids)}-{text[:20]}",
        text=text,
        status=status,
        proposal_id=proposal_id,
        source_url="https://example.org/fact",
        source_name="Example",
        reviewed_at=reviewed_at,
    )
    session.add(row)
    stamp_approvals(session)
    return row


def subscription(
    session: Session,
    chat_id: int,
    *,
    mode: str = "daily",
    schedule: str = "08:00",
    **values: object,
) -> Subscription:
    """A subscription whose cursors start at the current newest ids (as /subscribe does)."""
    from storage.repositories.news import NewsRepo

    news = NewsRepo(session)
    sub = Subscription(
        chat_id=chat_id,
        mode=mode,
        schedule=schedule,
        last_document_id=news.max_document_id(),
        last_fact_seq=news.max_fact_seq(),
        **values,
    )
    session.add(sub)
    session.flush()
    return sub
