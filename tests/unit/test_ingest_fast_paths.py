"""The ingest fast paths give exactly what the straightforward versions gave."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from sqlalchemy import select

from bot.services.ingest.dedup import (
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    SHINGLE_WORDS,
    _words,
    minhash_of,
)
from bot.services.ingest.store import _BatchSketches
from bot.services.knowledge.model import TrainingDoc, char_features, train, word_features
from bot.services.text import cleaning, lemmas
from bot.services.text import summarize as sm
from bot.services.text.sentences import split_sentences
from bot.services.text.stopwords import ALL as STOPWORDS
from bot.services.text.tokens import HARD_GAP_RE, tokenize
from storage.db import Database
from storage.models import Document, DocumentActor, DocumentProposal, DocumentSource
from storage.repositories.documents import DocumentRepo, NewDocument
from storage.repositories.sources import SourceRepo

TEXTS = [
    "Italy proposed a collective guarantee for Ukraine on Monday. The weather was sunny.",
    "Yes. No. Maybe so.",
    "One long sentence about the coalition of the willing and security guarantees for Kyiv.",
    "Ministers met in Paris. Officials said the reassurance force would need air policing, "
    "maritime demining and a headquarters in Kyiv within weeks of a ceasefire.",
    "Первое предложение о НАТО и Украине. Второе предложение про гарантии безопасности.",
    "Short.\n\nA paragraph: the U.S. and the U.K. (with NATO) agreed; «quoted» words follow!",
    "The guarantees of Meloni's plan - 24 hours, 5 allies - were discussed at length today.",
]


def _ranked_summary(text: str, max_sentences: int, max_chars: int) -> str:
    """summarize() as it was before the short-text shortcut: always rank."""
    sentences = split_sentences(text)[: sm.MAX_SENTENCES_RANKED]
    bags = [sm._content_words(s.text) for s in sentences]
    usable = [i for i, bag in enumerate(bags) if len(bag) >= sm.MIN_CONTENT_WORDS]
    usable = usable or list(range(len(sentences)))
    scores = sm._pagerank(sm._similarity_graph([bags[i] for i in usable]))
    ranked = [usable[k] for k in sorted(range(len(usable)), key=lambda k: (-scores[k], k))]
    chosen = sm._fit(sentences, ranked, max_sentences, max_chars)
    if not chosen:
        return sm._shorten(sentences[ranked[0]].text, max_chars)
    return " ".join(sentences[i].text for i in sorted(chosen))


def test_short_texts_summarise_as_the_ranked_path_did() -> None:
    for text in TEXTS:
        for max_sentences, max_chars in ((2, 400), (1, 400), (2, 60), (3, 1000), (1, 20)):
            expected = _ranked_summary(text, max_sentences, max_chars)
            assert sm.summarize(text, max_sentences, max_chars) == expected, (text, max_chars)


def test_short_text_is_kept_whole_without_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Defence ministers of five allies met in Paris.\n" + TEXTS[3].split(". ", 1)[1]
    expected = _ranked_summary(text, 2, 400)
    assert expected == " ".join(text.split())  # both sentences, in order

    def no_ranking(graph: list[list[float]]) -> list[float]:
        raise AssertionError("ranked although every sentence fits")

    monkeypatch.setattr(sm, "_pagerank", no_ranking)
    assert sm.summarize(text, max_sentences=2, max_chars=400) == expected


def _pagerank_reference(graph: list[list[float]]) -> list[float]:
    n = len(graph)
    out_weight = [sum(row) for row in graph]
    scores = [1.0 / n] * n
    for _ in range(50):
        new = [
            (1 - sm.DAMPING) / n
            + sm.DAMPING
            * sum(graph[j][i] / out_weight[j] * scores[j] for j in range(n) if graph[j][i])
            for i in range(n)
        ]
        delta = sum(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < 1e-9:
            break
    return scores


def test_pagerank_solves_what_the_power_iteration_converges_to() -> None:
    rng = random.Random(7)
    for n in (1, 2, 5, 12, 40, 80):
        bags = [{f"w{rng.randrange(30)}" for _ in range(rng.randint(1, 12))} for _ in range(n)]
        bags[-1] = {"isolated"}  # a node without edges
        graph = sm._similarity_graph(bags)
        solved, iterated = sm._pagerank(graph), _pagerank_reference(graph)
        assert solved == pytest.approx(iterated, abs=1e-8)
        rank = sorted(range(n), key=lambda k: (-round(solved[k], 7), k))
        assert rank == sorted(range(n), key=lambda k: (-round(iterated[k], 7), k))


def test_content_words_match_the_token_based_definition() -> None:
    for text in TEXTS:
        expected = set()
        for tok in tokenize(text):
            if tok.surface.casefold() in STOPWORDS or tok.norm.isdigit():
                continue
            norm = tok.norm
            if norm.isascii() and len(norm) > 3 and norm.endswith("s"):
                norm = norm[:-1]
            expected.add(norm)
        assert sm._content_words(text) == expected


def test_hard_breaks_match_the_gap_regex_everywhere() -> None:
    for text in TEXTS:
        tokens = tokenize(text)
        for prev, tok in itertools.pairwise(tokens):
            gap_is_hard = HARD_GAP_RE.search(text, prev.end, tok.start) is not None
            assert tok.hard_before == gap_is_hard, (text, tok.surface)
        assert not tokens[0].hard_before


def test_minhash_equals_datasketch_default_hashing() -> None:
    text = " ".join(TEXTS * 2)
    words = _words(text)
    reference = MinHash(num_perm=NUM_PERM, seed=1)  # datasketch's own sha1_hash32
    reference.update_batch(
        [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - 2)]
    )
    ours = minhash_of(text)
    assert ours is not None
    assert list(ours.hashvalues) == list(LeanMinHash(reference).hashvalues)
    assert math.isclose(ours.jaccard(LeanMinHash(reference)), 1.0)


def _doc(url: str, source_id: int) -> NewDocument:
    return NewDocument(
        url=url, title="T " + url, text="body", summary="sum", content_hash=url[-8:],
        source_id=source_id, source_url=url + "?utm_source=x", guid="g" + url, author="A",
        minhash=b"\x01\x02", actor_links=[(1, "Italy"), (1, "Italia")], proposal_links=[(1, "x")],
    )  # fmt: skip


def test_insert_many_stores_what_add_many_stores(db: Database) -> None:
    with db.session() as session:
        source_id = SourceRepo(session).add("http://feeds.example/rss").id
        repo = DocumentRepo(session)
        slow = [
            d.id
            for d in repo.add_many([_doc(f"http://a.example/{i}", source_id) for i in range(3)])
        ]
        fast = repo.insert_many([_doc(f"http://b.example/{i}", source_id) for i in range(3)])
        assert fast == sorted(fast) and len(set(fast)) == 3 and not set(fast) & set(slow)

        def rows(ids: list[int]) -> list[tuple]:
            out = []
            for doc_id in ids:
                d = session.get(Document, doc_id)
                links = [
                    session.execute(select(m).where(m.document_id == doc_id)).scalars().all()
                    for m in (DocumentSource, DocumentActor, DocumentProposal)
                ]
                out.append((
                    d.title[-1], d.text, d.summary, d.content_hash[-1], d.author, d.minhash,
                    d.source_id, d.stored_at is not None,
                    [(s.source_id, s.url[-13:], s.guid[-1]) for s in links[0]],
                    [(a.actor_id, a.matched) for a in links[1]],
                    [(p.proposal_id, p.matched) for p in links[2]],
                ))  # fmt: skip
            return out

        assert rows(fast) == rows(slow)
        assert repo.insert_many([]) == []


def _sketch(values: list[int]) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=values, scheme="affine32")


def test_batch_twins_match_pairwise_jaccard() -> None:
    rng = random.Random(5)
    base = [rng.randrange(2**32) for _ in range(NUM_PERM)]
    articles = []
    for n in range(40):  # variants of one signature: some above the threshold, most below
        keep = rng.choice((0.5, 0.8, 0.9, 0.97))
        values = [v if rng.random() < keep else v + n + 1 for v in base]
        articles.append(SimpleNamespace(minhash=_sketch(values), n=n))
    batch = _BatchSketches(len(articles))
    added: list[SimpleNamespace] = []
    for article in articles:
        expected = next(
            (o for o in added if article.minhash.jaccard(o.minhash) >= NEAR_DUPLICATE_THRESHOLD),
            None,
        )
        assert batch.near_twin(article.minhash, NEAR_DUPLICATE_THRESHOLD) is expected
        if expected is None:
            batch.add(article)  # type: ignore[arg-type]
            added.append(article)
    assert 1 < len(added) < len(articles)  # both outcomes were exercised


def test_model_scores_as_from_the_plain_feature_lists() -> None:
    docs = [
        TrainingDoc(t.split(".")[0], t, frozenset({"p"} if i % 2 else set()), bool(i % 3))
        for i, t in enumerate(TEXTS * 3)
    ]
    model = train(docs)
    for text in [*TEXTS, "Wholly unseen wording, Zelensky's «гарантії» ", ""]:
        expected = model.bias.copy()
        for vocab, feats in (
            (model.words, word_features("Title", text)),
            (model.chars, char_features("Title", text)),
        ):
            counts = Counter(vocab[f] for f in feats if f in vocab)
            if counts:
                idx = np.array(list(counts))
                vals = np.array([1.0 + math.log(c) for c in counts.values()]) * model.idf[idx]
                expected += (vals / np.linalg.norm(vals)) @ model.weights[idx]
        for _ in range(2):  # the second time from the per-word cache
            got = model.predict("Title", text)
            assert np.allclose([got.topic, *got.proposals.values()], 1 / (1 + np.exp(-expected)))


def _reference_same_words(a: str, b: str) -> bool:
    left = [w.casefold() for w in cleaning.WORD_RE.findall(a)]
    return bool(left) and left == [w.casefold() for w in cleaning.WORD_RE.findall(b)]


def test_cleaning_shortcuts_change_nothing() -> None:
    samples = [*TEXTS, "", "...", "Date: 2025-08-20 10:00 Kyiv", "ДАТА 2025-08-20", "(Photo: AP) x"]
    for a in samples:
        for b in [*samples, a.upper(), a + "!"]:
            assert cleaning.same_words(a, b) == _reference_same_words(a, b)
        for title in ("", a, "Italy proposed a collective guarantee", "Yes. No", "(Photo"):
            text = a + "\ndata 2024-01-02 (Source: Reuters) rest"
            plain = cleaning.INLINE_CREDIT.sub("", cleaning.DATE_SCRAP.sub("", text))
            assert cleaning.clean_article(title, text) == cleaning.clean_article(title, plain)
            assert cleaning.strip_headline(title, a) == _reference_strip_headline(title, a)


def _reference_strip_headline(title: str, text: str) -> str:
    want = [w.casefold() for w in cleaning.WORD_RE.findall(title)]
    if len(want) < 2:
        return text
    matches = list(cleaning.WORD_RE.finditer(text, 0, len(text)))[: len(want)]
    if len(matches) < len(want) or [m.group().casefold() for m in matches] != want:
        return text
    rest = text[matches[-1].end() :]
    return rest.lstrip(" \t\"'”’»)]:.!?…—–-|").lstrip()


def test_language_guess_counts_as_the_per_language_loop() -> None:
    for text in [*TEXTS, "der und die la les et il di che", "i w nie na się z do że", ""]:
        words = [w for w in lemmas.WORD_RE.findall(text.casefold()) if not w.isdigit()]
        counts: Counter[str] = Counter()
        for word in words:
            for lang, vocab in lemmas._FUNCTION_WORDS.items():
                if word in vocab:
                    counts[lang] += 1
        if not any("\u0400" <= w[0] <= "\u04ff" for w in words):
            assert lemmas.guess_language(text) == (counts.most_common(1)[0][0] if counts else "en")
