"""Curating the dossier from chat, end to end over the fake Bot API: preview, Confirm / Cancel,
history, non-admin refusals, bad input and /undo for every command."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.services.exchange import export_knowledge
from storage.models import Actor, AuditLog, DossierChange, Fact, Position, Proposal
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotEnv, assert_nothing_rejected, running_bot
from tests.review_data import db_snapshot, seed_pending
from tests.support.fake_telegram import SentMessage, check_telegram_html

OTHER = 777
TODAY = datetime.now(UTC).date().isoformat()


def _buttons(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


def _text(messages: list[SentMessage]) -> str:
    for m in messages:
        check_telegram_html(m.text)
    return "\n".join(m.plain_text for m in messages)


async def _ask(env: BotEnv, text: str, user_id: int = ADMIN_ID) -> list[SentMessage]:
    return await env.ask(user_id, text, user_id=user_id)


async def _press(env: BotEnv, message: SentMessage, prefix: str) -> tuple[str, list[SentMessage]]:
    data = next(d for d in _buttons(message) if d.startswith(prefix))
    callback_id, sent = await env.press(message.chat_id, message.message_id, data, user_id=ADMIN_ID)  # type: ignore[arg-type]
    return callback_id, sent


async def _confirm(env: BotEnv, text: str) -> str:
    """Send a command, check its preview, press ✅ Confirm; the edited message's text."""
    [preview] = await _ask(env, text)
    assert (
        "Apply this change?" in _text([preview]) or "Undo your last change?" in preview.plain_text
    )
    _id, [done] = await _press(env, preview, "cu:y:")
    assert done.method == "editMessageText" and not _buttons(done)
    return _text([done])


async def _undo(env: BotEnv) -> str:
    [preview] = await _ask(env, "/undo")
    assert "Undo your last change?" in _text([preview])
    _id, [done] = await _press(env, preview, "cu:y:")
    return _text([done])


def _status(env: BotEnv, proposal_id: int) -> str:
    with env.db.session() as s:
        return s.get(Proposal, proposal_id).status


async def test_setstatus_previews_confirms_shows_history_and_undoes(bot_env: BotEnv) -> None:
    env = bot_env
    [preview] = await _ask(env, "/setstatus 1 agreed https://example.org/summit")
    assert "under discussion" in _text([preview]) and "agreed" in preview.plain_text
    assert _status(env, 1) == "under_discussion"  # nothing written before Confirm

    [preview] = await _ask(env, "/setstatus art5-like agreed https://example.org/summit")
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "Done" in _text([done]) and _status(env, 1) == "agreed"

    card = _text(await _ask(env, "/proposal 1", user_id=OTHER))
    assert f"Status: agreed (since {TODAY}; before: under discussion)" in card
    timeline = _text(await _ask(env, "/timeline 1", user_id=OTHER))
    assert "(before: under discussion)" in timeline
    changes = _text(await _ask(env, "/changes", user_id=OTHER))
    assert "Dossier changes in the last 7 days" in changes and "agreed" in changes

    assert "Undone" in await _undo(env)
    assert _status(env, 1) == "under_discussion"
    assert "since" not in _text(await _ask(env, "/proposal 1", user_id=OTHER)).split("\n")[1]
    assert "no change to undo" in _text(await _ask(env, "/undo"))
    with env.db.session() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["curate.status", "curate.undo"]


async def test_two_word_status_and_cancel(bot_env: BotEnv) -> None:
    env = bot_env
    [preview] = await _ask(env, "/setstatus 4 under discussion")
    callback_id, [cancelled] = await _press(env, preview, "cu:n:")
    assert "Cancelled" in cancelled.plain_text and _status(env, 4) == "agreed"
    # the same preview cannot be confirmed after Cancel
    data = _buttons(preview)[0]
    callback_id, sent = await env.press(ADMIN_ID, preview.message_id, data, user_id=ADMIN_ID)
    assert "expired" in (env.answer_text(callback_id) or "") and sent == []
    assert "Done" in await _confirm(env, "/setstatus 4 under-discussion")
    assert _status(env, 4) == "under_discussion"


