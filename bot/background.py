"""A worker thread for bulk background work that must not slow a process's sends.

A process standing by (another one leads and sends, bot/services/leadership.py) still queues
its share of a fan-out: rendering and writing thousands of digests is a few seconds of CPU
per process, while the leader's sends wait on round trips that need the CPU for a moment
each time. On a busy machine the queuing processes took it from the leader: its sends slowed
from ~10 ms to 100-200 ms while they queued (tests/e2e/test_many_processes.py). This thread
runs at a lower scheduling priority (Linux: nice +10 for this thread only, see
setpriority(2)), so the queuing takes the CPU the sending leaves, not the other way round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
NICENESS = 10  # added to the thread's nice value; 0..19, higher is lower priority

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _lower_priority() -> None:
    if sys.platform != "linux":  # elsewhere the nice value belongs to the whole process
        return
    with contextlib.suppress(OSError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + NICENESS)


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="background", initializer=_lower_priority
            )
        return _executor


async def run_in_background(func: Callable[..., T], *args: object) -> T:
    """`asyncio.to_thread`, on the low-priority thread (one at a time, in submission order)."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), lambda: func(*args))
