"""SQLite serves one bot process: an OS file lock next to the database file says who it is.

The lock (`flock` on `<database>.lock`) is held for the life of `briefbot run` and released by
the kernel when the process ends, however it ends (kill -9 included), so a stale lock file never
blocks a restart. PostgreSQL needs no such lock: several processes share its work.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):
    """Another process holds the lock; the message is one line for the operator."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def hold_sqlite_lock(database: Path) -> IO[str]:
    """Take the lock or raise AlreadyRunning; keep the returned file open to keep the lock."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise AlreadyRunning(
            f"another `briefbot run` (pid {holder}) is using {database}; SQLite serves one "
            "bot process: stop that one, or use PostgreSQL (DATABASE_URL) to run several"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