async def test_position_by_arguments_and_undo(bot_env: BotEnv) -> None:
    env = bot_env
    done = await _confirm(
        env, "/position russia opposes 3 Rejects any Western troops. https://e.org/r"
    )
    assert "Russia" in done and "opposes" in done
    with env.db.session() as s:
        actor = s.scalars(select(Actor).where(Actor.slug == "russia")).one()
        pos = s.scalars(
            select(Position).where(Position.actor_id == actor.id, Position.proposal_id == 3)
        ).one()
        assert (pos.stance, pos.note, pos.source_url) == (
            "opposes",
            "Rejects any Western troops.",
            "https://e.org/r",
        )
        before = s.scalars(select(Position)).all().__len__()
    assert "Rejects any Western troops." in _text(await _ask(env, "/timeline", user_id=OTHER))
    assert "Undone" in await _undo(env)
    with env.db.session() as s:
        assert (
            len(s.scalars(select(Position)).all()) == before - 1
            or s.scalars(
                select(Position).where(Position.note == "Rejects any Western troops.")
            ).first()
            is None
        )


async def test_position_picker_conversation_and_cancel(bot_env: BotEnv) -> None:
    env = bot_env
    [actors] = await _ask(env, "/position")
    assert "Whose position?" in actors.plain_text
    _id, [stances] = await _press(env, actors, "cq:a:")  # the first actor on the page
    assert "which stance?" in stances.plain_text
    _id, [proposals] = await _press(env, stances, "cq:s:supports")
    _id, [prompt] = await _press(env, proposals, "cq:p:6")
    assert "Send the position" in prompt.plain_text
    [preview] = await _ask(env, "Backs NATO taking part in the mechanism.")
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "supports" in done.plain_text
    with env.db.session() as s:
        assert s.scalars(select(Position).where(Position.proposal_id == 6, Position.note == "Backs NATO taking part in the mechanism.")).one().stance == "supports"  # fmt: skip

    [actors] = await _ask(env, "/position")
    assert "Stopped" in _text(await _ask(env, "/cancel"))
    # after /cancel, text is no longer taken as a position (it is a search)
    reply = _text(await _ask(env, "Backs something else entirely here."))
    assert "Apply this change?" not in reply


async def test_newproposal_newactor_and_undo(bot_env: BotEnv) -> None:
    env = bot_env
    assert "New proposal" in await _confirm(
        env, "/newproposal Joint air policing <over> western Ukraine"
    )
    with env.db.session() as s:
        p = s.scalars(select(Proposal).where(Proposal.title.like("Joint air policing%"))).one()
        assert (p.status, p.slug) == ("proposed", "joint-air-policing-over-western-ukraine")
    listing = _text(await _ask(env, "/proposals", user_id=OTHER))
    assert "Joint air policing <over> western Ukraine" in listing
    assert "already in the dossier" in _text(
        await _ask(env, "/newproposal joint air policing <over> western ukraine")
    )
    assert "Undone" in await _undo(env)
    with env.db.session() as s:
        assert s.get(Proposal, p.id) is None

    done = await _confirm(env, "/newactor Alexander Stubb person Finland")
    assert "New actor" in done and "Alexander Stubb" in done
    card = _text(await _ask(env, "/actor stubb", user_id=OTHER))
    assert "Alexander Stubb" in card and "Finland" in card
    assert "already in the dossier" in _text(await _ask(env, "/newactor Giorgia Meloni"))
    assert "Undone" in await _undo(env)
    with env.db.session() as s:
        assert s.scalars(select(Actor).where(Actor.name == "Alexander Stubb")).first() is None


async def test_editproposal_conversation_and_undo(bot_env: BotEnv) -> None:
    env = bot_env
    [menu] = await _ask(env, "/editproposal 2")
    assert "Which part?" in menu.plain_text
    _id, [prompt] = await _press(env, menu, "cf:commitments")
    assert "one item per line" in prompt.plain_text
    [preview] = await _ask(env, "Air policing from Poland\nNo ground troops")
    assert "Before:" in preview.plain_text and "• Air policing from Poland" in preview.plain_text
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "commitments changed" in done.plain_text
    with env.db.session() as s:
        assert s.get(Proposal, 2).commitments == ["Air policing from Poland", "No ground troops"]
    card = _text(await _ask(env, "/proposal 2", user_id=OTHER))
    assert "• No ground troops" in card

    [menu] = await _ask(env, "/editproposal 2")
    _id, [prompt] = await _press(env, menu, "cf:title")
    assert "Stopped" in _text(await _ask(env, "/cancel"))
    assert "Undone" in await _undo(env)
    with env.db.session() as s:
        assert "No ground troops" not in s.get(Proposal, 2).commitments


