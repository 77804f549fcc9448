"""bot.deps.Expiring: the one expiring map behind /review's pending edits, curators' previews
and the getChatMember cache."""

from __future__ import annotations

import pytest

from bot import deps
from bot.deps import Expiring, PendingEdits, Previews
from bot.services.curation.requests import Undo


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(deps.time, "monotonic", fake)
    return fake


def test_values_expire_after_the_ttl(clock: Clock) -> None:
    store: Expiring[str, int] = Expiring(ttl_seconds=10)
    store.put("a", 1)
    clock.now += 10
    assert store.get("a") == 1
    clock.now += 0.5
    assert store.get("a") is None
    assert len(store) == 0


def test_pop_forgets_the_key(clock: Clock) -> None:
    store: Expiring[str, int] = Expiring(ttl_seconds=10)
    store.put("a", 1)
    assert store.pop("a") == 1
    assert store.pop("a") is None


def test_past_max_size_expired_then_oldest_go(clock: Clock) -> None:
    store: Expiring[int, int] = Expiring(ttl_seconds=10, max_size=3)
    store.put(1, 1)
    clock.now += 11
    store.put(2, 2)
    store.put(3, 3)
    store.put(4, 4)  # 1 has expired: it goes, the rest stay
    assert [store.get(k) for k in (1, 2, 3, 4)] == [None, 2, 3, 4]
    store.put(5, 5)  # nothing expired: the oldest goes
    assert [store.get(k) for k in (2, 3, 4, 5)] == [None, 3, 4, 5]


def test_pending_edit_is_per_chat_and_user(clock: Clock) -> None:
    edits = PendingEdits(ttl_seconds=60)
    edits.start(1, 7, "fact", 12)
    assert edits.get((2, 7)) is None
    pending = edits.get((1, 7))
    assert pending is not None and (pending.kind, pending.item_id) == ("fact", 12)
    clock.now += 61
    assert edits.pop((1, 7)) is None


def test_a_preview_is_popped_only_by_its_user(clock: Clock) -> None:
    previews = Previews(ttl_seconds=60)
    token = previews.add(7, Undo(3))
    assert previews.take(token, 8) is None  # someone else's press changes nothing
    pending = previews.take(token, 7)
    assert pending is not None and pending.user_id == 7
    assert previews.take(token, 7) is None
    stale = previews.add(7, Undo(3))
    clock.now += 61
    assert previews.take(stale, 7) is None
