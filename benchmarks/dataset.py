"""A generated knowledge base of a given size, for benchmarks (and large-data tests).

Deterministic (fixed seed), written with bulk inserts; on top of the built-in dossier so
that real names (/actor meloni, /compare 1 2) work as well as generated ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from storage.repositories.bulk import BulkRepo

BASE = {"proposals": 1000, "actors": 5000, "facts": 10000, "documents": 100000}
TOPIC_WORDS = [
    "security",
    "guarantee",
    "ukraine",
    "ceasefire",
    "sanctions",
    "troops",
    "air",
    "support",
    "nato",
    "membership",
    "article",
    "reassurance",
    "force",
    "treaty",
    "allies",
    "deterrence",
    "aid",
    "weapons",
    "drones",
    "parliament",
    "summit",
    "coalition",
    "peacekeepers",
    "border",
    "negotiation",
    "reconstruction",
    "energy",
    "grain",
]


@dataclass(frozen=True)
class Size:
    proposals: int
    actors: int
    facts: int
    documents: int

    @classmethod
    def scaled(cls, scale: float) -> Size:
        return cls(**{k: max(1, int(v * scale)) for k, v in BASE.items()})

    @property
    def key(self) -> str:
        return f"p{self.proposals}-a{self.actors}-f{self.facts}-d{self.documents}"


def _vocabulary(rng: random.Random, n: int = 3000) -> list[str]:
    syllables = ["ka", "lo", "mer", "vin", "sto", "ra", "del", "pa", "no", "tri", "su", "gen"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n)}
    return sorted(words) + TOPIC_WORDS * 20


def _sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n)).capitalize() + "."


def generate(session: Session, size: Size, seed: int = 7) -> None:
    """Add `size` generated rows of each kind (ids continue after what is there)."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    bulk = BulkRepo(session)
    p0, a0 = bulk.next_id("proposals"), bulk.next_id("actors")
    f0, d0, s0 = bulk.next_id("facts"), bulk.next_id("documents"), bulk.next_id("sources")
    now = datetime(2025, 9, 1, tzinfo=UTC)
    bulk.insert(
        "sources",
        (
            {
                "id": s0 + i,
                "url": f"http://127.0.0.1:9/feed/{s0 + i}.xml",
                "name": f"Generated feed {i}",
            }
            for i in range(20)
        ),
    )
    statuses = ["proposed", "under_discussion", "agreed", "implemented", "rejected"]
    bulk.insert(
        "proposals",
        (
            {
                "id": p0 + i,
                "slug": f"gen-proposal-{i}",
                "title": _sentence(rng, vocab, 6)[:-1],
                "summary": _sentence(rng, vocab, 30),
                "mechanism": _sentence(rng, vocab, 40),
                "status": rng.choice(statuses),
                "commitments": [_sentence(rng, vocab, 8)] * 3,
                "open_questions": [_sentence(rng, vocab, 10)] * 2,
                "keywords": [],
                "aliases": [],
            }
            for i in range(size.proposals)
        ),
    )
    bulk.insert(
        "actors",
        (
            {
                "id": a0 + i,
                "slug": f"gen-actor-{i}",
                "name": f"{rng.choice(vocab).title()} {rng.choice(vocab).title()} {i}",
                "kind": rng.choice(["person", "state", "group"]),
                "role": _sentence(rng, vocab, 5),
                "summary": _sentence(rng, vocab, 25),
            }
            for i in range(size.actors)
        ),
    )
    bulk.insert(
        "actor_aliases",
        (
            {"actor_id": a0 + i, "alias": f"alias {i}", "for_linking_only": False}
            for i in range(0, size.actors, 2)
        ),
    )
    stances = ["supports", "opposes", "proposes", "conditional"]
    bulk.insert(
        "positions",
        (
            {
                "actor_id": a0 + (i * 7 + k * 131) % size.actors,
                "proposal_id": p0 + i,
                "stance": rng.choice(stances),
                "note": _sentence(rng, vocab, 12),
            }
            for i in range(size.proposals)
            for k in range(5)
        ),
    )
    bulk.insert(
        "facts",
        (
            {
                "id": f0 + i,
                "key": f"gen-fact-{f0 + i}",
                "proposal_id": p0 + i % size.proposals,
                "actor_id": a0 + rng.randrange(size.actors),
                "text": _sentence(rng, vocab, 35),
                "source_url": f"http://127.0.0.1:9/source/{i}",
                "source_name": "Generated source",
                "published_at": date(2025, 1, 1) + timedelta(days=rng.randrange(240)),
                "status": "approved" if i % 10 else "pending",
                "added_by": "bench",
            }
            for i in range(size.facts)
        ),
    )
    bulk.insert(
        "documents",
        (
            {
                "id": d0 + i,
                "url": f"http://127.0.0.1:9/article/{d0 + i}",
                "title": _sentence(rng, vocab, 9)[:-1],
                "summary": _sentence(rng, vocab, 45),
                "text": "",
                "source_id": s0 + i % 20,
                "published_at": now - timedelta(minutes=size.documents - i),
                "stored_at": now - timedelta(minutes=size.documents - i),
            }
            for i in range(size.documents)
        ),
    )
    bulk.insert(
        "document_actors",
        (
            {
                "document_id": d0 + i,
                "actor_id": a0 + (i * 13 + k * 977) % size.actors,
                "matched": "gen",
            }
            for i in range(size.documents)
            for k in range(2)
        ),
    )
    bulk.insert(
        "document_proposals",
        (
            {"document_id": d0 + i, "proposal_id": p0 + i % size.proposals, "matched": "gen"}
            for i in range(size.documents)
        ),
    )
