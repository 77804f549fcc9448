"""The "Dossier changes" digest section: status changes, positions, retractions and new facts,
to every matching subscriber exactly once, undone changes left out, filters respected."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.render.digest import render_digest
from bot.services.curation import apply as curation
from bot.services.curation import requests
from bot.services.digests.enqueue import enqueue_instant, enqueue_manual
from bot.settings import Settings
from storage.db import Database
from storage.models import OutboxMessage, Proposal, Subscription
from storage.repositories.changes import ChangeRepo
from tests.conftest import ADMIN_ID
from tests.support import news_factory as news
from tests.support.fake_telegram import check_telegram_html

NOW = datetime.now(UTC)


def _apply(db: Database, request: requests.ChangeRequest) -> curation.Outcome:
    with db.session() as s:
        outcome = curation.apply(s, request, ADMIN_ID)
    assert outcome.status == "done", outcome
    return outcome


def _texts(db: Database, chat_id: int) -> list[str]:
    with db.session() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id))
        return [check_telegram_html(r.text) for r in rows]


def _proposal_id(db: Database, slug: str) -> int:
    with db.session() as s:
        return s.scalars(select(Proposal.id).where(Proposal.slug == slug)).one()


def test_changes_reach_matching_subscribers_once(db: Database, settings: Settings) -> None:
    art5, troops = _proposal_id(db, "art5-like"), _proposal_id(db, "european-troops")
    with db.session() as s:
        news.subscription(s, 1, mode="instant", schedule="")
        news.subscription(s, 2, mode="instant", schedule="", filter_proposal_id=troops)
        news.subscription(s, 3, mode="instant", schedule="", include_keywords=["nothing-like"])
    _apply(db, requests.SetStatus(art5, "agreed", "https://example.org/summit"))
    _apply(db, requests.SetPosition(1, art5, "supports", "Backs the <24-hour> clause.", None))
    # chats 2 and 3 filter it out
    assert enqueue_instant(db, settings, NOW, render=render_digest).digests == 1
    [digest] = _texts(db, 1)
    assert "🗂 Dossier changes" in digest
    assert "agreed (before: under discussion)" in digest
    assert "Backs the <24-hour> clause." in digest and "2 dossier updates" in digest
    assert enqueue_instant(db, settings, NOW, render=render_digest).digests == 0  # exactly once
    assert _texts(db, 2) == [] and _texts(db, 3) == []
    with db.session() as s:  # every cursor moved past both changes, filtered or not
        seqs = {sub.chat_id: sub.last_change_seq for sub in s.scalars(select(Subscription))}
        assert seqs == {1: 2, 2: 2, 3: 2}


def test_retraction_and_new_fact_in_one_section_undone_change_left_out(
    db: Database, settings: Settings
) -> None:
    art5 = _proposal_id(db, "art5-like")
    with db.session() as s:
        news.subscription(s, 10)
        fact = news.fact(s, "Poland offered to host the logistics hub.", proposal="art5-like")
        old = news.fact(s, "An old claim that turned out to be wrong.", proposal="art5-like")
        old_id = old.id
        assert fact.approval_seq is not None
    _apply(db, requests.RetractFact(old_id, "the outlet corrected it"))
    undone = _apply(db, requests.SetStatus(art5, "rejected"))
    with db.session() as s:
        assert curation.apply(s, requests.Undo(undone.view.id or 0), ADMIN_ID).status == "done"
    manual = enqueue_manual(db, 10, 0, settings, NOW, render=render_digest)
    assert manual.digest_id is not None
    [digest] = _texts(db, 10)
    assert "retracted" in digest and "the outlet corrected it" in digest
    assert "Poland offered to host the logistics hub." in digest
    assert "rejected" not in digest  # undone before the digest
    with db.session() as s:
        assert ChangeRepo(s).max_seq() == 2  # the retraction and the undone status change
