"""What counts as new for a chat, and queuing digests: cursors, backfill, filters, schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.render.digest import render_digest
from bot.services.digests import build as digests
from bot.services.digests import enqueue
from bot.services.digests.build import DigestBuilder, Snapshot, advance_cursors
from bot.services.digests.enqueue import enqueue_due, enqueue_instant, enqueue_manual
from bot.settings import Settings
from storage.db import Database
from storage.models import Digest, OutboxMessage, Subscription
from storage.repositories.review import ReviewRepo
from tests.support import news_factory as news

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def _build(session, sub, hours: int = 72):  # type: ignore[no-untyped-def]
    return DigestBuilder(session, Snapshot.take(session, NOW), hours).build(sub)


def _titles(data) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.title for s in data.sections for d in s.documents]


def test_new_means_stored_after_cursor_and_recently_published(db: Database) -> None:
    with db.session() as s:
        news.document(s, "Before subscribing", age_hours=1)
        sub = news.subscription(s, 100)
        news.document(s, "Fresh", age_hours=2)
        news.document(s, "Backlog from last year", age_hours=24 * 365)
        news.document(s, "Just inside the backfill window", age_hours=71)
        news.document(s, "Undated page")
        data = _build(s, sub)
        assert _titles(data) == ["Fresh", "Just inside the backfill window", "Undated page"]
        assert _titles(_build(s, sub, hours=1)) == ["Undated page"]


def test_grouped_by_proposal_each_document_once(db: Database) -> None:
    with db.session() as s:
        sub = news.subscription(s, 100)
        news.document(s, "Troops and air", proposals=("european-troops", "us-air-support"))
        news.document(s, "Article five", proposals=("art5-like",), actors=("meloni",))
        news.document(s, "Unlinked")
        data = _build(s, sub)
        sections = [(sec.title, [d.title for d in sec.documents]) for sec in data.sections]
        assert sections[-1] == (None, ["Unlinked"])  # "Other news" last
        assert sum(len(docs) for _t, docs in sections) == 3
        article = next(
            d for sec in data.sections for d in sec.documents if d.title == "Article five"
        )
        assert article.actors == ("Giorgia Meloni",)


def test_filters_limit_documents_and_facts(db: Database) -> None:
    with db.session() as s:
        from bot.services.digests.subscriptions import resolve_filter

        art5 = resolve_filter(s, "art5").proposal
        assert art5 is not None
        sub = news.subscription(
            s,
            100,
            filter_proposal_id=art5.id,
            include_keywords=["sanctions"],
            exclude_keywords=["sport"],
        )
        news.document(s, "Sanctions and art5", proposals=("art5-like",))
        news.document(s, "Sanctions elsewhere", proposals=("european-troops",))
        news.document(s, "Art5 sanctions on sport", proposals=("art5-like",))
        news.fact(s, "New sanctions fact on art5", proposal="art5-like")
        news.fact(s, "A fact on troops with sanctions", proposal="european-troops")
        data = _build(s, sub)
        assert _titles(data) == ["Sanctions and art5"]
        assert [f.text for f in data.facts] == ["New sanctions fact on art5"]


def test_facts_new_when_approved_after_the_cursor_whatever_their_id(db: Database) -> None:
    with db.session() as s:
        old_pending = news.fact(s, "Proposed long ago", status="pending")
        sub = news.subscription(s, 100, last_digest_at=NOW - timedelta(days=1))
        news.fact(s, "Pending, not news yet", status="pending")
        news.fact(s, "Approved today")
        assert ReviewRepo(s).decide_fact(old_pending.id, "approved", 4242)
        assert [f.text for f in _build(s, sub).facts] == ["Approved today", "Proposed long ago"]


def test_fact_approved_during_a_fan_out_goes_to_every_chat_once(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of one chat; the fact is approved after the first batch is written: chat 100
    gets it in its next digest (no miss), 200 and 300 now and never again (no double)."""
    monkeypatch.setattr(enqueue, "BATCH", 1)
    with db.session() as s:
        pending_id = news.fact(s, "Late approval", status="pending").id
        for chat in (100, 200, 300):
            news.subscription(s, chat, next_due_at=NOW - timedelta(minutes=1))
        news.document(s, "Fresh", age_hours=1)
    approved: list[int] = []

    def approve_once() -> None:
        if not approved:
            with db.session() as s:
                assert ReviewRepo(s).decide_fact(pending_id, "approved", 4242)
            approved.append(pending_id)

    assert enqueue_due(db, settings, NOW, approve_once, render=render_digest).digests == 3
    assert _chats_told(db, "Late approval") == [200, 300]
    assert enqueue_due(db, settings, NOW + timedelta(days=1), render=render_digest).digests == 1
    assert _chats_told(db, "Late approval") == [100, 200, 300]


