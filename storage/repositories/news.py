"""What arrived after a cursor: documents and approved facts, for digests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Document, DocumentActor, DocumentProposal, Fact


class NewsRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def max_document_id(self) -> int:
        return self.session.scalar(select(func.max(Document.id))) or 0

    def max_fact_seq(self) -> int:
        """The newest approval number (storage/repositories/approvals.py)."""
        return self.session.scalar(select(func.max(Fact.approval_seq))) or 0

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

    def facts_approved_after(self, after_seq: int, up_to_seq: int, limit: int) -> Sequence[Fact]:
        """Facts approved after the cursor, in the order they were approved."""
        stmt = (
            select(Fact)
            .where(
                Fact.status == "approved",
                Fact.approval_seq > after_seq,
                Fact.approval_seq <= up_to_seq,
            )
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.approval_seq)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()
