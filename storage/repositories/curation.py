"""Writes admins make to the dossier by hand: facts added with /addfact, actors from review."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Actor, ActorAlias, Fact, utcnow
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
