"""Read commands end to end over the fake Bot API, as a new user would use them.

The fake rejects invalid HTML, texts over 4096 characters and callback_data over 64 bytes;
the harness fails a test on any rejected request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage.db import Database
from storage.repositories.bulk import BulkRepo
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import SentMessage, check_telegram_html

EVERYONE = [
    "/start", "/help", "/proposals", "/proposal 1", "/actors", "/actor meloni",
    "/compare 1 2", "/compare", "/search meloni", "/latest", "/timeline", "/timeline nato",
    "/sources", "/subscribe", "/unsubscribe", "/digest",
]  # fmt: skip
BIG_FACTS = 300


def button(message: SentMessage, text: str) -> str:
    return next(b["callback_data"] for b in message.buttons if b["text"] == text)


def assert_clear_answer(replies: list[SentMessage]) -> None:
    assert replies, "no answer"
    for message in replies:
        check_telegram_html(message.text)
        assert "something went wrong" not in message.plain_text.lower()
        assert "Traceback" not in message.plain_text


def add_bulk(db: Database) -> int:
    """A proposal with 300 dated facts, 30 more proposals and 40 articles; its id."""
    with db.session() as session:
        bulk = BulkRepo(session)
        pid = bulk.next_id("proposals")
        bulk.insert("proposals", (
            {"id": pid + i, "slug": f"bulk-{i}", "title": f"Bulk proposal {i} & <co>",
             "summary": "Generated.", "commitments": [], "open_questions": [],
             "keywords": [], "aliases": []}
            for i in range(31)
        ))  # fmt: skip
        bulk.insert("facts", (
            {"key": f"bulk-{i}", "proposal_id": pid, "status": "approved",
             "text": f"Fact number {i}: allies <agree> & decide " + "long words " * (i % 60),
             "source_url": f"http://127.0.0.1:9/s/{i}", "source_name": "Local",
             "published_at": date(2025, 1, 1) + timedelta(days=i)}
            for i in range(BIG_FACTS)
        ))  # fmt: skip
        now = datetime(2025, 9, 1, tzinfo=UTC)
        bulk.insert("documents", (
            {"url": f"http://127.0.0.1:9/a/{i}", "title": f"Meloni article {i}",
             "summary": "Meloni and allies discuss guarantees. " * 5, "text": "",
             "stored_at": now + timedelta(minutes=i)}
            for i in range(40)
        ))  # fmt: skip
    return pid


async def test_every_public_command_answers_with_valid_html(bot_env: BotEnv) -> None:
    for n, text in enumerate(EVERYONE):
        replies = await bot_env.ask(200 + n, text)
        assert_clear_answer(replies)
        assert all(m.parse_mode == "HTML" for m in replies), text


async def test_long_proposal_pages_its_facts_in_place(bot_env: BotEnv) -> None:
    pid = add_bulk(bot_env.db)
    replies = await bot_env.ask(300, f"/proposal {pid}")
    assert len(replies) <= 3, "300 facts must not be dumped as many messages"
    facts = replies[-1]
    assert "page 1 of" in facts.plain_text and "Fact number 299" in facts.plain_text
    callback_id, edited = await bot_env.press(300, facts.message_id, button(facts, "›"))
    assert callback_id in bot_env.fake.answered_callbacks
    assert [m.method for m in edited] == ["editMessageText"]
    assert "page 2 of" in edited[0].plain_text and "Fact number 291" in edited[0].plain_text
    last = edited[0].plain_text.split("page 2 of ")[1].split()[0]
    _, edited = await bot_env.press(300, facts.message_id, f"pf:{pid}:{last}")
    assert "Fact number 0:" in edited[0].plain_text
    assert "›" not in [b["text"] for b in edited[0].buttons]


async def test_list_timeline_and_latest_page_by_editing(bot_env: BotEnv) -> None:
    pid = add_bulk(bot_env.db)
    for command, check in [
        ("/proposals", "Bulk proposal"),
        ("/timeline", "Fact number"),
        (f"/timeline {pid}", "Fact number"),
        ("/latest", "Meloni article"),
    ]:
        [first] = await bot_env.ask(301, command)
        callback_id, edited = await bot_env.press(301, first.message_id, button(first, "›"))
        assert callback_id in bot_env.fake.answered_callbacks, command
        assert [m.method for m in edited] == ["editMessageText"], command
        assert edited[0].plain_text != first.plain_text
        assert check in edited[0].plain_text + first.plain_text


async def test_search_pages_with_a_short_token(bot_env: BotEnv) -> None:
    add_bulk(bot_env.db)
    [first] = await bot_env.ask(302, "/search meloni")
    data = button(first, "›")
    assert data.startswith("s:") and len(data.encode()) <= 64
    _, edited = await bot_env.press(302, first.message_id, data)
    assert "page 2" in edited[0].plain_text
    assert "Meloni article" in edited[0].plain_text
    # a token the bot does not know (e.g. after a restart) is answered with a hint
    before = len(bot_env.fake.messages)
    callback_id, _ = await bot_env.press(302, first.message_id, "s:unknowntok:2")
    answer = next(a for a in bot_env.fake.callback_answers if a.callback_query_id == callback_id)
    assert answer.text and "out of date" in answer.text
    assert len(bot_env.fake.messages) == before


@pytest.mark.parametrize(
    "data", ["zz:not-ours", "pf:999999:1", "pf:x:y", "c:1:1", "s", "tp:99999:2"]
)
async def test_unknown_or_stale_callbacks_are_answered_and_ignored(
    bot_env: BotEnv, data: str
) -> None:
    [listing] = await bot_env.ask(303, "/proposals")
    before = len(bot_env.fake.messages)
    callback_id, _ = await bot_env.press(303, listing.message_id, data)
    assert callback_id in bot_env.fake.answered_callbacks
    assert len(bot_env.fake.messages) == before


async def test_compare_picker_flow(bot_env: BotEnv) -> None:
    [picker] = await bot_env.ask(304, "/compare")
    assert "first" in picker.plain_text
    _, [second] = await bot_env.press(304, picker.message_id, picker.buttons[0]["callback_data"])
    assert second.method == "editMessageText" and "second" in second.plain_text
    right = second.buttons[0]["callback_data"]
    callback_id, sent = await bot_env.press(304, picker.message_id, right)
    assert callback_id in bot_env.fake.answered_callbacks
    assert sent and "Side by side" in sent[0].plain_text
    assert_clear_answer(sent)


BAD_INPUT = [
    "/proposal", "/actor", "/search", "/compare 1", "/compare 1 1", "/timeline nothing",
    "/proposal nosuchthing", "/actor 🤖🤖", "/actor <b>x</b>", "/search &", "/search *bold*",
    "/search <script>alert(1)</script>", "/proposal </b>&amp;", "/actor Мелоні",
    "/search 乌克兰 安全", "/search أوكرانيا", "/compare 🇺🇦 vs 🇮🇹", "/nosuchcommand",
    "/proposals@briefbot_test_bot", "/proposals@otherbot", "<b>hello</b> & *world*", "🤖",
    "x" * 5000, "/search " + "y" * 5000, "/actor " + "Ж" * 4090,
]  # fmt: skip


@pytest.mark.parametrize("text", BAD_INPUT, ids=lambda t: t[:30])
async def test_bad_input_gets_a_clear_answer(bot_env: BotEnv, text: str) -> None:
    assert_clear_answer(await bot_env.ask(305, text))


async def test_command_for_another_bot_is_left_alone_in_a_group(bot_env: BotEnv) -> None:
    bot_env.fake.push_text(-100500, "/proposals@otherbot", chat_type="supergroup", title="G")
    [answer] = await bot_env.ask(-100500, "/help", chat_type="supergroup", title="G")
    assert "What I can do" in answer.plain_text  # only the /help was answered
