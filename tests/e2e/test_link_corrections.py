"""Curators correct an article's links from chat: 🏷 under /latest opens the link editor, its
buttons add or remove a proposal and mark the article off-topic; each press is answered,
stored as a label, audited, and refused to non-admins with nothing changed."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditLog, Document, DocumentProposal, LinkLabel, Proposal
from tests.conftest import ADMIN_ID
from tests.support import news_factory as make
from tests.support.bot_harness import BotEnv
from tests.support.fake_telegram import check_telegram_html

USER = 777


def seed(env: BotEnv) -> tuple[int, int, int]:
    """An on-topic article linked to art5-like, one off-topic; (doc id, art5 id, troops id)."""
    with env.db.session() as s:
        doc = make.document(s, "Meloni pitches an Article 5-style shield", proposals=("art5-like",))
        off = make.document(s, "Rome marathon: Kenyan hat-trick")
        s.get(Document, off.id).on_topic = False
        ids = dict(s.execute(select(Proposal.slug, Proposal.id)).all())
        return doc.id, ids["art5-like"], ids["european-troops"]


def links_of(env: BotEnv, doc_id: int) -> set[int]:
    with env.db.session() as s:
        stmt = select(DocumentProposal.proposal_id).where(DocumentProposal.document_id == doc_id)
        return set(s.scalars(stmt))


async def test_admin_corrects_links_from_latest(bot_env: BotEnv) -> None:
    doc_id, art5, troops = seed(bot_env)
    [latest] = await bot_env.ask(ADMIN_ID, "/latest", user_id=ADMIN_ID)
    assert "Kenyan" not in latest.plain_text  # off-topic stays out of /latest
    tag = next(b for b in latest.buttons if b["text"].startswith("🏷"))
    callback_id, [editor] = await bot_env.press(
        ADMIN_ID, latest.message_id, tag["callback_data"], user_id=ADMIN_ID
    )
    assert bot_env.answer_text(callback_id) is None  # answered, silently
    check_telegram_html(editor.text)
    assert "Article 5-style shield" in editor.plain_text
    for b in editor.buttons:
        assert len(b["callback_data"].encode()) <= 64

    add = next(b for b in editor.buttons if b["text"].startswith("➕ European reassurance"))
    _, [edited] = await bot_env.press(
        ADMIN_ID, editor.message_id, add["callback_data"], user_id=ADMIN_ID
    )
    assert edited.method == "editMessageText" and "Saved." in edited.plain_text
    assert links_of(bot_env, doc_id) == {art5, troops}

    remove = next(b for b in edited.buttons if b["text"].startswith("✅ Article"))
    _, [edited] = await bot_env.press(
        ADMIN_ID, editor.message_id, remove["callback_data"], user_id=ADMIN_ID
    )
    assert links_of(bot_env, doc_id) == {troops}

    off = next(b for b in edited.buttons if b["text"] == "Mark off-topic")
    await bot_env.press(ADMIN_ID, editor.message_id, off["callback_data"], user_id=ADMIN_ID)
    with bot_env.db.session() as s:
        labels = {(lab.kind, lab.target_id, lab.value) for lab in s.scalars(select(LinkLabel))}
        assert labels == {
            ("proposal", troops, True),
            ("proposal", art5, False),
            ("topic", 0, False),
        }
        assert s.get(Document, doc_id).on_topic is False
        audited = s.scalars(select(AuditLog).where(AuditLog.action == "link_correction")).all()
        assert len(audited) == 3 and all(a.user_id == ADMIN_ID for a in audited)
    [after] = await bot_env.ask(ADMIN_ID, "/latest all", user_id=ADMIN_ID)
    assert "Kenyan" in after.plain_text and "off-topic for the dossier" in after.plain_text


async def test_non_admin_sees_no_tags_and_is_refused(bot_env: BotEnv) -> None:
    doc_id, art5, _troops = seed(bot_env)
    [latest] = await bot_env.ask(USER, "/latest", user_id=USER)
    assert not any(b["text"].startswith("🏷") for b in latest.buttons)
    for data in (f"lk:o:{doc_id}", f"lk:r:{doc_id}:{art5}", f"lk:off:{doc_id}"):
        callback_id, sent = await bot_env.press(USER, latest.message_id, data, user_id=USER)
        assert "only the bot's admins" in (bot_env.answer_text(callback_id) or "")
        assert sent == []
    assert links_of(bot_env, doc_id) == {art5}
    with bot_env.db.session() as s:
        assert s.scalars(select(LinkLabel)).all() == []


async def test_links_command_and_stale_buttons(bot_env: BotEnv) -> None:
    doc_id, _art5, _troops = seed(bot_env)
    [editor] = await bot_env.ask(ADMIN_ID, f"/links {doc_id}", user_id=ADMIN_ID)
    assert "Links of" in editor.plain_text
    [usage] = await bot_env.ask(ADMIN_ID, "/links", user_id=ADMIN_ID)
    assert "/links" in usage.plain_text
    callback_id, sent = await bot_env.press(
        ADMIN_ID, editor.message_id, "lk:a:999999:1", user_id=ADMIN_ID
    )
    assert sent == [] and "out of date" in (bot_env.answer_text(callback_id) or "")
