"""/undo: invert an admin's last change, whatever it was, from its record in the change log.

Every change (curation commands, /addfact, /review decisions) stores the fields it changed
before and after. Undo checks that the dossier still shows the `after` state (otherwise
someone changed it since, and undoing would overwrite their work: nothing is done), restores
`before`, and marks the record undone (it stays in the log and the audit trail)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.services.curation.history import change_view
from bot.services.curation.outcome import Outcome
from bot.services.curation.requests import Undo
from storage.models import Actor, DossierChange, Proposal, utcnow
from storage.repositories.audit import AuditRepo
from storage.repositories.changes import ChangeRepo
from storage.repositories.curation import CurationRepo

# an inverter checks that the change can be undone and, when `write`, undoes it
Inverter = Callable[[CurationRepo, DossierChange, bool], bool]


def last_change(session: Session, user_id: int) -> Outcome:
    """The admin's newest change that has not been undone, as the /undo preview."""
    change = ChangeRepo(session).last_by(user_id)
    if change is None:
        return Outcome("nothing")
    return Outcome("done", change_view(session, change))


def undo(session: Session, request: Undo, user_id: int, write: bool) -> Outcome:
    changes = ChangeRepo(session)
    change = changes.last_by(user_id)
    if change is None:
        return Outcome("nothing")
    if change.id != request.change_id:  # another change of theirs came in between
        return Outcome("conflict", change_view(session, change))
    view = change_view(session, change)
    invert = _INVERTERS.get(change.kind)
    repo = CurationRepo(session)
    if invert is None or not invert(repo, change, False):
        return Outcome("conflict", view)
    if write:
        invert(repo, change, True)
        changes.mark_undone(change, user_id, utcnow())
        AuditRepo(session).record(user_id, "curate.undo", f"change #{change.id} ({change.kind})")
    return Outcome("done", view)


def _before(change: DossierChange, name: str) -> object:
    return (change.before or {}).get(name)


def _after(change: DossierChange, name: str) -> object:
    return (change.after or {}).get(name)


def _status(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    p = repo.proposal(change.proposal_id or 0)
    if p is None or p.status != _after(change, "status"):
        return False
    if write:
        p.status = str(_before(change, "status"))
    return True


def _position(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    actor_id, proposal_id = change.actor_id or 0, change.proposal_id or 0
    current = repo.position(actor_id, proposal_id)
    after = change.after or {}
    if current is None or (current.stance, current.note) != (
        after.get("stance"),
        after.get("note"),
    ):
        return False
    if write:
        repo.set_position(actor_id, proposal_id, change.before)
    return True


def _new_row(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    """A new proposal or actor goes again, unless something refers to it by now."""
    if change.kind == "actor.new":
        row: Actor | Proposal | None = repo.actor(change.actor_id or 0)
    else:
        row = repo.proposal(change.proposal_id or 0)
    if row is None or repo.in_use(row):
        return False
    if write:
        repo.delete(row)
    return True


def _edit_proposal(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    p = repo.proposal(change.proposal_id or 0)
    [(field, new)] = (change.after or {}).items()
    if p is None or _plain(getattr(p, field)) != new:
        return False
    if write:
        setattr(p, field, _before(change, field))
    return True


def _plain(value: object) -> object:
    return list(value) if isinstance(value, list | tuple) else value


def _fact_fields(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    """A fact's text, key and status back as they were (fact edits, retractions, reviews)."""
    fact = repo.fact(change.fact_id or 0)
    after = change.after or {}
    if fact is None or any(getattr(fact, name) != value for name, value in after.items()):
        return False
    if write:
        for name, value in (change.before or {}).items():
            setattr(fact, name, value)
        if _before(change, "status") == "pending":
            fact.reviewed_by, fact.reviewed_at = None, None
        repo.restamp()
    return True


def _added_fact(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    fact = repo.fact(change.fact_id or 0)
    if fact is None or fact.status != "approved":
        return False
    if write:
        repo.delete_fact(fact)
    return True


def _candidate(repo: CurationRepo, change: DossierChange, write: bool) -> bool:
    """A /review decision on a candidate actor: pending again; the actor it became, if it was
    created by the approval and nothing refers to it yet, removed."""
    candidate = repo.candidate(change.item_id or 0)
    if candidate is None or candidate.status != _after(change, "status"):
        return False
    actor = repo.actor(change.actor_id) if change.actor_id and _after(change, "created") else None
    if actor is not None and repo.in_use(actor):
        return False
    if write:
        candidate.status = "pending"
        if actor is not None:
            repo.delete(actor)
    return True


_INVERTERS: dict[str, Inverter] = {
    "status": _status,
    "position": _position,
    "proposal.new": _new_row,
    "proposal.edit": _edit_proposal,
    "actor.new": _new_row,
    "fact.edit": _fact_fields,
    "retraction": _fact_fields,
    "fact.add": _added_fact,
    "review.approve_fact": _fact_fields,
    "review.reject_fact": _fact_fields,
    "review.edit_fact": _fact_fields,
    "review.approve_actor": _candidate,
    "review.reject_actor": _candidate,
    "review.edit_actor": _candidate,
}
