"""A named PostgreSQL advisory lock held on its own connection: leadership among processes.

`pg_try_advisory_lock` is session-level: the lock lives as long as the connection, and the
server frees it when the holding process dies (its socket closes). The connection is kept
apart from the pool and pinged now and then, so a lock lost with a broken connection is
noticed. On SQLite there is one bot process (bot/single_process.py), which always holds it.
All methods block: call them from a worker thread.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class AdvisoryLock:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine, self.name, self.key = engine, name, lock_key(name)
        self.shared = engine.dialect.name == "postgresql"
        self._conn: Connection | None = None
        self.held = not self.shared

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process holds it (now or already)."""
        if not self.shared or self.held:
            return self.check()
        try:
            if self._conn is None:
                self._conn = self.engine.connect()
            got = bool(
                self._conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}
                ).scalar()
            )
            self._conn.commit()  # no transaction left open on the lock's connection
        except Exception as exc:
            log.warning("advisory lock %s: %s", self.name, str(exc).splitlines()[0])
            self._drop()
            return False
        self.held = got
        return got

    def check(self) -> bool:
        """Still held? A failing connection means the server may have freed the lock."""
        if not self.shared or not self.held:
            return self.held
        try:
            assert self._conn is not None
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except Exception as exc:
            log.warning("lost advisory lock %s: %s", self.name, str(exc).splitlines()[0])
            self._drop()
        return self.held

    def release(self) -> None:
        if self.shared and self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._conn.commit()
            except Exception:  # the connection is going away anyway
                pass
        self._drop()

    def _drop(self) -> None:
        self.held = not self.shared
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # never back into the pool: it may still hold the lock
                conn.close()
            except Exception:
                pass
