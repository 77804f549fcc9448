"""Database steps of ingestion, each one short transaction run in a worker thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.services.articles import Candidate, PreparedArticle, pending_facts
from bot.services.dedup import RECENT_WINDOW, NearDuplicateIndex, minhash_to_bytes
from storage.db import Database
from storage.models import utcnow
from storage.repositories.documents import DocumentRepo, NewDocument
from storage.repositories.review import ReviewRepo
from storage.repositories.sources import SourceRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceSnapshot:
    """What a poll needs to know about a source, detached from any session."""

    id: int
    url: str
    name: str
    kind: str
    active: bool
    etag: str | None
    last_modified: str | None


@dataclass
class StoreResult:
    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0


def load_source(db: Database, source_id: int) -> SourceSnapshot | None:
    with db.session() as session:
        s = SourceRepo(session).get(source_id)
        if s is None:
            return None
        return SourceSnapshot(s.id, s.url, s.name, s.kind, s.active, s.etag, s.last_modified)


def source_ids(db: Database, *, only_due: bool) -> list[int]:
    with db.session() as session:
        repo = SourceRepo(session)
        return [s.id for s in (repo.due() if only_due else repo.active())]


def triage(db: Database, source_id: int, candidates: list[Candidate]) -> list[Candidate]:
    """Drop items this source delivered before; mark the ones stored from other sources."""
    with db.session() as session:
        repo = DocumentRepo(session)
        by_guid = repo.ids_by_guid(source_id, [c.item.guid for c in candidates if c.item.guid])
        by_url = repo.ids_by_url(c.url for c in candidates)
        linked = set(repo.documents_of_source(source_id, set(by_url.values())))
    fresh: list[Candidate] = []
    for cand in candidates:
        if cand.item.guid and cand.item.guid in by_guid:
            continue
        known = by_url.get(cand.url)
        if known is not None and known in linked:
            continue
        cand.known_id = known
        fresh.append(cand)
    return fresh


def refresh_index(db: Database, index: NearDuplicateIndex) -> NearDuplicateIndex:
    """Top the in-memory index up with documents stored since; rebuild it once a day."""
    now = utcnow()
    if index.needs_rebuild(now):
        index = NearDuplicateIndex(index.threshold)
        index.built_at = now
    with db.session() as session:
        rows = DocumentRepo(session).minhashes_since(now - RECENT_WINDOW, index.loaded_up_to)
    index.add_serialized(rows)
    return index


def store_batch(
    db: Database,
    source: SourceSnapshot,
    known: list[Candidate],
    articles: list[PreparedArticle],
    index: NearDuplicateIndex,
) -> StoreResult:
    """Store new articles once; a story already stored only gains this source."""
    result = StoreResult()
    with db.session() as session:
        docs, review = DocumentRepo(session), ReviewRepo(session)
        for cand in known:
            if cand.known_id is not None and docs.add_source_link(
                cand.known_id, source.id, cand.item.url, cand.item.guid
            ):
                result.duplicates += 1
        for article in articles:
            dup_id = _duplicate_of(docs, article, index)
            if dup_id is not None:
                if docs.add_source_link(dup_id, source.id, article.source_url, article.guid):
                    result.duplicates += 1
                continue
            document = docs.add(_new_document(article, source.id))
            review.add_pending_facts(pending_facts(article, document.id, source.name))
            review.upsert_candidate_actors(article.links.candidate_names, document.id)
            result.new_ids.append(document.id)
            if article.minhash is not None:  # later items of this batch compare against it
                index.add(document.id, article.minhash)
    return result


def _duplicate_of(
    docs: DocumentRepo, article: PreparedArticle, index: NearDuplicateIndex
) -> int | None:
    found = docs.ids_by_url([article.url]).get(article.url)
    if found is None:
        found = docs.id_by_hash(article.content_hash)
    if found is None and article.minhash is not None:
        found = index.find(article.minhash)
    return found


def _new_document(article: PreparedArticle, source_id: int) -> NewDocument:
    return NewDocument(
        url=article.url,
        title=article.title,
        text=article.text,
        summary=article.summary,
        content_hash=article.content_hash,
        source_id=source_id,
        source_url=article.source_url,
        guid=article.guid,
        author=article.author,
        published_at=article.published_at,
        minhash=minhash_to_bytes(article.minhash) if article.minhash is not None else None,
        actor_links=[(link.target_id, link.matched) for link in article.links.actors],
        proposal_links=[(link.target_id, link.matched) for link in article.links.proposals],
    )


def record_ok(
    db: Database,
    source_id: int,
    interval: int,
    *,
    etag: str | None,
    last_modified: str | None,
    item_count: int | None,
) -> None:
    with db.session() as session:
        repo = SourceRepo(session)
        source = repo.get(source_id)
        if source is not None:
            repo.mark_ok(
                source,
                interval_seconds=interval,
                etag=etag,
                last_modified=last_modified,
                item_count=item_count,
            )


def record_error(db: Database, source_id: int, interval: int, error: str) -> None:
    with db.session() as session:
        repo = SourceRepo(session)
        source = repo.get(source_id)
        if source is not None:
            repo.mark_error(source, error, interval_seconds=interval)
