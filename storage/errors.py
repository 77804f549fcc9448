"""Name the database failures someone can act on: locked by another writer, or full.

SQLite says "database is locked" when busy_timeout runs out and "database or disk is full"
when the disk (or max_page_count) is exhausted; PostgreSQL has its own SQLSTATEs for lock
timeouts and full disks. Callers turn the kind into a short message instead of a traceback.
"""

from __future__ import annotations

from typing import Literal

DatabaseProblem = Literal["busy", "full"]

_BUSY = ("database is locked", "database is busy", "lock timeout", "could not obtain lock")
_FULL = ("database or disk is full", "disk is full", "no space left on device")
_PG_STATES = {"55P03": "busy", "40P01": "busy", "53100": "full"}  # lock n/a, deadlock, disk full


def database_problem(exc: BaseException | None) -> DatabaseProblem | None:
    """ "busy" or "full" when `exc` (or what it wraps) is one of those, else None."""
    seen = 0
    while exc is not None and seen < 5:  # SQLAlchemy wraps the driver's error in .orig
        state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
        if state in _PG_STATES:
            return _PG_STATES[state]  # type: ignore[return-value]
        text = str(exc).lower()
        if any(marker in text for marker in _BUSY):
            return "busy"
        if any(marker in text for marker in _FULL):
            return "full"
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return None
