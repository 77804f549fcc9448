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


def test_console_shows_link_addresses() -> None:
    from bot.console import render_plain

    shown = render_plain(
        '<b>Title</b>: <a href="https://example.org/a?x=1&amp;y=2">story</a> &amp; more'
    )
    assert shown == "Title: story <https://example.org/a?x=1&y=2> & more"