def _chats_told(db: Database, text: str) -> list[int]:
    with db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        told = [r.chat_id for r in rows if text in r.text]
    assert len(told) == len(set(told)), f"sent twice: {told}"
    return sorted(told)


def test_a_backlog_beyond_the_scan_limit_is_carried_not_skipped(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every document is shown or counted in "…and N more" exactly once over two digests."""
    monkeypatch.setattr(digests, "SCAN_LIMIT", 5)
    monkeypatch.setattr(digests, "MAX_DOCUMENTS", 2)
    monkeypatch.setattr(digests, "MAX_FACTS", 1)
    with db.session() as s:
        sub = news.subscription(s, 100)
        for i in range(8):
            news.document(s, f"Doc {i}", age_hours=1)
        news.fact(s, "First fact")
        news.fact(s, "Second fact")
        first = _build(s, sub)
        assert (_titles(first), first.more_documents) == (["Doc 0", "Doc 1"], 3)
        assert [f.text for f in first.facts] == ["First fact"]
        advance_cursors(sub, first, NOW)
        second = _build(s, sub)
        assert (_titles(second), second.more_documents) == (["Doc 5", "Doc 6"], 1)
        assert [f.text for f in second.facts] == ["Second fact"]
        advance_cursors(sub, second, NOW)
        assert _build(s, sub).is_empty


def test_enqueue_writes_outbox_and_advances_cursors_together(
    db: Database, settings: Settings
) -> None:
    with db.session() as s:
        sub = news.subscription(s, 100, next_due_at=NOW - timedelta(days=3))  # missed 3 slots
        quiet = news.subscription(
            s,
            200,
            next_due_at=NOW - timedelta(minutes=1),
            include_keywords=["nothing-matches-this"],
        )
        news.document(s, "Fresh", age_hours=1)
        sub_id, quiet_id = sub.id, quiet.id
    result = enqueue_due(db, settings, NOW, render=render_digest)
    assert (result.digests, result.empty) == (1, 1)
    with db.session() as s:
        rows = s.scalars(select(OutboxMessage)).all()
        assert [(r.chat_id, r.state, r.part) for r in rows] == [(100, "pending", 0)]
        assert "Fresh" in rows[0].text
        sub = s.get(Subscription, sub_id)
        assert sub.next_due_at == datetime(2025, 6, 3, 8, 0, tzinfo=UTC)  # next future slot only
        assert sub.last_document_id == s.get(Subscription, quiet_id).last_document_id > 0
    assert enqueue_due(db, settings, NOW, render=render_digest).digests == 0  # nothing is due twice
    assert (
        enqueue_due(db, settings, NOW + timedelta(days=1), render=render_digest).digests == 0
    )  # nothing new since


def test_instant_and_manual_digests(db: Database, settings: Settings) -> None:
    with db.session() as s:
        news.subscription(s, 300, mode="instant", schedule="")
        news.subscription(s, 400)
        news.document(s, "Breaking", age_hours=0.1)
    assert (
        enqueue_instant(db, settings, NOW, render=render_digest).digests == 1
    )  # only the instant one
    assert enqueue_instant(db, settings, NOW, render=render_digest).digests == 0
    manual = enqueue_manual(db, 400, 0, settings, NOW, render=render_digest)
    assert manual.subscribed and manual.digest_id is not None and manual.first
    again = enqueue_manual(db, 400, 0, settings, NOW + timedelta(minutes=5), render=render_digest)
    assert again.digest_id is None and again.since == NOW and not again.first
    assert not enqueue_manual(db, 999, 0, settings, NOW, render=render_digest).subscribed
    with db.session() as s:
        triggers = sorted(d.trigger for d in s.scalars(select(Digest)))
        assert triggers == ["instant", "manual"]
