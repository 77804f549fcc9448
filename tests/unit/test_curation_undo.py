"""/undo over every kind of change: review decisions, /addfact, and the newest change only."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import facts, review
from bot.services.curation import apply as curation
from bot.services.curation.requests import SetStatus, Undo
from bot.services.curation.undo import last_change
from storage.db import Database
from storage.models import Actor, CandidateActor, DossierChange, Fact
from tests.conftest import ADMIN_ID
from tests.review_data import CANDIDATE, FACT_TEXTS, seed_pending

OTHER_ADMIN = 99


def _undo(db: Database, user_id: int = ADMIN_ID) -> str:
    with db.session() as s:
        preview = last_change(s, user_id)
        if preview.view is None:
            return preview.status
        return curation.apply(s, Undo(preview.view.id or 0), user_id).status


def test_undo_a_candidate_actor_approval_removes_the_actor(db: Database) -> None:
    seeded = seed_pending(db)
    with db.session() as s:
        outcome = review.approve(s, "actor", seeded.candidate_id, ADMIN_ID)
        actor_id = outcome.actor_id
    assert _undo(db) == "done"
    with db.session() as s:
        assert s.get(CandidateActor, seeded.candidate_id).status == "pending"
        assert s.get(Actor, actor_id) is None
        assert s.scalars(select(Actor).where(Actor.name == CANDIDATE)).first() is None


def test_undo_review_reject_and_edit_of_facts(db: Database) -> None:
    seeded = seed_pending(db)
    first, second = seeded.fact_ids
    with db.session() as s:
        review.reject(s, "fact", first, ADMIN_ID)
        review.edit(s, "fact", second, "An edited sentence about the logistics hub.", ADMIN_ID)
    assert _undo(db) == "done"  # the edit: pending again, with its first text
    with db.session() as s:
        fact = s.get(Fact, second)
        assert (fact.status, fact.text, fact.approval_seq) == ("pending", FACT_TEXTS[1], None)
    assert _undo(db) == "done"  # then the rejection
    with db.session() as s:
        assert s.get(Fact, first).status == "pending"
    assert _undo(db) == "nothing"


def test_undo_addfact_deletes_it_and_undo_is_per_admin(db: Database) -> None:
    with db.session() as s:
        added = facts.add_fact(
            s, facts.parse_fact_input("art5 A fact added from chat for the test."), ADMIN_ID
        )
        curation.apply(s, SetStatus(2, "agreed"), OTHER_ADMIN)
    assert _undo(db) == "done"  # this admin's last change is the fact, not the status
    with db.session() as s:
        assert s.get(Fact, added.fact_id) is None
        assert (
            s.scalars(select(DossierChange).where(DossierChange.user_id == OTHER_ADMIN))
            .one()
            .undone_at
            is None
        )
    assert _undo(db, OTHER_ADMIN) == "done"
