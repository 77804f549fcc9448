"""The ingest fast paths give exactly what the straightforward versions gave."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml
from datasketch import LeanMinHash, MinHash
from sqlalchemy import select

from bot.services.fetching import plaintext
from bot.services.fetching.items import ParsedItem
from bot.services.ingest import articles, dedup
from bot.services.ingest.articles import Candidate, PreparedArticle
from bot.services.ingest.dedup import (
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    SEED,
    SHINGLE_WORDS,
    _words,
    minhash_of,
    shingle_hash,
)
from bot.services.ingest.store import _BatchSketches
from bot.services.knowledge.model import (
    WORD_TOKENS,
    TrainingDoc,
    char_features,
    train,
    word_features,
)
from bot.services.text import candidate_names as cn
from bot.services.text import claim_cues, cleaning, lemmas, linking, phrases, sentences
from bot.services.text import summarize as sm
from bot.services.text.article_body import article_body, body_of
from bot.services.text.claims import extract_claims
from bot.services.text.linking import Gazetteer
from bot.services.text.phrases import PhraseIndex
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


@pytest.fixture(scope="module")
def g(seeded: Database) -> Gazetteer:
    """The gazetteer of the seeded dossier, built once for the module."""
    with seeded.session() as session:
        return Gazetteer.from_session(session)


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


def test_minhash_equals_datasketch_with_the_shingle_hash() -> None:
    text = " ".join(TEXTS * 2)
    words = _words(text)
    reference = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=shingle_hash)
    reference.update_batch(
        [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - 2)]
    )
    ours = minhash_of(text)
    assert ours is not None
    assert list(ours.hashvalues) == list(LeanMinHash(reference).hashvalues)
    assert math.isclose(ours.jaccard(LeanMinHash(reference)), 1.0)


def test_word_hash_cache_changes_no_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(TEXTS * 2)
    expected = minhash_of(text)
    monkeypatch.setattr(dedup, "WORD_HASH_CACHE", 3)  # cleared again and again
    dedup._WORD_HASHES.clear()
    assert list(minhash_of(text).hashvalues) == list(expected.hashvalues)  # type: ignore[union-attr]
    assert len(dedup._WORD_HASHES) <= 3


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


# --- round two: shared cleaned body, cue prefilter, sentence and name shortcuts ----------

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "dev.yaml"
DEV_DOCS = [
    (" ".join(d["title"].split()), d["body"])
    for d in yaml.safe_load(DEV.read_text(encoding="utf-8"))["documents"]
]
ODD = [
    "L'indisponibilità dell'Italia e d'adesione alla NATO, ha detto Meloni.",
    "He said: «We will not send troops», — and then «maybe» later.",
    'Officials said "the plan is dead." Then "it lives." A third.',
    "“Quoted opening without close. Next sentence here. And another.",
    "Air cover?  No air, no skies; nato-like article 5 within 24 hours.",
    "",
]


def _reference_cue_at(cues: str, text: str) -> int | None:
    """cue_at as it was: every word scanned, no prefilter, no cache."""
    stems, exact, phrases, _anywhere = claim_cues._cue_sets(cues)
    return claim_cues._before_phrases(text, phrases, claim_cues._first_cue_word(text, stems, exact))


def _dev_sentences(limit: int) -> list[str]:
    out = [s.text for title, body in DEV_DOCS[:limit] for s in split_sentences(body)]
    return [*out, *TEXTS, *ODD]


def test_cue_prefilter_and_cache_find_what_the_full_scan_found() -> None:
    cue_lists = [
        *claim_cues.PROPOSAL_CUES.values(),
        *claim_cues.STANCE_CUES.values(),
        claim_cues.SPEECH_CUES,
        claim_cues.OFFER_CUES,
        claim_cues.RENOUNCE_CUES,
        claim_cues.STRONG_OPPOSE_CUES,
        "=only|=whole|and a phrase",
        "",
    ]
    found = 0
    for sentence in _dev_sentences(120):
        text = " ".join(sentence.casefold().split())
        for cues in cue_lists:
            expected = _reference_cue_at(cues, text)
            assert claim_cues.cue_at(cues, text) == expected, (cues[:30], text)
            assert claim_cues.cue_at(cues, text) == expected  # the cached answer
            assert claim_cues.any_cue(cues, text) == (expected is not None)
            found += expected is not None
    assert found > 100  # both outcomes were exercised


def _reference_ends(text: str, start: int, stop: int) -> list[int]:
    """sentences._ends as it was: every candidate end checked for an open quotation."""
    ends = []
    sentence_start = start
    for m in sentences.END_RE.finditer(text, start, stop):
        nxt = sentences.NEXT_START_RE.match(text, m.end())
        if nxt is None:
            continue
        first = nxt.group()[-1]
        if first.isalpha() and first.islower():
            continue
        tail = text[max(start, m.end() - 20) : m.end()]
        if m.group() == "." and sentences._is_abbreviation(tail, first.isdigit()):
            continue
        if sentences._inside_quote(text, sentence_start, m.end(), stop):
            continue
        ends.append(m.end())
        sentence_start = m.end()
    return ends


def test_sentences_split_as_with_the_quote_check_everywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [*TEXTS, *ODD, *(body for _title, body in DEV_DOCS)]
    fast = [split_sentences(t) for t in texts]
    monkeypatch.setattr(sentences, "_ends", _reference_ends)
    assert [split_sentences(t) for t in texts] == fast
    assert any('"' in s.text or "«" in s.text for split in fast for s in split)


def _reference_repeats_headline(title: str, sentence: str) -> bool:
    head = " ".join(title.casefold().split()).rstrip(".!?…")
    if not head:
        return False
    text = " ".join(sentence.casefold().split())
    return cleaning.same_words(title, sentence) or (len(head.split()) >= 4 and head in text)


def test_headline_tests_built_once_answer_as_per_sentence() -> None:
    pairs = [(title, s.text) for title, body in DEV_DOCS[:80] for s in split_sentences(body)[:6]]
    pairs += [(t, t) for t in TEXTS] + [(t.upper() + "!", t) for t in TEXTS]
    pairs += [("", "x"), ("...", "..."), ("Yes. No", "yes no"), ("One two three four", "x")]
    for title, sentence in pairs:
        assert cleaning.same_words_as(title)(sentence) == cleaning.same_words(title, sentence)
        assert sm._headline_test(title)(sentence) == _reference_repeats_headline(title, sentence)
    assert any(cleaning.same_words(t, s) for t, s in pairs)


def _reference_candidate_names(tokens, doc, body_start, covered, known_words):  # type: ignore[no-untyped-def]
    """find_candidate_names as it was: three passes over the tokens."""
    lower_words = {t.surface.casefold() for t in tokens if t.surface.islower()}
    taken = {i for first, last in covered for i in range(first, last + 1)}
    names: list[str] = []
    starts = [k for k, t in enumerate(tokens) if t.start >= body_start and cn._capital(t.surface)]
    i = 0
    for k in starts:
        if len(names) >= cn.MAX_NAMES:
            break
        if k < i:
            continue
        run = cn._capitalised_run(tokens, doc, k)
        name = cn._judge(tokens, run, taken, known_words, lower_words)
        if name and name not in names:
            names.append(name)
        i = run[-1] + 1
    return names


def test_candidate_names_in_one_pass_as_in_three() -> None:
    known = frozenset({"nato", "italy"})
    found = 0
    for title, body in [*DEV_DOCS, *((t, t) for t in TEXTS)]:
        doc = f"{title}\n\n{body}"
        tokens = tokenize(doc)
        for covered in ([], [(0, 2), (5, 5)]):
            names = cn.find_candidate_names(tokens, doc, len(title) + 2, covered, known)
            assert names == _reference_candidate_names(tokens, doc, len(title) + 2, covered, known)
            found += len(names)
    assert found > 50


def test_summary_and_claims_share_the_cleaned_body(g: Gazetteer) -> None:
    pids = list(g.proposal_slugs)
    claims = 0
    for title, body in DEV_DOCS[:150]:
        shared = article_body(title, body)
        focus = ["coalition of the willing", "NATO"]
        alone = sm.brief_summary(title, body, focus)
        assert sm.brief_summary(title, body, focus, body=shared) == alone
        expected = extract_claims(g, title, body, pids)
        assert extract_claims(g, title, body, pids, cleaned=shared) == expected
        claims += len(expected)
    assert claims > 20
    # a body cleaned from another text is not used: the summary is the text's own
    other = article_body("Other", "Something else entirely. Nothing alike here.")
    title, body = DEV_DOCS[0]
    assert sm.brief_summary(title, body, body=other) == sm.brief_summary(title, body)
    assert body_of(title, body, other).text == cleaning.clean_article(title, body)


def _reference_drop_nested_actors(self) -> None:  # type: ignore[no-untyped-def]
    """_Linker._drop_nested_actors as it was: every hit checked against every span,
    one-word spans included."""
    self._drop_inside([(h.first, h.last, a) for a, hits in self.actor_hits.items() for h in hits])


def _linked(g: Gazetteer) -> list[tuple]:
    out = []
    for title, body in [*DEV_DOCS, ("EU leaders and NATO", TEXTS[3])]:
        r = linking.link_document(g, title, body)
        out.append((
            [(a.target_id, a.matched) for a in r.actors],
            [(p.target_id, p.matched) for p in r.proposals],
            r.candidate_names, [(f.text, f.proposal_id, f.actor_id) for f in r.candidate_facts],
            r.relevance, sorted(r.salient), r.language,
        ))  # fmt: skip
    return out


def test_nested_names_are_dropped_as_against_every_span(
    g: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _linked(g)
    monkeypatch.setattr(linking._Linker, "_drop_nested_actors", _reference_drop_nested_actors)
    assert _linked(g) == fast
    assert sum(len(actors) for actors, *_ in fast) > 300


def _reference_word_features(title: str, text: str, cues: list[str]) -> list[str]:
    doc = f"{title}\n\n{text}" if title else text
    tokens = tokenize(doc[: len(title) + 2 + WORD_TOKENS * 12])
    head = [t.norm for t in tokens if t.start < len(title)]
    body = [t.norm for t in tokens[len(head) : len(head) + WORD_TOKENS]]
    feats: list[str] = []
    for words in (head, head, body):
        feats.extend(words)
        feats.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
    return feats + cues


def test_word_features_list_what_the_per_block_loop_listed() -> None:
    for title, body in [*DEV_DOCS[:100], ("", TEXTS[3]), ("One", ""), ("", "")]:
        cues = ["§cue:x", "§head:x"] if body else []
        assert word_features(title, body, cues=cues) == _reference_word_features(title, body, cues)


def test_signatures_of_the_sha1_scheme_are_recomputed_once(db: Database) -> None:
    """A database from before the shingle-hash scheme: its seed-1 signatures are made again
    from title and text as prepare_article makes them, stored, and indexed."""
    from bot.services.ingest.dedup import NearDuplicateIndex, fingerprint_words, minhash_to_bytes
    from bot.services.ingest.store import refresh_index

    title, text = "Allies weigh a reassurance force", " ".join(TEXTS * 2)
    words = fingerprint_words(f"{title}\n{text}")
    old = MinHash(num_perm=NUM_PERM, seed=1)  # datasketch's SHA-1 of each shingle
    old.update_batch([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    untitled = f"http://a.example/{len(words)}"
    with db.session() as session:
        source_id = SourceRepo(session).add("http://feeds.example/rss").id
        ids = DocumentRepo(session).insert_many([
            replace(_doc("http://a.example/1", source_id), title=title, text=text,
                    minhash=minhash_to_bytes(LeanMinHash(old))),
            replace(_doc(untitled, source_id), title=untitled, text=text,
                    minhash=minhash_to_bytes(LeanMinHash(old))),
        ])  # fmt: skip
    index = refresh_index(db, NearDuplicateIndex())
    assert len(index) == 2
    with db.session() as session:
        stored = dict(session.execute(select(Document.id, Document.minhash)).all())
    expected = {ids[0]: minhash_of(f"{title}\n{text}"), ids[1]: minhash_of(f"\n{text}")}
    for doc_id, sketch in expected.items():
        assert sketch is not None
        assert stored[doc_id] == minhash_to_bytes(sketch)
    assert index.find(minhash_of(f"{title}\n{text}")) == ids[0]  # type: ignore[arg-type]
    assert refresh_index(db, index) is index and len(index) == 2  # nothing left to redo


# --- round three: the ingest within 2x of the floor (issue 11 §3) ---------------------------


def _reference_collapse(text: str, paragraphs: bool) -> str:
    if not paragraphs:
        return " ".join(text.split())
    lines = (plaintext._SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def test_paragraph_collapse_as_with_the_whitespace_regex() -> None:
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]  # every kind, \n too
    rng = random.Random(13)
    fuzz = [
        "".join(
            rng.choice([*spaces, "a", "Б", "é", ".", "\u200b"]) for _ in range(rng.randint(0, 30))
        )
        for _ in range(3000)
    ]
    for text in [*TEXTS, *ODD, *(b for _, b in DEV_DOCS[:200]), *fuzz]:
        for paragraphs in (True, False):
            assert plaintext._collapse(text, paragraphs) == _reference_collapse(text, paragraphs)


def test_mark_ok_by_id_stores_what_the_orm_object_would(db: Database) -> None:
    from datetime import UTC, datetime

    from storage.models import Source
    from storage.repositories.sources import _ok_values

    now = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    cases = [
        {"etag": '"e' + "x" * 600 + '"', "last_modified": "L" * 150, "item_count": 7},
        {"etag": None, "last_modified": None, "item_count": None},
    ]
    columns = [
        c.key for c in Source.__table__.columns if c.key not in ("id", "url", "name", "created_at")
    ]
    for n, case in enumerate(cases):
        with db.session() as session:
            repo = SourceRepo(session)
            slow, fast = (repo.add(f"http://feeds.example/{n}/{side}") for side in "ab")
            for source in (slow, fast):  # a failing source, with validators from before
                source.etag, source.last_modified, source.item_count = '"old"', "Mon", 3
                repo.mark_error(source, "timeout", interval_seconds=60, now=now)
            slow_id, fast_id = slow.id, fast.id
        with db.session() as session:
            repo = SourceRepo(session)
            slow = repo.get(slow_id)  # the way it was: the loaded source's attributes set
            for column, value in _ok_values(900, now=now, **case).items():  # type: ignore[arg-type]
                setattr(slow, column, value)
            repo.mark_ok_by_id(fast_id, interval_seconds=900, now=now, **case)
        with db.session() as session:
            a, b = session.get(Source, slow_id), session.get(Source, fast_id)
            assert [getattr(a, c) for c in columns] == [getattr(b, c) for c in columns]
            assert b.last_status == "ok" and b.consecutive_failures == 0  # type: ignore[union-attr]


def _reference_scan(index: PhraseIndex, tokens: list) -> list:  # type: ignore[type-arg]
    """PhraseIndex.scan as it was: every phrase of the token's first word tried."""
    hits = []
    for i, tok in enumerate(tokens):
        for entry in index._by_first.get(tok.norm) or ():
            size = len(entry.words)
            if i + size <= len(tokens) and phrases._matches(entry.words, tokens, i):
                hits.append(phrases.Hit(entry, i, i + size - 1))
    return hits


