"""/addfact: parse an admin's fact, check it, and add it to the dossier as approved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from bot.services import resolve
from bot.services.views import Ref
from storage.repositories.audit import AuditRepo
from storage.repositories.changes import ChangeRepo
from storage.repositories.curation import CurationRepo
from storage.repositories.knowledge import fact_key

FACT_MIN, FACT_MAX = 10, 1500
MAX_URL = 2000
_QUOTES = {'"': '"', "“": "”", "«": "»", "'": "'"}
# a last word that is meant as a link: scheme://…, www.…, or a dangerous pseudo-scheme
_URL_INTENT = re.compile(r"^([a-z][a-z0-9+.-]*://|www\.|(javascript|data|file|vbscript):)", re.I)


class InputError(Exception):
    """What is wrong with a command's arguments: `reason` names it (each subclass has its own
    set), `value` is the offending part as typed."""

    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


class FactInputError(InputError):
    reason: Literal["missing", "too_short", "too_long", "bad_url"]


@dataclass(frozen=True)
class FactInput:
    proposal_query: str
    text: str
    url: str | None


@dataclass
class AddFactResult:
    status: Literal["added", "duplicate", "no_proposal"]
    proposal: Ref | None = None
    fact_id: int | None = None
    existing_status: str | None = None  # of the duplicate
    suggestions: list[Ref] = field(default_factory=list)


def parse_fact_input(raw: str) -> FactInput:
    """`<proposal> <text> [url]`: the proposal is one word (number, slug) or a quoted name."""
    raw = raw.strip()
    proposal_query, rest = _split_proposal(raw)
    words = rest.split()
    if not proposal_query or not words:
        raise FactInputError("missing")
    url = None
    if _URL_INTENT.match(words[-1]):
        url = check_url(words.pop())
    text = " ".join(words)
    if len(text) < FACT_MIN:
        raise FactInputError("too_short", text)
    if len(text) > FACT_MAX:
        raise FactInputError("too_long", text)
    return FactInput(proposal_query, text, url)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or len(url) > MAX_URL
        or any(c.isspace() or c in '<>"' for c in url)
    ):
        raise FactInputError("bad_url", url)
    return url


def _split_proposal(raw: str) -> tuple[str, str]:
    close = _QUOTES.get(raw[:1])
    if close:
        end = raw.find(close, 1)
        if end > 1:
            return raw[1:end].strip(), raw[end + 1 :]
    head, _, rest = raw.partition(" ")
    if not rest:  # a newline may separate the proposal from the text
        head, _, rest = raw.partition("\n")
    return head.strip(), rest


def add_fact(session: Session, fact: FactInput, user_id: int) -> AddFactResult:
    found = resolve.resolve_proposal(session, fact.proposal_query)
    if found.match is None:
        return AddFactResult("no_proposal", suggestions=found.suggestions)
    proposal = found.match
    key = fact_key(proposal.slug, fact.text)
    repo = CurationRepo(session)
    existing = repo.fact_by_key(key)
    if existing is not None:
        return AddFactResult("duplicate", proposal, existing.id, existing.status)
    added = repo.add_approved_fact(
        user_id,
        key=key,
        proposal_id=proposal.id,
        text=fact.text,
        source_url=fact.url,
        source_name=_host(fact.url),
        published_at=datetime.now(UTC).date(),
        added_by=f"admin:{user_id}",
    )
    detail = f"fact #{added.id} on proposal #{proposal.id}: {fact.text[:300]}"
    AuditRepo(session).record(user_id, "fact.add", detail + (f" [{fact.url}]" if fact.url else ""))
    ChangeRepo(session).record(
        "fact.add", user_id, fact_id=added.id, proposal_id=proposal.id, after={"status": "approved"}
    )
    return AddFactResult("added", proposal, added.id)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
