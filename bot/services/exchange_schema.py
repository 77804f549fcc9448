"""The export/import JSON (version 1) as pydantic models: what outside tools read and write.

The keys of the contract are all present and keep their names; a few more keys (marked
"lossless" below) make a backup complete: stances, mechanisms, roles, link terms, thread ids.
Files without them still import. Unknown keys are ignored so newer files stay readable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.services.digests.filters import MAX_KEYWORD_CHARS, MAX_KEYWORDS
from bot.services.digests.schedules import ScheduleError, parse_schedule
from storage.dossier.schema import SLUG_RE

Slug = str
# What the database columns hold (BIGINT), and the caps the rest of the bot keeps: long
# texts as a fact's, names and terms as an alias's, keywords as /subscribe's.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
LongText = Annotated[str, Field(max_length=5000)]
Line = Annotated[str, Field(max_length=1500)]
Term = Annotated[str, Field(max_length=200)]
Keyword = Annotated[str, Field(min_length=1, max_length=MAX_KEYWORD_CHARS)]
MAX_LIST = 200
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
    id: Int64 | None = None
    text: str = Field(min_length=1, max_length=5000)
    source_url: str | None = Field(default=None, max_length=2000)
    published_at: date | None = None
    status: FactStatus = "pending"
    # lossless
    key: str | None = Field(default=None, min_length=1, max_length=64)  # identity for upserts
    actor: Slug | None = None
    source_name: str | None = Field(default=None, max_length=300)
    added_by: str = Field(default="import", max_length=100)
    # other languages' texts: {"uk": {"field": "text"}}; absent (an older file): left as they are
    translations: dict[str, dict[str, Any]] | None = None


class PositionX(_Item):
    actor: Slug
    stance: Stance
    note: str = Field(default="", max_length=500)
    source_url: str | None = Field(default=None, max_length=2000)
    source_name: str | None = Field(default=None, max_length=300)
    # other languages' texts: {"uk": {"field": "text"}}; absent (an older file): left as they are
    translations: dict[str, dict[str, Any]] | None = None


class ProposalX(_Item):
    slug: Slug = Field(max_length=80)
    title: str = Field(min_length=1, max_length=300)
    summary: LongText = ""
    status: ProposalStatus = "proposed"
    actors: list[Slug] = Field(default_factory=list)
    facts: list[FactX] = Field(default_factory=list)
    # lossless
    mechanism: LongText = ""
    commitments: list[Line] = Field(default_factory=list, max_length=MAX_LIST)
    open_questions: list[Line] = Field(default_factory=list, max_length=MAX_LIST)
    aliases: list[Term] = Field(default_factory=list, max_length=MAX_LIST)
    keywords: list[Term] = Field(default_factory=list, max_length=MAX_LIST)
    link_rules: dict[str, Any] = Field(default_factory=dict)
    positions: list[PositionX] = Field(default_factory=list)
    # other languages' texts: {"uk": {"field": "text"}}; absent (an older file): left as they are
    translations: dict[str, dict[str, Any]] | None = None

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
    aliases: list[Term] = Field(default_factory=list, max_length=MAX_LIST)
    # lossless
    role: str = Field(default="", max_length=300)
    summary: LongText = ""
    link_terms: list[Term] = Field(default_factory=list, max_length=MAX_LIST)
    weak_terms: list[Term] = Field(
        default_factory=list, max_length=MAX_LIST
    )  # link_terms that link only with others
    # other languages' texts: {"uk": {"field": "text"}}; absent (an older file): left as they are
    translations: dict[str, dict[str, Any]] | None = None

    _check_slug = field_validator("slug")(_slug)


class SourceX(_Item):
    id: Int64
    url: str = Field(min_length=1, max_length=2000)
    name: str = Field(default="", max_length=300)
    kind: Literal["rss", "atom", "html"] = "rss"
    active: bool = True
    last_fetched_at: datetime | None = None
    # who publishes it (kept when the file leaves these out, as exports before 0007 do)
    outlet_kind: Literal["official", "wire", "outlet", "state-affiliated", "think-tank"] | None = (
        None
    )
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")


class DocumentX(_Item):
    url: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=1000)
    published_at: datetime | None = None
    source_id: Int64 | None = None
    summary: str = Field(default="", max_length=10_000)
    actors: list[Slug] = Field(default_factory=list)
    proposals: list[Slug] = Field(default_factory=list)
    # lossless
    stored_at: datetime | None = None
    author: str | None = Field(default=None, max_length=300)
    on_topic: bool | None = None  # relevance to the dossier (absent: left as it is)


class SubscriptionX(_Item):
    chat_id: Int64
    mode: Mode = "daily"
    schedule: str = Field(default="", max_length=40)
    active: bool = True
    # lossless
    thread_id: Int64 = 0
    chat_type: str = Field(default="private", max_length=20)
    language: str = Field(default="en", max_length=10)
    proposal: Slug | None = None
    actor: Slug | None = None
    include_keywords: list[Keyword] = Field(default_factory=list, max_length=MAX_KEYWORDS)
    exclude_keywords: list[Keyword] = Field(default_factory=list, max_length=MAX_KEYWORDS)

    @field_validator("schedule")
    @classmethod
    def _schedule_as_subscribe_reads_it(cls, value: str, info: ValidationInfo) -> str:
        """A schedule /subscribe accepts, stored the way /subscribe stores it."""
        mode = info.data.get("mode", "daily")
        if mode == "instant":
            return ""
        try:
            schedule, rest = parse_schedule([mode, *value.split()])
        except ScheduleError as exc:
            raise ValueError(f"{exc.value!r} is not a valid {exc.problem}") from None
        if rest:
            raise ValueError(f"{value!r} is not a {mode} schedule (HH:MM or DAY HH:MM)")
        return schedule.stored()


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
