"""/proposal and /actor when the item disappears between the lookup and the detail."""

from __future__ import annotations

import pytest

from bot.services import catalog


@pytest.mark.parametrize(
    ("line", "detail", "answer"),
    [
        ("/proposal 1", "proposal_detail", "That proposal no longer exists. See /proposals"),
        ("/actor meloni", "actor_detail", "That actor no longer exists. See /actors"),
    ],
)
async def test_item_removed_after_the_lookup_gets_a_plain_answer(
    console, monkeypatch: pytest.MonkeyPatch, line: str, detail: str, answer: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(catalog, detail, lambda session, item_id: None)
    assert answer in await console.send_line(line)
