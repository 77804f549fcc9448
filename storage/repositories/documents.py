"""Queries over ingested documents and their links to actors and proposals."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Document, DocumentActor, DocumentProposal
from storage.repositories.knowledge import _like


def _with_links():  # type: ignore[no-untyped-def]
    return (
        selectinload(Document.source),
        selectinload(Document.actor_links).selectinload(DocumentActor.actor),
        selectinload(Document.proposal_links).selectinload(DocumentProposal.proposal),
    )


class DocumentRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self) -> int:
        return self.session.scalar(select(func.count(Document.id))) or 0

    def latest(self, offset: int = 0, limit: int = 8) -> Sequence[Document]:
        stmt = (
            select(Document)
            .options(*_with_links())
            .order_by(Document.stored_at.desc(), Document.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def for_proposal(self, proposal_id: int, limit: int = 5) -> Sequence[Document]:
        stmt = (
            select(Document)
            .join(DocumentProposal)
            .where(DocumentProposal.proposal_id == proposal_id)
            .options(*_with_links())
            .order_by(Document.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def for_actor(self, actor_id: int, limit: int = 5) -> Sequence[Document]:
        stmt = (
            select(Document)
            .join(DocumentActor)
            .where(DocumentActor.actor_id == actor_id)
            .options(*_with_links())
            .order_by(Document.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def search(self, words: list[str], limit: int) -> Sequence[Document]:
        stmt = select(Document).options(*_with_links())
        for word in words:
            pattern = f"%{_like(word)}%"
            stmt = stmt.where(
                or_(
                    Document.title.ilike(pattern, escape="\\"),
                    Document.summary.ilike(pattern, escape="\\"),
                )
            )
        return self.session.scalars(stmt.order_by(Document.id.desc()).limit(limit)).all()
