"""Curators' link labels, the stored linking model, and the documents they teach it with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    Document,
    DocumentProposal,
    LinkLabel,
    LinkModelBlob,
    Proposal,
)

KEEP_MODELS = 3  # older trained models are deleted when a new one is stored


@dataclass(frozen=True)
class LabelledDocument:
    """A document a curator corrected, as the model learns it: its links as they are now."""

    id: int
    title: str
    text: str
    on_topic: bool
    proposals: frozenset[str]


class LinkingRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # documents and their links ---------------------------------------------------------
    def document(self, document_id: int) -> Document | None:
        stmt = (
            select(Document)
            .where(Document.id == document_id)
            .options(selectinload(Document.proposal_links).selectinload(DocumentProposal.proposal))
        )
        return self.session.scalar(stmt)

    def titles(self, document_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """{document id: (title, url)} of the documents that still exist."""
        if not document_ids:
            return {}
        stmt = select(Document.id, Document.title, Document.url).where(
            Document.id.in_(list(document_ids))
        )
        return {doc_id: (title or "", url) for doc_id, title, url in self.session.execute(stmt)}

    def proposals(self) -> Sequence[Proposal]:
        return self.session.scalars(select(Proposal).order_by(Proposal.id)).all()

    def link(self, document_id: int, proposal_id: int, matched: str) -> None:
        exists = self.session.scalar(
            select(DocumentProposal.id).where(
                DocumentProposal.document_id == document_id,
                DocumentProposal.proposal_id == proposal_id,
            )
        )
        if exists is None:
            self.session.add(
                DocumentProposal(document_id=document_id, proposal_id=proposal_id, matched=matched)
            )
        else:
            row = self.session.get(DocumentProposal, exists)
            if row is not None:
                row.matched = matched
        self.session.flush()

    def unlink(self, document_id: int, proposal_id: int) -> None:
        self.session.execute(
            delete(DocumentProposal).where(
                DocumentProposal.document_id == document_id,
                DocumentProposal.proposal_id == proposal_id,
            )
        )

    # labels ----------------------------------------------------------------------------
    def set_label(
        self, document_id: int, kind: str, target_id: int, value: bool, user_id: int | None
    ) -> None:
        """One label per document, kind and target: the latest correction replaces it."""
        row = self.session.scalar(
            select(LinkLabel).where(
                LinkLabel.document_id == document_id,
                LinkLabel.kind == kind,
                LinkLabel.target_id == target_id,
            )
        )
        if row is None:
            self.session.add(
                LinkLabel(
                    document_id=document_id,
                    kind=kind,
                    target_id=target_id,
                    value=value,
                    user_id=user_id,
                )
            )
        else:
            row.value, row.user_id = value, user_id
        self.session.flush()

    def labels_of(self, document_id: int) -> Sequence[LinkLabel]:
        stmt = select(LinkLabel).where(LinkLabel.document_id == document_id)
        return self.session.scalars(stmt.order_by(LinkLabel.id)).all()

    def count_labels(self) -> int:
        return self.session.scalar(select(func.count(LinkLabel.id))) or 0

    def labelled_documents(self, limit: int) -> list[LabelledDocument]:
        """The most recently corrected documents (newest first), with their current links."""
        newest = func.max(LinkLabel.id).label("newest")
        ids = [
            row[0]
            for row in self.session.execute(
                select(LinkLabel.document_id, newest)
                .group_by(LinkLabel.document_id)
                .order_by(newest.desc())
                .limit(limit)
            )
        ]
        if not ids:
            return []
        stmt = (
            select(Document)
            .where(Document.id.in_(ids))
            .options(selectinload(Document.proposal_links).selectinload(DocumentProposal.proposal))
        )
        return [
            LabelledDocument(
                d.id,
                d.title,
                d.text,
                d.on_topic,
                frozenset(link.proposal.slug for link in d.proposal_links),
            )
            for d in self.session.scalars(stmt)
        ]

    # the trained model -----------------------------------------------------------------
    def newest_model_id(self) -> int | None:
        return self.session.scalar(select(func.max(LinkModelBlob.id)))

    def model(self, model_id: int) -> LinkModelBlob | None:
        return self.session.get(LinkModelBlob, model_id)

    def store_model(
        self, blob: bytes, document_count: int, label_count: int, seconds: float
    ) -> int:
        row = LinkModelBlob(
            blob=blob, document_count=document_count, label_count=label_count, seconds=seconds
        )
        self.session.add(row)
        self.session.flush()
        keep = select(LinkModelBlob.id).order_by(LinkModelBlob.id.desc()).limit(KEEP_MODELS)
        self.session.execute(delete(LinkModelBlob).where(LinkModelBlob.id.not_in(keep)))
        return row.id
