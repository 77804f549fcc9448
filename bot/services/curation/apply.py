"""Preview a curator's request against the dossier, then write it with its change record.

`preview` reads only; `apply` re-reads everything (the dossier may have moved between the
preview and the Confirm press) and writes the change, its record in the change log (with the
fields before and after, so /undo can invert it) and an audit entry, in the caller's unit of
work."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from bot.services.curation.outcome import Outcome
from bot.services.curation.requests import (
    ChangeRequest,
    EditFact,
    EditProposal,
    NewActor,
    NewProposal,
    RetractFact,
    SetPosition,
    SetStatus,
    Undo,
)
from bot.services.curation.undo import undo
from bot.services.views import ChangeView
from storage.models import Fact, Proposal
from storage.repositories.audit import AuditRepo
from storage.repositories.changes import ChangeRepo
from storage.repositories.curation import CurationRepo
from storage.repositories.knowledge import KnowledgeRepo, fact_key


def preview(session: Session, request: ChangeRequest, user_id: int) -> Outcome:
    """What the request would change, without writing anything."""
    return _run(session, request, user_id, write=False)


def apply(session: Session, request: ChangeRequest, user_id: int) -> Outcome:
    return _run(session, request, user_id, write=True)


def _run(session: Session, request: ChangeRequest, user_id: int, write: bool) -> Outcome:
    if isinstance(request, Undo):
        return undo(session, request, user_id, write)
    handler = _HANDLERS[type(request)]
    return handler(Writer(session, user_id, write), request)


class Writer:
    """The repositories of one unit of work, and whether this run writes or only previews."""

    def __init__(self, session: Session, user_id: int, write: bool) -> None:
        self.session, self.user_id, self.write = session, user_id, write
        self.repo = CurationRepo(session)
        self.changes = ChangeRepo(session)

    def record(self, kind: str, view: ChangeView, detail: str, **ids: Any) -> ChangeView:
        change = self.changes.record(
            kind,
            self.user_id,
            before=view.before,
            after=view.after,
            source_url=view.source_url,
            note=view.note,
            **ids,
        )
        AuditRepo(self.session).record(self.user_id, f"curate.{kind}", f"#{change.id} {detail}")
        return ChangeView(**{**view.__dict__, "id": change.id, "on": change.effective_on})


def _set_status(w: Writer, r: SetStatus) -> Outcome:
    p = w.repo.proposal(r.proposal_id)
    if p is None:
        return Outcome("gone")
    view = ChangeView(
        "status", p.title, {"status": p.status}, {"status": r.status}, source_url=r.source_url
    )
    if p.status == r.status:
        return Outcome("unchanged", view)
    if w.write:
        p.status = r.status
        view = w.record("status", view, f"proposal #{p.id}: {r.status}", proposal_id=p.id)
    return Outcome("done", view)


def position_values(stance: str, note: str, url: str | None) -> dict[str, Any]:
    return {"stance": stance, "note": note, "source_url": url, "source_name": _host(url)}


def _set_position(w: Writer, r: SetPosition) -> Outcome:
    actor, p = w.repo.actor(r.actor_id), w.repo.proposal(r.proposal_id)
    if actor is None or p is None:
        return Outcome("gone")
    old = w.repo.position(actor.id, p.id)
    before = position_values(old.stance, old.note, old.source_url) if old is not None else None
    after = position_values(r.stance, r.note, r.source_url)
    view = ChangeView(
        "position", actor.name, before, after, proposal=p.title, actor=actor.name,
        source_url=r.source_url, note=r.note,
    )  # fmt: skip
    if before is not None and (before["stance"], before["note"]) == (r.stance, r.note):
        return Outcome("unchanged", view)
    if w.write:
        w.repo.set_position(actor.id, p.id, after)
        detail = f"actor #{actor.id} {r.stance} proposal #{p.id}: {r.note[:200]}"
        view = w.record("position", view, detail, proposal_id=p.id, actor_id=actor.id)
    return Outcome("done", view)


def _new_proposal(w: Writer, r: NewProposal) -> Outcome:
    view = ChangeView("proposal.new", r.title, None, {"title": r.title, "status": "proposed"})
    if w.repo.proposal_by_title(r.title) is not None:
        return Outcome("duplicate", view)
    if w.write:
        p = w.repo.add_proposal(r.title)
        view = ChangeView(**{**view.__dict__, "after": {**(view.after or {}), "slug": p.slug}})
        view = w.record("proposal.new", view, f"proposal #{p.id}: {r.title}", proposal_id=p.id)
    return Outcome("done", view)


def _edit_proposal(w: Writer, r: EditProposal) -> Outcome:
    p = w.repo.proposal(r.proposal_id)
    if p is None:
        return Outcome("gone")
    old = getattr(p, r.field)
    old = list(old or []) if isinstance(r.value, tuple) else old
    new = list(r.value) if isinstance(r.value, tuple) else r.value
    view = ChangeView("proposal.edit", p.title, {r.field: old}, {r.field: new})
    if old == new:
        return Outcome("unchanged", view)
    if r.field == "title" and _other_titled(w.repo.proposal_by_title(str(new)), p):
        return Outcome("duplicate", view)
    if w.write:
        setattr(p, r.field, new)
        w.session.flush()
        view = w.record("proposal.edit", view, f"proposal #{p.id} {r.field}", proposal_id=p.id)
    return Outcome("done", view)


def _other_titled(found: Proposal | None, p: Proposal) -> bool:
    return found is not None and found.id != p.id


def _new_actor(w: Writer, r: NewActor) -> Outcome:
    after = {"name": r.name, "kind": r.kind, "country": r.country}
    view = ChangeView("actor.new", r.name, None, after)
    wanted = r.name.casefold()
    for _id, _slug, name, aliases in KnowledgeRepo(w.session).actor_names():
        if wanted in {name.casefold(), *(a.casefold() for a in aliases)}:
            return Outcome("duplicate", view)
    if w.write:
        actor = w.repo.add_actor(r.name, [])
        actor.kind, actor.country = r.kind, r.country
        w.session.flush()
        view = ChangeView(**{**view.__dict__, "after": {**after, "slug": actor.slug}})
        view = w.record("actor.new", view, f"actor #{actor.id}: {r.name}", actor_id=actor.id)
    return Outcome("done", view)


def _public_fact(w: Writer, fact_id: int) -> tuple[Fact | None, Outcome | None]:
    fact = w.repo.fact(fact_id)
    if fact is None:
        return None, Outcome("gone")
    if fact.status != "approved":
        return None, Outcome("not_public", ChangeView("fact", fact.text, fact_id=fact.id))
    return fact, None


def _edit_fact(w: Writer, r: EditFact) -> Outcome:
    fact, refused = _public_fact(w, r.fact_id)
    if fact is None:
        return refused or Outcome("gone")
    slug = fact.proposal.slug if fact.proposal is not None else None
    key = fact_key(slug, r.text)
    view = ChangeView(
        "fact.edit", fact.text, {"text": fact.text, "key": fact.key}, {"text": r.text, "key": key},
        proposal=fact.proposal.title if fact.proposal is not None else None, fact_id=fact.id,
    )  # fmt: skip
    if fact.text == r.text:
        return Outcome("unchanged", view)
    other = w.repo.fact_by_key(key)
    if other is not None and other.id != fact.id:
        return Outcome("duplicate", view)
    if w.write:
        fact.text, fact.key = r.text, key
        ids = {"fact_id": fact.id, "proposal_id": fact.proposal_id, "actor_id": fact.actor_id}
        view = w.record("fact.edit", view, f"fact #{fact.id}: {r.text[:300]}", **ids)
    return Outcome("done", view)


def _retract_fact(w: Writer, r: RetractFact) -> Outcome:
    fact, refused = _public_fact(w, r.fact_id)
    if fact is None:
        return refused or Outcome("gone")
    view = ChangeView(
        "retraction", fact.text, {"status": "approved"}, {"status": "retracted"},
        proposal=fact.proposal.title if fact.proposal is not None else None, fact_id=fact.id,
        note=r.reason,
    )  # fmt: skip
    if w.write:
        fact.status = "retracted"
        w.repo.restamp()
        ids = {"fact_id": fact.id, "proposal_id": fact.proposal_id, "actor_id": fact.actor_id}
        view = w.record("retraction", view, f"fact #{fact.id}: {r.reason}", **ids)
    return Outcome("done", view)


_HANDLERS: dict[type, Any] = {
    SetStatus: _set_status,
    SetPosition: _set_position,
    NewProposal: _new_proposal,
    EditProposal: _edit_proposal,
    NewActor: _new_actor,
    EditFact: _edit_fact,
    RetractFact: _retract_fact,
}


def _host(url: str | None) -> str | None:
    if not url:
        return None
    return (urlsplit(url).hostname or "").removeprefix("www.") or None
