"""Database steps of ingestion, each one short transaction run in a worker thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash
from sqlalchemy.orm import Session

from bot.services.ingest.articles import Candidate, PreparedArticle, pending_facts
from bot.services.ingest.dedup import (
    NUM_PERM,
    RECENT_WINDOW,
    NearDuplicateIndex,
    fingerprint_words,
    minhash_of_words,
    minhash_to_bytes,
)
from bot.services.text.claims import same_claim
from storage.db import Database
from storage.models import utcnow
from storage.repositories.documents import DocumentRepo, NewDocument
from storage.repositories.review import ReviewRepo
from storage.repositories.sources import SourceRepo

log = logging.getLogger(__name__)
RECOMPUTE_CHUNK = 500  # documents read at once when recomputing signatures of an old scheme


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


@dataclass(frozen=True)
class PollOk:
    """What a successful poll tells about the source (validators for the next GET)."""

    etag: str | None
    last_modified: str | None
    item_count: int | None


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
        docs = DocumentRepo(session)
        stale = index.add_serialized(docs.minhashes_since(now - RECENT_WINDOW, index.loaded_up_to))
        if stale:
            _recompute_signatures(docs, index, stale)
    return index


def _recompute_signatures(docs: DocumentRepo, index: NearDuplicateIndex, ids: list[int]) -> None:
    """Signatures stored by an earlier scheme (dedup.LEGACY_SEEDS), made again from their
    documents as prepare_article made them, stored, and indexed: once, after an upgrade."""
    for chunk in (ids[i : i + RECOMPUTE_CHUNK] for i in range(0, len(ids), RECOMPUTE_CHUNK)):
        fresh: dict[int, LeanMinHash | None] = {}
        for doc_id, title, url, text in docs.fingerprint_texts(chunk):
            title = "" if title == url else title  # stored as its URL: the item had none
            fresh[doc_id] = minhash_of_words(fingerprint_words(f"{title}\n{text}"))
        docs.set_minhashes({i: minhash_to_bytes(s) if s else None for i, s in fresh.items()})
        for doc_id, sketch in fresh.items():
            if sketch is not None:
                index.add(doc_id, sketch)
    log.info("recomputed %d near-duplicate signatures of an earlier scheme", len(ids))


def store_batch(
    db: Database,
    source: SourceSnapshot,
    known: list[Candidate],
    articles: list[PreparedArticle],
    index: NearDuplicateIndex,
    polled: PollOk | None = None,
    interval: int = 900,
) -> StoreResult:
    """Store new articles once; a story already stored only gains this source.

    Lookups and inserts are batched (a few queries per feed, not per item): this step
    runs under the single writer lock, so its length bounds ingestion throughput.
    """
    result = StoreResult()
    with db.session() as session:
        docs, review = DocumentRepo(session), ReviewRepo(session)
        for cand in known:
            if cand.known_id is not None and docs.add_source_link(
                cand.known_id, source.id, cand.item.url, cand.item.guid
            ):
                result.duplicates += 1
        fresh, duplicates = _split_duplicates(docs, articles, index)
        for dup_id, article in duplicates:
            if docs.add_source_link(dup_id, source.id, article.source_url, article.guid):
                result.duplicates += 1
        stored = docs.insert_many([_new_document(a, source.id) for a in fresh])
        facts, mentions = [], {}
        for doc_id, article in zip(stored, fresh, strict=True):
            result.new_ids.append(doc_id)
            facts.extend(pending_facts(article, doc_id, source.name))
            # a claim's new-name speaker is a candidate actor too, once per document
            speakers = [c.speaker for c in article.claims if c.speaker]
            for name in dict.fromkeys([*article.links.candidate_names, *speakers]):
                count, first = mentions.get(name, (0, doc_id))
                mentions[name] = (count + 1, first)
        review.add_pending_facts(facts, same_claim)
        review.add_candidate_mentions(mentions)
        if polled is not None:
            _mark_ok(session, source.id, interval, polled)
        for doc_id, article in zip(stored, fresh, strict=True):
            if article.minhash is not None:
                index.add(doc_id, article.minhash)
    return result


def _split_duplicates(
    docs: DocumentRepo, articles: list[PreparedArticle], index: NearDuplicateIndex
) -> tuple[list[PreparedArticle], list[tuple[int, PreparedArticle]]]:
    """(new articles, (stored id, article) for duplicates) by URL, then hash, then MinHash."""
    by_url = docs.ids_by_url(a.url for a in articles)
    by_hash = docs.ids_by_hash(a.content_hash for a in articles)
    fresh: list[PreparedArticle] = []
    duplicates: list[tuple[int, PreparedArticle]] = []
    batch_urls: dict[str, PreparedArticle] = {}
    batch_hashes: dict[str, PreparedArticle] = {}
    sketches = _BatchSketches(len(articles))
    for article in articles:
        found = by_url.get(article.url) or by_hash.get(article.content_hash)
        if found is None and article.minhash is not None:
            found = index.find(article.minhash)
        twin = batch_urls.get(article.url) or batch_hashes.get(article.content_hash)
        if found is None and twin is None and article.minhash is not None:
            twin = sketches.near_twin(article.minhash, index.threshold)
        if found is not None:
            duplicates.append((found, article))
        elif twin is None:  # a twin inside this batch: the feed repeats itself, skip it
            fresh.append(article)
            batch_urls[article.url] = batch_hashes[article.content_hash] = article
            sketches.add(article)
    return fresh, duplicates


class _BatchSketches:
    """The signatures of a batch's fresh articles as rows of one array, so that a new
    article is compared with all of them in one step rather than one jaccard() each
    (the same estimate: the share of equal hash values)."""

    def __init__(self, capacity: int) -> None:
        self._rows = np.zeros((capacity, NUM_PERM), dtype=np.uint64)
        self._articles: list[PreparedArticle] = []

    def add(self, article: PreparedArticle) -> None:
        if article.minhash is not None and len(article.minhash.hashvalues) == NUM_PERM:
            self._rows[len(self._articles)] = article.minhash.hashvalues
            self._articles.append(article)

    def near_twin(self, sketch: LeanMinHash, threshold: float) -> PreparedArticle | None:
        """The first article of the batch at least `threshold` similar to `sketch`."""
        count = len(self._articles)
        if count == 0 or len(sketch.hashvalues) != NUM_PERM:
            return None
        equal = np.count_nonzero(self._rows[:count] == sketch.hashvalues, axis=1)
        similar = np.flatnonzero(equal / float(NUM_PERM) >= threshold)
        return self._articles[int(similar[0])] if similar.size else None


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
        on_topic=article.links.relevance.on_topic,
        relevance_score=round(article.links.relevance.score, 4),
        relevance_reason=article.links.relevance.reason,
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
        _mark_ok(session, source_id, interval, PollOk(etag, last_modified, item_count))


def _mark_ok(session: Session, source_id: int, interval: int, polled: PollOk) -> None:
    SourceRepo(session).mark_ok_by_id(
        source_id,
        interval_seconds=interval,
        etag=polled.etag,
        last_modified=polled.last_modified,
        item_count=polled.item_count,
    )


def record_error(db: Database, source_id: int, interval: int, error: str) -> None:
    with db.session() as session:
        repo = SourceRepo(session)
        source = repo.get(source_id)
        if source is not None:
            repo.mark_error(source, error, interval_seconds=interval)
