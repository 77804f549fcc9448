"""Background training of the linking model at start, when the database holds none yet.

Training runs in a worker thread (bot/services/knowledge/training.py: bounded, one run at a
time); the bot answers meanwhile. Retraining after curators' corrections is scheduled by the
correction buttons (handlers/linking.py)."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application

from bot.deps import BotContext
from bot.services.knowledge import training

log = logging.getLogger(__name__)

START_DELAY = 5.0  # seconds after start: let the bot answer its first updates first


async def _start_job(context: BotContext) -> None:
    deps = context.deps
    try:
        await asyncio.to_thread(
            training.train_from_settings,
            deps.db,
            deps.settings.linking_labels,
            only_if_missing=True,
        )
    except Exception:
        log.exception("training the linking model failed; linking uses the rules alone")


def register(app: Application) -> None:
    """JOB_REGISTRARS entry: train at start when no model is stored yet."""
    assert app.job_queue is not None
    app.job_queue.run_once(_start_job, when=START_DELAY, name="linking-train-at-start")
