"""Sharing and questions over the fake Bot API: inline mode (answerInlineQuery), deep links
(/start p-<slug>), and plain questions in private chats and groups."""

from __future__ import annotations

import asyncio
import time

from tests.e2e.conftest import BotEnv
from tests.support.fake_telegram import check_telegram_html


async def _inline(bot_env: BotEnv, query: str, user_id: int = 500) -> list[dict]:
    query_id = bot_env.fake.push_inline_query(user_id, query)
    deadline = time.monotonic() + 5
    while True:
        answers = [a for a in bot_env.fake.inline_answers if a.inline_query_id == query_id]
        if answers:
            return answers[0].results
        if time.monotonic() > deadline:
            raise TimeoutError(f"inline query {query!r} was not answered: {bot_env.fake.rejected}")
        await asyncio.sleep(0.01)


async def test_inline_query_offers_proposal_and_actor_cards(bot_env: BotEnv) -> None:
    results = await _inline(bot_env, "meloni")
    ids = [r["id"] for r in results]
    assert ids[0] == "a1"  # Giorgia Meloni, then what her name is part of
    assert any(i.startswith("p") for i in ids)  # "Meloni proposal" names the Article 5 plan
    for result in results:
        content = result["input_message_content"]
        check_telegram_html(content["message_text"])
        assert "t.me/" in content["message_text"]
        [[button]] = result["reply_markup"]["inline_keyboard"]
        assert button["url"].startswith(f"https://t.me/{bot_env.fake.bot_username}?start=")


async def test_empty_inline_query_lists_every_proposal(bot_env: BotEnv) -> None:
    results = await _inline(bot_env, "")
    assert [r["id"] for r in results][:6] == [f"p{n}" for n in range(1, 7)]
    assert "Article-5-like" in results[0]["title"]


async def test_inline_query_in_ukrainian_finds_inflected_names(bot_env: BotEnv) -> None:
    results = await _inline(bot_env, "Зеленського")
    assert results and results[0]["title"] == "Volodymyr Zelensky"


async def test_deep_link_opens_the_card_it_names(bot_env: BotEnv) -> None:
    replies = await bot_env.ask(600, "/start p-nato-membership")
    assert "Full NATO membership for Ukraine" in replies[0].plain_text
    assert "Hello" not in replies[0].plain_text
    username = bot_env.fake.bot_username
    assert any(f"t.me/{username}?start=p-nato-membership" in m.text for m in replies)
    replies = await bot_env.ask(600, "/start a-crosetto")
    assert "Guido Crosetto" in replies[0].plain_text
    assert f"t.me/{username}?start=a-crosetto" in replies[-1].text


async def test_deep_link_to_a_missing_card_says_so(bot_env: BotEnv) -> None:
    [reply] = await bot_env.ask(601, "/start p-no-such-thing")
    assert "no longer exists" in reply.plain_text


async def test_every_card_carries_its_deep_link(bot_env: BotEnv) -> None:
    username = bot_env.fake.bot_username
    for command, payload in [("/proposal 2", "p-us-air-support"), ("/actor trump", "a-trump")]:
        replies = await bot_env.ask(602, command)
        assert any(f"t.me/{username}?start={payload}" in m.text for m in replies), command


async def test_plain_question_in_a_private_chat(bot_env: BotEnv) -> None:
    replies = await bot_env.ask(603, "who opposes the reassurance force?")
    text = replies[0].plain_text
    assert "Who opposes" in text and "Giorgia Meloni" in text
    buttons = [b for row in replies[-1].reply_markup["inline_keyboard"] for b in row]
    _id, sent = await bot_env.press(603, replies[-1].message_id, buttons[0]["callback_data"])
    assert "European reassurance force" in sent[0].plain_text  # the full card


async def test_in_a_group_only_mentions_and_replies_are_answered(bot_env: BotEnv) -> None:
    group = -1001234
    bot_env.fake.push_text(group, "what does italy propose?", user_id=700, chat_type="group")
    await asyncio.sleep(0.5)
    assert not bot_env.fake.messages_to(group)  # chatter in a group is not for the bot
    username = bot_env.fake.bot_username
    replies = await bot_env.ask(
        group, f"@{username} what does italy propose?", user_id=700, chat_type="group"
    )
    assert "What Italy proposes" in replies[0].plain_text
    follow = await bot_env.ask(
        group,
        "and who opposes NATO membership?",
        user_id=700,
        chat_type="group",
        reply_to_message_id=replies[-1].message_id,
    )
    assert "Russia" in follow[0].plain_text


async def test_cards_carry_a_share_button_that_offers_them_inline(bot_env: BotEnv) -> None:
    for command, title in [("/proposal 2", "US air support"), ("/actor trump", "Donald Trump")]:
        replies = await bot_env.ask(604, command)
        buttons = [b for row in replies[-1].reply_markup["inline_keyboard"] for b in row]
        [share] = [b for b in buttons if "switch_inline_query" in b]
        assert "Share" in share["text"]
        # what the button types after "@bot " finds this very card first
        results = await _inline(bot_env, share["switch_inline_query"])
        assert title in results[0]["title"], command


async def test_a_question_naming_a_proposal_through_ordinary_words(bot_env: BotEnv) -> None:
    replies = await bot_env.ask(605, "will the us send soldiers to ukraine")
    text = replies[0].plain_text
    assert "United States" in text and "US air support without US ground troops" in text
    replies = await bot_env.ask(606, "що хоче зеленський", language_code="uk")
    assert "Власної позиції" in replies[0].plain_text
    buttons = [b for row in replies[-1].reply_markup["inline_keyboard"] for b in row]
    assert any("членство України в НАТО" in b["text"] for b in buttons)
    assert "Full NATO membership" not in replies[0].plain_text  # the dossier's Ukrainian text
