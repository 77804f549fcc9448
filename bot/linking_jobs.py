"""Background training of the linking model: once at start when none is stored, and a
minute after curators' corrections (several corrections in that minute make one run).

Training runs in a worker thread (scikit-learn releases the GIL in its solvers; the event
loop keeps answering), one run at a time, bounded by training.MAX_DOCUMENTS."""

from __future__ import annotations

import asyncio
import logging
import threading
import warnings

from telegram.ext import Application

from bot.deps import BotContext, Deps
from bot.services.knowledge import training

log = logging.getLogger(__name__)

START_DELAY = 5.0  # seconds after start: let the bot answer its first updates first
RETRAIN_DELAY = 60.0  # seconds after a correction: corrections come in bursts
JOB_NAME = "linking-retrain"
_TRAINING = threading.Lock()


async def train_now(deps: Deps, *, only_if_missing: bool = False) -> training.TrainingRun | None:
    try:
        return await asyncio.to_thread(_train, deps, only_if_missing)
    except Exception:
        log.exception("training the linking model failed; the previous model stays")
        return None


def _train(deps: Deps, only_if_missing: bool) -> training.TrainingRun | None:
    with _TRAINING:  # one run at a time, in this worker thread
        if only_if_missing and training.MODELS.current(deps.db) is not None:
            return None
        path = training.labels_path(deps.settings.linking_labels)
        return training.retrain(deps.db, training.file_documents(path))


async def _start_job(context: BotContext) -> None:
    await train_now(context.deps, only_if_missing=True)


async def _retrain_job(context: BotContext) -> None:
    await train_now(context.deps)


def schedule_retrain(app: Application) -> None:
    """Retrain a minute from now, unless a run is already scheduled (or the application
    runs without jobs, as the local console and some tests do)."""
    with warnings.catch_warnings():  # PTB warns on reading a job queue it was built without
        warnings.simplefilter("ignore")
        queue = app.job_queue
    if queue is None or queue.get_jobs_by_name(JOB_NAME):
        return
    queue.run_once(_retrain_job, when=RETRAIN_DELAY, name=JOB_NAME)


def register(app: Application) -> None:
    """JOB_REGISTRARS entry: train at start when no model is stored yet."""
    assert app.job_queue is not None
    app.job_queue.run_once(_start_job, when=START_DELAY, name="linking-train-at-start")
