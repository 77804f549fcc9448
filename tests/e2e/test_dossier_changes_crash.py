"""kill -9 during a fan-out of a "Dossier changes" digest (a status change made from chat),
restart: every subscriber gets the change, at most the messages in flight twice."""

from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path

import pytest

from bot.services.curation import apply as curation
from bot.services.curation.requests import SetStatus
from storage.db import Database
from tests.conftest import ADMIN_ID
from tests.support.crash_run import MAX_IN_FLIGHT, kill_and_restart
from tests.support.fake_telegram import FakeTelegram, RateLimits
from tests.support.fanout_setup import prepare_fanout

SUBSCRIBERS = 1000


def _change_status(database_url: str) -> None:
    db = Database(database_url)
    with db.session() as session:
        outcome = curation.apply(session, SetStatus(1, "agreed", "https://example.org/s"), ADMIN_ID)
    assert outcome.status == "done"
    db.dispose()


@pytest.mark.parametrize("phase", ["queuing", "sending"])
def test_kill_9_mid_dossier_change_fanout(tmp_path: Path, phase: str) -> None:
    database_url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    chats = prepare_fanout(database_url, SUBSCRIBERS)
    _change_status(database_url)
    seed = int(os.environ.get("CRASH_SEED", random.randrange(10**6)))
    point = random.Random(seed).randint(1, SUBSCRIBERS - 50)
    with FakeTelegram(limits=RateLimits(scale=50)) as fake:
        at_kill, second, out, err = kill_and_restart(database_url, fake, phase, point)
        assert second.returncode == 0, err[-2000:]
        announced = Counter(
            m.chat_id
            for m in fake.messages
            if "Dossier changes" in m.plain_text
            and "agreed (before: under discussion)" in m.plain_text
        )
    missing = [c for c in chats if announced[c] == 0]
    duplicates = sum(n - 1 for n in announced.values())
    context = f"seed={seed} killed after {at_kill} messages; restart said {out.strip()}"
    print(f"dossier change crash test ({phase}): {context}; duplicates={duplicates}")
    assert at_kill < SUBSCRIBERS, context
    assert missing == [], context
    assert duplicates <= MAX_IN_FLIGHT, context
