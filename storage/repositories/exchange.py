"""Queries for export and import of the whole knowledge base (bulk reads, upserts by key)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    Actor,
    ActorAlias,
    AuditLog,
    Document,
    DocumentActor,
    DocumentProposal,
    Fact,
    Position,
    Proposal,
    Source,
    Subscription,
)

BATCH = 2000  # documents are streamed in batches: 100k rows must not sit in one ORM list
IMPORTED_ACTION = "knowledge_imported"


class ExchangeRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # reading ----------------------------------------------------------------------------
    def begin_snapshot(self) -> None:
        """Make every following read see one consistent state, even while the bot writes.

        pysqlite does not open a transaction for SELECTs, so each would see a different
        moment; an explicit BEGIN gives a WAL read snapshot. PostgreSQL gets REPEATABLE READ.
        """
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            self.session.execute(text("BEGIN"))
        elif dialect == "postgresql":
            self.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))

    def proposals(self) -> Sequence[Proposal]:
        stmt = (
            select(Proposal)
            .options(selectinload(Proposal.positions).selectinload(Position.actor))
            .order_by(Proposal.id)
        )
        return self.session.scalars(stmt).all()

    def facts(self) -> Sequence[Fact]:
        stmt = select(Fact).options(selectinload(Fact.actor)).order_by(Fact.id)
        return self.session.scalars(stmt).all()

    def actors(self) -> Sequence[Actor]:
        stmt = select(Actor).options(selectinload(Actor.aliases)).order_by(Actor.id)
        return self.session.scalars(stmt).all()

    def sources(self) -> Sequence[Source]:
        return self.session.scalars(select(Source).order_by(Source.id)).all()

    def subscriptions(self) -> Sequence[Subscription]:
        return self.session.scalars(select(Subscription).order_by(Subscription.id)).all()

    def slugs(self) -> tuple[dict[int, str], dict[int, str]]:
        """(actor id → slug, proposal id → slug)."""
        actors = dict(self.session.execute(select(Actor.id, Actor.slug)).all())
        proposals = dict(self.session.execute(select(Proposal.id, Proposal.slug)).all())
        return actors, proposals

    def document_batches(self) -> Iterator[list[tuple[Document, list[int], list[int]]]]:
        """Documents in id order with their linked actor and proposal ids, batch by batch."""
        last_id = 0
        while True:
            docs = self.session.scalars(
                select(Document).where(Document.id > last_id).order_by(Document.id).limit(BATCH)
            ).all()
            if not docs:
                return
            ids = [d.id for d in docs]
            actor_links: dict[int, list[int]] = defaultdict(list)
            proposal_links: dict[int, list[int]] = defaultdict(list)
            for doc_id, actor_id in self.session.execute(
                select(DocumentActor.document_id, DocumentActor.actor_id)
                .where(DocumentActor.document_id.in_(ids))
                .order_by(DocumentActor.id)
            ):
                actor_links[doc_id].append(actor_id)
            for doc_id, proposal_id in self.session.execute(
                select(DocumentProposal.document_id, DocumentProposal.proposal_id)
                .where(DocumentProposal.document_id.in_(ids))
                .order_by(DocumentProposal.id)
            ):
                proposal_links[doc_id].append(proposal_id)
            yield [(d, actor_links[d.id], proposal_links[d.id]) for d in docs]
            self.session.expunge_all()  # keep memory flat over 100k documents
            last_id = ids[-1]

    # writing ----------------------------------------------------------------------------
    def actor_by_slug(self, slug: str) -> Actor | None:
        stmt = select(Actor).where(Actor.slug == slug).options(selectinload(Actor.aliases))
        return self.session.scalars(stmt).first()

    def proposal_by_slug(self, slug: str) -> Proposal | None:
        stmt = (
            select(Proposal).where(Proposal.slug == slug).options(selectinload(Proposal.positions))
        )
        return self.session.scalars(stmt).first()

    def fact_by_key(self, key: str) -> Fact | None:
        return self.session.scalars(select(Fact).where(Fact.key == key)).first()

    def source_by_url(self, url: str) -> Source | None:
        return self.session.scalars(select(Source).where(Source.url == url)).first()

    def document_ids_by_url(self, urls: list[str]) -> dict[str, Document]:
        if not urls:
            return {}
        stmt = (
            select(Document)
            .where(Document.url.in_(urls))
            .options(selectinload(Document.actor_links), selectinload(Document.proposal_links))
        )
        return {d.url: d for d in self.session.scalars(stmt)}

    def subscription(self, chat_id: int, thread_id: int) -> Subscription | None:
        stmt = select(Subscription).where(
            Subscription.chat_id == chat_id, Subscription.thread_id == thread_id
        )
        return self.session.scalars(stmt).first()

    def max_ids(self) -> tuple[int, int]:
        """Newest document id and fact approval number (cursors for imported subscriptions)."""
        doc = self.session.scalar(select(func.max(Document.id))) or 0
        fact = self.session.scalar(select(func.max(Fact.approval_seq))) or 0
        return doc, fact

    def alias(self, actor: Actor, alias: str, linking_only: bool, weak: bool = False) -> None:
        actor.aliases.append(ActorAlias(alias=alias, for_linking_only=linking_only, weak=weak))

    def mark_imported(self, detail: str, seeded_action: str) -> None:
        """Record the import; also mark the database as seeded so the built-in dossier is not
        laid over imported data on the next start."""
        self.session.add(AuditLog(action=IMPORTED_ACTION, detail=detail))
        seeded = self.session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.action == seeded_action)
        )
        if not seeded:
            self.session.add(AuditLog(action=seeded_action, detail="import"))