def test_phrase_scan_narrowed_by_the_next_word_finds_what_it_found(
    g: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = yaml.safe_load((DEV.parents[1] / "linking_corpus.yaml").read_text(encoding="utf-8"))
    texts = [*(f"{t}\n\n{b}" for t, b in DEV_DOCS), *TEXTS, *ODD, str(corpus)]
    found = 0
    for text in texts:
        tokens = tokenize(text)
        fast = g.index.scan(tokens)
        assert fast == _reference_scan(g.index, tokens)
        found += len(fast)
    assert found > 3000
    # and whole documents link as before
    fast_links = _linked(g)
    monkeypatch.setattr(phrases.PhraseIndex, "scan", _reference_scan)
    assert _linked(g) == fast_links


def test_headline_carried_whole_found_with_the_first_word_check() -> None:
    titles = ["Allies weigh a reassurance force", "STRAßE  der Einheit wird gebaut", "Київ і НАТО: нові гарантії безпеки"]  # fmt: skip
    pairs = []
    for title in titles:
        words = title.split()
        pairs += [
            (title, f"Yesterday   {title.upper()}\t was  said."),
            (title, f"Then {'  '.join(words)}\n again"),
            (title, f"Then {' '.join(words[1:])} only"),  # without its first word
            (title, f"{words[0]}{words[1]} " + " ".join(words[2:])),
            (title, title.casefold().replace(" ", "\u00a0")),
            (title + ".", f"News: {title}!"),
        ]
    pairs += [(title, s.text) for title, body in DEV_DOCS[80:160] for s in split_sentences(body)]
    carried = 0
    for title, sentence in pairs:
        expected = _reference_repeats_headline(title, sentence)
        assert sm._headline_test(title)(sentence) == expected, (title, sentence)
        carried += expected
    assert carried >= 9


def _reference_guess_language(text: str) -> str:
    words = lemmas.WORD_RE.findall(text[:4000].casefold())[: lemmas.SAMPLE_WORDS]
    words = [w for w in words if not w.isdigit()]
    cyrillic = [w for w in words if "\u0400" <= w[0] <= "\u04ff"]
    if len(cyrillic) * 2 >= len(words) and cyrillic:
        letters = set("".join(cyrillic))
        uk, ru = len(letters & lemmas._UK_ONLY), len(letters & lemmas._RU_ONLY)
        return "uk" if uk > ru else "ru" if ru else "uk" if uk else "ru"
    counts = Counter([lang for w in words for lang in lemmas._WORD_LANGS.get(w, ())])
    return counts.most_common(1)[0][0] if counts else "en"


def test_language_guess_skips_the_cyrillic_pass_as_before() -> None:
    mixed = [
        "5 5 5 і 5 5", "12 345 НАТО", "der Київ und die 2025 1 2 3 Kyjiw", "x" * 3990 + " київ",
        "1 2 3 4 5 6 the", "aНАТО bНАТО the", "Ёлка ы", "",
    ]  # fmt: skip
    texts = [*TEXTS, *ODD, *mixed, *(f"{t}\n\n{b}" for t, b in DEV_DOCS)]
    langs = Counter()
    for text in texts:
        guess = lemmas.guess_language(text)
        assert guess == _reference_guess_language(text), text
        langs[guess] += 1
    assert len(langs) >= 5  # Latin and Cyrillic scripts both exercised


def _reference_prepare_article(candidate: Candidate, g: Gazetteer) -> PreparedArticle:
    """prepare_article as it was: every step for one item in one function."""
    item = candidate.item
    title = " ".join((item.title or "").split())
    text = articles.item_text(item)[: articles.MAX_TEXT_CHARS]
    fingerprint = dedup.fingerprint_words(f"{title}\n{text}")
    links = linking.link_document(g, title, text)
    focus = links.focus
    body = article_body(title, text) if text else None
    summary = sm.brief_summary(title, text, focus, body=body) if text else ""
    linked = [link.target_id for link in links.proposals]
    claims = extract_claims(g, title, text, linked, cleaned=body) if text and linked else []
    return PreparedArticle(
        url=candidate.url, source_url=item.url, guid=item.guid, title=title or candidate.url,
        text=text, author=item.author, published_at=item.published, summary=summary,
        content_hash=dedup.content_hash_of_words(fingerprint),
        minhash=dedup.minhash_of_words(fingerprint), links=links, claims=claims,
    )  # fmt: skip


def _candidates(docs: list[tuple[str, str]]) -> list[Candidate]:
    out = []
    for n, (title, body) in enumerate(docs):
        url = f"http://n.example/{n}"
        out.append(
            Candidate(ParsedItem(url + "?utm_source=x", f"g{n}", title, None, "", body, None), url)
        )
    return out


def test_a_batch_prepared_step_by_step_as_item_by_item(
    g: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidates = _candidates([*DEV_DOCS[:120], ("", ""), ("Only a title", ""), ("", TEXTS[3])])
    expected = [_reference_prepare_article(c, g) for c in candidates]
    for size in (1, 20, len(candidates)):
        for k in range(0, len(candidates), size):
            batch = articles.prepare_articles(candidates[k : k + size], g)
            assert [c for c, _ in batch] == candidates[k : k + size]
            assert [a for _, a in batch] == expected[k : k + size]
    assert [articles.prepare_article(c, g) for c in candidates[:30]] == expected[:30]
    assert sum(len(a.claims) for a in expected) > 5 and sum(bool(a.summary) for a in expected) > 100

    # an item whose step raises is reported with its exception; the rest are as before
    real = articles.brief_summary

    def fragile(title: str, text: str, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
        if title == DEV_DOCS[3][0]:
            raise ValueError("odd item")
        return real(title, text, *args, **kwargs)

    monkeypatch.setattr(articles, "brief_summary", fragile)
    batch = articles.prepare_articles(candidates[:10], g)
    assert isinstance(batch[3][1], ValueError)
    assert [a for n, (_, a) in enumerate(batch) if n != 3] == expected[:3] + expected[4:10]
