"""What users see: display names only, no internal slugs, buttons as a numbered list."""

from __future__ import annotations

import re

from bot.console import BUTTONS_HEADER


async def test_also_known_as_shows_display_names_only(console) -> None:  # type: ignore[no-untyped-def]
    text = await console.send_line("/actor zelensky")
    [aka] = [line for line in text.splitlines() if line.startswith("Also known as:")]
    assert "Зеленський" in aka and "Зеленский" in aka
    for form in ("Зеленського", "Зеленським", "Зеленского", "Зеленским"):
        assert form not in aka  # inflected forms are matched, never shown
    assert "Volodymyr Zelensky," not in aka + ","  # the name itself is not repeated
    trump = await console.send_line("/actor trump")
    assert "Трампа" not in trump and "Трамп" in trump


async def test_inflected_forms_still_find_the_actor(console) -> None:  # type: ignore[no-untyped-def]
    assert "Volodymyr Zelensky" in await console.send_line("/actor Зеленського")
    assert "Italy" in await console.send_line("/actor Італії")


async def test_no_slug_reaches_the_user(console) -> None:  # type: ignore[no-untyped-def]
    text = await console.send_line("/proposal 1")
    without_links = re.sub(r"<https?://[^>]*>", "", text)
    assert "art5-like" not in without_links
    assert "Status: under discussion" in text


async def test_buttons_are_a_numbered_list_under_the_message(console) -> None:  # type: ignore[no-untyped-def]
    text = await console.send_line("/proposals")
    lines = text.splitlines()
    start = lines.index(BUTTONS_HEADER)
    buttons = lines[start + 1 :]
    assert [b.split()[0] for b in buttons] == [f":{n}" for n in range(1, 7)]
    opened = await console.send_line(":2")
    assert "US air support without US ground troops" in opened.splitlines()[0]
    assert await console.send_line(":99") == "(no button with that number)"


async def test_timeline_of_the_main_proposal_has_dated_facts(console) -> None:  # type: ignore[no-untyped-def]
    text = await console.send_line("/timeline art5")
    assert "No dated facts" not in text
    assert "2024-02-24" in text


async def test_actor_putin_suggests_russia_not_the_uk(console) -> None:  # type: ignore[no-untyped-def]
    text = await console.send_line("/actor putin")
    assert "Russia" in text and "United Kingdom" not in text
