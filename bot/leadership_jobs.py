"""Leadership in a running bot: started with the jobs, getUpdates polling only while leading.

See bot/services/leadership.py for who leads and why.
"""

from __future__ import annotations

import contextlib

from bot.deps import BotApplication, BotContext


def is_leader(app: BotApplication) -> bool:
    """True unless another process leads (SQLite: always)."""
    return app.bot_data.deps.leadership.is_leader


def register(app: BotApplication) -> None:
    """A JOB_REGISTRARS entry: leadership from the first moment, polling only while leading."""
    leadership = app.bot_data.deps.leadership
    leadership.listeners.append(lambda leading: _poll_updates_while_leading(app, leading))
    assert app.job_queue is not None
    # never skipped: APScheduler drops a job more than a second late by default, and a busy
    # machine at start-up is exactly when that happens
    app.job_queue.run_once(
        _start, when=0, name="leadership-start", job_kwargs={"misfire_grace_time": None}
    )


async def _start(context: BotContext) -> None:
    app = context.application
    leadership = context.deps.leadership
    await _poll_updates_while_leading(app, leadership.is_leader)
    app.create_task(leadership.run(lambda: app.running), name="leadership")


async def _poll_updates_while_leading(app: BotApplication, leading: bool) -> None:
    """Long polling: only the leader calls getUpdates (Telegram answers 409 to a second one)."""
    updater = app.updater
    if updater is None or not app.bot_data.deps.long_polling:
        return
    if leading and not updater.running:
        await updater.start_polling(allowed_updates=None, drop_pending_updates=False)
    elif not leading and updater.running:
        with contextlib.suppress(RuntimeError):
            await updater.stop()
