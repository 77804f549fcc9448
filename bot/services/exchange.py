"""Export and import of the whole knowledge base as JSON (contract: version 1).

Export reads one consistent snapshot, so it is safe while the bot runs on the same database.
Import upserts (proposals and actors by slug, facts by key, sources and documents by URL,
subscriptions by chat and thread), never deletes, and runs in the caller's one transaction:
a bad reference raises ExchangeError and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.services.exchange_schema import (
    ActorX,
    DocumentX,
    FactX,
    KnowledgeBaseX,
    ProposalX,
    SubscriptionX,
    first_error,
)
from storage.dossier.seed import SEEDED_ACTION
from storage.models import (
    Actor,
    Document,
    DocumentActor,
    DocumentProposal,
    Fact,
    Position,
    Proposal,
    Source,
    Subscription,
)
from storage.repositories.approvals import stamp_approvals
from storage.repositories.changes import ChangeRepo
from storage.repositories.exchange import ExchangeRepo
from storage.repositories.knowledge import fact_key

VERSION = 1
URL_CHUNK = 500


class ExchangeError(Exception):
    """The file cannot be imported; the message is one line saying where and why."""


# --- export -----------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_knowledge(session: Session) -> dict[str, Any]:
    """The knowledge base as a JSON-ready dict (documents included)."""
    repo = ExchangeRepo(session)
    repo.begin_snapshot()
    head = export_head(repo)
    head["documents"] = [doc for batch in export_documents(repo) for doc in batch]
    head["subscriptions"] = export_subscriptions(repo)
    return head


def export_head(repo: ExchangeRepo) -> dict[str, Any]:
    facts_by_proposal: dict[int, list[dict[str, Any]]] = {}
    for f in repo.facts():
        if f.proposal_id is None:
            continue  # the contract has facts under proposals only
        facts_by_proposal.setdefault(f.proposal_id, []).append(
            {
                "id": f.id,
                "key": f.key,
                "text": f.text,
                "source_url": f.source_url,
                "published_at": _iso(f.published_at),
                "status": f.status,
                "actor": f.actor.slug if f.actor else None,
                "source_name": f.source_name,
                "added_by": f.added_by,
            }
        )
    proposals = []
    for p in repo.proposals():
        positions = sorted(p.positions, key=lambda pos: pos.id)
        proposals.append(
            {
                "slug": p.slug,
                "title": p.title,
                "summary": p.summary,
                "status": p.status,
                "actors": [pos.actor.slug for pos in positions],
                "facts": facts_by_proposal.get(p.id, []),
                "mechanism": p.mechanism,
                "commitments": list(p.commitments or []),
                "open_questions": list(p.open_questions or []),
                "aliases": list(p.aliases or []),
                "keywords": list(p.keywords or []),
                "link_rules": dict(p.link_rules or {}),
                "positions": [
                    {
                        "actor": pos.actor.slug,
                        "stance": pos.stance,
                        "note": pos.note,
                        "source_url": pos.source_url,
                        "source_name": pos.source_name,
                    }
                    for pos in positions
                ],
            }
        )
    actors = [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "country": a.country,
            "aliases": [al.alias for al in a.aliases if not al.for_linking_only],
            "role": a.role,
            "summary": a.summary,
            "link_terms": [al.alias for al in a.aliases if al.for_linking_only],
            "weak_terms": [al.alias for al in a.aliases if al.weak],
        }
        for a in repo.actors()
    ]
    sources = [
        {
            "id": s.id,
            "url": s.url,
            "name": s.name,
            "kind": s.kind,
            "active": s.active,
            "last_fetched_at": _iso(s.last_fetched_at),
        }
        for s in repo.sources()
    ]
    return {"version": VERSION, "proposals": proposals, "actors": actors, "sources": sources}


def export_documents(repo: ExchangeRepo) -> Iterator[list[dict[str, Any]]]:
    actor_slugs, proposal_slugs = repo.slugs()
    for batch in repo.document_batches():
        yield [
            {
                "url": d.url,
                "title": d.title,
                "published_at": _iso(d.published_at),
                "source_id": d.source_id,
                "summary": d.summary,
                "actors": [actor_slugs[i] for i in actor_ids],
                "proposals": [proposal_slugs[i] for i in proposal_ids],
                "stored_at": _iso(d.stored_at),
                "author": d.author,
            }
            for d, actor_ids, proposal_ids in batch
        ]


def export_subscriptions(repo: ExchangeRepo) -> list[dict[str, Any]]:
    actor_slugs, proposal_slugs = repo.slugs()
    return [
        {
            "chat_id": s.chat_id,
            "mode": s.mode,
            "schedule": s.schedule,
            "active": s.active,
            "thread_id": s.thread_id,
            "chat_type": s.chat_type,
            "language": s.language,
            "proposal": proposal_slugs.get(s.filter_proposal_id or 0),
            "actor": actor_slugs.get(s.filter_actor_id or 0),
            "include_keywords": list(s.include_keywords or []),
            "exclude_keywords": list(s.exclude_keywords or []),
        }
        for s in repo.subscriptions()
    ]


# --- import -----------------------------------------------------------------------------


def parse_knowledge(raw: str | bytes) -> KnowledgeBaseX:
    """Validate a file's text; every problem becomes one ExchangeError line."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExchangeError(f"not a JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise ExchangeError('top level: expected a JSON object with "version": 1')
    if "version" not in data:
        raise ExchangeError("version: field required (this briefbot reads version 1)")
    try:
        return KnowledgeBaseX.model_validate(data)
    except ValidationError as exc:
        raise ExchangeError(first_error(exc)) from None


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped_links: int = 0  # actor slugs listed on a proposal without a stance to record

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1


