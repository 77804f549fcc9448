"""Queries over ingested documents and their links to actors and proposals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from storage.models import Document, DocumentActor, DocumentProposal, DocumentSource
from storage.repositories.knowledge import every_word_in

T = TypeVar("T")
_FTS_PRESENT: dict[str, bool] = {}  # database URL → has the documents_fts index (migration 0002)


def _with_links():  # type: ignore[no-untyped-def]
    return (
        selectinload(Document.source),
        selectinload(Document.actor_links).selectinload(DocumentActor.actor),
        selectinload(Document.proposal_links).selectinload(DocumentProposal.proposal),
    )


@dataclass
class NewDocument:
    """Everything the ingestion pipeline stores about one new article."""

    url: str  # canonical
    title: str
    text: str
    summary: str
    content_hash: str
    source_id: int
    source_url: str  # the URL as the source gave it (tracking parameters and all)
    guid: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    minhash: bytes | None = None
    actor_links: list[tuple[int, str]] = field(default_factory=list)  # (actor id, matched)
    proposal_links: list[tuple[int, str]] = field(default_factory=list)
    on_topic: bool = True
    relevance_score: float | None = None
    relevance_reason: str = ""


class DocumentRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _has_fts(self) -> bool:
        bind = self.session.get_bind()
        if bind.dialect.name != "sqlite":
            return False
        key = str(bind.url)
        if key not in _FTS_PRESENT:
            found = self.session.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='documents_fts'")
            ).first()
            _FTS_PRESENT[key] = found is not None
        return _FTS_PRESENT[key]

    def _search_fts(self, words: list[str], limit: int, offset: int) -> Sequence[Document]:
        # every word as a quoted prefix term: user text can never be FTS5 query syntax
        match = " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)
        ids = self.session.scalars(
            text(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match "
                "ORDER BY rowid DESC LIMIT :limit OFFSET :offset"
            ),
            {"match": match, "limit": limit, "offset": offset},
        ).all()
        if not ids:
            return []
        stmt = select(Document).where(Document.id.in_(ids)).options(*_with_links())
        return sorted(self.session.scalars(stmt).all(), key=lambda d: -d.id)

    def count(self) -> int:
        return self.session.scalar(select(func.count(Document.id))) or 0

    def latest(
        self, offset: int = 0, limit: int = 8, *, off_topic: bool = False
    ) -> Sequence[Document]:
        """Newest first; off-topic documents only when asked for (`/latest all`)."""
        stmt = select(Document).options(*_with_links())
        if not off_topic:
            stmt = stmt.where(Document.on_topic.is_(True))
        stmt = stmt.order_by(Document.stored_at.desc(), Document.id.desc())
        return self.session.scalars(stmt.offset(offset).limit(limit)).all()

    def count_latest(self, *, off_topic: bool = False) -> int:
        stmt = select(func.count(Document.id))
        if not off_topic:
            stmt = stmt.where(Document.on_topic.is_(True))
        return self.session.scalar(stmt) or 0

    def for_proposal(self, proposal_id: int, limit: int = 5) -> Sequence[Document]:
        stmt = (
            select(Document)
            .join(DocumentProposal)
            .where(DocumentProposal.proposal_id == proposal_id, Document.on_topic.is_(True))
            .options(*_with_links())
            .order_by(Document.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def count_for_proposal(self, proposal_id: int) -> int:
        stmt = (
            select(func.count(DocumentProposal.document_id))
            .join(Document, Document.id == DocumentProposal.document_id)
            .where(DocumentProposal.proposal_id == proposal_id, Document.on_topic.is_(True))
        )
        return self.session.scalar(stmt) or 0

    def latest_for_proposal(
        self, proposal_id: int, offset: int = 0, limit: int = 8
    ) -> Sequence[Document]:
        """One proposal's articles, newest stored first (as /latest)."""
        stmt = (
            select(Document)
            .join(DocumentProposal)
            .where(DocumentProposal.proposal_id == proposal_id, Document.on_topic.is_(True))
            .options(*_with_links())
            .order_by(Document.stored_at.desc(), Document.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def for_actor(self, actor_id: int, limit: int = 5) -> Sequence[Document]:
        stmt = (
            select(Document)
            .join(DocumentActor)
            .where(DocumentActor.actor_id == actor_id, Document.on_topic.is_(True))
            .options(*_with_links())
            .order_by(Document.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def search(self, words: list[str], limit: int, offset: int = 0) -> Sequence[Document]:
        """Newest documents whose title or summary has every word (as a word prefix when the
        SQLite full-text index exists, as a substring otherwise)."""
        if self._has_fts():
            return self._search_fts(words, limit, offset)
        stmt = select(Document).options(*_with_links())
        stmt = stmt.where(*every_word_in(words, Document.title, Document.summary))
        stmt = stmt.order_by(Document.id.desc()).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()

    # writing and dedup lookups (ingestion) ------------------------------------------
    def add(self, doc: NewDocument) -> Document:
        """Store a document, the source it came from and why it links to actors/proposals."""
        return self.add_many([doc])[0]

    def add_many(self, docs: Sequence[NewDocument]) -> list[Document]:
        """Store new documents with two flushes in all (batched inserts, not one per row)."""
        documents = [
            Document(
                url=doc.url[:2000],
                title=doc.title[:1000],
                author=(doc.author or None) and doc.author[:300],
                published_at=doc.published_at,
                summary=doc.summary,
                text=doc.text,
                content_hash=doc.content_hash,
                minhash=doc.minhash,
                source_id=doc.source_id,
                on_topic=doc.on_topic,
                relevance_score=doc.relevance_score,
                relevance_reason=doc.relevance_reason[:300],
            )
            for doc in docs
        ]
        self.session.add_all(documents)
        self.session.flush()
        rows: list[object] = []
        for doc, document in zip(docs, documents, strict=True):
            guid = doc.guid[:2000] if doc.guid else None
            rows.append(
                DocumentSource(
                    document_id=document.id,
                    source_id=doc.source_id,
                    url=doc.source_url[:2000],
                    guid=guid,
                )
            )
            rows.extend(
                DocumentActor(document_id=document.id, actor_id=actor_id, matched=matched[:300])
                for actor_id, matched in _unique(doc.actor_links)
            )
            rows.extend(
                DocumentProposal(document_id=document.id, proposal_id=pid, matched=matched[:300])
                for pid, matched in _unique(doc.proposal_links)
            )
        self.session.add_all(rows)
        self.session.flush()
        return documents

    def insert_many(self, docs: Sequence[NewDocument]) -> list[int]:
        """add_many for the ingest hot path: the same rows, as bulk INSERTs (documents
        with RETURNING, in parameter order), without ORM objects; returns the new ids.

        The statements name the tables, not the mapped classes: Core executemany, without
        the ORM's bulk-persistence pass over every parameter dictionary (column defaults
        such as stored_at are Core defaults and apply all the same)."""
        if not docs:
            return []
        table = Document.__table__
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = list(self.session.execute(stmt, [_document_row(doc) for doc in docs]).scalars())
        sources, actors, proposals = [], [], []
        for doc, doc_id in zip(docs, ids, strict=True):
            guid = doc.guid[:2000] if doc.guid else None
            sources.append(
                {"document_id": doc_id, "source_id": doc.source_id,
                 "url": doc.source_url[:2000], "guid": guid}
            )  # fmt: skip
            actors.extend(
                {"document_id": doc_id, "actor_id": actor_id, "matched": matched[:300]}
                for actor_id, matched in _unique(doc.actor_links)
            )
            proposals.extend(
                {"document_id": doc_id, "proposal_id": pid, "matched": matched[:300]}
                for pid, matched in _unique(doc.proposal_links)
            )
        for model, rows in (
            (DocumentSource, sources), (DocumentActor, actors), (DocumentProposal, proposals)
        ):  # fmt: skip
            if rows:
                self.session.execute(insert(model.__table__), rows)
        return ids

    def add_source_link(
        self, document_id: int, source_id: int, url: str, guid: str | None = None
    ) -> bool:
        """Record that a source carried this document; False when it was already recorded."""
        exists = self.session.scalar(
            select(DocumentSource.id).where(
                DocumentSource.document_id == document_id, DocumentSource.source_id == source_id
            )
        )
        if exists is not None:
            return False
        self.session.add(
            DocumentSource(
                document_id=document_id,
                source_id=source_id,
                url=url[:2000],
                guid=guid[:2000] if guid else None,
            )
        )
        self.session.flush()
        return True

    def ids_by_url(self, urls: Iterable[str]) -> dict[str, int]:
        """Canonical URL → document id, for the URLs already stored."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted, 500):
            stmt = select(Document.url, Document.id).where(Document.url.in_(chunk))
            found.update({url: doc_id for url, doc_id in self.session.execute(stmt)})
        return found

    def ids_by_guid(self, source_id: int, guids: Iterable[str]) -> dict[str, int]:
        """Guid → document id for items this source already delivered."""
        wanted = [g for g in dict.fromkeys(guids) if g]
        found: dict[str, int] = {}
        for chunk in _chunks(wanted, 500):
            stmt = select(DocumentSource.guid, DocumentSource.document_id).where(
                DocumentSource.source_id == source_id, DocumentSource.guid.in_(chunk)
            )
            found.update({guid: doc_id for guid, doc_id in self.session.execute(stmt)})
        return found

    def id_by_hash(self, content_hash: str) -> int | None:
        stmt = select(Document.id).where(Document.content_hash == content_hash).limit(1)
        return self.session.scalar(stmt)

    def ids_by_hash(self, hashes: Iterable[str]) -> dict[str, int]:
        """Content hash → (lowest) document id, for the hashes already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted, 500):
            stmt = (
                select(Document.content_hash, Document.id)
                .where(Document.content_hash.in_(chunk))
                .order_by(Document.id.desc())
            )
            found.update({h: doc_id for h, doc_id in self.session.execute(stmt)})
        return found

    def minhashes_since(self, since: datetime, after_id: int = 0) -> list[tuple[int, bytes]]:
        """(id, signature) of documents stored since `since` with an id above `after_id`."""
        stmt = (
            select(Document.id, Document.minhash)
            .where(
                Document.stored_at >= since,
                Document.id > after_id,
                Document.minhash.is_not(None),
            )
            .order_by(Document.id)
        )
        return [(doc_id, sig) for doc_id, sig in self.session.execute(stmt)]

    def fingerprint_texts(self, ids: Sequence[int]) -> list[tuple[int, str, str, str]]:
        """(id, title, url, text) of these documents: what a signature is made from."""
        table = Document.__table__
        found: list[tuple[int, str, str, str]] = []
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            stmt = select(table.c.id, table.c.title, table.c.url, table.c.text).where(
                table.c.id.in_(chunk)
            )
            found.extend((row[0], row[1], row[2], row[3]) for row in self.session.execute(stmt))
        return found

    def set_minhashes(self, signatures: dict[int, bytes | None]) -> None:
        """Replace stored near-duplicate signatures (one executemany UPDATE)."""
        if not signatures:
            return
        table = Document.__table__
        stmt = (
            update(table)
            .where(table.c.id == bindparam("doc_id"))
            .values(minhash=bindparam("signature"))
        )
        rows = [{"doc_id": i, "signature": sig} for i, sig in signatures.items()]
        self.session.execute(stmt, rows)

    def max_id(self) -> int:
        return self.session.scalar(select(func.max(Document.id))) or 0

    def documents_of_source(self, source_id: int, document_ids: Iterable[int]) -> list[int]:
        """Which of these documents this source has already carried."""
        wanted = list(dict.fromkeys(document_ids))
        found: list[int] = []
        for chunk in _chunks(wanted, 500):
            stmt = select(DocumentSource.document_id).where(
                DocumentSource.source_id == source_id, DocumentSource.document_id.in_(chunk)
            )
            found.extend(self.session.scalars(stmt))
        return found

    def sources_of(self, document_id: int) -> list[int]:
        stmt = select(DocumentSource.source_id).where(DocumentSource.document_id == document_id)
        return sorted(self.session.scalars(stmt))


def _document_row(doc: NewDocument) -> dict[str, object]:
    return {
        "url": doc.url[:2000],
        "title": doc.title[:1000],
        "author": (doc.author or None) and doc.author[:300],
        "published_at": doc.published_at,
        "summary": doc.summary,
        "text": doc.text,
        "content_hash": doc.content_hash,
        "minhash": doc.minhash,
        "source_id": doc.source_id,
        "on_topic": doc.on_topic,
        "relevance_score": doc.relevance_score,
        "relevance_reason": doc.relevance_reason[:300],
    }


def _unique(links: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for target_id, matched in links:
        seen.setdefault(target_id, matched)
    return list(seen.items())


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
