"""Writes admins make to the dossier by hand: facts, proposals, actors and positions."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Actor, ActorAlias, CandidateActor, Fact, Position, Proposal, utcnow
from storage.repositories.approvals import stamp_approvals

MAX_SLUG = 80


def slugify(name: str) -> str:
    """A readable slug in any script ("Mark Rutte" -> "mark-rutte", Cyrillic kept)."""
    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "actor"


class CurationRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # facts ---------------------------------------------------------------------------
    def fact_by_key(self, key: str) -> Fact | None:
        return self.session.scalars(select(Fact).where(Fact.key == key)).first()

    def add_approved_fact(
        self,
        *,
        key: str,
        proposal_id: int,
        text: str,
        source_url: str | None,
        source_name: str | None,
        published_at: date | None,
        added_by: str,
        reviewer: int,
    ) -> Fact:
        fact = Fact(
            key=key,
            proposal_id=proposal_id,
            text=text,
            source_url=source_url,
            source_name=source_name,
            published_at=published_at,
            status="approved",
            added_by=added_by,
            reviewed_by=reviewer,
            reviewed_at=utcnow(),
        )
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
        self.session.add(actor)
        self.session.flush()
        return actor

    def actor(self, actor_id: int) -> Actor | None:
        return self.session.get(Actor, actor_id)

    def delete_actor(self, actor: Actor) -> None:
        self.session.delete(actor)
        self.session.flush()

    def actor_in_use(self, actor_id: int) -> bool:
        """Has the actor positions or facts (so deleting it would lose them)?"""
        positions = select(func.count(Position.id)).where(Position.actor_id == actor_id)
        facts = select(func.count(Fact.id)).where(Fact.actor_id == actor_id)
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
        proposal = Proposal(slug=slug, title=title, status="proposed")
        self.session.add(proposal)
        self.session.flush()
        return proposal

    def delete_proposal(self, proposal: Proposal) -> None:
        self.session.delete(proposal)
        self.session.flush()

    def proposal_in_use(self, proposal_id: int) -> bool:
        positions = select(func.count(Position.id)).where(Position.proposal_id == proposal_id)
        facts = select(func.count(Fact.id)).where(Fact.proposal_id == proposal_id)
        return bool(self.session.scalar(positions) or self.session.scalar(facts))

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
        self.session.delete(fact)
        self.session.flush()
        stamp_approvals(self.session)

    def restamp(self) -> None:
        """After a fact's status changed: number new approvals, clear withdrawn ones."""
        stamp_approvals(self.session)
