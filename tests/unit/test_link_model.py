"""The linking model: trains on labelled documents, scores new ones, survives a round trip
through its stored form, and cross-validated evaluation counts what it should."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.services.knowledge import model as link_model
from bot.services.knowledge.evaluation import Score, cross_validate, folds_of, report
from bot.services.knowledge.labels_file import LabelsFileError, load_labels
from bot.services.knowledge.model import TrainingDoc, train
from bot.services.text.linking import Gazetteer
from storage.db import Database

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "dev.yaml"
ROOT = Path(__file__).resolve().parents[2]


def toy_docs() -> list[TrainingDoc]:
    air = "Washington offers air cover and a backstop for Ukraine but no American boots."
    troops = "A multinational force of European troops would deploy to Ukraine after a truce."
    other = "The city marathon closed streets; runners from Kenya won the race again."
    docs = []
    for i in range(6):
        docs.append(TrainingDoc(f"Air cover {i}", air, frozenset({"us-air-support"}), True))
        docs.append(TrainingDoc(f"Force {i}", troops, frozenset({"european-troops"}), True))
        docs.append(TrainingDoc(f"Marathon {i}", other, frozenset(), False))
    return docs


def test_model_learns_proposals_and_relevance() -> None:
    model = train(toy_docs())
    air = model.predict("US air cover", "Washington would give air cover, no boots, to Ukraine.")
    race = model.predict("Marathon", "Runners from Kenya won the city marathon race.")
    assert air.proposals["us-air-support"] > air.proposals["european-troops"]
    assert air.topic > 0.5 > race.topic


def test_stored_model_is_data_and_predicts_the_same() -> None:
    model = train(toy_docs())
    blob = model.dumps()
    again = link_model.loads(blob)
    assert again is not None
    a = model.predict("Force", "European troops would deploy.")
    b = again.predict("Force", "European troops would deploy.")
    assert a.topic == pytest.approx(b.topic)
    assert a.proposals == pytest.approx(b.proposals)


def test_outdated_model_format_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    blob = train(toy_docs()).dumps()
    monkeypatch.setattr(link_model, "FORMAT", link_model.FORMAT + 1)
    assert link_model.loads(blob) is None


def test_labels_file_reads_both_schemas(tmp_path: Path) -> None:
    docs = load_labels(DEV)
    assert len(docs) >= 150 and {d.lang for d in docs} >= {"en", "uk", "ru", "de", "fr", "it", "pl"}
    old = tmp_path / "old.yaml"
    old.write_text("articles:\n  - id: a\n    title: T\n    text: B\n    proposals: [x]\n")
    [doc] = load_labels(old)
    assert doc.on_topic and doc.proposals == {"x"} and doc.text == "B"
    (tmp_path / "bad.yaml").write_text("- 1\n")
    with pytest.raises(LabelsFileError):
        load_labels(tmp_path / "bad.yaml")


def test_folds_split_every_language_evenly() -> None:
    docs = load_labels(DEV)
    folds = folds_of(docs, 5)
    assert sorted(d.id for f in folds for d in f) == sorted(d.id for d in docs)
    for lang in ("en", "pl"):
        sizes = [sum(d.lang == lang for d in f) for f in folds]
        assert max(sizes) - min(sizes) <= 1


def test_score_counts() -> None:
    s = Score()
    s.add(frozenset({"a", "b"}), {"a", "c"})
    assert (s.tp, s.fp, s.fn) == (1, 1, 1) and s.precision == s.recall == 0.5


def test_cross_validated_linking_on_the_dev_set(db: Database) -> None:
    """Rules + model, trained on the other folds only, hold up on the development set."""
    with db.session() as session:
        gazetteer = Gazetteer.from_session(session)
    rep = report(cross_validate(gazetteer, load_labels(DEV), 5), 5)
    main, other = rep.proposals_by_group["en+uk+ru"], rep.proposals_by_group["de+fr+it+pl"]
    # The dev set grew from 170 to 305 documents (issue 8) with wording further from the dossier;
    # measured main-group recall went from 0.82 to 0.80 (P 0.89), so the floor sits just below it.
    assert main.precision >= 0.85 and main.recall >= 0.78
    assert other.recall >= 0.7
    actors = rep.actors_by_group["all"]
    assert actors.precision >= 0.9 and actors.recall >= 0.9
    assert rep.on_topic_reach["all"].rate >= 0.95
    assert rep.near_miss_reach["all"].rate <= 0.1
    assert gazetteer.model is None  # evaluation leaves the shared gazetteer as it found it


def test_linking_eval_cli_prints_the_table(tmp_path: Path) -> None:
    rows = yaml.safe_load(DEV.read_text(encoding="utf-8"))["documents"]
    labels = tmp_path / "labels.yaml"
    labels.write_text(yaml.safe_dump({"documents": rows[:20] + rows[-20:]}), encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "linking",
            "eval",
            "--labels",
            str(labels),
            "--folds",
            "3",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "3-fold cross-validation" in out.stdout
    for heading in ("proposals by language", "actors by language", "reach a digest"):
        assert heading in out.stdout


def test_held_out_mode_trains_once_and_scores_every_test_document(db: Database) -> None:
    """`linking eval --train DEV --labels OTHER`: the model learns from the training file only,
    every test document is scored once, and the shared gazetteer is left without a model."""
    from bot.services.knowledge.evaluation import held_out

    docs = load_labels(DEV)
    training, test = docs[:120], docs[120:]
    with db.session() as session:
        gazetteer = Gazetteer.from_session(session)
    outcomes = held_out(gazetteer, training, test)
    assert [o.doc.id for o in outcomes] == [d.id for d in test]
    rep = report(outcomes, 0)
    assert rep.documents == len(test)
    assert rep.proposals_by_group["all"].tp > 0
    assert gazetteer.model is None
    rules_only = report(held_out(gazetteer, training, test, use_model=False), 0)
    assert rules_only.documents == len(test)
