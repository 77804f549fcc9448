"""Linking model: training on 2,000 labelled documents, and scoring speed.

The 2,000 documents are the bundled development set resampled with replacement (a fixed
seed); each copy's headline gets its number so no two are identical. Training is what the
bot's background job runs (bot/services/knowledge/model.py: vectorisers and one classifier
per proposal plus one for relevance). Target: under 30 s on 2 cores.

    PYTHONPATH=. python benchmarks/linking_training.py [--documents 2000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services.knowledge.labels_file import load_labels
from bot.services.knowledge.model import TrainingDoc, train
from bot.services.knowledge.training import BUNDLED_LABELS
from bot.services.text.linking import Gazetteer, cue_features
from storage.db import Database
from storage.dossier.seed import seed_default_dossier

TARGET_SECONDS = 30.0


def resampled(n: int, seed: int = 0) -> list[TrainingDoc]:
    docs = [d.training() for d in load_labels(BUNDLED_LABELS)]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        d = rng.choice(docs)
        out.append(TrainingDoc(f"{d.title} ({i})", d.text, d.proposals, d.on_topic, d.lang))
    return out


def bundled_gazetteer() -> Gazetteer:
    """The linker's rules for the built-in dossier (their cue hits are model features)."""
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        db = Database(f"sqlite:///{tmp}/bench.sqlite3")
        db.upgrade()
        with db.session() as session:
            seed_default_dossier(session)
        with db.session() as session:
            gazetteer = Gazetteer.from_session(session)
        db.engine.dispose()
    return gazetteer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args()
    docs = resampled(args.documents)
    gazetteer = bundled_gazetteer()
    started, cpu = time.perf_counter(), time.process_time()
    # as the bot trains: with the rules' cue features, which cost one linking pass per document
    model = train(docs, lambda title, text: cue_features(gazetteer, title, text))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sample = docs[:200]
    t0 = time.process_time()
    for d in sample:
        model.predict(d.title, d.text, cues=cue_features(gazetteer, d.title, d.text))
    per_doc_ms = (time.process_time() - t0) / len(sample) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    blob = len(model.dumps()) / 1024
    print(f"\nLinking model: training on {len(docs)} resampled labelled documents")
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'training wall s':<34}{seconds:>12.1f}")
    print(f"{'training CPU s':<34}{cpu:>12.1f}")
    print(f"{'classifiers':<34}{len(model.columns):>12}")
    print(f"{'features':<34}{len(model.words) + len(model.chars):>12}")
    print(f"{'stored model kB':<34}{blob:>12.0f}")
    print(f"{'scoring CPU ms per document':<34}{per_doc_ms:>12.2f}")
    print(f"{'peak RSS MB':<34}{peak:>12.0f}")
    met = seconds < TARGET_SECONDS
    print(f"target: training < {TARGET_SECONDS:.0f} s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
