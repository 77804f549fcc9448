"""Queries over proposals, actors, positions and facts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Actor, ActorAlias, Fact, Position, Proposal


class ActorTerm(NamedTuple):
    actor_id: int
    slug: str
    kind: str
    term: str
    weak: bool


class ProposalRules(NamedTuple):
    proposal_id: int
    slug: str
    keywords: list[str]
    aliases: list[str]
    link_rules: dict


def fact_key(proposal_slug: str | None, text: str) -> str:
    """Stable identity of a fact, so imports and re-seeding never duplicate it."""
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(f"{proposal_slug or '-'}|{normalised}".encode()).hexdigest()[:40]


class KnowledgeRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # proposals ----------------------------------------------------------------------
    def count_proposals(self) -> int:
        return self.session.scalar(select(func.count(Proposal.id))) or 0

    def list_proposals(self, offset: int = 0, limit: int = 10) -> Sequence[Proposal]:
        stmt = select(Proposal).order_by(Proposal.id).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()

    def proposal_names(self) -> list[tuple[int, str, str, list[str]]]:
        """(id, slug, title, aliases and lookup names) of every proposal, for fuzzy matching; the
        titles in other languages count as aliases."""
        rows = self.session.execute(
            select(
                Proposal.id,
                Proposal.slug,
                Proposal.title,
                Proposal.aliases,
                Proposal.translations,
                Proposal.link_rules,
            )
        ).all()
        return [
            (
                r[0],
                r[1],
                r[2],
                [
                    *(r[3] or []),
                    *_translated(r[4], "title"),
                    *((r[5] or {}).get("lookup_names") or []),
                ],
            )
            for r in rows
        ]

    def proposal_names_version(self) -> tuple:
        """Changes whenever a proposal is added, removed or edited (cache key for names)."""
        row = self.session.execute(
            select(func.count(Proposal.id), func.max(Proposal.id), func.max(Proposal.updated_at))
        ).one()
        return tuple(row)

    def get_proposal(self, proposal_id: int) -> Proposal | None:
        stmt = (
            select(Proposal)
            .where(Proposal.id == proposal_id)
            .options(selectinload(Proposal.positions).selectinload(Position.actor))
        )
        return self.session.scalars(stmt).first()

    def proposal_by_id(self, proposal_id: int) -> Proposal | None:
        return self.session.get(Proposal, proposal_id)

    def proposal_by_slug(self, slug: str) -> Proposal | None:
        return self.session.scalars(select(Proposal).where(Proposal.slug == slug)).first()

    # actors -------------------------------------------------------------------------
    def count_actors(self) -> int:
        return self.session.scalar(select(func.count(Actor.id))) or 0

    def list_actors(self, offset: int = 0, limit: int = 10) -> Sequence[Actor]:
        stmt = select(Actor).order_by(Actor.id).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()

    def actor_names(self) -> list[tuple[int, str, str, list[str]]]:
        """(id, slug, name, display aliases) of every actor, for fuzzy matching."""
        actors = self.session.execute(
            select(Actor.id, Actor.slug, Actor.name, Actor.translations)
        ).all()
        aliases: dict[int, list[str]] = {}
        rows = self.session.execute(
            select(ActorAlias.actor_id, ActorAlias.alias).where(
                ActorAlias.for_linking_only.is_(False)
            )
        )
        for actor_id, alias in rows:
            aliases.setdefault(actor_id, []).append(alias)
        return [
            (a[0], a[1], a[2], aliases.get(a[0], []) + _translated(a[3], "name")) for a in actors
        ]

    def actor_hint_terms(self) -> list[tuple[int, str]]:
        """(actor id, term) of the linking-only terms and forms: "Putin" points to Russia."""
        rows = self.session.execute(
            select(ActorAlias.actor_id, ActorAlias.alias).where(
                ActorAlias.for_linking_only.is_(True)
            )
        )
        return [(r[0], r[1]) for r in rows]

    def actor_names_version(self) -> tuple:
        """Changes whenever an actor or an alias is added or removed (cache key for names)."""
        actors = self.session.execute(select(func.count(Actor.id), func.max(Actor.id))).one()
        aliases = self.session.execute(
            select(func.count(ActorAlias.id), func.max(ActorAlias.id))
        ).one()
        return (*actors, *aliases)

    def gazetteer(self) -> list[ActorTerm]:
        """Every actor name, alias and linking-only term, for the document linker."""
        out = [
            ActorTerm(a.id, a.slug, a.kind, a.name, False)
            for a in self.session.scalars(select(Actor).order_by(Actor.id))
        ]
        rows = self.session.execute(
            select(ActorAlias.actor_id, Actor.slug, Actor.kind, ActorAlias.alias, ActorAlias.weak)
            .join(Actor)
            .order_by(ActorAlias.id)
        )
        out.extend(ActorTerm(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows)
        return out

    def proposal_link_rules(self) -> list[ProposalRules]:
        """Keywords, aliases and conditional rules of every proposal, for the linker."""
        rows = self.session.execute(
            select(
                Proposal.id, Proposal.slug, Proposal.keywords, Proposal.aliases, Proposal.link_rules
            ).order_by(Proposal.id)
        )
        return [
            ProposalRules(r[0], r[1], list(r[2] or []), list(r[3] or []), dict(r[4] or {}))
            for r in rows
        ]

    def get_actor(self, actor_id: int) -> Actor | None:
        stmt = (
            select(Actor)
            .where(Actor.id == actor_id)
            .options(
                selectinload(Actor.aliases),
                selectinload(Actor.positions).selectinload(Position.proposal),
            )
        )
        return self.session.scalars(stmt).first()

    def actor_by_id(self, actor_id: int) -> Actor | None:
        return self.session.get(Actor, actor_id)

    def actor_by_slug(self, slug: str) -> Actor | None:
        return self.session.scalars(select(Actor).where(Actor.slug == slug)).first()

    # facts --------------------------------------------------------------------------
    def approved_facts(
        self,
        *,
        proposal_id: int | None = None,
        actor_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Sequence[Fact]:
        stmt = select(Fact).where(Fact.status == "approved")
        if proposal_id is not None:
            stmt = stmt.where(Fact.proposal_id == proposal_id)
        if actor_id is not None:
            stmt = stmt.where(Fact.actor_id == actor_id)
        stmt = stmt.options(selectinload(Fact.proposal), selectinload(Fact.actor))
        stmt = stmt.order_by(Fact.published_at.desc().nulls_last(), Fact.id.desc())
        return self.session.scalars(stmt.offset(offset).limit(limit)).all()

    def approved_fact(self, fact_id: int) -> Fact | None:
        fact = self.session.get(Fact, fact_id)
        return fact if fact is not None and fact.status == "approved" else None

    def count_approved_facts(self, proposal_id: int) -> int:
        stmt = select(func.count(Fact.id)).where(
            Fact.status == "approved", Fact.proposal_id == proposal_id
        )
        return self.session.scalar(stmt) or 0

    def timeline_facts(
        self, offset: int, limit: int, proposal_id: int | None = None
    ) -> Sequence[Fact]:
        stmt = (
            select(Fact)
            .where(Fact.status == "approved", Fact.published_at.is_not(None))
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.published_at.desc(), Fact.id.desc())
            .offset(offset)
            .limit(limit)
        )
        if proposal_id is not None:
            stmt = stmt.where(Fact.proposal_id == proposal_id)
        return self.session.scalars(stmt).all()

    def count_timeline_facts(self, proposal_id: int | None = None) -> int:
        stmt = select(func.count(Fact.id)).where(
            Fact.status == "approved", Fact.published_at.is_not(None)
        )
        if proposal_id is not None:
            stmt = stmt.where(Fact.proposal_id == proposal_id)
        return self.session.scalar(stmt) or 0

    def search_facts(self, words: list[str], limit: int, offset: int = 0) -> Sequence[Fact]:
        stmt = (
            select(Fact)
            .where(Fact.status == "approved", *every_word_in(words, Fact.text))
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
        )
        stmt = stmt.order_by(Fact.id.desc()).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()

    def search_proposals(self, words: list[str], limit: int, offset: int = 0) -> Sequence[Proposal]:
        columns = (Proposal.title, Proposal.summary, Proposal.mechanism)
        stmt = select(Proposal).where(*every_word_in(words, *columns))
        stmt = stmt.order_by(Proposal.id).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()

    def search_actors(self, words: list[str], limit: int, offset: int = 0) -> Sequence[Actor]:
        stmt = select(Actor).where(*every_word_in(words, Actor.name, Actor.role, Actor.summary))
        stmt = stmt.order_by(Actor.id).offset(offset).limit(limit)
        return self.session.scalars(stmt).all()


def _translated(translations: dict | None, field: str) -> list[str]:
    """The field's text in every other language (names people may type in their own)."""
    return [t[field] for t in (translations or {}).values() if t.get(field)]


def every_word_in(words: list[str], *columns: Any) -> list[ColumnElement[bool]]:
    """One condition per word: it occurs (case-insensitively, as typed) in any of `columns`."""
    conditions = []
    for word in words:
        pattern = f"%{_like(word)}%"
        conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return conditions


def _like(word: str) -> str:
    """Escape LIKE wildcards in user input."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