async def test_fact_numbers_editfact_retract_and_undo(bot_env: BotEnv) -> None:
    env = bot_env
    with env.db.session() as s:
        fact = s.scalars(
            select(Fact).where(Fact.proposal_id == 1, Fact.status == "approved").order_by(Fact.id)
        ).first()
        fact_id, original = fact.id, fact.text
    assert f"#{fact_id}" in _text(await _ask(env, "/proposal 1"))
    assert f"#{fact_id}" not in _text(await _ask(env, "/proposal 1", user_id=OTHER))

    corrected = "Corrected: allies would decide within 24 hours whether to support Ukraine."
    assert "corrected" in await _confirm(env, f"/editfact {fact_id} {corrected}")
    [prompt] = await _ask(env, f"/editfact #{fact_id}")
    assert corrected in prompt.plain_text
    assert "too short" in _text(await _ask(env, "short"))
    [preview] = await _ask(env, corrected + " Again.")
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "Undone" in await _undo(env)
    with env.db.session() as s:
        assert s.get(Fact, fact_id).text == corrected

    done = await _confirm(env, f"/retract {fact_id} The source withdrew the report.")
    assert "retracted" in done
    for command in ("/proposal 1", "/timeline", f"/search {corrected.split()[-1]}"):
        assert corrected not in _text(await _ask(env, command, user_id=OTHER))
    with env.db.session() as s:
        exported = export_knowledge(s)
        audit = [
            a.detail
            for a in s.scalars(select(AuditLog).where(AuditLog.action == "curate.retraction"))
        ]
    [row] = [f for p in exported["proposals"] for f in p["facts"] if f["id"] == fact_id]
    assert row["status"] == "retracted" and "withdrew" in audit[0]
    assert "not an approved one" in _text(await _ask(env, f"/retract {fact_id} again please"))
    assert "Undone" in await _undo(env)
    assert corrected in _text(await _ask(env, "/proposal 1", user_id=OTHER))
    assert "Undone" in await _undo(env)  # the inline edit
    with env.db.session() as s:
        assert s.get(Fact, fact_id).text == original


async def test_undo_reverts_a_review_approval(bot_env: BotEnv) -> None:
    env = bot_env
    seeded = seed_pending(env.db)
    [card] = await _ask(env, "/review")
    _id, _sent = await _press(env, card, "rv:a:")
    with env.db.session() as s:
        assert s.get(Fact, seeded.fact_ids[0]).status == "approved"
    [preview] = await _ask(env, "/undo")
    assert "Fact" in preview.plain_text and "added" in preview.plain_text
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "Undone" in done.plain_text
    with env.db.session() as s:
        fact = s.get(Fact, seeded.fact_ids[0])
        assert (fact.status, fact.approval_seq, fact.reviewed_by) == ("pending", None, None)


async def test_undo_refuses_when_someone_changed_it_since(bot_env: BotEnv) -> None:
    env = bot_env
    await _confirm(env, "/setstatus 2 agreed")
    [preview] = await _ask(env, "/undo")
    with env.db.session() as s:  # another admin moved it on between preview and Confirm
        s.get(Proposal, 2).status = "rejected"
    _id, [done] = await _press(env, preview, "cu:y:")
    assert "changed since" in done.plain_text and _status(env, 2) == "rejected"
    assert "changed since" in _text(await _ask(env, "/undo"))  # and the preview says so


ADMIN_COMMANDS = [
    "/setstatus 1 agreed",
    "/position russia opposes 3 Rejects the whole idea.",
    "/position",
    "/newproposal Something new",
    "/editproposal 1",
    "/newactor Someone New",
    "/editfact 1 A corrected text of the fact here.",
    "/editfact 1",
    "/retract 1 wrong source",
    "/undo",
]


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
async def test_non_admins_are_refused(bot_env: BotEnv, command: str) -> None:
    before = db_snapshot(bot_env.db)
    reply = _text(await _ask(bot_env, command, user_id=OTHER))
    assert "only the bot's admins" in reply
    assert db_snapshot(bot_env.db) == before
    # and a non-admin cannot press an admin's Confirm button
    [preview] = await _ask(bot_env, "/setstatus 1 agreed")
    data = _buttons(preview)[0]
    callback_id, sent = await bot_env.press(ADMIN_ID, preview.message_id, data, user_id=OTHER)
    assert "only the bot's admins" in (bot_env.answer_text(callback_id) or "") and sent == []
    assert _status(bot_env, 1) == "under_discussion"


