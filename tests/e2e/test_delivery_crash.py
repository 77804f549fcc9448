"""kill -9 in the middle of a 1,000-subscriber fan-out, restart: nobody misses the digest,
and at most the messages in flight (max_in_flight = 5) are sent twice.

Two kill points: while the digests are being queued (after the first batches committed) and
while they are being sent (after a random number of messages reached the fake Bot API)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import Digest
from tests.support.fake_telegram import FakeTelegram, RateLimits
from tests.support.fanout_setup import prepare_fanout

SUBSCRIBERS = 1000
MAX_IN_FLIGHT = 5
ROOT = Path(__file__).resolve().parents[2]


def _start(database_url: str, fake: FakeTelegram) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.delivery_process", "--database-url", database_url,
         "--base-url", fake.base_url, "--scale", "50", "--max-in-flight", str(MAX_IN_FLIGHT)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_for_digests(database_url: str, count: int, process: subprocess.Popen[str]) -> None:
    db = Database(database_url)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with db.session() as session:
                if (session.scalar(select(func.count(Digest.id))) or 0) >= count:
                    return
            time.sleep(0.002)
        raise TimeoutError(f"fewer than {count} digests were queued")
    finally:
        db.dispose()


@pytest.mark.parametrize("phase", ["queuing", "sending"])
def test_kill_9_mid_fanout_then_restart(tmp_path: Path, phase: str) -> None:
    database_url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    chats = prepare_fanout(database_url, SUBSCRIBERS)
    seed = int(os.environ.get("CRASH_SEED", random.randrange(10**6)))
    point = random.Random(seed).randint(1, SUBSCRIBERS - 50)
    with FakeTelegram(limits=RateLimits(scale=50)) as fake:
        first = _start(database_url, fake)
        try:
            if phase == "queuing":
                _wait_for_digests(database_url, point, first)
            else:
                fake.wait_for_messages_sync(point, timeout=30)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        at_kill = len(fake.messages)
        second = _start(database_url, fake)
        out, err = second.communicate(timeout=45)
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
