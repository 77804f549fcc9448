"""The review queue service: order, approve/reject/edit, double decisions, audit."""

from __future__ import annotations

from bot.services import catalog, review
from storage.models import Actor, CandidateActor, Fact
from tests.review_data import (
    ARTICLE_TITLE,
    ARTICLE_URL,
    CANDIDATE,
    FACT_TEXTS,
    admin_audit,
    seed_pending,
)

ADMIN = 4242


def test_next_item_shows_facts_first_with_proposal_and_article(db) -> None:
    seeded = seed_pending(db)
    with db.session() as s:
        item = review.next_item(s)
    assert item is not None
    assert (item.kind, item.id, item.text) == ("fact", seeded.fact_ids[0], FACT_TEXTS[0])
    assert item.proposal and "Article-5" in item.proposal
    assert item.document_title == ARTICLE_TITLE and item.document_url == ARTICLE_URL
    assert item.remaining == 3


def test_approve_makes_fact_visible_in_proposal_and_is_audited(db) -> None:
    seeded = seed_pending(db)
    with db.session() as s:
        outcome = review.approve(s, "fact", seeded.fact_ids[0], ADMIN)
    assert outcome.status == "approved"
    with db.session() as s:
        view = catalog.proposal_detail(s, seeded.proposal_id)
        assert FACT_TEXTS[0] in [f.text for f in view.facts]
        fact = s.get(Fact, seeded.fact_ids[0])
        assert fact.reviewed_by == ADMIN and fact.reviewed_at is not None
        log = admin_audit(s)
        assert [(e.user_id, e.action) for e in log] == [(ADMIN, "review.approve_fact")]


def test_second_decision_changes_nothing(db) -> None:
    seeded = seed_pending(db)
    fact_id = seeded.fact_ids[0]
    with db.session() as s:
        assert review.reject(s, "fact", fact_id, ADMIN).status == "rejected"
    with db.session() as s:
        assert review.approve(s, "fact", fact_id, ADMIN).status == "already"
        edited = review.edit(s, "fact", fact_id, "A completely different text.", ADMIN)
        assert edited.status == "already"
        assert s.get(Fact, fact_id).status == "rejected"
        assert s.get(Fact, fact_id).text == FACT_TEXTS[0]
        assert len(admin_audit(s)) == 1
        assert review.approve(s, "fact", 99999, ADMIN).status == "missing"


def test_edit_approves_with_new_text_and_checks_length(db) -> None:
    seeded = seed_pending(db)
    fact_id = seeded.fact_ids[1]
    with db.session() as s:
        assert review.edit(s, "fact", fact_id, "too short", ADMIN).status == "invalid"
        assert review.edit(s, "fact", fact_id, "x" * 1501, ADMIN).status == "invalid"
        outcome = review.edit(s, "fact", fact_id, "  Italy circulated   a revised draft.  ", ADMIN)
    assert outcome.status == "approved"
    assert outcome.item.text == "Italy circulated a revised draft."
    with db.session() as s:
        fact = s.get(Fact, fact_id)
        assert (fact.status, fact.text) == ("approved", "Italy circulated a revised draft.")
        entry = admin_audit(s)[0]
        assert entry.action == "review.edit_fact"
        assert "was: Italy circulated a draft" in entry.detail


def test_edit_to_an_existing_fact_text_is_refused(db) -> None:
    seeded = seed_pending(db)
    with db.session() as s:
        outcome = review.edit(s, "fact", seeded.fact_ids[1], FACT_TEXTS[0], ADMIN)
        assert outcome.status == "duplicate"
        assert s.get(Fact, seeded.fact_ids[1]).status == "pending"


def test_candidate_actor_approval_adds_actor_with_seen_spelling_as_alias(db) -> None:
    seeded = seed_pending(db)
    with db.session() as s:
        for fact_id in seeded.fact_ids:
            review.reject(s, "fact", fact_id, ADMIN)
        item = review.next_item(s)
        assert item is not None and (item.kind, item.text) == ("actor", CANDIDATE)
        outcome = review.edit(s, "actor", seeded.candidate_id, "Radosław Sikorski", ADMIN)
    assert outcome.status == "approved" and outcome.actor_id
    with db.session() as s:
        actor = s.get(Actor, outcome.actor_id)
        assert actor.name == "Radosław Sikorski" and actor.slug == "radosław-sikorski"
        assert [a.alias for a in actor.aliases] == [CANDIDATE]
        assert s.get(CandidateActor, seeded.candidate_id).status == "approved"
        assert review.next_item(s) is None


def test_candidate_matching_a_known_actor_creates_no_duplicate(db) -> None:
    with db.session() as s:
        from storage.repositories.review import ReviewRepo

        ReviewRepo(s).upsert_candidate_actors(["giorgia meloni"], None)
        before = s.query(Actor).count()
        candidate = ReviewRepo(s).pending_actors()[0]
        outcome = review.approve(s, "actor", candidate.id, ADMIN)
        assert outcome.status == "approved"
        assert s.query(Actor).count() == before


async def test_simultaneous_presses_decide_once(db) -> None:
    """Two admins (or a double tap) at the same moment: one decision, one audit entry."""
    import asyncio

    seeded = seed_pending(db)
    fact_id = seeded.fact_ids[0]

    def press(decide) -> str:  # type: ignore[no-untyped-def]
        with db.session() as s:
            return decide(s, "fact", fact_id, ADMIN).status

    results = await asyncio.gather(
        *(asyncio.to_thread(press, d) for d in [review.approve, review.reject] * 4)
    )
    assert sorted(set(results)) in (["already", "approved"], ["already", "rejected"])
    assert results.count("already") == 7
    with db.session() as s:
        assert len(admin_audit(s)) == 1


def test_edited_fact_text_is_known_to_later_duplicate_checks(db) -> None:
    """After an edit the fact is its new text: /addfact or another edit with that text is a
    duplicate, not a second copy in the dossier."""
    from bot.services.facts import FactInput, add_fact

    seeded = seed_pending(db)
    edited = "Poland offered Rzeszow as the hub of the guarantee mechanism."
    with db.session() as s:
        assert review.edit(s, "fact", seeded.fact_ids[0], edited, ADMIN).status == "approved"
    with db.session() as s:
        again = add_fact(s, FactInput("art5-like", edited, None), ADMIN)
        assert (again.status, again.fact_id) == ("duplicate", seeded.fact_ids[0])
        assert review.edit(s, "fact", seeded.fact_ids[1], edited, ADMIN).status == "duplicate"
        view = catalog.proposal_detail(s, seeded.proposal_id)
        assert [f.text for f in view.facts].count(edited) == 1
