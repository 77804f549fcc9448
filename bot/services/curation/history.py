"""The change log read back: status history, /changes, timeline events and digest lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.services.views import ChangeView
from storage.models import DossierChange
from storage.repositories.changes import ChangeRepo
from storage.repositories.curation import CurationRepo

DEFAULT_DAYS, MAX_DAYS = 7, 366
MAX_CHANGES = 100  # /changes lists at most this many (newest first) and counts the rest


@dataclass(frozen=True)
class StatusHistory:
    """ "Status: agreed (since 2026-03-01; before: under discussion)"."""

    since: date
    before: str | None


def status_history(session: Session, proposal_id: int) -> StatusHistory | None:
    change = ChangeRepo(session).latest_status(proposal_id)
    if change is None:
        return None
    return StatusHistory(change.effective_on, (change.before or {}).get("status"))


def change_view(session: Session, change: DossierChange) -> ChangeView:
    """The change with today's names of what it is about (or the names it had, if gone)."""
    repo = CurationRepo(session)
    stored = {**(change.before or {}), **(change.after or {})}
    proposal = repo.proposal(change.proposal_id) if change.proposal_id else None
    actor = repo.actor(change.actor_id) if change.actor_id else None
    fact = repo.fact(change.fact_id) if change.fact_id else None
    proposal_title = proposal.title if proposal is not None else stored.get("title")
    actor_name = actor.name if actor is not None else stored.get("name")
    if change.kind.endswith("_actor"):  # a /review decision on a candidate actor
        candidate = repo.candidate(change.item_id) if change.item_id else None
        target = candidate.name if candidate is not None else str(stored.get("text", ""))
    elif change.fact_id is not None:
        target = fact.text if fact is not None else str(stored.get("text", ""))
        proposal_title = fact.proposal.title if fact and fact.proposal else proposal_title
    elif change.kind in ("position", "actor.new"):
        target = actor_name or f"#{change.actor_id}"
    else:
        target = proposal_title or f"#{change.proposal_id}"
    return ChangeView(
        kind=change.kind,
        target=target,
        before=change.before,
        after=change.after,
        proposal=proposal_title,
        actor=actor_name,
        fact_id=change.fact_id,
        source_url=change.source_url,
        note=change.note,
        on=change.effective_on,
        id=change.id,
    )


@dataclass(frozen=True)
class ChangesPage:
    days: int
    changes: list[ChangeView]
    total: int


PUBLIC_KINDS = (
    "status", "position", "retraction", "proposal.new", "proposal.edit", "actor.new",
    "fact.edit", "fact.add", "review.approve_fact", "review.edit_fact", "review.approve_actor",
    "review.edit_actor",
)  # fmt: skip
FACT_KINDS = ("fact.edit", "fact.add", "review.approve_fact", "review.edit_fact")


def recent_changes(session: Session, days: int, now: datetime, admin: bool) -> ChangesPage:
    """What changed in the dossier in the last `days` days (undone changes left out). Others
    than admins see neither rejected candidates nor facts no longer approved (a retraction
    shows as one)."""
    repo, curation = ChangeRepo(session), CurationRepo(session)
    since = now - timedelta(days=days)
    kinds = None if admin else PUBLIC_KINDS
    shown = []
    for change in repo.since(since, MAX_CHANGES, kinds):
        if not admin and change.kind in FACT_KINDS:
            fact = curation.fact(change.fact_id or 0)
            if fact is None or fact.status != "approved":
                continue
        shown.append(change_view(session, change))
    return ChangesPage(days, shown, repo.count_since(since, kinds))


def events(session: Session, limit: int, proposal_id: int | None = None) -> list[ChangeView]:
    """Status and position events for the timeline, newest first."""
    return [change_view(session, c) for c in ChangeRepo(session).events(limit, proposal_id)]


def count_events(session: Session, proposal_id: int | None = None) -> int:
    return ChangeRepo(session).count_events(proposal_id)


def views(session: Session, changes: Sequence[DossierChange]) -> list[ChangeView]:
    return [change_view(session, c) for c in changes]
