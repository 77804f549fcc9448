"""The read commands over a fake Bot API: valid HTML, answered callbacks, the menu."""

from __future__ import annotations

from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import check_telegram_html


async def test_proposals_compare_actor_answer_with_valid_html(bot_env: BotEnv) -> None:
    for text, expected in [
        ("/proposals", "Article-5-like"),
        ("/compare 1 2", "Side by side"),
        ("/actor meloni", "Giorgia Meloni"),
    ]:
        replies = await bot_env.ask(100, text)
        assert replies, text
        for message in replies:
            assert message.parse_mode == "HTML"
            check_telegram_html(message.text)
        assert expected in replies[0].plain_text


async def test_commands_menu_is_set_at_start(bot_env: BotEnv) -> None:
    names = [c["command"] for c in bot_env.fake.commands()]
    assert {"proposals", "compare", "actor", "search", "subscribe"} <= set(names)
    assert "addsource" not in names  # admin commands only in admins' chats


async def test_paging_button_is_answered_and_opens_the_proposal(bot_env: BotEnv) -> None:
    [listing] = await bot_env.ask(101, "/proposals")
    buttons = [b for row in listing.reply_markup["inline_keyboard"] for b in row]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    first = buttons[0]["callback_data"]
    callback_id, sent = await bot_env.press(101, listing.message_id, first)
    assert callback_id in bot_env.fake.answered_callbacks
    assert sent and "Article-5-like" in sent[0].plain_text


async def test_unknown_callback_data_is_answered_and_ignored(bot_env: BotEnv) -> None:
    [listing] = await bot_env.ask(102, "/proposals")
    before = len(bot_env.fake.messages)
    callback_id, _ = await bot_env.press(102, listing.message_id, "zz:not-ours")
    assert callback_id in bot_env.fake.answered_callbacks
    assert len(bot_env.fake.messages) == before
