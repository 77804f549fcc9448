"""Extractive summaries: our own small TextRank, offline, for any language we split well.

sumy would need NLTK's punkt data downloaded at run time, which this deployment does not
allow; a word-overlap TextRank over our own sentence splitter is enough for news items.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from bot.services.text.article_body import ArticleBody, body_of
from bot.services.text.cleaning import same_words_as
from bot.services.text.sentences import Sentence, split_sentences
from bot.services.text.stopwords import ALL as STOPWORDS
from bot.services.text.tokens import TOKEN_RE, normalize, surface_of

DAMPING = 0.85
MAX_SENTENCES_RANKED = 80  # long pages: the graph is quadratic, and news front-loads anyway
MIN_CONTENT_WORDS = 4  # shorter fragments ("Yes.", datelines) are poor summaries


def summarize(text: str, max_sentences: int = 2, max_chars: int = 400) -> str:
    """The most central sentences, in their original order, at most `max_chars` long."""
    sentences = split_sentences(text)[:MAX_SENTENCES_RANKED]
    if not sentences or max_sentences < 1 or max_chars < 1:
        return ""
    bags = [_content_words(s.text) for s in sentences]
    usable = [i for i, bag in enumerate(bags) if len(bag) >= MIN_CONTENT_WORDS]
    if not usable:
        usable = list(range(len(sentences)))
    if len(usable) <= max_sentences:
        # every candidate is chosen if they fit: ranking would only reorder them
        fitting = _fit(sentences, usable, max_sentences, max_chars)
        if len(fitting) == len(usable):
            return " ".join(sentences[i].text for i in usable)
    scores = _pagerank(_similarity_graph([bags[i] for i in usable]))
    ranked = [usable[k] for k in sorted(range(len(usable)), key=lambda k: (-scores[k], k))]
    chosen = _fit(sentences, ranked, max_sentences, max_chars)
    if not chosen:
        return _shorten(sentences[ranked[0]].text, max_chars)
    return " ".join(sentences[i].text for i in sorted(chosen))


def _content_words(sentence: str) -> set[str]:
    # the same words as tokenize() yields, without building Token objects (hot path)
    out = set(map(_content_word, TOKEN_RE.findall(sentence)))
    out.discard("")
    return out


@lru_cache(maxsize=65536)
def _content_word(raw: str) -> str:
    """The comparison key of one raw token, or "" for stopwords and numbers."""
    surface = surface_of(raw)
    norm = normalize(surface)
    if surface.casefold() in STOPWORDS or norm.isdigit():
        return ""
    if norm.isascii() and len(norm) > 3 and norm.endswith("s"):
        norm = norm[:-1]  # "guarantees" and "guarantee" are one word here
    return norm


def _similarity_graph(bags: list[set[str]]) -> list[list[float]]:
    """Edge weights: shared words, normalised by sentence lengths (Mihalcea & Tarau, 2004)."""
    n = len(bags)
    graph = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(bags[i] & bags[j])
            if shared:
                weight = shared / (math.log(len(bags[i]) + 1) + math.log(len(bags[j]) + 1))
                graph[i][j] = graph[j][i] = weight
    return graph


def _pagerank(graph: list[list[float]]) -> list[float]:
    """Weighted PageRank's fixed point, solved directly: s = (1 - d)/n + d·M·s.

    The power iteration this replaces converged to the same scores (within its 1e-6
    tolerance) in 30-50 rounds of Python loops over n² edges; one linear solve of an n×n
    system is a few microseconds. Nodes without edges give nothing (their column is 0),
    and I - d·M stays invertible because d < 1 and M is column-substochastic."""
    n = len(graph)
    if n == 0:
        return []
    weights = np.array(graph, dtype=float)
    out_weight = weights.sum(axis=1)
    # incoming[i, j]: the share of j's weight that flows to i
    incoming = np.divide(
        weights, out_weight[:, None], out=np.zeros_like(weights), where=weights > 0
    ).T
    system = np.eye(n) - DAMPING * incoming
    return np.linalg.solve(system, np.full(n, (1 - DAMPING) / n)).tolist()


def _fit(sentences: list[Sentence], ranked: list[int], limit: int, max_chars: int) -> list[int]:
    """Best-ranked sentences that fit together in `max_chars` (joined by single spaces)."""
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if len(chosen) >= limit:
            break
        size = len(sentences[i].text) + (1 if chosen else 0)
        if used + size <= max_chars:
            chosen.append(i)
            used += size
    return chosen


def _shorten(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


BRIEF_CHARS = 300
BRIEF_SENTENCES = 3


def brief_summary(
    title: str,
    text: str,
    focus: Sequence[str] = (),
    max_chars: int = BRIEF_CHARS,
    *,
    body: ArticleBody | None = None,
) -> str:
    """A summary that reads as a brief: the article without its headline, dateline, byline,
    date scraps and photo credits; sentences naming a `focus` phrase (the linked proposals)
    first, then the most central others, at most `max_chars` long, in the article's language.
    `body`: the article's cleaned body when the caller has it already (claims read it too)."""
    repeats = _headline_test(title)
    sentences = [
        s
        for s in body_of(title, text, body).sentences[:MAX_SENTENCES_RANKED]
        if not repeats(s.text)
    ]
    if not sentences or max_chars < 1:
        return ""
    bags = [_content_words(s.text) for s in sentences]
    usable = [i for i, bag in enumerate(bags) if len(bag) >= MIN_CONTENT_WORDS]
    usable = usable or list(range(len(sentences)))
    phrases = [" ".join(p.casefold().split()) for p in focus if p and p.strip()]
    about = [i for i in usable if _names_any(sentences[i].text, phrases)] if phrases else []
    others = [i for i in usable if i not in about]
    if len(others) > 2:  # news leads with its point: the lead, then the most central
        rest = others[1:]
        scores = _pagerank(_similarity_graph([bags[i] for i in rest]))
        others = others[:1] + [
            rest[k] for k in sorted(range(len(rest)), key=lambda k: (-scores[k], k))
        ]
    ranked = about + others
    chosen = _fit(sentences, ranked, BRIEF_SENTENCES, max_chars)
    if not chosen or (about and about[0] not in chosen):
        return _shorten(sentences[ranked[0]].text, max_chars)  # the proposal's sentence, cut
    first = sorted(i for i in chosen if i in about)
    rest = sorted(i for i in chosen if i not in about)
    return " ".join(sentences[i].text for i in first + rest)


def _repeats_headline(title: str, sentence: str) -> bool:
    """The headline itself, or a sentence that carries it whole."""
    return _headline_test(title)(sentence)


def _headline_test(title: str) -> Callable[[str], bool]:
    """`_repeats_headline(title, ·)` with the headline's own work done once per article."""
    head = " ".join(title.casefold().split()).rstrip(".!?…")
    if not head:
        return _never
    long_head = len(head.split()) >= 4
    same_words = same_words_as(title)
    # the headline's first word holds no whitespace: if the sentence carries the headline,
    # it carries that word as it stands, before its whitespace is collapsed
    first_word = head.split(" ", 1)[0]

    def repeats(sentence: str) -> bool:
        if same_words(sentence):
            return True
        if not long_head:
            return False
        folded = sentence.casefold()
        return first_word in folded and head in " ".join(folded.split())

    return repeats


def _never(sentence: str) -> bool:
    return False


def _names_any(sentence: str, phrases: list[str]) -> bool:
    text = " ".join(sentence.casefold().split())
    return any(p in text for p in phrases)