def import_knowledge(session: Session, kb: KnowledgeBaseX, label: str = "") -> ImportResult:
    importer = _Importer(ExchangeRepo(session), session)
    importer.run(kb)
    importer.repo.mark_imported(label, SEEDED_ACTION)
    return importer.result


class _Importer:
    def __init__(self, repo: ExchangeRepo, session: Session) -> None:
        self.repo, self.session = repo, session
        self.result = ImportResult()
        self.actors: dict[str, Actor] = {}
        self.proposals: dict[str, Proposal] = {}
        self.sources: dict[int, int] = {}  # id in the file → id here

    def run(self, kb: KnowledgeBaseX) -> None:
        for i, actor in enumerate(kb.actors):
            self.upsert_actor(actor, f"actors[{i}]")
        self.session.flush()
        for i, proposal in enumerate(kb.proposals):
            self.upsert_proposal(proposal, f"proposals[{i}]")
        self.session.flush()
        for source in kb.sources:
            src = self.repo.source_by_url(source.url)
            self.result.count("sources", src is None)
            if src is None:
                src = Source(url=source.url)
                self.session.add(src)
            src.name, src.kind, src.active = source.name, source.kind, source.active
            src.last_fetched_at = source.last_fetched_at or src.last_fetched_at
            self.session.flush()
            self.sources[source.id] = src.id
        self.import_facts(kb.proposals)
        stamp_approvals(self.session)  # before subscriptions take the newest number as cursor
        self.import_documents(kb.documents)
        self.session.flush()
        for i, sub in enumerate(kb.subscriptions):
            self.upsert_subscription(sub, f"subscriptions[{i}]")

    # lookups by slug: known from this file or already in the database --------------------
    def actor(self, slug: str, place: str) -> Actor:
        if slug not in self.actors:
            found = self.repo.actor_by_slug(slug)
            if found is None:
                raise ExchangeError(f"{place}: unknown actor {slug!r}")
            self.actors[slug] = found
        return self.actors[slug]

    def proposal(self, slug: str, place: str) -> Proposal:
        if slug not in self.proposals:
            found = self.repo.proposal_by_slug(slug)
            if found is None:
                raise ExchangeError(f"{place}: unknown proposal {slug!r}")
            self.proposals[slug] = found
        return self.proposals[slug]

    def upsert_actor(self, item: ActorX, place: str) -> None:
        actor = self.repo.actor_by_slug(item.slug)
        self.result.count("actors", actor is None)
        if actor is None:
            actor = Actor(slug=item.slug, name=item.name)
            self.session.add(actor)
        actor.name, actor.kind, actor.country = item.name, item.kind, item.country
        actor.role, actor.summary = item.role, item.summary
        known = {a.alias.casefold() for a in actor.aliases}
        weak = {t.casefold() for t in item.weak_terms}
        for alias, linking in [(a, False) for a in item.aliases] + [
            (t, True) for t in item.link_terms
        ]:
            if alias.strip() and alias.casefold() not in known:
                self.repo.alias(actor, alias.strip(), linking, alias.casefold() in weak)
                known.add(alias.casefold())
        self.actors[item.slug] = actor

    def upsert_proposal(self, item: ProposalX, place: str) -> None:
        proposal = self.repo.proposal_by_slug(item.slug)
        self.result.count("proposals", proposal is None)
        if proposal is None:
            proposal = Proposal(slug=item.slug, title=item.title)
            self.session.add(proposal)
            self.session.flush()
        proposal.title, proposal.summary, proposal.status = item.title, item.summary, item.status
        proposal.mechanism = item.mechanism
        proposal.commitments, proposal.open_questions = item.commitments, item.open_questions
        proposal.aliases, proposal.keywords = item.aliases, item.keywords
        proposal.link_rules = item.link_rules
        self.proposals[item.slug] = proposal
        existing = {pos.actor_id: pos for pos in proposal.positions}
        with_stance = set()
        for j, pos in enumerate(item.positions):
            actor = self.actor(pos.actor, f"{place}.positions[{j}].actor")
            with_stance.add(pos.actor)
            row = existing.get(actor.id)
            if row is None:
                row = Position(actor=actor, proposal=proposal, stance=pos.stance)
                self.session.add(row)
                existing[actor.id] = row
            row.stance, row.note = pos.stance, pos.note
            row.source_url, row.source_name = pos.source_url, pos.source_name
        for j, slug in enumerate(item.actors):
            actor = self.actor(slug, f"{place}.actors[{j}]")
            if slug not in with_stance and actor.id not in existing:
                self.result.skipped_links += 1

    def import_facts(self, proposals: list[ProposalX]) -> None:
        # in the order of their original ids, so a fresh database numbers them the same way
        items: list[tuple[int, str, FactX, str]] = []
        for i, p in enumerate(proposals):
            for j, fact in enumerate(p.facts):
                items.append(
                    (
                        fact.id if fact.id is not None else 2**62,
                        p.slug,
                        fact,
                        f"proposals[{i}].facts[{j}]",
                    )
                )
        items.sort(key=lambda t: t[0])
        for _id, slug, item, place in items:
            key = item.key or fact_key(slug, item.text)
            fact = self.repo.fact_by_key(key)
            self.result.count("facts", fact is None)
            if fact is None:
                fact = Fact(key=key, proposal_id=self.proposal(slug, place).id, text=item.text)
                self.session.add(fact)
            fact.actor_id = self.actor(item.actor, f"{place}.actor").id if item.actor else None
            fact.source_url, fact.source_name = item.source_url, item.source_name
            fact.published_at, fact.status, fact.added_by = (
                item.published_at,
                item.status,
                item.added_by,
            )

    def import_documents(self, documents: list[DocumentX]) -> None:
        for start in range(0, len(documents), URL_CHUNK):
            chunk = documents[start : start + URL_CHUNK]
            known = self.repo.document_ids_by_url([d.url for d in chunk])
            for offset, item in enumerate(chunk):
                self.upsert_document(item, known, f"documents[{start + offset}]")
            self.session.flush()

    def upsert_document(self, item: DocumentX, known: dict[str, Document], place: str) -> None:
        doc = known.get(item.url)
        self.result.count("documents", doc is None)
        if doc is None:
            doc = Document(url=item.url)
            self.session.add(doc)
            known[item.url] = doc
        if item.source_id is not None and item.source_id not in self.sources:
            raise ExchangeError(f"{place}.source_id: no source with id {item.source_id} in sources")
        doc.title, doc.summary, doc.author = item.title, item.summary, item.author
        doc.published_at = item.published_at
        doc.source_id = self.sources.get(item.source_id) if item.source_id is not None else None
        if item.stored_at is not None:
            doc.stored_at = item.stored_at
        linked_actors = {link.actor_id for link in doc.actor_links}
        for j, slug in enumerate(item.actors):
            actor = self.actor(slug, f"{place}.actors[{j}]")
            if actor.id not in linked_actors:
                doc.actor_links.append(DocumentActor(actor_id=actor.id, matched="import"))
                linked_actors.add(actor.id)
        linked_proposals = {link.proposal_id for link in doc.proposal_links}
        for j, slug in enumerate(item.proposals):
            proposal = self.proposal(slug, f"{place}.proposals[{j}]")
            if proposal.id not in linked_proposals:
                doc.proposal_links.append(
                    DocumentProposal(proposal_id=proposal.id, matched="import")
                )
                linked_proposals.add(proposal.id)

    def upsert_subscription(self, item: SubscriptionX, place: str) -> None:
        sub = self.repo.subscription(item.chat_id, item.thread_id)
        self.result.count("subscriptions", sub is None)
        if sub is None:
            # start from what exists now: an imported subscriber is not sent the whole history
            last_doc, last_fact = self.repo.max_ids()
            sub = Subscription(
                chat_id=item.chat_id,
                thread_id=item.thread_id,
                last_document_id=last_doc,
                last_fact_seq=last_fact,
                last_change_seq=ChangeRepo(self.session).max_seq(),
            )
            self.session.add(sub)
        sub.mode, sub.schedule, sub.active = item.mode, item.schedule, item.active
        sub.chat_type, sub.language = item.chat_type, item.language
        sub.include_keywords, sub.exclude_keywords = item.include_keywords, item.exclude_keywords
        sub.filter_proposal_id = (
            self.proposal(item.proposal, f"{place}.proposal").id if item.proposal else None
        )
        sub.filter_actor_id = self.actor(item.actor, f"{place}.actor").id if item.actor else None
