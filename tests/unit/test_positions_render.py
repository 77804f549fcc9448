"""Positions on actor and proposal cards: one renderer, bounded like every other block."""

from __future__ import annotations

from bot.i18n import get_translator
from bot.render.actors import actor_card
from bot.render.html import MAX_MESSAGE, visible_len
from bot.services.views import ActorView, Ref, StanceView


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
    block = next(b for b in actor_card(_, view) if "Positions" in b)
    assert block.startswith("<b>Positions</b>")
    assert "<b>Proposal number 1 &lt;with&gt; &amp; signs</b>" in block
    assert "Proposal number 31 " not in block and "… and 170 more" in block
    assert visible_len(block) <= MAX_MESSAGE
