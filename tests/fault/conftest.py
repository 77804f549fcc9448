"""Fault-test harness: the real Application over the fake Bot API, optionally with jobs
(tests/support/bot_harness.py; re-exported here for the fault tests)."""

from tests.support.bot_harness import BotEnv, console_for, running_bot  # noqa: F401
