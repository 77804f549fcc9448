"""Load a validated dossier into the database: upsert by slug and fact key, never duplicate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.dossier.schema import DEFAULT_DOSSIER, ActorIn, DossierIn, load_dossier
from storage.models import Actor, ActorAlias, AuditLog, Fact, Position, Proposal
from storage.repositories.approvals import stamp_approvals
from storage.repositories.knowledge import fact_key

SEEDED_ACTION = "dossier_seeded"


@dataclass
class SeedResult:
    proposals: int = 0
    actors: int = 0
    facts: int = 0
    skipped: bool = False


def seed_default_dossier(session: Session) -> SeedResult:
    """Fill an empty knowledge base from the built-in dossier, exactly once per database."""
    already = session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.action == SEEDED_ACTION)
    )
    if already:
        return SeedResult(skipped=True)
    result = apply_dossier(session, load_dossier(DEFAULT_DOSSIER))
    session.add(AuditLog(action=SEEDED_ACTION, detail=DEFAULT_DOSSIER.name))
    return result


def apply_dossier(session: Session, dossier: DossierIn) -> SeedResult:
    result = SeedResult()
    actors: dict[str, Actor] = {}
    for item in dossier.actors:
        actor = session.scalars(select(Actor).where(Actor.slug == item.slug)).first()
        if actor is None:
            actor = Actor(slug=item.slug, name=item.name)
            session.add(actor)
            result.actors += 1
        actor.name, actor.kind, actor.country = item.name, item.kind, item.country
        actor.role, actor.summary = item.role, item.summary
        _sync_aliases(actor, item)
        actors[item.slug] = actor
    session.flush()

    for item in dossier.proposals:
        proposal = session.scalars(select(Proposal).where(Proposal.slug == item.slug)).first()
        if proposal is None:
            proposal = Proposal(slug=item.slug, title=item.title)
            session.add(proposal)
            result.proposals += 1
        proposal.title, proposal.summary, proposal.mechanism = (
            item.title,
            item.summary,
            item.mechanism,
        )
        proposal.status = item.status
        proposal.commitments = list(item.commitments)
        proposal.open_questions = list(item.open_questions)
        proposal.aliases = list(item.aliases)
        proposal.keywords = list(item.keywords)
        proposal.link_rules = {
            "requires_any": list(item.requires_any),
            "context_keywords": [c.model_dump() for c in item.context_keywords],
            "lookup_names": list(item.lookup_names),
        }
        session.flush()
        for pos in item.positions:
            actor = actors[pos.actor]
            source = dossier.source(pos.source)
            existing = session.scalars(
                select(Position).where(
                    Position.actor_id == actor.id, Position.proposal_id == proposal.id
                )
            ).first()
            if existing is None:
                existing = Position(actor_id=actor.id, proposal_id=proposal.id, stance=pos.stance)
                session.add(existing)
            existing.stance, existing.note = pos.stance, pos.note
            existing.source_url = source.url if source else None
            existing.source_name = source.title if source else None
        for fact in item.facts:
            key = fact_key(item.slug, fact.text)
            if session.scalars(select(Fact.id).where(Fact.key == key)).first() is not None:
                continue
            source = dossier.source(fact.source)
            session.add(
                Fact(
                    key=key,
                    proposal_id=proposal.id,
                    actor_id=actors[fact.actor].id if fact.actor else None,
                    text=fact.text,
                    source_url=source.url if source else None,
                    source_name=source.title if source else None,
                    published_at=fact.published or (source.published if source else None),
                    status="approved",
                    added_by="dossier",
                )
            )
            result.facts += 1
    stamp_approvals(session)
    return result


def _sync_aliases(actor: Actor, item: ActorIn) -> None:
    """Add missing aliases and refresh the weak flag; aliases are never removed here.

    Inflected forms are stored like linking terms (matched, never shown as a name)."""
    weak = {t.casefold() for t in item.weak_terms}
    existing = {a.alias.casefold(): a for a in actor.aliases}
    wanted = [(a, False) for a in item.aliases]
    wanted += [(t, True) for t in [*item.forms, *item.link_terms]]
    for alias, linking_only in wanted:
        row = existing.get(alias.casefold())
        if row is None:
            row = ActorAlias(alias=alias, for_linking_only=linking_only)
            actor.aliases.append(row)
            existing[alias.casefold()] = row
        row.weak = alias.casefold() in weak
