"""The review queue end to end over the fake Bot API: buttons pressed, answered, cards edited."""

from __future__ import annotations

from storage.models import Fact
from tests.conftest import ADMIN_ID
from tests.review_data import FACT_TEXTS, db_snapshot, seed_pending
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import SentMessage, check_telegram_html

GROUP = -100555


def _buttons(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def test_admin_reviews_with_buttons_and_fact_shows_in_proposal(bot_env: BotEnv) -> None:
    seeded = seed_pending(bot_env.db)
    [card] = await bot_env.ask(ADMIN_ID, "/review", user_id=ADMIN_ID)
    check_telegram_html(card.text)
    assert FACT_TEXTS[0] in card.plain_text
    approve, reject, _edit, *_links = _buttons(card)  # 🏷 opens the article's links

    callback_id, sent = await bot_env.press(ADMIN_ID, card.message_id, approve, user_id=ADMIN_ID)
    assert bot_env.answer_text(callback_id) == "Approved."
    edited, following = sent
    assert (edited.method, edited.message_id) == ("editMessageText", card.message_id)
    assert "✅ Approved." in edited.plain_text and not _buttons(edited)
    assert following.method == "sendMessage" and FACT_TEXTS[1] in following.plain_text
    for message in sent:
        check_telegram_html(message.text)

    callback_id, sent = await bot_env.press(
        ADMIN_ID, following.message_id, _buttons(following)[1], user_id=ADMIN_ID
    )
    assert bot_env.answer_text(callback_id) == "Rejected."
    assert "❌ Rejected." in sent[0].plain_text

    # a second press on the first card: answered, nothing changes, nothing sent
    before = db_snapshot(bot_env.db)
    callback_id, sent = await bot_env.press(ADMIN_ID, card.message_id, reject, user_id=ADMIN_ID)
    assert bot_env.answer_text(callback_id) == "Already reviewed — nothing changed."
    assert sent == [] and db_snapshot(bot_env.db) == before

    before_card = len(bot_env.fake.messages_to(ADMIN_ID))
    await bot_env.ask(ADMIN_ID, "/proposal 1", user_id=ADMIN_ID)
    # the card and, with more facts than one page, its facts page: paced ~1 s apart in a chat
    sent = await bot_env.fake.wait_for_messages(before_card + 2, chat_id=ADMIN_ID)
    shown = "\n".join(m.plain_text for m in sent[before_card:])
    assert FACT_TEXTS[0] in shown and FACT_TEXTS[1] not in shown
    with bot_env.db.session() as s:
        assert s.get(Fact, seeded.fact_ids[1]).status == "rejected"


async def test_non_admin_pressing_a_review_button_is_refused(bot_env: BotEnv) -> None:
    seed_pending(bot_env.db)
    bot_env.fake.register_chat(GROUP, "supergroup")
    [card] = await bot_env.ask(GROUP, "/review", user_id=ADMIN_ID, chat_type="supergroup")
    before = db_snapshot(bot_env.db)
    for data in _buttons(card):
        callback_id, sent = await bot_env.press(GROUP, card.message_id, data, user_id=777)
        assert "only the bot's admins" in (bot_env.answer_text(callback_id) or "")
        assert sent == []
    assert db_snapshot(bot_env.db) == before
    refusal = await bot_env.ask(GROUP, "/review", user_id=777, chat_type="supergroup")
    assert "only the bot's admins" in refusal[0].plain_text


async def test_admin_edits_a_fact_by_replying_in_a_group(bot_env: BotEnv) -> None:
    seeded = seed_pending(bot_env.db)
    bot_env.fake.register_chat(GROUP, "supergroup")
    [card] = await bot_env.ask(GROUP, "/review", user_id=ADMIN_ID, chat_type="supergroup")
    callback_id, [prompt] = await bot_env.press(
        GROUP, card.message_id, _buttons(card)[2], user_id=ADMIN_ID
    )
    assert bot_env.answer_text(callback_id) == "Send the corrected text."
    check_telegram_html(prompt.text)
    assert prompt.reply_markup == {"force_reply": True, "selective": True}
    assert f"tg://user?id={ADMIN_ID}" in prompt.text  # the mention that makes it selective
    # someone else talking in the group is not taken as the edit
    await bot_env.ask(GROUP, "/proposals", user_id=777, chat_type="supergroup")
    replies = await bot_env.ask(
        GROUP,
        "Poland will host the hub in Rzeszow, officials said.",
        user_id=ADMIN_ID,
        chat_type="supergroup",
        reply_to_message_id=prompt.message_id,
    )
    assert "✅ Approved." in replies[0].plain_text
    assert FACT_TEXTS[1] in replies[1].plain_text
    with bot_env.db.session() as s:
        fact = s.get(Fact, seeded.fact_ids[0])
        assert (fact.status, fact.text) == (
            "approved",
            "Poland will host the hub in Rzeszow, officials said.",
        )
        assert fact.reviewed_by == ADMIN_ID
