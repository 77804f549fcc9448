"""Pictures: the comparison table and the coverage chart, their data, cache and captions."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from bot.i18n import get_translator
from bot.render.compare_image import comparison_caption, comparison_picture, table_rows
from bot.render.coverage import coverage_caption, coverage_picture, coverage_reply
from bot.render.fonts import font_path
from bot.render.html import visible_len
from bot.render.picture_cache import PICTURES, PictureCache
from bot.services.compare import compare_proposals
from bot.services.coverage import coverage
from bot.services.localize import use_language
from storage.models import Proposal
from tests.support import news_factory
from tests.support.fake_telegram import PNG_SIGNATURE, check_telegram_html, photo_size

TODAY = date(2026, 12, 2)


def _png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_font_covers_cyrillic() -> None:
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path()), 20)
    # a missing glyph is drawn as the same empty box for every letter
    boxes = {font.getmask(letter).getbbox() for letter in "ЖЇєґ"}
    assert len(boxes) > 1 and font.getlength("Ї") > 0


def test_comparison_picture_is_a_png_table_in_the_readers_language(db) -> None:
    _ = get_translator("uk")
    with db.session() as session, use_language("uk"):
        result = compare_proposals(session, 1, 2)
    assert result is not None
    rows = table_rows(_, result)
    assert [r[0] for r in rows][:3] == ["Статус", "Механізм", "Хто підтримує"]
    assert "Джорджа Мелоні" in rows[2][1]
    image = _png(comparison_picture(_, result))
    assert image.width == 1400 and 400 < image.height < 4000
    caption = comparison_caption(_, result)
    check_telegram_html(caption)
    assert visible_len(caption) <= 1024 and "①" in caption and "Механізм" in caption


def test_a_picture_is_drawn_once_until_its_data_changes(db) -> None:
    _ = get_translator("en")
    PICTURES.clear()
    with db.session() as session:
        first = compare_proposals(session, 1, 2)
    assert first is not None
    before = PICTURES.misses
    png = comparison_picture(_, first)
    assert comparison_picture(_, first) is png and PICTURES.misses == before + 1
    with db.session() as session:
        session.scalars(select(Proposal).where(Proposal.id == 2)).one().status = "agreed"
    with db.session() as session:
        changed = compare_proposals(session, 1, 2)
    assert changed is not None
    assert comparison_picture(_, changed) != png and PICTURES.misses == before + 2
    assert comparison_picture(get_translator("uk"), changed) is not None
    assert PICTURES.misses == before + 3  # another language is another picture


def test_picture_cache_keeps_the_newest() -> None:
    cache = PictureCache(size=2)
    for key in "abc":
        cache.get_or_render(key, lambda k=key: k.encode())
    calls = []
    cache.get_or_render("a", lambda: calls.append(1) or b"a")
    assert calls == [1]  # "a" was the oldest and went out
    cache.get_or_render("c", lambda: calls.append(2) or b"c")
    assert calls == [1]


def _article(session, slug: str, day: date, hour: int = 12) -> None:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    news_factory.document(
        session, f"{slug} on {day}", published_at=at, stored_at=at, proposals=(slug,)
    )


def test_coverage_counts_articles_per_proposal_per_day(db) -> None:
    with db.session() as session:
        for days_ago, slug in [
            (0, "art5-like"),
            (0, "art5-like"),
            (1, "art5-like"),
            (3, "nato-membership"),
        ]:
            _article(session, slug, TODAY - timedelta(days=days_ago))
        _article(session, "nato-membership", TODAY - timedelta(days=40))  # before the window
        news_factory.document(session, "no date", stored_at=datetime(2026, 12, 1, 8, tzinfo=UTC),
                              proposals=("us-air-support",))  # fmt: skip
    with db.session() as session:
        data = coverage(session, 30, today=TODAY)
    assert data.days == 30 and data.first_day == TODAY - timedelta(days=29)
    by_label = {s.label: s for s in data.series}
    art5 = by_label["Article-5-like collective assistance mechanism (Meloni proposal)"]
    assert art5.counts[-1] == 2 and art5.counts[-2] == 1 and art5.total == 3
    assert by_label["Full NATO membership for Ukraine"].total == 1  # the old one is outside
    assert by_label["US air support without US ground troops"].counts[-2] == 1  # stored date
    assert [s.total for s in data.series] == sorted((s.total for s in data.series), reverse=True)
    with db.session() as session:
        assert coverage(session, 1, today=TODAY).total == 2
        assert coverage(session, 10_000, today=TODAY).days == 365


def test_coverage_reply_chart_and_caption_in_ukrainian(db) -> None:
    with db.session() as session:
        for n in range(5):
            _article(session, "art5-like", TODAY - timedelta(days=n))
    _ = get_translator("uk")
    with db.session() as session, use_language("uk"):
        data = coverage(session, 7, today=TODAY)
    reply = coverage_reply(_, data)
    check_telegram_html(reply.text)
    assert "Механізм колективної допомоги" in reply.text and "5 статей" in reply.text
    image = _png(coverage_picture(_, data))
    assert photo_size(coverage_picture(_, data)) == image.size
    assert "Статті за пропозиціями по днях" in coverage_caption(_, data)


def test_coverage_without_articles_says_so_and_draws_nothing(db) -> None:
    with db.session() as session:
        data = coverage(session, 30, today=TODAY)
    assert data.series == ()
    assert "No articles about the proposals" in coverage_reply(get_translator("en"), data).text


@pytest.mark.parametrize("content", [b"GIF89a....", b"", PNG_SIGNATURE + b"\x00" * 30])
def test_the_fake_bot_api_refuses_what_is_not_a_picture(content: bytes) -> None:
    from tests.support.fake_bot_api.records import ApiError

    with pytest.raises(ApiError):
        photo_size(content)
