"""Proposal sections of a digest: one line on what is new, the freshest five, then a count
with the command that lists the rest (/latest <proposal>)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import get_translator
from bot.render.digest import render_digest
from bot.services.digests.build import MAX_PER_PROPOSAL, DigestBuilder, Snapshot
from bot.services.digests.filters import FilterLabel
from storage.db import Database
from tests.support import news_factory as news
from tests.support.fake_telegram import check_telegram_html

NOW = datetime.now(UTC)
_ = get_translator("en")


def test_section_opens_with_whats_new_and_caps_at_five(db: Database) -> None:
    with db.session() as s:
        sub = news.subscription(s, 100)
        for n in range(8):  # published one hour apart, stored in another order
            news.document(
                s,
                f"Troops story {n}",
                published_at=NOW - timedelta(hours=10 - n),
                proposals=("european-troops",),
                summary=f"Paris says force number {n} will deploy. Second sentence {n}.",
            )
        news.document(s, "Article five story", proposals=("art5-like",), age_hours=1)
        news.document(s, "Marathon results")
        data = DigestBuilder(s, Snapshot.take(s, NOW), 72).build(sub)
        troops = next(sec for sec in data.sections if sec.slug == "european-troops")
        assert [d.title for d in troops.documents] == [f"Troops story {n}" for n in (7, 6, 5, 4, 3)]
        assert len(troops.documents) == MAX_PER_PROPOSAL and troops.more == 3
        assert troops.total == 8 and data.document_count == 10  # the counted ones included
        messages = render_digest(_, data, FilterLabel(), NOW, ZoneInfo("UTC"))
    text = "\n".join(check_telegram_html(m) for m in messages)
    assert "10 new articles" in text
    assert "🆕 8 new articles; the latest: Paris says force number 7 will deploy." in text
    assert "…and 3 more: /latest european-troops" in text
    assert "Troops story 2" not in text
    assert "🆕 1 new article; the latest: Summary of Article five story." in text
    assert text.index("Article five story") < text.index("Troops story 7")  # dossier order
    other = text[text.index("Other news") :]
    assert "🆕" not in other and "/latest" not in other  # no such line for "Other news"


def test_a_section_within_the_cap_has_no_more_line(db: Database) -> None:
    with db.session() as s:
        sub = news.subscription(s, 100)
        for n in range(MAX_PER_PROPOSAL):
            news.document(s, f"Air story {n}", proposals=("us-air-support",), age_hours=n + 1)
        data = DigestBuilder(s, Snapshot.take(s, NOW), 72).build(sub)
        [section] = data.sections
        assert section.more == 0 and section.total == MAX_PER_PROPOSAL
        assert section.documents[0].title == "Air story 0"  # the freshest first
        [message] = render_digest(_, data, FilterLabel(), NOW, ZoneInfo("UTC"))
    text = check_telegram_html(message)
    assert "🆕 5 new articles; the latest: Summary of Air story 0." in text
    assert "more:" not in text
