"""The linking model: TF-IDF of lemmas and character n-grams, one linear classifier per
proposal and one for relevance, trained on labelled documents.

Word features are lemmas (bot/services/text/lemmas.py) so an inflected German, Polish or
Ukrainian word counts with its dictionary form; the headline is counted twice (it says what
the story is about). Character n-grams catch the spellings the lemmatiser does not know
(names, compounds). Bodies are cut at fixed lengths so a long page costs what a short one
does; pure CPU, no I/O, safe to run in a worker thread."""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.services.text.lemmas import guess_language, lemmas

WORD_CHARS = 6000  # of the body, for lemma features
CHAR_CHARS = 1500  # of the body, for character n-grams (the costlier features)
MIN_POSITIVES = 3  # a proposal with fewer labelled examples gets no classifier
FORMAT = 1  # bump when the pickled layout changes: older blobs are then ignored


@dataclass(frozen=True)
class TrainingDoc:
    title: str
    text: str
    proposals: frozenset[str]  # slugs
    on_topic: bool
    lang: str | None = None


@dataclass
class Prediction:
    topic: float  # probability that the document is about the dossier
    proposals: dict[str, float] = field(default_factory=dict)  # slug → probability


def word_text(title: str, text: str, lang: str | None = None) -> str:
    lang = lang or guess_language(f"{title}\n{text}")
    head = " ".join(lemmas(title, lang))
    body = " ".join(lemmas(text[:WORD_CHARS], lang))
    return f"{head} {head} {body}"


def char_text(title: str, text: str) -> str:
    return f"{title}\n{title}\n{text[:CHAR_CHARS]}".casefold()


class LinkModel:
    """Vectorisers and classifiers; `predict` is what the linker calls per document."""

    format = FORMAT

    def __init__(self, words: TfidfVectorizer, chars: TfidfVectorizer) -> None:
        self.words, self.chars = words, chars
        self.topic: LogisticRegression | None = None
        self.proposals: dict[str, LogisticRegression] = {}
        self.document_count = 0
        self.seconds = 0.0

    def features(self, docs: list[tuple[str, str, str | None]]):  # type: ignore[no-untyped-def]
        w = self.words.transform([word_text(t, x, lang) for t, x, lang in docs])
        c = self.chars.transform([char_text(t, x) for t, x, _ in docs])
        return hstack([w, c]).tocsr()

    def predict(self, title: str, text: str, lang: str | None = None) -> Prediction:
        return self.predict_many([(title, text, lang)])[0]

    def predict_many(self, docs: list[tuple[str, str, str | None]]) -> list[Prediction]:
        if not docs:
            return []
        x = self.features(docs)
        topic = _positive(self.topic, x) if self.topic is not None else np.ones(len(docs))
        per_slug = {slug: _positive(clf, x) for slug, clf in self.proposals.items()}
        return [
            Prediction(float(topic[i]), {s: float(p[i]) for s, p in per_slug.items()})
            for i in range(len(docs))
        ]

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> LinkModel | None:
    """A model written by `LinkModel.dumps` (None when its format is outdated)."""
    model = pickle.loads(blob)  # noqa: S301 — written by this bot into its own database
    if not isinstance(model, LinkModel) or getattr(model, "format", None) != FORMAT:
        return None
    return model


def _positive(clf: LogisticRegression, x) -> np.ndarray:  # type: ignore[no-untyped-def]
    return clf.predict_proba(x)[:, list(clf.classes_).index(True)]


def train(docs: list[TrainingDoc]) -> LinkModel:
    """Fit the vectorisers and every classifier on `docs` (seconds for thousands)."""
    started = time.perf_counter()
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, max_features=60_000, sublinear_tf=True, lowercase=False
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_features=80_000, sublinear_tf=True
    )
    rows = [(d.title, d.text, d.lang) for d in docs]
    words.fit([word_text(t, x, lang) for t, x, lang in rows])
    chars.fit([char_text(t, x) for t, x, _ in rows])
    model = LinkModel(words, chars)
    x = model.features(rows)
    topic = np.array([d.on_topic for d in docs])
    if 0 < topic.sum() < len(docs):
        model.topic = _fit(x, topic)
    slugs = sorted({s for d in docs for s in d.proposals})
    for slug in slugs:
        y = np.array([slug in d.proposals for d in docs])
        if y.sum() >= MIN_POSITIVES and y.sum() < len(docs):
            model.proposals[slug] = _fit(x, y)
    model.document_count = len(docs)
    model.seconds = time.perf_counter() - started
    return model


def _fit(x, y: np.ndarray) -> LogisticRegression:  # type: ignore[no-untyped-def]
    clf = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", max_iter=200)
    clf.fit(x, y)
    return clf
