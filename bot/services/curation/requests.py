"""What a curator asked for, parsed from a command's arguments; no database here.

Names (proposals, actors) stay as typed; the handler resolves them to ids before building a
request. Every request is a small frozen value: it is previewed, kept until the admin presses
Confirm, then applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.services.facts import FactInputError, InputError, check_url
from bot.services.resolve import parse_id

STATUSES = ("proposed", "under_discussion", "agreed", "implemented", "rejected", "withdrawn")
STANCES = ("supports", "opposes", "conditional", "proposes")
ACTOR_KINDS = ("person", "state", "organisation", "group")
PROPOSAL_FIELDS = ("title", "summary", "mechanism", "commitments", "open_questions")
LIST_FIELDS = ("commitments", "open_questions")
TITLE_MIN, TITLE_MAX = 3, 300
NAME_MIN, NAME_MAX = 2, 200
COUNTRY_MAX = 80
NOTE_MIN, NOTE_MAX = 3, 500
TEXT_MAX = 4000  # summary and mechanism
ITEM_MAX, ITEMS_MAX = 500, 30  # one commitment or open question; how many
FACT_MIN, FACT_MAX = 10, 1500
REASON_MIN, REASON_MAX = 3, 500

Reason = Literal[
    "usage", "bad_status", "bad_stance", "bad_url", "too_short", "too_long", "bad_kind", "bad_fact"
]


class CurationInputError(InputError):
    reason: Reason


@dataclass(frozen=True)
class SetStatus:
    proposal_id: int
    status: str
    source_url: str | None = None


@dataclass(frozen=True)
class SetPosition:
    actor_id: int
    proposal_id: int
    stance: str
    note: str
    source_url: str | None = None


@dataclass(frozen=True)
class NewProposal:
    title: str


@dataclass(frozen=True)
class EditProposal:
    proposal_id: int
    field: str
    value: str | tuple[str, ...]


@dataclass(frozen=True)
class NewActor:
    name: str
    kind: str = "person"
    country: str | None = None


@dataclass(frozen=True)
class EditFact:
    fact_id: int
    text: str


@dataclass(frozen=True)
class RetractFact:
    fact_id: int
    reason: str


@dataclass(frozen=True)
class Undo:
    change_id: int


ChangeRequest = (
    SetStatus | SetPosition | NewProposal | EditProposal | NewActor | EditFact | RetractFact | Undo
)


# --- parsing ------------------------------------------------------------------------------


def normalise_status(word: str) -> str | None:
    key = word.strip().casefold().replace("-", "_").replace(" ", "_")
    return key if key in STATUSES else None


@dataclass(frozen=True)
class StatusInput:
    proposal_query: str
    status: str
    source_url: str | None


def parse_setstatus(raw: str) -> StatusInput:
    """`<proposal> <status> [URL]`; the status may be two words ("under discussion")."""
    words, url = _words_and_url(raw, at_least=2)
    if len(words) >= 3 and normalise_status(" ".join(words[-2:])):
        status, words = normalise_status(" ".join(words[-2:])), words[:-2]
    else:
        status = normalise_status(words[-1])
        if status is None:
            raise CurationInputError("bad_status", words[-1])
        words = words[:-1]
    assert status is not None
    return StatusInput(" ".join(words), status, url)


@dataclass(frozen=True)
class PositionInput:
    actor_query: str
    stance: str
    proposal_query: str
    note: str
    source_url: str | None


def parse_position(raw: str) -> PositionInput:
    """`<actor> <stance> <proposal> <text> [URL]`; actor and proposal are single tokens."""
    words, url = _words_and_url(raw, at_least=4)
    stance = words[1].casefold()
    if stance not in STANCES:
        raise CurationInputError("bad_stance", words[1])
    return PositionInput(words[0], stance, words[2], check_note(" ".join(words[3:])), url)


def check_note(text: str) -> str:
    return _length(" ".join(text.split()), NOTE_MIN, NOTE_MAX)


def parse_new_proposal(raw: str) -> NewProposal:
    title = " ".join(raw.split())
    if not title:
        raise CurationInputError("usage")
    return NewProposal(_length(title, TITLE_MIN, TITLE_MAX))


def parse_new_actor(raw: str) -> NewActor:
    """`<name> [person|state|organisation|group] [country]`: the kind word ends the name."""
    words = raw.split()
    if not words:
        raise CurationInputError("usage")
    kinds = {"organization": "organisation", **{k: k for k in ACTOR_KINDS}}
    at = next((i for i, w in enumerate(words) if i > 0 and w.casefold() in kinds), None)
    if at is None:
        name, kind, country = " ".join(words), "person", None
    else:
        name, kind = " ".join(words[:at]), kinds[words[at].casefold()]
        country = " ".join(words[at + 1 :]) or None
    if country is not None and len(country) > COUNTRY_MAX:
        raise CurationInputError("too_long", country)
    return NewActor(_length(name, NAME_MIN, NAME_MAX), kind, country)


def parse_fact_number(word: str) -> int:
    number = parse_id(word)
    if number is None:
        raise CurationInputError("bad_fact", word)
    return number


def parse_retract(raw: str) -> RetractFact:
    """`<fact> <reason>`."""
    head, _, reason = raw.strip().partition(" ")
    if not head or not reason.strip():
        raise CurationInputError("usage")
    reason = _length(" ".join(reason.split()), REASON_MIN, REASON_MAX)
    return RetractFact(parse_fact_number(head), reason)


def check_fact_text(text: str) -> str:
    return _length(" ".join(text.split()), FACT_MIN, FACT_MAX)


def field_value(field: str, text: str) -> str | tuple[str, ...]:
    """A proposal field's new value from a message: list fields take one item per line
    ("-" alone clears them); a title is one line."""
    if field in LIST_FIELDS:
        items = [line.strip().lstrip("•-* ").strip() for line in text.splitlines()]
        items = [i for i in items if i]
        if text.strip() == "-":
            return ()
        if not items:
            raise CurationInputError("too_short", text)
        if len(items) > ITEMS_MAX:
            raise CurationInputError("too_long", str(len(items)))
        return tuple(_length(i, 1, ITEM_MAX) for i in items)
    if field == "title":
        return _length(" ".join(text.split()), TITLE_MIN, TITLE_MAX)
    value = text.strip()
    return "" if value == "-" else _length(value, 1, TEXT_MAX)


def _words_and_url(raw: str, at_least: int) -> tuple[list[str], str | None]:
    """The words of `raw` and its last word if that is a URL; at least `at_least` words must
    remain besides the URL."""
    words = raw.split()
    url = _pop_url(words)
    if len(words) < at_least:
        raise CurationInputError("usage")
    return words, url


def _pop_url(words: list[str]) -> str | None:
    if words and ("://" in words[-1] or words[-1].lower().startswith("www.")):
        try:
            return check_url(words.pop())
        except FactInputError as exc:
            raise CurationInputError("bad_url", exc.value) from None
    return None


def _length(text: str, low: int, high: int) -> str:
    if len(text) < low:
        raise CurationInputError("too_short", text)
    if len(text) > high:
        raise CurationInputError("too_long", text[:80])
    return text
