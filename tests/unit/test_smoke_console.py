"""The console answers the Done-when commands from the seed dossier."""

from __future__ import annotations


async def test_proposals_lists_seed_dossier(console) -> None:
    text = await console.send_line("/proposals")
    assert "Article-5-like" in text
    assert "1." in text


async def test_compare_one_two(console) -> None:
    text = await console.send_line("/compare 1 2")
    assert "Side by side" in text
    assert "① " in text and "② " in text
    assert "Who backs it" in text


async def test_actor_meloni(console) -> None:
    text = await console.send_line("/actor meloni")
    assert "Giorgia Meloni" in text
    assert "proposes" in text
