"""The low-priority thread that processes standing by queue digests on (bot/background.py)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from bot.background import NICENESS, run_in_background


def _where() -> tuple[str, int, int]:
    tid = threading.get_native_id()
    return threading.current_thread().name, tid, os.getpriority(os.PRIO_PROCESS, tid)


async def test_work_runs_on_one_background_thread_in_order() -> None:
    seen: list[int] = []
    first = await run_in_background(_where)
    for n in range(3):
        await run_in_background(seen.append, n)
    assert seen == [0, 1, 2]
    assert first[0].startswith("background") and first[1] != threading.get_native_id()
    assert (await run_in_background(_where))[1] == first[1]  # the same thread each time


@pytest.mark.skipif(sys.platform != "linux", reason="a per-thread nice value is Linux's")
async def test_the_background_thread_yields_the_cpu_and_the_caller_keeps_its_priority() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    _name, _tid, background = await run_in_background(_where)
    assert background == min(19, mine + NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
