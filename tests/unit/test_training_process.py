"""Training runs in a child process (bot/services/knowledge/training.py, `fit_elsewhere`): the
model it sends back is the one `fit` makes here, a child that fails or overstays its time gives
a clear error, and the bot's own process never holds scikit-learn's fitting memory."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from bot.services.knowledge import training
from bot.services.knowledge.labels_file import load_labels
from bot.services.knowledge.model import loads
from storage.db import Database
from storage.repositories.knowledge import KnowledgeRepo

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "dev.yaml"


def _inputs(db: Database) -> tuple[list, list, list]:  # type: ignore[type-arg]
    with db.session() as session:
        repo = KnowledgeRepo(session)
        terms, rules = repo.gazetteer(), repo.proposal_link_rules()
    return terms, rules, [d.training() for d in load_labels(DEV)[:120]]


def test_the_child_sends_back_the_model_fit_makes_here(seeded: Database) -> None:
    terms, rules, docs = _inputs(seeded)
    blob, seconds = training.fit_elsewhere(terms, rules, docs)
    here, _ = training.fit(terms, rules, docs)
    child, local = loads(blob), loads(here)
    assert seconds > 0
    for doc in docs[:20]:
        a = child.predict(doc.title, doc.text, doc.lang)
        b = local.predict(doc.title, doc.text, doc.lang)
        assert set(a.proposals) == set(b.proposals) != set()
        assert a.topic == pytest.approx(b.topic, abs=0.05)


def test_a_failing_or_slow_child_is_a_clear_error(
    seeded: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms, rules, _ = _inputs(seeded)
    with pytest.raises(RuntimeError, match="training process failed"):
        training.fit_elsewhere(terms, rules, [])  # nothing to fit: the child raises
    monkeypatch.setattr(training, "TRAIN_TIMEOUT", 0.05)
    with pytest.raises(RuntimeError, match=r"longer than 0\.05 s"):
        training.fit_elsewhere(terms, rules, _inputs(seeded)[2])


def test_retraining_keeps_the_fitting_memory_out_of_this_process(seeded: Database) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = training.retrain(seeded, [d.training() for d in load_labels(DEV)])
    assert run is not None and training.MODELS.current(seeded) is not None
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 40, f"this process grew {grown_mb:.0f} MB while a child trained"
