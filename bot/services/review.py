"""The admin review queue: show the next pending item, approve, reject or edit it, audit it.

Items are pending facts (found by ingestion) first, then candidate actors (unknown names seen
in articles). Every decision only changes an item that is still pending, so a second press of
a button, or two admins at once, can never decide an item twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy.orm import Session

from storage.models import CandidateActor, Fact
from storage.repositories.audit import AuditRepo
from storage.repositories.changes import ChangeRepo
from storage.repositories.curation import CurationRepo
from storage.repositories.knowledge import KnowledgeRepo, fact_key
from storage.repositories.review import ReviewRepo

Kind = Literal["fact", "actor"]
KINDS: tuple[Kind, ...] = ("fact", "actor")
FACT_MIN, FACT_MAX = 10, 1500
NAME_MIN, NAME_MAX = 2, 200


@dataclass(frozen=True)
class ReviewItem:
    kind: Kind
    id: int
    text: str  # the fact's sentence, or the candidate actor's name
    proposal: str | None = None
    actor: str | None = None
    source_url: str | None = None
    source_name: str | None = None
    document_title: str | None = None
    document_url: str | None = None
    mentions: int = 0
    remaining: int = 1  # pending items in the queue, this one included


# approved / rejected: done now; already: decided before (second press); missing: no such
# item; duplicate: the edited fact already exists; invalid: the edited text is unusable
OutcomeStatus = Literal["approved", "rejected", "already", "missing", "duplicate", "invalid"]


@dataclass(frozen=True)
class Outcome:
    status: OutcomeStatus
    item: ReviewItem | None = None  # the item as decided (with the edited text, if any)
    actor_id: int | None = None  # the actor an approved candidate became


def pending_count(session: Session) -> int:
    repo = ReviewRepo(session)
    return repo.count_pending_facts() + repo.count_pending_actors()


def next_item(session: Session) -> ReviewItem | None:
    """The oldest pending fact, else the most mentioned candidate actor, else None."""
    repo = ReviewRepo(session)
    remaining = pending_count(session)
    fact = repo.next_pending_fact()
    if fact is not None:
        return _fact_item(repo, fact, remaining)
    candidate = repo.first_pending_actor()
    if candidate is not None:
        return _actor_item(repo, candidate, remaining)
    return None


def get_item(session: Session, kind: Kind, item_id: int) -> ReviewItem | None:
    """A pending item by id (None when it is gone or already decided)."""
    repo = ReviewRepo(session)
    if kind == "fact":
        fact = repo.get_fact(item_id)
        if fact is None or fact.status != "pending":
            return None
        return _fact_item(repo, fact, pending_count(session))
    candidate = repo.get_candidate_actor(item_id)
    if candidate is None or candidate.status != "pending":
        return None
    return _actor_item(repo, candidate, pending_count(session))


def approve(session: Session, kind: Kind, item_id: int, user_id: int) -> Outcome:
    return _decide(session, kind, item_id, user_id, "approved", None)


def reject(session: Session, kind: Kind, item_id: int, user_id: int) -> Outcome:
    return _decide(session, kind, item_id, user_id, "rejected", None)


def edit(session: Session, kind: Kind, item_id: int, text: str, user_id: int) -> Outcome:
    """Approve the item with corrected text (a fact's sentence or an actor's name)."""
    text = " ".join(text.split())
    low, high = (FACT_MIN, FACT_MAX) if kind == "fact" else (NAME_MIN, NAME_MAX)
    if not low <= len(text) <= high:
        return Outcome("invalid")
    return _decide(session, kind, item_id, user_id, "approved", text)


def text_limits(kind: Kind) -> tuple[int, int]:
    return (FACT_MIN, FACT_MAX) if kind == "fact" else (NAME_MIN, NAME_MAX)


def _decide(
    session: Session, kind: Kind, item_id: int, user_id: int, status: str, text: str | None
) -> Outcome:
    repo = ReviewRepo(session)
    item = get_item(session, kind, item_id)
    if item is None:
        exists = (repo.get_fact if kind == "fact" else repo.get_candidate_actor)(item_id)
        return Outcome("already" if exists is not None else "missing")
    key = _edited_key(session, item_id, text) if kind == "fact" and text is not None else None
    if key is not None and _duplicate_of(session, item_id, key):
        return Outcome("duplicate", item)
    before = _fact_fields(repo, item_id) if kind == "fact" else {"status": "pending"}
    if kind == "fact":
        # the key follows the text: /addfact and later edits must see the edited sentence
        changed = repo.decide_fact(item_id, status, user_id, text, key)
    else:
        changed = repo.decide_candidate(item_id, status)
    if not changed:  # another press won the race between our read and our write
        return Outcome("already")
    decided = _with_text(item, text)
    actor_id, created = (
        _create_actor(session, item, decided)
        if kind == "actor" and status == "approved"
        else (None, False)
    )
    verb = "edit" if text is not None else {"approved": "approve", "rejected": "reject"}[status]
    action = f"review.{verb}_{kind}"
    AuditRepo(session).record(user_id, action, _audit_detail(decided, item, actor_id))
    # what /undo needs to put the item back in the queue
    after = (
        _fact_fields(repo, item_id) if kind == "fact" else {"status": status, "created": created}
    )
    ChangeRepo(session).record(
        action,
        user_id,
        fact_id=item_id if kind == "fact" else None,
        item_id=item_id if kind == "actor" else None,
        actor_id=actor_id,
        before=before,
        after=after,
    )
    return Outcome(status, decided, actor_id)  # type: ignore[arg-type]


def _fact_fields(repo: ReviewRepo, fact_id: int) -> dict[str, str | None]:
    fact = repo.get_fact(fact_id)
    assert fact is not None
    return {"status": fact.status, "text": fact.text, "key": fact.key}


def _edited_key(session: Session, fact_id: int, text: str) -> str:
    fact = ReviewRepo(session).get_fact(fact_id)
    slug = fact.proposal.slug if fact is not None and fact.proposal is not None else None
    return fact_key(slug, text)


def _duplicate_of(session: Session, fact_id: int, key: str) -> bool:
    """Would the edited sentence repeat another fact of the same proposal?"""
    other = CurationRepo(session).fact_by_key(key)
    return other is not None and other.id != fact_id


def _create_actor(session: Session, item: ReviewItem, decided: ReviewItem) -> tuple[int, bool]:
    """An approved candidate joins the dossier (unless an actor of that name exists); the
    actor's id, and whether it was created now."""
    wanted = {decided.text.casefold(), item.text.casefold()}
    for actor_id, _slug, name, aliases in KnowledgeRepo(session).actor_names():
        if wanted & {name.casefold(), *(a.casefold() for a in aliases)}:
            return actor_id, False
    return CurationRepo(session).add_actor(decided.text, [item.text]).id, True


