"""kill -9 in the middle of a 1,000-subscriber fan-out, restart: nobody misses the digest,
and at most the messages in flight (max_in_flight = 5) are sent twice.

Two kill points: while the digests are being queued (after the first batches committed) and
while they are being sent (after a random number of messages reached the fake Bot API)."""

from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path

import pytest

from tests.support.crash_run import MAX_IN_FLIGHT, kill_and_restart
from tests.support.fake_telegram import FakeTelegram, RateLimits
from tests.support.fanout_setup import prepare_fanout

SUBSCRIBERS = 1000


@pytest.mark.parametrize("phase", ["queuing", "sending"])
def test_kill_9_mid_fanout_then_restart(tmp_path: Path, phase: str) -> None:
    database_url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    chats = prepare_fanout(database_url, SUBSCRIBERS)
    seed = int(os.environ.get("CRASH_SEED", random.randrange(10**6)))
    point = random.Random(seed).randint(1, SUBSCRIBERS - 50)
    with FakeTelegram(limits=RateLimits(scale=50)) as fake:
        at_kill, second, out, err = kill_and_restart(database_url, fake, phase, point)
        assert second.returncode == 0, err[-2000:]
        received = Counter(m.chat_id for m in fake.messages)
    missing = [c for c in chats if received[c] == 0]
    duplicates = sum(n - 1 for n in received.values())
    context = f"seed={seed} killed after {at_kill} messages; restart said {out.strip()}"
    print(f"crash test ({phase}): {context}; duplicates={duplicates}")
    assert at_kill < SUBSCRIBERS, context  # the kill really was before the end
    assert missing == [], context
    assert duplicates <= MAX_IN_FLIGHT, context
    assert fake.too_many_requests == 0, context
