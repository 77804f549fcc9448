"""/latest <proposal>: the command a digest points to for a proposal's other new articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import BotEnv
from tests.support import news_factory as news


async def test_latest_of_one_proposal_pages_by_editing(bot_env: BotEnv) -> None:
    now = datetime.now(UTC)
    with bot_env.db.session() as s:
        for n in range(12):
            news.document(
                s,
                f"Reassurance force story {n} & <co>",
                stored_at=now + timedelta(minutes=n),
                proposals=("european-troops",),
            )
        news.document(s, "Meloni pitches an Article 5 shield", proposals=("art5-like",))
    [first] = await bot_env.ask(400, "/latest european-troops")
    text = first.plain_text
    assert "Latest articles on" in text and "(12 in all)" in text
    assert "Reassurance force story 11 & <co>" in text  # newest first
    assert "Meloni pitches" not in text
    data = next(
        b["callback_data"]
        for row in first.reply_markup["inline_keyboard"]
        for b in row
        if b["text"] == "›"
    )
    assert data.startswith("lp:")
    callback_id, edited = await bot_env.press(400, first.message_id, data)
    assert callback_id in bot_env.fake.answered_callbacks
    assert [m.method for m in edited] == ["editMessageText"]
    assert "Reassurance force story 0 & <co>" in edited[0].plain_text


async def test_latest_with_an_unknown_proposal_says_so(bot_env: BotEnv) -> None:
    [reply] = await bot_env.ask(401, "/latest zzzz-nothing")
    assert "No proposal matches" in reply.plain_text or "proposals" in reply.plain_text
