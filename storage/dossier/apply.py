"""Apply a dossier file to the database as an upsert (`briefbot dossier apply FILE [--prune]`).

Records in the file are created or updated to match it, field by field (the seeding code,
storage/dossier/seed.py, does the writing, so new fields it learns flow through here too).
Records the file no longer lists are removed only with `prune`; without it they stay."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.dossier.diff import Change, diff_dossier
from storage.dossier.dump import dump_dossier
from storage.dossier.schema import DossierIn, SourceRef
from storage.dossier.seed import apply_dossier
from storage.models import Actor, AuditLog, DossierSource, Fact, Position, Proposal
from storage.repositories.approvals import stamp_approvals
from storage.repositories.knowledge import fact_key

APPLIED_ACTION = "dossier.apply"
FILE_ACTION = "dossier.file"  # detail: "<file name> <sha256>": the file the database last took


@dataclass
class ApplyResult:
    changes: list[Change]
    pruned: bool

    @property
    def kept(self) -> list[Change]:
        """Removals the file asks for but that were not made (no --prune)."""
        return [] if self.pruned else [c for c in self.changes if c.is_removal]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apply_file(
    session: Session, wanted: DossierIn, *, prune: bool, path: Path | None = None
) -> ApplyResult:
    """Upsert `wanted`; with `prune`, remove what it does not list. One transaction (the
    caller's session)."""
    changes = diff_dossier(dump_dossier(session), wanted)
    apply_dossier(session, wanted)
    _store_sources(session, wanted)
    _match_facts(session, wanted)
    _match_aliases(session, wanted)
    if prune:
        _prune(session, wanted)
    stamp_approvals(session)
    detail = f"{path.name if path else 'dossier'}: {len(changes)} changes"
    session.add(AuditLog(action=APPLIED_ACTION, detail=detail + (" (pruned)" if prune else "")))
    if path is not None:
        remember_file(session, path)
    session.flush()
    return ApplyResult(changes, prune)


def remember_file(session: Session, path: Path) -> None:
    session.add(AuditLog(action=FILE_ACTION, detail=f"{path.name} {file_digest(path)}"))


def file_changed_since_taken(session: Session, path: Path) -> bool | None:
    """True when `path` differs from the version the database last took (seeded or
    applied); None when the database has no record of it."""
    detail = session.scalars(
        select(AuditLog.detail)
        .where(AuditLog.action == FILE_ACTION, AuditLog.detail.startswith(f"{path.name} "))
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if detail is None:
        return None
    return detail.rsplit(" ", 1)[-1] != file_digest(path)


def _store_sources(session: Session, wanted: DossierIn) -> None:
    stored = {row.ref: row for row in session.scalars(select(DossierSource))}
    for source in wanted.sources:
        row = stored.get(source.id) or DossierSource(ref=source.id, title=source.title)
        for name, value in from_row_values(source).items():
            setattr(row, name, value)
        session.add(row)


def from_row_values(source: SourceRef) -> dict[str, object]:
    """SourceRef fields that have a dossier_sources column (id is stored as `ref`)."""
    columns = set(DossierSource.__table__.columns.keys()) - {"id"}
    return {k: v for k, v in source.model_dump().items() if k in columns}


def _match_facts(session: Session, wanted: DossierIn) -> None:
    """Facts the file lists are approved, with its source, date and actor (seeding skips
    facts that already exist, which would leave their old citation)."""
    actors = {a.slug: a.id for a in session.scalars(select(Actor))}
    for item in wanted.proposals:
        for fact_in in item.facts:
            fact = session.scalars(
                select(Fact).where(Fact.key == fact_key(item.slug, fact_in.text))
            ).first()
            if fact is None:
                continue
            source = wanted.source(fact_in.source)
            fact.source_url = source.url if source else None
            fact.source_name = source.title if source else None
            fact.published_at = fact_in.published or (source.published if source else None)
            fact.actor_id = actors.get(fact_in.actor) if fact_in.actor else None
            fact.status = "approved"


def _match_aliases(session: Session, wanted: DossierIn) -> None:
    """Seeding only adds aliases; a file that drops one means it."""
    for item in wanted.actors:
        actor = session.scalars(select(Actor).where(Actor.slug == item.slug)).one()
        listed = {a.casefold() for a in [*item.aliases, *item.link_terms]}
        for alias in list(actor.aliases):
            if alias.alias.casefold() not in listed:
                actor.aliases.remove(alias)
                session.delete(alias)


def _prune(session: Session, wanted: DossierIn) -> None:
    proposals = {p.slug: p for p in wanted.proposals}
    for proposal in session.scalars(select(Proposal)):
        item = proposals.get(proposal.slug)
        keep_facts = {fact_key(proposal.slug, f.text) for f in item.facts} if item else set()
        keep_actors = {p.actor for p in item.positions} if item else set()
        for fact in session.scalars(
            select(Fact).where(Fact.proposal_id == proposal.id, Fact.status == "approved")
        ):
            if fact.key not in keep_facts:
                session.delete(fact)
        for position in session.scalars(
            select(Position).where(Position.proposal_id == proposal.id)
        ):
            if position.actor.slug not in keep_actors:
                session.delete(position)
        if item is None:
            session.flush()
            session.delete(proposal)
    slugs = {a.slug for a in wanted.actors}
    for actor in session.scalars(select(Actor)):
        if actor.slug not in slugs:
            session.execute(delete(Position).where(Position.actor_id == actor.id))
            session.delete(actor)
    refs = {s.id for s in wanted.sources}
    session.execute(delete(DossierSource).where(DossierSource.ref.not_in(refs)))
