"""Digest messages: valid Telegram HTML, each under 4096, split only between blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import get_translator
from bot.render.digest import render_digest
from bot.render.html import MAX_MESSAGE, visible_len
from bot.services.digests.build import DigestData, DigestSection
from bot.services.digests.filters import FilterLabel
from bot.services.views import DocumentView, FactView
from tests.support.fake_telegram import check_telegram_html

_ = get_translator("en")
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def _doc(n: int, summary: str = "One sentence. Another one.") -> DocumentView:
    return DocumentView(
        id=n,
        url=f"https://example.org/a?x={n}&y=<2>",
        title=f"Title <{n}> & co",
        source_name="News & Co",
        published_at=NOW,
        summary=summary,
        actors=("A & B", "C"),
    )


def test_small_digest_has_every_part() -> None:
    data = DigestData(
        [DigestSection(1, "Proposal <one>", [_doc(1)]), DigestSection(None, None, [_doc(2)])],
        [FactView(5, "Fact & more", "https://example.org/f", "Src", date(2025, 6, 1), "P1")],
    )
    label = FilterLabel("Proposal <one>", None, ("sanctions",), ("sport",))
    [message] = render_digest(_, data, label, NOW, ZoneInfo("Europe/Kyiv"))
    visible = check_telegram_html(message)
    for expected in (
        "Your digest",
        "2 new articles",
        "1 dossier update",
        "Proposal <one>",
        "Other news",
        "Title <1> & co",
        "News & Co, 2025-06-02",
        "One sentence. Another one.",
        "Actors: A & B, C",
        "Fact & more",
        "+sanctions",
        "−sport",
    ):
        assert expected in visible, expected
    assert '<a href="https://example.org/a?x=1&amp;y=&lt;2&gt;">' in message
    assert visible.index("Proposal <one>") < visible.index("Other news") < visible.index("Fact")


def test_long_digest_is_split_between_articles_and_keeps_section_titles() -> None:
    docs = [_doc(n, "Long summary sentence. " * 14) for n in range(60)]
    data = DigestData(
        [DigestSection(1, "First", docs[:30]), DigestSection(2, "Second", docs[30:])], []
    )
    messages = render_digest(_, data, FilterLabel(), NOW, ZoneInfo("UTC"))
    assert len(messages) > 2
    seen = []
    for message in messages:
        visible = check_telegram_html(message)  # raises on invalid HTML
        assert visible_len(message) <= MAX_MESSAGE
        seen += [n for n in range(60) if f"Title <{n}> & co" in visible]
        assert not visible.rstrip().endswith(("📌 First", "📌 Second"))  # title with its article
    assert seen == list(range(60))  # every article exactly once, in order


def test_more_than_the_cap_is_counted() -> None:
    data = DigestData([DigestSection(None, None, [_doc(1)])], [], more_documents=5)
    text = check_telegram_html(render_digest(_, data, FilterLabel(), NOW, ZoneInfo("UTC"))[-1])
    assert "6 new articles" in text and "5 more new articles" in text


def test_the_kind_of_outlet_shows_next_to_the_source() -> None:
    doc = DocumentView(
        id=9,
        url="https://tass.com/a",
        title="A claim",
        source_name="TASS",
        published_at=NOW,
        summary="",
        source_kind="state-affiliated",
    )
    data = DigestData([DigestSection(None, None, [doc])], [])
    [message] = render_digest(_, data, FilterLabel(), NOW, ZoneInfo("UTC"))
    assert "TASS (state-affiliated)" in check_telegram_html(message)
    uk = get_translator("uk")
    [message] = render_digest(uk, data, FilterLabel(), NOW, ZoneInfo("UTC"))
    assert "TASS (державне медіа)" in check_telegram_html(message)
