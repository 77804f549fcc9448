"""What goes into a chat's next digest: new documents and facts since its cursors, filtered.

Facts are "new" when approved after the chat's fact cursor, counted in approval numbers
(storage/repositories/approvals.py), not ids or clock times: a fact approved while a fan-out
runs is numbered above the snapshot of the batches already written (those chats get it next
time) and at or below the snapshot of later batches (those chats get it now, and their cursor
moves past it). Each batch reads its snapshot, its facts and writes its cursors in one
transaction, so every approved fact goes to every chat once.

"New" means stored after the chat's cursor (document ids grow with stored_at) and published
at most DIGEST_BACKFILL_HOURS before it was stored: the first fetch of a new source feeds its
recent items to digests, while its years-old backlog only goes into the knowledge base.

Dossier changes (status changes, positions, retractions made from chat) follow the facts'
rule with their own announcement numbers (storage/repositories/changes.py) and cursor
(Subscription.last_change_seq); together with new facts they make the "Dossier changes"
section. A change undone before a digest reads it is skipped, and the cursor moves past it.

A digest is built in its subscription's language: proposal headings, actor names, facts and
changes come from the dossier's fields in that language (a missing field falls back whole to
English, see bot/services/localize.py); the views are cached per range and language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.services.catalog import document_view, fact_view
from bot.services.curation.history import views as change_views
from bot.services.digests.filters import DigestFilter
from bot.services.localize import content_language, localized, use_language
from bot.services.views import ChangeView, DocumentView, FactView
from storage.models import Document, DossierChange, Fact, Subscription
from storage.repositories.changes import ChangeRepo
from storage.repositories.news import NewsRepo

MAX_DOCUMENTS = 80  # per digest; beyond that the digest says how many more and points to /latest
MAX_PER_PROPOSAL = 5  # articles shown per proposal; the rest: "and N more: /latest <proposal>"
MAX_FACTS = 40  # per digest; beyond that the rest waits for the next digest
SCAN_LIMIT = 2000  # documents examined per digest (a range this large is a backlog import)
FACT_SCAN_LIMIT = MAX_FACTS * 5
MAX_CHANGES = 40  # dossier changes per digest; the rest waits for the next digest
CHANGE_SCAN_LIMIT = MAX_CHANGES * 5
_Range = tuple[int, str]  # a cached range of views: (cursor, language)

# Nothing is skipped silently: the document cursor moves only over documents this digest
# examined (each one shown or counted in "…and N more"), and the fact cursor only over facts
# shown or filtered out. When a scan limit cuts a range, the next digest starts where this
# one stopped (instant chats at the next scheduler tick, as their cursor is still behind).


@dataclass(frozen=True)
class Snapshot:
    """The newest document id and approval number at the start of a batch, so every chat in
    it sees the same range (take it in the transaction that writes the batch's cursors)."""

    max_document_id: int
    max_fact_seq: int
    now: datetime
    max_change_seq: int = 0

    @classmethod
    def take(cls, session: Session, now: datetime) -> Snapshot:
        repo = NewsRepo(session)
        changes = ChangeRepo(session).max_seq()
        return cls(repo.max_document_id(), repo.max_fact_seq(), now, changes)


@dataclass
class DigestSection:
    proposal_id: int | None  # None: documents linked to no proposal ("Other news")
    title: str | None
    documents: list[DocumentView] = field(default_factory=list)  # freshest first
    slug: str | None = None  # the proposal's, for "and N more: /latest <slug>"
    more: int = 0  # new documents of this proposal beyond MAX_PER_PROPOSAL, counted only

    @property
    def total(self) -> int:
        return len(self.documents) + self.more


@dataclass
class DigestData:
    sections: list[DigestSection]
    facts: list[FactView]
    more_documents: int = 0
    since: datetime | None = None
    documents_through: int = 0  # the chat's cursors once this digest is queued
    facts_through: int = 0
    changes: list[ChangeView] = field(default_factory=list)
    changes_through: int = 0

    @property
    def document_count(self) -> int:
        return sum(s.total for s in self.sections) + self.more_documents

    @property
    def document_ids(self) -> list[int]:
        """The articles shown, in the order the digest shows them."""
        return [d.id for s in self.sections for d in s.documents]

    @property
    def is_empty(self) -> bool:
        return not self.facts and not self.changes and self.document_count == 0

    def key(self) -> tuple[object, ...]:
        """Identity of the content, so identical digests are rendered once in a fan-out."""
        docs = tuple(
            (s.proposal_id, tuple(d.id for d in s.documents), s.more) for s in self.sections
        )
        changes = tuple(c.id for c in self.changes)
        return (docs, tuple(f.id for f in self.facts), self.more_documents, changes)


def subscription_filter(sub: Subscription) -> DigestFilter:
    return DigestFilter(
        proposal_id=sub.filter_proposal_id,
        actor_id=sub.filter_actor_id,
        include=tuple(sub.include_keywords or ()),
        exclude=tuple(sub.exclude_keywords or ()),
    )


def is_fresh(doc: Document, backfill: timedelta) -> bool:
    """Published at most `backfill` before it was stored (undated documents count as fresh)."""
    return doc.published_at is None or doc.published_at >= doc.stored_at - backfill


class DigestBuilder:
    """Builds digests for many subscriptions in one pass, loading each range of news once."""

    def __init__(self, session: Session, snapshot: Snapshot, backfill_hours: int) -> None:
        self.session = session
        self.repo = NewsRepo(session)
        self.changes_repo = ChangeRepo(session)
        self.snapshot = snapshot
        self.backfill = timedelta(hours=backfill_hours)
        self._documents: dict[_Range, tuple[list[tuple[Document, DocumentView, str]], int]] = {}
        self._facts: dict[int, tuple[list[Fact], int]] = {}
        self._changes: dict[_Range, tuple[list[tuple[DossierChange, ChangeView]], int]] = {}

    def build(self, sub: Subscription) -> DigestData:
        """The chat's next digest, in its language."""
        with use_language(sub.language or ""):
            return self._build(sub)

    def _build(self, sub: Subscription) -> DigestData:
        flt = subscription_filter(sub)
        documents, documents_through = self._documents_after(sub.last_document_id)
        chosen = [
            (doc, view)
            for doc, view, text in documents
            if (doc.on_topic or sub.all_articles)
            and flt.matches(
                text,
                {link.proposal_id for link in doc.proposal_links},
                {link.actor_id for link in doc.actor_links},
            )
        ]
        more = max(0, len(chosen) - MAX_DOCUMENTS)
        facts, facts_through = self._new_facts(sub.last_fact_seq)
        matching = [f for f in facts if _fact_matches(flt, f)]
        if len(matching) > MAX_FACTS:  # the rest goes into the next digest
            matching = matching[:MAX_FACTS]
            facts_through = matching[-1].approval_seq or facts_through
        changes, changes_through = self._new_changes(sub.last_change_seq)
        wanted = [(c, v) for c, v in changes if _change_matches(flt, c, v)]
        if len(wanted) > MAX_CHANGES:
            wanted = wanted[:MAX_CHANGES]
            changes_through = wanted[-1][0].seq or changes_through
        return DigestData(
            _sections(chosen[:MAX_DOCUMENTS]),
            [fact_view(f) for f in matching],
            more,
            sub.last_digest_at,
            documents_through,
            facts_through,
            [v for _c, v in wanted],
            changes_through,
        )

    def _documents_after(
        self, after_id: int
    ) -> tuple[list[tuple[Document, DocumentView, str]], int]:
        """Fresh documents after the cursor, and how far they reach (the last one read when
        the scan limit cut the range, else the snapshot)."""
        key = (after_id, content_language())
        if key not in self._documents:
            docs = self.repo.documents_after(after_id, self.snapshot.max_document_id, SCAN_LIMIT)
            through = docs[-1].id if len(docs) >= SCAN_LIMIT else self.snapshot.max_document_id
            fresh = [
                (d, document_view(d), f"{d.title}\n{d.summary}\n{d.text}")
                for d in docs
                if is_fresh(d, self.backfill)
            ]
            self._documents[key] = (fresh, max(after_id, through))
        return self._documents[key]

    def _new_facts(self, after: int) -> tuple[list[Fact], int]:
        """Facts approved after the cursor up to the snapshot, and how far they reach."""
        if after not in self._facts:
            limit, up_to = FACT_SCAN_LIMIT, self.snapshot.max_fact_seq
            facts = list(self.repo.facts_approved_after(after, up_to, limit))
            through = (facts[-1].approval_seq or up_to) if len(facts) >= limit else up_to
            self._facts[after] = (facts, max(after, through))
        return self._facts[after]

    def _new_changes(self, after: int) -> tuple[list[tuple[DossierChange, ChangeView]], int]:
        """Announced changes after the cursor up to the snapshot (not undone), and how far
        they reach."""
        key = (after, content_language())
        if key not in self._changes:
            limit, up_to = CHANGE_SCAN_LIMIT, self.snapshot.max_change_seq
            read = list(self.changes_repo.announced_after(after, up_to, limit))
            through = (read[-1].seq or up_to) if len(read) >= limit else up_to
            live = [c for c in read if c.undone_at is None]
            shown = list(zip(live, change_views(self.session, live), strict=True))
            self._changes[key] = (shown, max(after, through))
        return self._changes[key]


def advance_cursors(sub: Subscription, data: DigestData, now: datetime) -> None:
    """Everything this digest examined has been considered for this chat."""
    sub.last_document_id = max(sub.last_document_id, data.documents_through)
    sub.last_fact_seq = max(sub.last_fact_seq, data.facts_through)
    sub.last_change_seq = max(sub.last_change_seq or 0, data.changes_through)
    sub.last_digest_at = now


def _fact_matches(flt: DigestFilter, fact: Fact) -> bool:
    if flt.proposal_id is not None and fact.proposal_id != flt.proposal_id:
        return False
    if flt.actor_id is not None and fact.actor_id != flt.actor_id:
        return False
    return flt.keywords_match(fact.text)


def _change_matches(flt: DigestFilter, change: DossierChange, view: ChangeView) -> bool:
    if flt.proposal_id is not None and change.proposal_id != flt.proposal_id:
        return False
    if flt.actor_id is not None and change.actor_id != flt.actor_id:
        return False
    text = "\n".join(p for p in (view.target, view.proposal or "", view.note) if p)
    return flt.keywords_match(text)


def _sections(chosen: list[tuple[Document, DocumentView]]) -> list[DigestSection]:
    """Group by proposal (a document linked to several goes under the first, once); in a
    proposal's section the freshest MAX_PER_PROPOSAL articles, the others counted."""
    by_proposal: dict[int | None, DigestSection] = {}
    for doc, view in chosen:
        links = sorted(doc.proposal_links, key=lambda link: link.proposal_id)
        first = links[0] if links else None
        key = first.proposal_id if first else None
        if key not in by_proposal:
            title, slug = (
                (localized(first.proposal, "title"), first.proposal.slug) if first else (None, None)
            )
            by_proposal[key] = DigestSection(key, title, slug=slug)
        by_proposal[key].documents.append(view)
    for section in by_proposal.values():
        if section.proposal_id is not None:
            section.documents.sort(key=_freshness, reverse=True)
            section.more = max(0, len(section.documents) - MAX_PER_PROPOSAL)
            del section.documents[MAX_PER_PROPOSAL:]
    return sorted(by_proposal.values(), key=lambda s: (s.proposal_id is None, s.proposal_id or 0))


def _freshness(view: DocumentView) -> tuple[float, int]:
    """Newest publication first; undated and same-time articles by arrival (id)."""
    stamp = view.published_at.timestamp() if view.published_at is not None else 0.0
    return (stamp, view.id)