def _with_text(item: ReviewItem, text: str | None) -> ReviewItem:
    return item if text is None else replace(item, text=text)


def _audit_detail(decided: ReviewItem, original: ReviewItem, actor_id: int | None) -> str:
    detail = f"{decided.kind} #{decided.id}: {decided.text[:300]}"
    if decided.text != original.text:
        detail += f" (was: {original.text[:300]})"
    if actor_id is not None:
        detail += f" -> actor #{actor_id}"
    return detail


def _fact_item(repo: ReviewRepo, fact: Fact, remaining: int) -> ReviewItem:
    document = repo.document(fact.document_id)
    return ReviewItem(
        kind="fact",
        id=fact.id,
        text=fact.text,
        proposal=fact.proposal.title if fact.proposal is not None else None,
        actor=fact.actor.name if fact.actor is not None else None,
        source_url=fact.source_url or (document.url if document is not None else None),
        source_name=fact.source_name,
        document_title=document.title if document is not None else None,
        document_url=document.url if document is not None else None,
        remaining=remaining,
    )


def _actor_item(repo: ReviewRepo, candidate: CandidateActor, remaining: int) -> ReviewItem:
    document = repo.document(candidate.document_id)
    return ReviewItem(
        kind="actor",
        id=candidate.id,
        text=candidate.name,
        document_title=document.title if document is not None else None,
        document_url=document.url if document is not None else None,
        source_url=document.url if document is not None else None,
        mentions=candidate.mentions,
        remaining=remaining,
    )
