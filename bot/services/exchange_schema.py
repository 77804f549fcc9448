"""The export/import JSON (version 1) as pydantic models: what outside tools read and write.

The keys of the contract are all present and keep their names; a few more keys (marked
"lossless" below) make a backup complete: stances, mechanisms, roles, link terms, thread ids.
Files without them still import. Unknown keys are ignored so newer files stay readable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storage.dossier.schema import SLUG_RE

Slug = str
FactStatus = Literal["pending", "approved", "rejected", "retracted"]
ProposalStatus = Literal[
    "proposed", "under_discussion", "agreed", "implemented", "rejected", "withdrawn"
]
Stance = Literal["supports", "opposes", "proposes", "conditional"]
Mode = Literal["instant", "daily", "weekly"]


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"{value!r} is not a slug (lowercase letters, digits and dashes)")
    return value


class FactX(_Item):
    id: int | None = None
    text: str = Field(min_length=1, max_length=5000)
    source_url: str | None = Field(default=None, max_length=2000)
    published_at: date | None = None
    status: FactStatus = "pending"
    # lossless
    key: str | None = Field(default=None, min_length=1, max_length=64)  # identity for upserts
    actor: Slug | None = None
    source_name: str | None = Field(default=None, max_length=300)
    added_by: str = Field(default="import", max_length=100)


class PositionX(_Item):
    actor: Slug
    stance: Stance
    note: str = Field(default="", max_length=500)
    source_url: str | None = Field(default=None, max_length=2000)
    source_name: str | None = Field(default=None, max_length=300)


class ProposalX(_Item):
    slug: Slug = Field(max_length=80)
    title: str = Field(min_length=1, max_length=300)
    summary: str = ""
    status: ProposalStatus = "proposed"
    actors: list[Slug] = Field(default_factory=list)
    facts: list[FactX] = Field(default_factory=list)
    # lossless
    mechanism: str = ""
    commitments: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    link_rules: dict[str, Any] = Field(default_factory=dict)
    positions: list[PositionX] = Field(default_factory=list)

    _check_slug = field_validator("slug")(_slug)

    @field_validator("status", mode="before")
    @classmethod
    def _renamed_status(cls, value: object) -> object:
        """Files written before migration 0006 call `implemented` `in_force`."""
        return "implemented" if value == "in_force" else value


class ActorX(_Item):
    slug: Slug = Field(max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["person", "state", "organisation", "group"] = "person"
    country: str | None = Field(default=None, max_length=80)
    aliases: list[str] = Field(default_factory=list)
    # lossless
    role: str = Field(default="", max_length=300)
    summary: str = ""
    link_terms: list[str] = Field(default_factory=list)
    weak_terms: list[str] = Field(default_factory=list)  # link_terms that link only with others

    _check_slug = field_validator("slug")(_slug)


class SourceX(_Item):
    id: int
    url: str = Field(min_length=1, max_length=2000)
    name: str = Field(default="", max_length=300)
    kind: Literal["rss", "atom", "html"] = "rss"
    active: bool = True
    last_fetched_at: datetime | None = None


class DocumentX(_Item):
    url: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=1000)
    published_at: datetime | None = None
    source_id: int | None = None
    summary: str = ""
    actors: list[Slug] = Field(default_factory=list)
    proposals: list[Slug] = Field(default_factory=list)
    # lossless
    stored_at: datetime | None = None
    author: str | None = Field(default=None, max_length=300)


class SubscriptionX(_Item):
    chat_id: int
    mode: Mode = "daily"
    schedule: str = Field(default="", max_length=40)
    active: bool = True
    # lossless
    thread_id: int = 0
    chat_type: str = Field(default="private", max_length=20)
    language: str = Field(default="en", max_length=10)
    proposal: Slug | None = None
    actor: Slug | None = None
    include_keywords: list[str] = Field(default_factory=list)
    exclude_keywords: list[str] = Field(default_factory=list)


class KnowledgeBaseX(_Item):
    version: Literal[1]
    proposals: list[ProposalX] = Field(default_factory=list)
    actors: list[ActorX] = Field(default_factory=list)
    sources: list[SourceX] = Field(default_factory=list)
    documents: list[DocumentX] = Field(default_factory=list)
    subscriptions: list[SubscriptionX] = Field(default_factory=list)


def where(loc: tuple[int | str, ...]) -> str:
    """('documents', 3, 'url') → 'documents[3].url'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def first_error(exc: ValidationError) -> str:
    """The first problem of a validation error, as 'place: what is wrong'."""
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    msg = str(err["msg"]).removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    if err["type"] == "literal_error" and loc == ("version",):
        msg = f"unsupported version {err.get('input')!r} (this briefbot reads version 1)"
    more = exc.error_count() - 1
    return f"{where(loc)}: {msg}" + (f" (and {more} more problems)" if more else "")
