"""Admin commands through the real handlers (in-process console): refusals, /addfact, /review."""

from __future__ import annotations

import pytest

from storage.models import Fact
from tests.conftest import ADMIN_ID
from tests.review_data import (
    ARTICLE_URL,
    CANDIDATE,
    FACT_TEXTS,
    admin_audit,
    db_snapshot,
    seed_pending,
)

REFUSAL = "only the bot's admins"
ADMIN_COMMANDS = [
    "/review",
    "/addfact 1 Poland offered to host a logistics hub.",
    "/stats",
]


@pytest.mark.parametrize("line", ADMIN_COMMANDS)
async def test_non_admins_are_refused_and_nothing_changes(console, db, line: str) -> None:
    seed_pending(db)
    before = db_snapshot(db)
    console.user_id = 777
    assert REFUSAL in await console.send_line(line)
    assert db_snapshot(db) == before


async def test_non_admin_pressing_a_review_button_is_refused(console, db) -> None:
    seed_pending(db)
    console.user_id = ADMIN_ID
    await console.send_line("/review")
    before = db_snapshot(db)
    console.user_id = 777
    answer = await console.send_line(":1")  # ✅ approve
    assert REFUSAL in answer
    assert db_snapshot(db) == before


async def test_addfact_adds_and_shows_in_proposal(console, db) -> None:
    console.user_id = ADMIN_ID
    answer = await console.send_line(
        "/addfact 1 Poland offered to host a logistics hub. https://ex.org/a"
    )
    assert "Added fact #" in answer and "Poland offered" in answer
    assert "Poland offered to host a logistics hub." in await console.send_line("/proposal 1")
    assert "already in the dossier" in await console.send_line(
        "/addfact art5 Poland offered to host a logistics hub."
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/addfact", "Send /addfact PROPOSAL TEXT"),
        ("/addfact 1 too short", "too short"),
        ("/addfact nosuchthing A fact that is long enough.", "No proposal matches"),
        ("/addfact 1 A fact that is long enough. ftp://ex.org/x", "not a usable link"),
        ("/addfact 1 A fact that is long enough. javascript:alert(1)", "not a usable link"),
    ],
)
async def test_addfact_validation(console, db, line: str, expected: str) -> None:
    console.user_id = ADMIN_ID
    before = db_snapshot(db)
    assert expected in await console.send_line(line)
    assert db_snapshot(db) == before


async def test_addfact_html_is_escaped(console, db) -> None:
    console.user_id = ADMIN_ID
    await console.send_line("/addfact 1 <b>Bold</b> & <script>alert(1)</script> claims")
    sent = console.request.sent[-1].text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sent and "<script>" not in sent
    with db.session() as s:
        assert s.query(Fact).filter(Fact.text.like("%<script>%")).count() == 1
    await console.send_line("/proposal 1")
    shown = "\n".join(m.text for m in console.request.sent[-3:])
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in shown


async def test_review_approve_then_reject_then_actor(console, db) -> None:
    seeded = seed_pending(db)
    console.user_id = ADMIN_ID
    card = await console.send_line("/review")
    assert FACT_TEXTS[0] in card and "3 items waiting" in card and "(News Example)" in card
    html = console.request.sent[-1].text
    assert f'<a href="{ARTICLE_URL}">Warsaw &lt;offers&gt; a logistics hub &amp; more</a>' in html
    after = await console.send_line(":1")  # ✅ on the first fact
    assert "[Approved.]" in after and "(updated)" in after and "✅ Approved." in after
    assert FACT_TEXTS[1] in after  # the next card
    after = await console.send_line(":2")  # ❌ on the second fact
    assert "❌ Rejected." in after and CANDIDATE in after
    after = await console.send_line(":1")  # ✅ the candidate actor
    assert "Added to the dossier as actor" in after and "Nothing left to review" in after
    assert FACT_TEXTS[0] in await console.send_line("/proposal 1")
    assert "Sikorski" in await console.send_line("/actor sikorski")
    with db.session() as s:
        assert [e.action for e in admin_audit(s)] == [
            "review.approve_fact",
            "review.reject_fact",
            "review.approve_actor",
        ]
        assert s.get(Fact, seeded.fact_ids[1]).status == "rejected"


async def test_double_press_answers_already_reviewed(console, db) -> None:
    seed_pending(db)
    console.user_id = ADMIN_ID
    await console.send_line("/review")
    stale = console.buttons[:]
    await console.send_line(":1")
    console.buttons = stale  # press ❌ on the card that was already approved
    before = db_snapshot(db)
    assert "[Already reviewed — nothing changed.]" in await console.send_line(":2")
    assert db_snapshot(db) == before


async def test_review_edit_then_cancel(console, db) -> None:
    seeded = seed_pending(db)
    console.user_id = ADMIN_ID
    await console.send_line("/review")
    prompt = await console.send_line(":3")  # ✏️
    assert "Send the corrected text of fact" in prompt and FACT_TEXTS[0] in prompt
    assert "at least" not in prompt
    assert "must be 10–1500 characters" in await console.send_line("short")
    answer = await console.send_line("Poland will host the logistics hub in Rzeszow.")
    assert "✅ Approved." in answer and FACT_TEXTS[1] in answer
    with db.session() as s:
        fact = s.get(Fact, seeded.fact_ids[0])
        assert (fact.status, fact.text) == (
            "approved",
            "Poland will host the logistics hub in Rzeszow.",
        )
    # the next plain message is a search again, not an edit
    assert "search" in (await console.send_line("Rzeszow")).lower()
    await console.send_line("/review")
    await console.send_line(":3")
    assert "Edit cancelled" in await console.send_line("/cancel")
    assert "Nothing to cancel" in await console.send_line("/cancel")
    with db.session() as s:
        assert s.get(Fact, seeded.fact_ids[1]).status == "pending"


async def test_review_when_queue_is_empty(console) -> None:
    console.user_id = ADMIN_ID
    assert "Nothing left to review" in await console.send_line("/review")


async def test_stats_for_admin(console, db) -> None:
    seed_pending(db)
    console.user_id = ADMIN_ID
    text = await console.send_line("/stats")
    assert "Proposals: 6" in text and "Waiting for /review: 3" in text