BAD_INPUT = [
    ("/setstatus", "Send /setstatus PROPOSAL STATUS"),
    ("/setstatus 1 maybe", "“maybe” is not a status"),
    ("/setstatus 1 agreed ftp://example.org/x", "not a usable link"),
    ("/setstatus nosuchthingatall agreed", "No proposal matches"),
    ("/setstatus 1 under discussion", "It already is so"),
    ("/position meloni loves 1 A sentence here.", "“loves” is not a stance"),
    ("/position meloni supports", "Send /position ACTOR STANCE"),
    ("/position qqqqqqqq supports 1 A sentence here.", "No actor matches"),
    ("/newproposal", "Send /newproposal TITLE"),
    ("/newproposal ab", "That is too short"),
    ("/editproposal", "Send /editproposal PROPOSAL"),
    ("/newactor", "Send /newactor NAME"),
    ("/editfact", "Send /editfact NUMBER"),
    ("/editfact abc", "“abc” is not a fact number"),
    ("/editfact 999999", "not an approved one"),
    ("/retract 1", "Send /retract NUMBER REASON"),
    ("/retract x reason here", "“x” is not a fact number"),
    ("/retract 999999 a reason", "no longer exists"),
    ("/undo", "You have no change to undo"),
    ("/changes abc", "Send /changes [DAYS]"),
]


@pytest.mark.parametrize(("command", "expected"), BAD_INPUT)
async def test_bad_input_is_answered(bot_env: BotEnv, command: str, expected: str) -> None:
    before = db_snapshot(bot_env.db)
    assert expected in _text(await _ask(bot_env, command))
    assert db_snapshot(bot_env.db) == before


async def test_conversation_times_out(settings, db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    monkeypatch.setattr("handlers.curation.dialogs.CONVERSATION_SECONDS", 0.5)
    async with running_bot(settings, db, jobs=True) as env:
        [menu] = await _ask(env, "/editproposal 1")
        await asyncio.sleep(1.0)
        timed_out = [
            m for m in env.fake.messages if m.chat_id == ADMIN_ID and "No answer" in m.plain_text
        ]
        assert timed_out
        _id, sent = await _press(env, menu, "cf:title")
        assert sent == []  # the conversation is over: the button is out of date
    assert_nothing_rejected(env.fake)
    with db.session() as s:
        assert s.scalars(select(DossierChange)).first() is None


async def test_readme_example_is_true(bot_env: BotEnv) -> None:
    env = bot_env
    line = (
        "🔄 Bilateral security agreements with Ukraine (e.g. Italy–Ukraine, 2024): "
        "implemented (before: agreed) (source)"
    )
    [preview] = await _ask(env, "/setstatus 4 implemented https://example.org/accord")
    assert preview.plain_text == "Apply this change?\n" + line
    _id, [done] = await _press(env, preview, "cu:y:")
    assert done.plain_text == f"✅ Done.\n{line}\n/undo reverts it."
    card = _text(await _ask(env, "/proposal 4"))
    assert card.split("\n")[:2] == [
        "4. Bilateral security agreements with Ukraine (e.g. Italy–Ukraine, 2024)",
        f"Status: implemented (since {TODAY}; before: agreed)",  # no slug (issue 9 §4)
    ]


async def test_editfact_in_a_group_asks_with_force_reply(bot_env: BotEnv) -> None:
    env, group = bot_env, -100777
    env.fake.register_chat(group, "supergroup")
    with env.db.session() as s:
        fact_id = s.scalars(select(Fact.id).where(Fact.status == "approved")).first()
    [prompt] = await env.ask(
        group, f"/editfact {fact_id}", user_id=ADMIN_ID, chat_type="supergroup"
    )
    assert (prompt.reply_markup or {}).get("force_reply") is True
    [preview] = await env.ask(
        group,
        "A corrected sentence for this fact, sent as a reply.",
        user_id=ADMIN_ID,
        chat_type="supergroup",
        reply_to_message_id=prompt.message_id,
    )
    assert "Apply this change?" in preview.plain_text
    # another member's reply is not taken as the admin's text
    reply = await env.ask(group, "/editfact 1", user_id=OTHER, chat_type="supergroup")
    assert "only the bot's admins" in reply[0].plain_text
