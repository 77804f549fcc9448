"""What arrived after a cursor: documents and approved facts, for digests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Document, DocumentActor, DocumentProposal, Fact


class NewsRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def max_document_id(self) -> int:
        return self.session.scalar(select(func.max(Document.id))) or 0

    def max_fact_id(self) -> int:
        return self.session.scalar(select(func.max(Fact.id))) or 0

    def documents_after(self, after_id: int, up_to_id: int, limit: int) -> Sequence[Document]:
        """Documents stored after `after_id` (ids grow with stored_at), oldest first."""
        stmt = (
            select(Document)
            .where(Document.id > after_id, Document.id <= up_to_id)
            .options(
                selectinload(Document.source),
                selectinload(Document.actor_links).selectinload(DocumentActor.actor),
                selectinload(Document.proposal_links).selectinload(DocumentProposal.proposal),
            )
            .order_by(Document.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def facts_after(self, after_id: int, up_to_id: int, limit: int) -> Sequence[Fact]:
        """Approved facts added after the cursor."""
        stmt = (
            select(Fact)
            .where(Fact.status == "approved", Fact.id > after_id, Fact.id <= up_to_id)
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def facts_reviewed_since(self, since: datetime, up_to_id: int, limit: int) -> Sequence[Fact]:
        """Facts approved since `since`: one proposed long ago and approved today is news."""
        stmt = (
            select(Fact)
            .where(Fact.status == "approved", Fact.id <= up_to_id, Fact.reviewed_at > since)
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()
