"""Writes admins make to the dossier by hand: facts, proposals, actors and positions."""

from __future__ import annotations

import re
from datetime import date
from typing import TypedDict, Unpack

from sqlalchemy import func, select

from storage.models import Actor, ActorAlias, CandidateActor, Fact, Position, Proposal, utcnow
from storage.repositories.approvals import stamp_approvals
from storage.repositories.base import Repo

MAX_SLUG = 80


def slugify(name: str) -> str:
    """A readable slug in any script ("Mark Rutte" -> "mark-rutte", Cyrillic kept)."""
    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "actor"


class ApprovedFact(TypedDict):
    """An admin's fact (/addfact): the Fact columns it sets."""

    key: str
    proposal_id: int
    text: str
    source_url: str | None
    source_name: str | None
    published_at: date | None
    added_by: str


class CurationRepo(Repo):
    # facts ---------------------------------------------------------------------------
    def fact_by_key(self, key: str) -> Fact | None:
        return self.session.scalars(select(Fact).where(Fact.key == key)).first()

    def add_approved_fact(self, reviewer: int, **columns: Unpack[ApprovedFact]) -> Fact:
        fact = Fact(**columns, status="approved", reviewed_by=reviewer, reviewed_at=utcnow())
        self.session.add(fact)
        stamp_approvals(self.session)
        return fact

    # actors --------------------------------------------------------------------------
    def add_actor(self, name: str, aliases: list[str]) -> Actor:
        """A new actor with a unique slug; `aliases` are spellings seen in articles."""
        base = slugify(name)
        slug, n = base, 1
        while self.session.scalars(select(Actor.id).where(Actor.slug == slug)).first():
            n += 1
            slug = f"{base[: MAX_SLUG - 4]}-{n}"
        actor = Actor(slug=slug, name=name)
        for alias in dict.fromkeys(a for a in aliases if a.casefold() != name.casefold()):
            actor.aliases.append(ActorAlias(alias=alias))
        return self.add(actor)

    def actor(self, actor_id: int) -> Actor | None:
        return self.session.get(Actor, actor_id)

    def in_use(self, row: Actor | Proposal) -> bool:
        """Has the actor or proposal positions or facts (so deleting it would lose them)?"""
        if isinstance(row, Actor):
            position_of, fact_of = Position.actor_id, Fact.actor_id
        else:
            position_of, fact_of = Position.proposal_id, Fact.proposal_id
        positions = select(func.count(Position.id)).where(position_of == row.id)
        facts = select(func.count(Fact.id)).where(fact_of == row.id)
        return bool(self.session.scalar(positions) or self.session.scalar(facts))

    def candidate(self, candidate_id: int) -> CandidateActor | None:
        return self.session.get(CandidateActor, candidate_id)

    # proposals -----------------------------------------------------------------------
    def proposal(self, proposal_id: int) -> Proposal | None:
        return self.session.get(Proposal, proposal_id)

    def proposal_by_title(self, title: str) -> Proposal | None:
        stmt = select(Proposal).where(func.lower(Proposal.title) == title.lower())
        return self.session.scalars(stmt).first()

    def add_proposal(self, title: str) -> Proposal:
        base = slugify(title)
        slug, n = base, 1
        while self.session.scalars(select(Proposal.id).where(Proposal.slug == slug)).first():
            n += 1
            slug = f"{base[: MAX_SLUG - 4]}-{n}"
        return self.add(Proposal(slug=slug, title=title, status="proposed"))

    # positions -----------------------------------------------------------------------
    def position(self, actor_id: int, proposal_id: int) -> Position | None:
        stmt = select(Position).where(
            Position.actor_id == actor_id, Position.proposal_id == proposal_id
        )
        return self.session.scalars(stmt).first()

    def set_position(self, actor_id: int, proposal_id: int, values: dict | None) -> None:
        """Create, change or (values None) remove the actor's position on the proposal."""
        position = self.position(actor_id, proposal_id)
        if values is None:
            if position is not None:
                self.session.delete(position)
        elif position is None:
            self.session.add(Position(actor_id=actor_id, proposal_id=proposal_id, **values))
        else:
            for name, value in values.items():
                setattr(position, name, value)
        self.session.flush()

    # facts, by id --------------------------------------------------------------------
    def fact(self, fact_id: int) -> Fact | None:
        return self.session.get(Fact, fact_id)

    def delete_fact(self, fact: Fact) -> None:
        self.delete(fact)
        stamp_approvals(self.session)

    def restamp(self) -> None:
        """After a fact's status changed: number new approvals, clear withdrawn ones."""
        stamp_approvals(self.session)
