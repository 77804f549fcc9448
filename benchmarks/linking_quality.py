"""Linking quality on the labelled corpus: precision, recall, F1, errors and throughput.

Run: PYTHONPATH=. python benchmarks/linking_quality.py [--corpus PATH] [--repeat N]
Articles a01-a30 were used to tune the gazetteer and rules; a31-a50 are reported apart
as a held-out set.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.services.knowledge import evaluation
from bot.services.text.linking import Gazetteer, link_document

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "linking_corpus.yaml"
TUNING = {f"a{n:02d}" for n in range(1, 31)}
KINDS = ("actors", "proposals")


@dataclass
class Article:
    id: str
    title: str
    text: str
    actors: set[str]
    proposals: set[str]


@dataclass
class Score(evaluation.Score):
    """Precision and recall as `briefbot linking eval` counts them, with the slugs missed and
    wrongly found."""

    false_pos: Counter[str] = field(default_factory=Counter)
    false_neg: Counter[str] = field(default_factory=Counter)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(path: Path = CORPUS) -> list[Article]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Article(a["id"], a["title"], a["text"], set(a["actors"]), set(a["proposals"]))
        for a in raw["articles"]
    ]


def evaluate(gazetteer: Gazetteer, articles: list[Article]) -> dict[str, Score]:
    """Micro-averaged scores per kind, with per-slug false positives and negatives."""
    scores = {kind: Score() for kind in KINDS}
    for art in articles:
        result = link_document(gazetteer, art.title, art.text)
        found = {
            "actors": {link.slug for link in result.actors},
            "proposals": {link.slug for link in result.proposals},
        }
        for kind in KINDS:
            expected, got, score = getattr(art, kind), found[kind], scores[kind]
            score.add(frozenset(expected), got)
            score.false_pos.update(f"{slug} ({art.id})" for slug in got - expected)
            score.false_neg.update(f"{slug} ({art.id})" for slug in expected - got)
    return scores


def throughput(gazetteer: Gazetteer, articles: list[Article], repeat: int) -> float:
    """Documents linked per second on one core (candidates and facts included)."""
    started = time.perf_counter()
    for _ in range(repeat):
        for art in articles:
            link_document(gazetteer, art.title, art.text)
    return repeat * len(articles) / (time.perf_counter() - started)


def seeded_gazetteer() -> Gazetteer:
    """A gazetteer from a fresh SQLite database seeded with the built-in dossier."""
    from storage.scratch import scratch_database

    with scratch_database("briefbot-bench-") as db, db.session() as session:
        return Gazetteer.from_session(session)


def print_report(gazetteer: Gazetteer, articles: list[Article], repeat: int) -> None:
    sets = {
        "tuning a01-a30": [a for a in articles if a.id in TUNING],
        "held-out a31-a50": [a for a in articles if a.id not in TUNING],
        "all": articles,
    }
    print(f"{'set':<18} {'kind':<10} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    for name, subset in sets.items():
        for kind, s in evaluate(gazetteer, subset).items():
            print(
                f"{name:<18} {kind:<10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.tp:4d} {s.fp:4d} {s.fn:4d}"
            )
    print("\nerrors (all articles):")
    for kind, s in evaluate(gazetteer, articles).items():
        for label, counter in (("false positive", s.false_pos), ("missed", s.false_neg)):
            for item in sorted(counter):
                print(f"  {kind:<10} {label:<15} {item}")
    rate = throughput(gazetteer, articles, repeat)
    print(
        f"\nthroughput: {rate:,.0f} documents/s ({rate * 60:,.0f} per minute), one core, "
        f"{len(articles) * repeat} documents"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=20, help="passes for the throughput run")
    args = parser.parse_args(argv)
    print_report(seeded_gazetteer(), load_corpus(args.corpus), max(1, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
