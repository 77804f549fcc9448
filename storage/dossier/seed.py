"""Load a validated dossier into the database: upsert by slug and fact key, never duplicate."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.dossier.schema import DEFAULT_DOSSIER, ActorIn, DossierIn, SourceRef, load_dossier
from storage.models import Actor, ActorAlias, AuditLog, Fact, Position, Proposal
from storage.repositories.approvals import stamp_approvals
from storage.repositories.knowledge import fact_key

SEEDED_ACTION = "dossier_seeded"
# a database seeded before the dossier had translations gets them once (see sync_translations)
TRANSLATED_ACTION = "dossier_translated"


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
        _translate_once(session)
        return SeedResult(skipped=True)
    result = apply_dossier(session, load_dossier(DEFAULT_DOSSIER))
    session.add(AuditLog(action=SEEDED_ACTION, detail=DEFAULT_DOSSIER.name))
    session.add(AuditLog(action=TRANSLATED_ACTION, detail=DEFAULT_DOSSIER.name))
    return result


def _translate_once(session: Session) -> None:
    done = session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.action == TRANSLATED_ACTION)
    )
    if not done:
        sync_translations(session, load_dossier(DEFAULT_DOSSIER))
        session.add(AuditLog(action=TRANSLATED_ACTION, detail=DEFAULT_DOSSIER.name))


def sync_translations(session: Session, dossier: DossierIn) -> None:
    """Copy the dossier's translations onto rows that already exist (by slug and fact key),
    leaving every English text and every curator's change to statuses or facts alone."""
    for item in dossier.actors:
        actor = session.scalars(select(Actor).where(Actor.slug == item.slug)).first()
        if actor is not None:
            actor.translations = texts_by_language(item.translations)
    for item in dossier.proposals:
        proposal = session.scalars(select(Proposal).where(Proposal.slug == item.slug)).first()
        if proposal is None:
            continue
        proposal.translations = texts_by_language(item.translations)
        for pos in item.positions:
            row = session.scalars(
                select(Position)
                .join(Actor, Position.actor_id == Actor.id)
                .where(Position.proposal_id == proposal.id, Actor.slug == pos.actor)
            ).first()
            if row is not None:
                row.translations = texts_by_language(pos.translations, dossier.source(pos.source))
        for fact in item.facts:
            row = session.scalars(select(Fact).where(Fact.key == fact_key(item.slug, fact.text)))
            found = row.first()
            if found is not None:
                found.translations = texts_by_language(
                    fact.translations, dossier.source(fact.source)
                )


def texts_by_language(
    translations: dict[str, BaseModel], source: SourceRef | None = None
) -> dict[str, dict]:
    """The stored form of a translations block: {"uk": {"field": text}}, empty fields left out
    (they fall back to English); a cited source's translated title goes in as `source_name`."""
    stored: dict[str, dict] = {}
    languages = set(translations) | set(source.translations if source else {})
    for language in sorted(languages):
        block = translations.get(language)
        texts = {k: v for k, v in (block.model_dump() if block else {}).items() if v}
        source_text = source.translations.get(language) if source else None
        if source_text is not None and source_text.title:
            texts["source_name"] = source_text.title
        if texts:
            stored[language] = texts
    return stored


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
        actor.translations = texts_by_language(item.translations)
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
        proposal.translations = texts_by_language(item.translations)
        proposal.commitments = list(item.commitments)
        proposal.open_questions = list(item.open_questions)
        proposal.aliases = list(item.aliases)
        proposal.keywords = list(item.keywords)
        proposal.link_rules = {
            "requires_any": list(item.requires_any),
            "not_owned_by": list(item.not_owned_by),
            "context_keywords": [c.model_dump() for c in item.context_keywords],
            "lemma_keywords": {lang: list(ws) for lang, ws in item.lemma_keywords.items()},
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
            existing.translations = texts_by_language(pos.translations, source)
        for fact in item.facts:
            key = fact_key(item.slug, fact.text)
            source = dossier.source(fact.source)
            known = session.scalars(select(Fact).where(Fact.key == key)).first()
            if known is not None:
                known.translations = texts_by_language(fact.translations, source)
                continue
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
                    translations=texts_by_language(fact.translations, source),
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
