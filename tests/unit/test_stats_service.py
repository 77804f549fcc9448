"""/stats numbers: counts by status, documents per day, source health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import get_translator
from bot.render.html import MAX_MESSAGE, visible_len
from bot.render.stats import stats_replies
from bot.services.stats import collect_stats
from storage.models import Digest, Document, OutboxMessage, Source, Subscription
from storage.repositories.stats import source_state
from tests.review_data import seed_pending

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _fill(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        for i, hours in enumerate([1, 5, 30, 50, 24 * 8]):
            s.add(Document(url=f"https://ex.org/{i}", stored_at=NOW - timedelta(hours=hours)))
        s.add_all(
            [
                Source(url="https://a.org/f", last_status="ok"),
                Source(
                    url="https://b.org/f",
                    last_status="error",
                    last_error="HTTP 500",
                    consecutive_failures=1,
                ),
                Source(
                    url="https://c.org/f",
                    last_status="error",
                    last_error="timed out",
                    consecutive_failures=4,
                ),
                Source(url="https://d.org/f"),
                Source(url="https://e.org/f", active=False),
                Subscription(chat_id=1, mode="daily"),
                Subscription(chat_id=2, mode="instant"),
                Subscription(chat_id=3, mode="weekly", active=False),
            ]
        )
        digest = Digest(chat_id=1, created_at=NOW - timedelta(hours=2))
        s.add(digest)
        s.flush()
        s.add_all(
            [
                OutboxMessage(digest_id=digest.id, part=0, chat_id=1, text="x", state="sent"),
                OutboxMessage(digest_id=digest.id, part=1, chat_id=1, text="x"),
            ]
        )


def test_collect_stats_counts_everything(db) -> None:
    seed_pending(db)
    _fill(db)
    with db.session() as s:
        stats = collect_stats(s, UTC, now=NOW)
    assert (stats.proposals, stats.actors) == (6, 13)
    assert stats.facts["pending"] == 2 and stats.facts["approved"] >= 30
    assert stats.pending_actors == 1 and stats.pending_review == 3
    assert (stats.documents, stats.documents_24h) == (6, 2)  # +1 from seed_pending (stored now)
    assert [n for _day, n in stats.documents_per_day] == [0, 0, 0, 0, 1, 1, 2]
    assert stats.sources == {"ok": 1, "failing": 1, "backing_off": 1, "new": 1, "inactive": 1}
    assert [f.error for f in stats.failing] == ["timed out", "HTTP 500"]
    assert stats.subscriptions == {"daily": 1, "instant": 1} and stats.inactive_subscriptions == 1
    assert stats.outbox == {"sent": 1, "pending": 1}
    assert stats.last_digest == NOW - timedelta(hours=2)


def test_days_follow_the_operators_time_zone(db) -> None:
    with db.session() as s:
        # 23:30 UTC on 9 March is already 10 March in Kyiv
        s.add(
            Document(url="https://ex.org/late", stored_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
        )
    with db.session() as s:
        stats = collect_stats(s, ZoneInfo("Europe/Kyiv"), now=NOW)
    assert stats.documents_per_day[-1] == (NOW.date(), 1)


def test_stats_render_fits_and_escapes(db) -> None:
    _fill(db)
    with db.session() as s:
        s.add(
            Source(
                url="https://x.org/f",
                name="<evil> & co",
                last_status="error",
                last_error="<html> & junk " * 50,
                consecutive_failures=9,
            )
        )
    with db.session() as s:
        replies = stats_replies(get_translator("en"), collect_stats(s, UTC, now=NOW))
    text = "\n".join(r.text for r in replies)
    assert "&lt;evil&gt; &amp; co" in text and "<evil>" not in text
    assert "1 failing, 2 backing off" in text
    assert all(visible_len(r.text) <= MAX_MESSAGE for r in replies)


def test_source_state_words() -> None:
    assert source_state(False, "ok", 0) == "inactive"
    assert source_state(True, "ok", 0) == "ok"
    assert source_state(True, "new", 0) == "new"
    assert source_state(True, "error", 1) == "failing"
    assert source_state(True, "error", 2) == "backing_off"
    assert source_state(True, "backoff", 0) == "backing_off"
