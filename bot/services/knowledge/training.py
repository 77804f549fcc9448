"""Training the linking model from the bundled labels and the curators' corrections, storing
it in the database, and handing the newest one to the linker.

The model is stored as data (bot/services/knowledge/model.py), so a restart loads it in
milliseconds instead of retraining. Training is bounded: at most MAX_DOCUMENTS documents
(the curators' newest corrections first, each counted CURATOR_WEIGHT times), which keeps a
run within seconds on two cores; it runs in a worker thread, never on the event loop, and the
fitting itself in a short-lived child process: scikit-learn's vocabularies of character
n-grams take about 150 MB while it fits, which a long-running bot would otherwise keep (the
allocator seldom hands it back), and a run that overstays TRAIN_TIMEOUT is stopped."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.services.knowledge.labels_file import LabelsFileError, load_labels
from bot.services.knowledge.model import LinkModel, TrainingDoc, loads, train
from bot.services.text.linking import Gazetteer, cue_features
from storage.db import Database
from storage.repositories.knowledge import ActorTerm, KnowledgeRepo, ProposalRules
from storage.repositories.linking import LinkingRepo

log = logging.getLogger(__name__)

MAX_DOCUMENTS = 5000
MAX_CURATED = 2000
CURATOR_WEIGHT = 2  # a correction counts twice: it is newer and aimed at a mistake
TRAIN_TIMEOUT = 300  # seconds a training run may take (2,000 documents take about 5 s)
# the labelled sets written for this project (dev.yaml plus the sets that were held out until
# they were read): a folder, every *.yaml in it
BUNDLED_LABELS = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "knowledge"


@dataclass(frozen=True)
class TrainingRun:
    model_id: int
    documents: int
    curated: int
    seconds: float


def labels_path(setting: str) -> Path | None:
    """The labelled file (or folder of files) to train from: the setting, else the bundled
    sets if present."""
    if setting.strip().lower() in {"none", "off"}:
        return None
    path = Path(setting) if setting.strip() else BUNDLED_LABELS
    return path if path.is_file() or path.is_dir() else None


def file_documents(path: Path | None) -> list[TrainingDoc]:
    if path is None:
        return []
    try:
        return [doc.training() for doc in load_labels(path)]
    except LabelsFileError as exc:
        log.warning("linking labels not used: %s", exc)
        return []


def retrain(db: Database, file_docs: list[TrainingDoc]) -> TrainingRun | None:
    """Train on the file's documents plus the curated ones and store the model (None when
    there is nothing to learn from)."""
    started = time.perf_counter()
    with db.session() as session:
        curated = LinkingRepo(session).labelled_documents(MAX_CURATED)
    docs = [
        TrainingDoc(c.title, c.text, c.proposals, c.on_topic)
        for c in curated
        for _ in range(CURATOR_WEIGHT)
    ]
    docs += file_docs[: max(0, MAX_DOCUMENTS - len(docs))]
    if not docs or len({d.on_topic for d in docs}) < 2:
        return None
    with db.session() as session:
        repo = KnowledgeRepo(session)
        terms, rules = repo.gazetteer(), repo.proposal_link_rules()
    blob, fit_seconds = fit_elsewhere(terms, rules, docs)
    with db.session() as session:
        repo = LinkingRepo(session)
        model_id = repo.store_model(blob, len(docs), repo.count_labels(), fit_seconds)
    seconds = time.perf_counter() - started
    log.info("linking model %d trained on %d documents in %.1f s", model_id, len(docs), seconds)
    return TrainingRun(model_id, len(docs), len(curated), seconds)


def fit(
    terms: list[ActorTerm], rules: list[ProposalRules], docs: list[TrainingDoc]
) -> tuple[bytes, float]:
    """The model (stored form) and its fitting time, with the rules' cue features of the
    gazetteer these terms and rules make."""
    model = train_with_cues(Gazetteer.build(terms, rules), docs)
    return model.dumps(), model.seconds


def train_with_cues(gazetteer: Gazetteer, docs: list[TrainingDoc]) -> LinkModel:
    """The model as the bot trains it: with the rules' cue features of this gazetteer."""
    return train(docs, lambda title, text: cue_features(gazetteer, title, text))


def fit_elsewhere(
    terms: list[ActorTerm], rules: list[ProposalRules], docs: list[TrainingDoc]
) -> tuple[bytes, float]:
    """`fit` in a fresh interpreter (`python -m bot.services.knowledge.fit_worker`: the
    arguments pickled on its stdin, the result on its stdout), killed after TRAIN_TIMEOUT
    seconds; in this process only when no child can be started."""
    root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.services.knowledge.fit_worker"],
            input=pickle.dumps((terms, rules, docs)),
            capture_output=True,
            timeout=TRAIN_TIMEOUT,
            env={**os.environ, "PYTHONPATH": path},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise RuntimeError(f"training took longer than {TRAIN_TIMEOUT} s and was stopped") from exc
    except OSError as exc:
        log.warning("training in this process: no child process (%s)", exc)
        return fit(terms, rules, docs)
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"training process failed ({done.returncode}): {' '.join(tail)}")
    blob, seconds = pickle.loads(done.stdout)
    return blob, seconds


_TRAINING = threading.Lock()  # one training run at a time per process


def train_from_settings(
    db: Database, labels_setting: str, *, only_if_missing: bool = False
) -> TrainingRun | None:
    """One bounded training run (blocking: call it in a worker thread): the labels file the
    setting names plus the curators' corrections. With `only_if_missing`, nothing happens
    when a model is stored already (the start-up run)."""
    with _TRAINING:
        if only_if_missing and MODELS.current(db) is not None:
            return None
        return retrain(db, file_documents(labels_path(labels_setting)))


class ModelCache:
    """The newest stored model, loaded once per version (one per database URL)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, tuple[int, LinkModel | None]] = {}

    def current(self, db: Database) -> LinkModel | None:
        with db.session() as session:
            repo = LinkingRepo(session)
            newest = repo.newest_model_id()
            cached = self._loaded.get(db.url)
            if newest is None:
                return None
            if cached is not None and cached[0] == newest:
                return cached[1]
            row = repo.model(newest)
            blob = row.blob if row is not None else None
        model = loads(blob) if blob is not None else None
        with self._lock:
            self._loaded[db.url] = (newest, model)
        return model

    def forget(self, db: Database) -> None:
        """Drop what was loaded for this database (it was emptied: model ids start again)."""
        with self._lock:
            self._loaded.pop(db.url, None)


MODELS = ModelCache()
