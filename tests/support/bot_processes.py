"""`briefbot run` as child processes against the fake Bot API (multi-process and lock tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:" + "A" * 35


def bot_env(database_url: str, base_url: str, **extra: str) -> dict[str, str]:
    """A clean environment: no developer .env values leak in (cwd is a temporary folder)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


def start_bot(env: dict[str, str], cwd: Path, log_file: Path) -> subprocess.Popen[bytes]:
    """`python -m bot.cli run` with its output in `log_file`."""
    out = log_file.open("wb")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    finally:
        out.close()  # the child has its own copy


def stop_bots(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process still running, then wait 20 s each before a kill."""
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
