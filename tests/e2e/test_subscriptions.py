"""/subscribe /unsubscribe /digest end to end: private chats, buttons, groups, topics, channels."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.digest_jobs import queue_digests
from bot.settings import Settings
from storage.db import Database
from storage.models import Subscription
from tests.support import news_factory as news
from tests.support.bot_harness import TOKEN, BotEnv, assert_nothing_rejected, running_bot
from tests.support.fake_telegram import FakeTelegram, SentMessage, check_telegram_html

GROUP_ADMIN, GROUP_MEMBER = 501, 502


@pytest.fixture
async def env(settings: Settings, db: Database) -> AsyncIterator[BotEnv]:
    fake = FakeTelegram(token=TOKEN)
    fake.set_chat_member(GROUP_ADMIN, "creator")  # GROUP_ADMIN owns every group
    async with running_bot(settings, db, fake=fake) as bot:
        yield bot
    assert_nothing_rejected(bot.fake)


def buttons(message: SentMessage) -> dict[str, str]:
    markup = message.reply_markup or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


def subscription(db: Database, chat_id: int) -> Subscription | None:
    with db.session() as s:
        return s.scalars(select(Subscription).where(Subscription.chat_id == chat_id)).first()


async def test_subscribe_with_buttons_in_a_private_chat(env: BotEnv) -> None:
    [menu] = await env.ask(10, "/subscribe")
    assert "How often" in menu.plain_text
    _id, [times] = await env.press(10, menu.message_id, buttons(menu)["☀️ Daily"])
    assert times.method == "editMessageText" and "08:00" in buttons(times)
    _id, [done] = await env.press(10, menu.message_id, buttons(times)["08:00"])
    assert "Subscribed: a daily digest at 08:00 (UTC)" in done.plain_text
    sub = subscription(env.db, 10)
    assert sub is not None and (sub.mode, sub.schedule, sub.thread_id) == ("daily", "08:00", 0)
    # weekly: day, then time
    [menu] = await env.ask(10, "/subscribe")
    assert "🛑 Unsubscribe" in buttons(menu)
    _id, [days] = await env.press(10, menu.message_id, buttons(menu)["📅 Weekly"])
    _id, [times] = await env.press(10, menu.message_id, buttons(days)["Fri"])
    _id, [done] = await env.press(10, menu.message_id, buttons(times)["18:00"])
    assert "weekly digest on Friday at 18:00" in done.plain_text
    assert subscription(env.db, 10).schedule == "fri 18:00"  # type: ignore[union-attr]


async def test_subscribe_with_arguments_digest_and_unsubscribe(env: BotEnv) -> None:
    [bad] = await env.ask(11, "/subscribe daily 25:00")
    assert "not a time I understand" in bad.plain_text and "/subscribe weekly" in bad.plain_text
    [done] = await env.ask(11, "/subscribe daily 07:30 art5 +sanctions -sport")
    assert "Only news matching: proposal “Article-5-like" in done.plain_text
    assert "+sanctions · −sport" in done.plain_text
    [nothing] = await env.ask(11, "/digest")
    assert "Nothing new since you subscribed" in nothing.plain_text
    with env.db.session() as s:
        news.document(s, "New sanctions & art5 plan", age_hours=1, proposals=("art5-like",))
        news.document(s, "Sanctions on sport", age_hours=1, proposals=("art5-like",))
        news.document(s, "Unrelated", age_hours=1)
    messages = await env.ask(11, "/digest")
    text = "\n".join(check_telegram_html(m.text) for m in messages)
    assert "New sanctions & art5 plan" in text
    assert "Sanctions on sport" not in text and "Unrelated" not in text
    assert all(m.link_preview_options == {"is_disabled": True} for m in messages)
    [again] = await env.ask(11, "/digest")
    assert "Nothing new since your last digest" in again.plain_text
    [bye] = await env.ask(11, "/unsubscribe")
    assert "Unsubscribed" in bye.plain_text and subscription(env.db, 11) is None
    [none] = await env.ask(11, "/digest")
    assert "not subscribed" in none.plain_text


async def test_forum_topic_gets_its_digests_in_the_topic(env: BotEnv) -> None:
    chat = -100500
    kw = {"chat_type": "supergroup", "is_forum": True, "thread_id": 42, "user_id": GROUP_ADMIN}
    [done] = await env.ask(chat, "/subscribe instant", **kw)
    assert done.message_thread_id == 42 and "this topic" in done.plain_text
    assert subscription(env.db, chat).thread_id == 42  # type: ignore[union-attr]
    with env.db.session() as s:
        news.document(s, "Topic news", age_hours=1)
    await queue_digests(env.app.bot_data.deps)
    await env.app.bot_data.deps.outbox.drain(timeout=10)
    [digest] = env.fake.messages_to(chat)[1:]
    assert digest.message_thread_id == 42 and "Topic news" in digest.plain_text


async def test_only_group_admins_change_the_group_subscription(env: BotEnv) -> None:
    chat = -100600
    [refused] = await env.ask(
        chat, "/subscribe daily", chat_type="supergroup", user_id=GROUP_MEMBER
    )
    assert "Only this chat's admins" in refused.plain_text
    assert subscription(env.db, chat) is None
    [menu] = await env.ask(chat, "/subscribe", chat_type="supergroup", user_id=GROUP_ADMIN)
    callback_id, changed = await env.press(
        chat, menu.message_id, buttons(menu)["⚡ Instant"], user_id=GROUP_MEMBER
    )
    assert changed == [] and subscription(env.db, chat) is None
    answer = next(a for a in env.fake.callback_answers if a.callback_query_id == callback_id)
    assert answer.show_alert and "Only this chat's admins" in (answer.text or "")
    _id, [done] = await env.press(
        chat, menu.message_id, buttons(menu)["⚡ Instant"], user_id=GROUP_ADMIN
    )
    assert "Subscribed" in done.plain_text
    assert subscription(env.db, chat).chat_type == "supergroup"  # type: ignore[union-attr]


async def test_channel_subscribes_with_a_channel_post(env: BotEnv) -> None:
    chat = -100700
    start = len(env.fake.messages)
    env.fake.push_channel_post(chat, "/subscribe daily 09:00")
    [done] = await env._collect(chat, start, 5.0)
    assert "daily digest at 09:00" in done.plain_text
    sub = subscription(env.db, chat)
    assert sub is not None and sub.chat_type == "channel"
