"""The labelled data sets: schema, counts, languages, dossier slugs, and dev/held-out separation.

Covers tests/fixtures/knowledge/ (the development set, dev.yaml, and two sets that were held out
until they were read and now train the model too), benchmarks/data/heldout3.yaml (held-out
documents) and tests/fixtures/questions/heldout_questions.yaml (held-out questions). The sets are
read here only to check their shape, never to look at answers.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.validate_question_set import INTENTS
from scripts.validate_question_set import KEYS as QUESTION_KEYS
from storage.dossier.schema import load_dossier

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "fixtures" / "knowledge" / "dev.yaml"
HELDOUT = ROOT / "tests" / "fixtures" / "knowledge" / "dev_heldout1.yaml"
QUESTIONS = ROOT / "tests" / "fixtures" / "questions" / "heldout_questions.yaml"
HELDOUT2 = ROOT / "tests" / "fixtures" / "knowledge" / "dev_heldout2.yaml"
QUESTIONS2 = ROOT / "tests" / "fixtures" / "questions" / "heldout2_questions.yaml"
HELDOUT3 = ROOT / "tests" / "fixtures" / "knowledge" / "dev_heldout3.yaml"
HELDOUT4 = ROOT / "benchmarks" / "data" / "heldout4.yaml"

LANGS = {"en", "uk", "ru", "de", "fr", "it", "pl"}
KINDS = {"wire", "outlet", "official", "state-affiliated", "think tank"}
STANCES = {"supports", "opposes", "conditional", "proposes", "reports"}
DOC_KEYS = {
    "id",
    "lang",
    "outlet",
    "outlet_kind",
    "url",
    "published",
    "title",
    "body",
    "on_topic",
    "near_miss",
}
DOC_OPTIONAL = {"proposals", "actors", "claims"}

# (file, id prefix, total, per-language minimum in en uk ru de fr it pl, near-miss minimum)
LANG_ORDER = ("en", "uk", "ru", "de", "fr", "it", "pl")
SETS = [
    (path, prefix, total, dict(zip(LANG_ORDER, minima, strict=True)), near)
    for path, prefix, total, minima, near in [
        (DEV, "dev", 170, (25, 25, 25, 15, 15, 15, 15), 35),
        (HELDOUT, "heldout", 110, (20, 20, 20, 10, 10, 10, 10), 25),
        (HELDOUT2, "heldout2", 96, (16, 16, 16, 10, 10, 10, 10), 16),
        (HELDOUT3, "heldout3", 128, (32, 32, 32, 10, 6, 6, 10), 24),
        (HELDOUT4, "heldout4", 128, (32, 32, 32, 6, 10, 10, 6), 24),
    ]
]


def _documents(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("documents"), list)
    return data["documents"]


@pytest.fixture(scope="module")
def slugs() -> tuple[set[str], set[str]]:
    dossier = load_dossier()
    return {p.slug for p in dossier.proposals}, {a.slug for a in dossier.actors}


@pytest.mark.parametrize(
    ("path", "prefix", "total", "per_lang", "near"),
    SETS,
    ids=["dev", "heldout", "heldout2", "heldout3", "heldout4"],
)
def test_document_sets_have_schema_counts_and_known_slugs(
    path: Path,
    prefix: str,
    total: int,
    per_lang: dict[str, int],
    near: int,
    slugs: tuple[set[str], set[str]],
) -> None:
    proposals, actors = slugs
    docs = _documents(path)
    assert len(docs) >= total
    assert path.read_text(encoding="utf-8").startswith("#"), (
        "header comment says how the set was made"
    )
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)), "ids are unique"
    urls = [d["url"] for d in docs]
    assert len(urls) == len(set(urls)), "urls are unique"
    for doc in docs:
        keys = set(doc)
        assert DOC_KEYS <= keys <= DOC_KEYS | DOC_OPTIONAL, doc["id"]
        assert re.fullmatch(rf"{prefix}-{doc['lang']}-\d{{3}}", doc["id"]), doc["id"]
        assert doc["lang"] in LANGS and doc["outlet_kind"] in KINDS, doc["id"]
        assert re.fullmatch(r"https://[a-z0-9-]+\.example/\S+", doc["url"]), doc["url"]
        assert isinstance(doc["published"], date), doc["id"]
        assert doc["title"].strip() and len(doc["body"].strip()) > 60, doc["id"]
        assert isinstance(doc["on_topic"], bool) and isinstance(doc["near_miss"], bool)
        assert not (doc["on_topic"] and doc["near_miss"]), doc["id"]
        assert set(doc.get("proposals") or []) <= proposals, doc["id"]
        assert set(doc.get("actors") or []) <= actors, doc["id"]
        if not doc["on_topic"]:
            assert not doc.get("proposals"), f"{doc['id']}: off-topic documents link no proposal"
        for claim in doc.get("claims") or []:
            assert set(claim) == {"actor", "proposal", "stance", "text"}, doc["id"]
            assert claim["stance"] in STANCES, doc["id"]
            assert claim["actor"] in doc["actors"], f"{doc['id']}: claim actor is labelled"
            assert claim["proposal"] in doc["proposals"], f"{doc['id']}: claim proposal is labelled"
            assert claim["text"].strip()
    by_lang = Counter(d["lang"] for d in docs)
    for lang, minimum in per_lang.items():
        assert by_lang[lang] >= minimum, (lang, by_lang[lang])
    near_misses = [d for d in docs if d["near_miss"]]
    assert len(near_misses) >= near
    assert len({d["lang"] for d in near_misses}) == len(LANGS), (
        "near-misses spread over the languages"
    )
    assert any(not d["on_topic"] and not d["near_miss"] for d in docs), (
        "a few plain off-topic stories"
    )
    assert all(p in {q for d in docs for q in d.get("proposals") or []} for p in proposals)
    assert sum(len(d.get("claims") or []) for d in docs) >= total // 2


def _sentences(docs: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for doc in docs:
        for part in re.split(r"(?<=[.!?…])\s+|\n+", f"{doc['title']}\n{doc['body']}"):
            norm = " ".join(re.findall(r"\w+", part.lower()))
            if len(norm.split()) >= 6:
                found.add(norm)
    return found


@pytest.mark.parametrize(
    ("training", "other"),
    [(training, HELDOUT4) for training in (DEV, HELDOUT, HELDOUT2, HELDOUT3)],
    ids=["dev", "heldout", "heldout2", "heldout3"],
)
def test_training_and_heldout_share_no_sentence(training: Path, other: Path) -> None:
    shared = _sentences(_documents(training)) & _sentences(_documents(other))
    assert not shared, sorted(shared)[:5]


@pytest.mark.parametrize("path", [QUESTIONS, QUESTIONS2], ids=["heldout", "heldout2"])
def test_heldout_questions_schema(path: Path, slugs: tuple[set[str], set[str]]) -> None:
    proposals, actors = slugs
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#")
    questions = yaml.safe_load(text)["questions"]
    assert len(questions) >= 45
    by_lang = Counter(q["lang"] for q in questions)
    assert all(by_lang[lang] >= 15 for lang in ("en", "uk", "ru")), by_lang
    seen: set[str] = set()
    for q in questions:
        assert set(q) == QUESTION_KEYS, q
        assert q["q"].strip() and q["q"].lower() not in seen, q["q"]
        seen.add(q["q"].lower())
        assert q["lang"] in LANGS and q["intent"] in INTENTS, q
        assert set(q["expect_proposals"]) <= proposals and set(q["expect_actors"]) <= actors, q
        assert q["expect_proposals"] or q["expect_actors"], q
    assert {q["intent"] for q in questions} == INTENTS, "every intent is represented"
    assert any(q["q"] != q["q"].lower() for q in questions), "some questions in mixed case"
