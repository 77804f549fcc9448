"""SQLite serves one bot process: a second `briefbot run` on the same file refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.single_process import AlreadyRunning, hold_sqlite_lock
from tests.support.bot_processes import ROOT, bot_env, start_bot
from tests.support.fake_telegram import FakeTelegram


def test_the_lock_is_exclusive_and_freed_with_its_holder(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    first = hold_sqlite_lock(database)
    with pytest.raises(AlreadyRunning, match=rf"pid {os.getpid()}\) is using {database}"):
        hold_sqlite_lock(database)
    first.close()
    hold_sqlite_lock(database).close()  # free again


def _wait_for(path: Path, text: str, process: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        log = path.read_text(errors="replace") if path.exists() else ""
        if text in log:
            return log
        time.sleep(0.05)
    raise TimeoutError(f"{text!r} not in the log: {path.read_text(errors='replace')[-2000:]}")


def test_second_run_on_the_same_sqlite_file_exits_2_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    with FakeTelegram() as fake:
        env = bot_env(f"sqlite:///{database}", fake.base_url)
        first = start_bot(env, tmp_path, tmp_path / "first.log")
        try:
            log = _wait_for(tmp_path / "first.log", "is up", first, timeout=60)
            second = subprocess.run(
                [sys.executable, "-m", "bot.cli", "run"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
        finally:
            first.terminate()
            first.wait(timeout=30)
    assert f"database: {database}" in log  # the absolute path, printed at start
    assert second.returncode == 2
    [line] = second.stderr.strip().splitlines()
    assert line == (
        f"briefbot: another `briefbot run` (pid {first.pid}) is using {database}; SQLite "
        "serves one bot process: stop that one, or use PostgreSQL (DATABASE_URL) to run several"
    )
