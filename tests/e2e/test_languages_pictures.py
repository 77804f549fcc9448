"""/language, /compare's picture and /coverage end to end against the fake Bot API: real PNGs
through sendPhoto (multipart, signature and size checked by the fake), captions within 1024."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image

from bot.settings import Settings
from storage.db import Database
from tests.support import news_factory
from tests.support.bot_harness import TOKEN, BotEnv, assert_nothing_rejected, running_bot
from tests.support.fake_telegram import (
    PNG_SIGNATURE,
    FakeTelegram,
    SentMessage,
    check_telegram_html,
    utf16_len,
)

GROUP_ADMIN, GROUP_MEMBER = 601, 602


class FakeWithMembers(FakeTelegram):
    """getChatMember: GROUP_ADMIN owns every group, everyone else is a member."""

    def _api_getChatMember(self, params: Any, token: str) -> dict[str, Any]:
        user_id = params.opt_int("user_id")
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        status = "creator" if user_id == GROUP_ADMIN else "member"
        return {"status": status, "user": user, "is_anonymous": False}


@pytest.fixture
async def env(settings: Settings, db: Database) -> AsyncIterator[BotEnv]:
    async with running_bot(settings, db, fake=FakeWithMembers(token=TOKEN)) as bot:
        yield bot
    assert_nothing_rejected(bot.fake)


def picture(replies: list[SentMessage]) -> SentMessage:
    [photo] = [m for m in replies if m.method == "sendPhoto"]
    assert photo.photo is not None and photo.photo.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(photo.photo))
    image.load()  # a whole, decodable PNG
    assert image.width >= 800 and image.height >= 300
    assert photo.parse_mode == "HTML" and utf16_len(photo.plain_text) <= 1024
    check_telegram_html(photo.text)
    return photo


def data_of(message: SentMessage, label: str) -> str:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


async def test_compare_sends_the_text_then_the_table_as_a_png(env: BotEnv) -> None:
    replies = await env.ask(700, "/compare 1 2")
    assert replies[0].method == "sendMessage" and "Side by side" in replies[0].plain_text
    assert replies[-1].method == "sendPhoto"  # after the text, which screen readers use
    photo = picture(replies)
    assert "① Article-5-like collective assistance mechanism" in photo.plain_text
    assert "upload_photo" in [a for c, a in env.fake.chat_actions if c == 700]


async def test_compare_from_the_picker_buttons_also_sends_the_picture(env: BotEnv) -> None:
    [picker] = await env.ask(701, "/compare")
    first = (picker.reply_markup or {})["inline_keyboard"][0][0]["callback_data"]
    _id, [second] = await env.press(701, picker.message_id, first)
    right = (second.reply_markup or {})["inline_keyboard"][0][0]["callback_data"]
    callback_id, sent = await env.press(701, picker.message_id, right)
    assert callback_id in env.fake.answered_callbacks
    picture(sent)


async def test_coverage_sends_counts_as_text_and_a_chart(env: BotEnv) -> None:
    now = datetime.now(UTC)
    with env.db.session() as session:
        for days_ago in (0, 0, 1, 5, 12):
            news_factory.document(
                session, f"Report {days_ago}", published_at=now - timedelta(days=days_ago),
                proposals=("art5-like",),
            )  # fmt: skip
        news_factory.document(session, "Old", published_at=now - timedelta(days=60),
                              proposals=("nato-membership",))  # fmt: skip
    replies = await env.ask(702, "/coverage")
    assert "Article-5-like" in replies[0].plain_text and "5 articles" in replies[0].plain_text
    assert "NATO membership" not in replies[0].plain_text  # 60 days ago: outside 30 days
    picture(replies)
    week = await env.ask(702, "/coverage 7")
    assert "4 articles" in week[0].plain_text
    picture(week)
    [usage] = await env.ask(702, "/coverage 0")
    assert "from 1 to 365" in usage.plain_text


async def test_coverage_with_no_articles_sends_no_empty_chart(env: BotEnv) -> None:
    replies = await env.ask(703, "/coverage")
    assert [m.method for m in replies] == ["sendMessage"]
    assert "No articles about the proposals" in replies[0].plain_text


async def test_language_follows_telegram_until_the_chat_chooses(env: BotEnv) -> None:
    [help_uk] = await env.ask(704, "/help", language_code="uk")
    assert "Що я вмію" in help_uk.plain_text
    [menu] = await env.ask(704, "/language", language_code="uk")
    assert "Українська" in menu.plain_text
    callback_id, [done] = await env.press(704, menu.message_id, data_of(menu, "English"))
    assert callback_id in env.fake.answered_callbacks
    assert done.method == "editMessageText" and "answered in English" in done.plain_text
    [help_en] = await env.ask(704, "/help", language_code="uk")  # the chat's choice wins
    assert "What I can do" in help_en.plain_text
    [card] = await env.ask(704, "/proposal 1", language_code="uk")
    assert "Article-5-like collective assistance mechanism" in card.plain_text
    [done_uk] = await env.ask(704, "/language uk")
    assert "Готово" in done_uk.plain_text
    replies = await env.ask(704, "/compare 1 3")
    assert "Механізм колективної допомоги на зразок статті 5" in replies[0].plain_text
    assert "Хто підтримує" in replies[0].plain_text
    assert "Те саме порівняння текстом" in picture(replies).plain_text


async def test_in_a_group_only_admins_change_the_language(env: BotEnv) -> None:
    group = -100700
    kw: dict[str, Any] = {"chat_type": "supergroup"}
    [refused] = await env.ask(group, "/language uk", user_id=GROUP_MEMBER, **kw)
    assert "only its admins" in refused.plain_text
    [menu] = await env.ask(group, "/language", user_id=GROUP_MEMBER, **kw)
    callback_id, edited = await env.press(group, menu.message_id, data_of(menu, "Українська"),
                                          user_id=GROUP_MEMBER)  # fmt: skip
    assert not edited and callback_id in env.fake.answered_callbacks
    [done] = await env.ask(group, "/language uk", user_id=GROUP_ADMIN, **kw)
    assert "Готово" in done.plain_text
    [listing] = await env.ask(group, "/proposals", user_id=GROUP_MEMBER, **kw)
    assert "Пропозиції" in listing.plain_text  # the group's language, for everyone in it
