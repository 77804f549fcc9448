"""Link corrections from a digest: an admin's digest ends with ✏️, which opens a numbered
picker of the digest's articles, each leading to the link editor; the correction is stored as
a label and wins for that document. Other chats' digests carry no button, and a forged press
by a non-admin is refused politely. A Ukrainian chat's digest shows proposal headings from the
dossier's Ukrainian fields."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Digest, DocumentProposal, LinkLabel, OutboxMessage, Proposal
from tests.conftest import ADMIN_ID
from tests.support import news_factory as news
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import check_telegram_html

READER = 778


def proposal_ids(env: BotEnv) -> dict[str, int]:
    with env.db.session() as s:
        return dict(s.execute(select(Proposal.slug, Proposal.id)).all())


def links_of(env: BotEnv, doc_id: int) -> set[int]:
    with env.db.session() as s:
        stmt = select(DocumentProposal.proposal_id).where(DocumentProposal.document_id == doc_id)
        return set(s.scalars(stmt))


async def subscribe(env: BotEnv, chat_id: int, language: str = "en") -> None:
    [done] = await env.ask(
        chat_id, "/subscribe daily 08:00", user_id=chat_id, language_code=language
    )
    assert "08:00" in done.plain_text


async def test_admin_corrects_links_from_a_digest(bot_env: BotEnv) -> None:
    await subscribe(bot_env, ADMIN_ID)
    await subscribe(bot_env, READER)
    ids = proposal_ids(bot_env)
    with bot_env.db.session() as s:
        shield = news.document(
            s, "Meloni pitches an Article 5-style shield", age_hours=1, proposals=("art5-like",)
        )
        news.document(s, "Coalition of the willing meets in Paris", age_hours=1)
        shield_id = shield.id

    messages = await bot_env.ask(ADMIN_ID, "/digest", user_id=ADMIN_ID)
    assert "Article 5-style shield" in "\n".join(check_telegram_html(m.text) for m in messages)
    assert all(m.buttons == [] for m in messages[:-1])  # the button closes the digest
    [correct] = messages[-1].buttons
    assert correct["text"] == "✏️ Correct links"
    assert len(correct["callback_data"].encode()) <= 64

    callback_id, [picker] = await bot_env.press(
        ADMIN_ID, messages[-1].message_id, correct["callback_data"], user_id=ADMIN_ID
    )
    assert bot_env.answer_text(callback_id) is None  # answered, silently
    assert picker.method == "sendMessage"  # the digest itself stays as it was
    check_telegram_html(picker.text)
    assert "1. Meloni pitches an Article 5-style shield" in picker.plain_text
    assert "2. Coalition of the willing meets in Paris" in picker.plain_text
    numbers = {b["text"]: b["callback_data"] for b in picker.buttons}
    assert set(numbers) == {"1", "2"}

    _id, [editor] = await bot_env.press(ADMIN_ID, picker.message_id, numbers["1"], user_id=ADMIN_ID)
    assert "Links of" in editor.plain_text and "Article 5-style shield" in editor.plain_text
    add = next(b for b in editor.buttons if b["text"].startswith("➕ European reassurance"))
    _id, [saved] = await bot_env.press(
        ADMIN_ID, editor.message_id, add["callback_data"], user_id=ADMIN_ID
    )
    assert "Saved." in saved.plain_text
    assert links_of(bot_env, shield_id) == {ids["art5-like"], ids["european-troops"]}
    with bot_env.db.session() as s:
        stored = s.scalars(select(LinkLabel)).all()
        labels = {(lab.document_id, lab.kind, lab.target_id, lab.value) for lab in stored}
    assert labels == {
        (shield_id, "proposal", ids["european-troops"], True),
        (shield_id, "topic", 0, True),  # a proposal of the dossier: on-topic, by the curator
    }

    # a reader's digest carries no button; a forged press is refused and changes nothing
    reader_messages = await bot_env.ask(READER, "/digest", user_id=READER)
    assert reader_messages and all(m.buttons == [] for m in reader_messages)
    with bot_env.db.session() as s:
        reader_digest = s.scalars(select(Digest.id).where(Digest.chat_id == READER)).one()
    callback_id, sent = await bot_env.press(
        READER, reader_messages[-1].message_id, f"dl:{reader_digest}", user_id=READER
    )
    assert "only the bot's admins" in (bot_env.answer_text(callback_id) or "") and sent == []
    # an admin pressing another chat's digest id gets "out of date", not its articles
    callback_id, sent = await bot_env.press(
        ADMIN_ID, messages[-1].message_id, f"dl:{reader_digest}", user_id=ADMIN_ID
    )
    assert sent == [] and "out of date" in (bot_env.answer_text(callback_id) or "")


async def test_picker_pages_through_a_long_digest(bot_env: BotEnv) -> None:
    await subscribe(bot_env, ADMIN_ID)
    with bot_env.db.session() as s:
        for n in range(13):
            news.document(s, f"Security guarantee story {n:02d}", age_hours=1)
    messages = await bot_env.ask(ADMIN_ID, "/digest", user_id=ADMIN_ID)
    [correct] = messages[-1].buttons
    _id, [picker] = await bot_env.press(
        ADMIN_ID, messages[-1].message_id, correct["callback_data"], user_id=ADMIN_ID
    )
    labels = [b["text"] for b in picker.buttons]
    assert labels[:10] == [str(n) for n in range(1, 11)] and "›" in labels
    turn = next(b for b in picker.buttons if b["text"] == "›")
    _id, [second] = await bot_env.press(
        ADMIN_ID, picker.message_id, turn["callback_data"], user_id=ADMIN_ID
    )
    assert second.method == "editMessageText"
    assert {b["text"] for b in second.buttons} >= {"11", "12", "13", "‹"}
    assert "13. Security guarantee story" in second.plain_text


async def test_digest_to_a_ukrainian_chat_shows_ukrainian_headings(bot_env: BotEnv) -> None:
    await subscribe(bot_env, READER, language="uk")
    with bot_env.db.session() as s:
        news.document(
            s,
            "Meloni pitches an Article 5-style shield",
            age_hours=1,
            proposals=("art5-like",),
            summary="Rome wants a collective assistance clause without membership.",
        )
        news.document(s, "Paris hosts force planners", age_hours=1, proposals=("european-troops",))
        art5 = s.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        english, ukrainian = art5.title, art5.translations["uk"]["title"]
        troops = s.scalars(select(Proposal).where(Proposal.slug == "european-troops")).one()
        troops.translations = {"uk": {"summary": "лише підсумок"}}  # no Ukrainian title
        troops_title = troops.title
    messages = await bot_env.ask(READER, "/digest", user_id=READER, language_code="uk")
    text = "\n".join(check_telegram_html(m.text) for m in messages)
    assert f"📌 {ukrainian}" in text and english not in text
    assert f"📌 {troops_title}" in text  # a missing field falls back whole to English
    assert "Ваш дайджест" in text and "нова стаття; найсвіжіша" in text
    with bot_env.db.session() as s:
        markups = s.scalars(select(OutboxMessage.reply_markup)).all()
    assert markups and all(m is None for m in markups)  # not an admin: no keyboard stored
