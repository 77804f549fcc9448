"""The kill -9 run shared by the crash tests: start the delivery process against the fake Bot
API, kill it at a point (while digests are queued, or while they are sent), restart it and let
it finish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from storage.db import Database
from storage.models import Digest
from tests.support.fake_telegram import FakeTelegram

MAX_IN_FLIGHT = 5
ROOT = Path(__file__).resolve().parents[2]


def start_delivery(database_url: str, fake: FakeTelegram) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.delivery_process", "--database-url", database_url,
         "--base-url", fake.base_url, "--scale", "50", "--max-in-flight", str(MAX_IN_FLIGHT)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for_digests(database_url: str, count: int, process: subprocess.Popen[str]) -> None:
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


def kill_and_restart(
    database_url: str, fake: FakeTelegram, phase: str, point: int
) -> tuple[int, subprocess.Popen[str], str, str]:
    """Kill -9 the delivery process once `point` digests are queued ("queuing") or `point`
    messages were sent ("sending"), then run a second one to the end. Returns the number of
    messages sent at the kill, the finished restart, and its stdout and stderr."""
    first = start_delivery(database_url, fake)
    try:
        if phase == "queuing":
            wait_for_digests(database_url, point, first)
        else:
            fake.wait_for_messages_sync(point, timeout=30)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = len(fake.messages)
    second = start_delivery(database_url, fake)
    out, err = second.communicate(timeout=45)
    return at_kill, second, out, err
