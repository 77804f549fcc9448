"""Plain result types that services return and renderers turn into messages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Ref:
    """Something with an id and a label: a list entry, a match, a suggestion."""

    id: int
    slug: str
    label: str
    extra: str = ""


@dataclass
class Paged(Generic[T]):
    items: list[T]
    page: int
    pages: int
    total: int

    @classmethod
    def of(cls, items: list[T], page: int, per_page: int, total: int) -> Paged[T]:
        return cls(items, page, max(1, math.ceil(total / per_page)), total)


def clamp_page(page: int, total: int, per_page: int) -> int:
    pages = max(1, math.ceil(total / per_page))
    return min(max(page, 1), pages)


@dataclass(frozen=True)
class FactView:
    id: int
    text: str
    source_url: str | None
    source_name: str | None
    published_at: date | None
    proposal_title: str | None = None
    actor_name: str | None = None


@dataclass(frozen=True)
class StanceView:
    ref: Ref  # the actor (in a proposal) or the proposal (in an actor)
    stance: str
    note: str


@dataclass
class ProposalView:
    ref: Ref
    status: str
    summary: str
    mechanism: str
    commitments: list[str]
    open_questions: list[str]
    positions: list[StanceView]
    facts: list[FactView]
    fact_total: int
    documents: list[DocumentView] = field(default_factory=list)
    status_since: date | None = None  # the last status change from chat, if any
    status_before: str | None = None


@dataclass
class ActorView:
    ref: Ref
    kind: str
    country: str | None
    role: str
    summary: str
    aliases: list[str]
    positions: list[StanceView]
    facts: list[FactView]
    documents: list[DocumentView] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentView:
    id: int
    url: str
    title: str
    source_name: str | None
    published_at: datetime | None
    summary: str
    actors: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()


@dataclass
class Resolution:
    """The outcome of looking up a name: one match, or suggestions to pick from."""

    match: Ref | None
    suggestions: list[Ref] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeView:
    """One dossier change as people read it (a preview, a history line, a digest line).

    `before` and `after` are the changed fields (None: the thing did not exist before / no
    longer exists); `target` is the proposal title, actor name or fact text it is about."""

    kind: str
    target: str
    before: dict | None = None
    after: dict | None = None
    proposal: str | None = None
    actor: str | None = None
    fact_id: int | None = None
    source_url: str | None = None
    note: str = ""
    on: date | None = None
    id: int | None = None
