"""Positions on actor and proposal cards: one renderer, bounded like every other block."""

from __future__ import annotations

from bot.i18n import get_translator
from bot.render.actors import actor_card
from bot.render.html import MAX_MESSAGE, pack, visible_len
from bot.render.proposals import proposal_card
from bot.services.views import ActorView, ProposalView, Ref, StanceView
from tests.support.fake_telegram import check_telegram_html


def test_actor_with_many_positions_keeps_a_formatted_bounded_block() -> None:
    """An actor behind hundreds of proposals (a large dossier) gets the first 30 stances and
    a count, like a proposal card, instead of a block so long it lost its markup."""
    _ = get_translator("en")
    positions = [
        StanceView(Ref(i, f"p{i}", f"Proposal number {i} <with> & signs"), "supports", "n " * 40)
        for i in range(1, 201)
    ]
    view = ActorView(
        Ref(1, "meloni", "Giorgia Meloni"), "person", "Italy", "", "", [], positions, []
    )
    text = "\n".join(actor_card(_, view))
    assert (
        "<b>Positions</b>\n✅ supports: <b>Proposal number 1 &lt;with&gt; &amp; signs</b>" in text
    )
    assert "Proposal number 31 " not in text and "… and 170 more" in text
    assert all(visible_len(b) <= MAX_MESSAGE for b in actor_card(_, view))


def test_thirty_long_stances_split_between_lines_and_keep_their_markup() -> None:
    """30 stances with 300-character notes are ~10,000 characters: the card goes out in
    several messages, each within the limit and still HTML (no block cut into plain text)."""
    _ = get_translator("en")
    positions = [
        StanceView(Ref(i, f"a{i}", f"Actor {i} & co"), "opposes", f"note {i} " + "x" * 300)
        for i in range(1, 31)
    ]
    view = ProposalView(
        Ref(7, "art5", "Art. 5-like guarantee"), "proposed", "", "", [], [], positions, [], 0
    )
    messages = pack(proposal_card(_, view))
    assert len(messages) >= 3
    for message in messages:
        assert visible_len(message) <= MAX_MESSAGE
        check_telegram_html(message)
    text = "\n".join(messages)
    assert "<b>Who stands where</b>\n❌ opposes: <b>Actor 1 &amp; co</b>" in text
    for i in range(1, 31):
        assert f"<b>Actor {i} &amp; co</b> — note {i} " in text
