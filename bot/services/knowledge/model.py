"""The linking model: TF-IDF of words and character n-grams, one logistic-regression
classifier per proposal and one for relevance, trained on labelled documents.

Word features are the linker's token norms (accents folded, Ukrainian and Russian endings
stripped), unigrams and bigrams, with the headline counted twice: it says what the story is
about. Character n-grams (3–5, within words) of the headline and lead catch inflections and
compounds in every language. scikit-learn fits the vocabularies, IDF weights and
classifiers; what is kept is plain arrays (vocabularies, IDF, one weight column per
classifier), so scoring one document is a few hundred dictionary look-ups and a small dot
product (well under a millisecond), and the stored model is data, not pickled code."""

from __future__ import annotations

import io
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from bot.services.text.tokens import Token, tokenize

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

WORD_TOKENS = 600  # of the body, for word features
CHAR_CHARS = 500  # of the body, for character n-grams (the costlier features)
MIN_POSITIVES = 3  # a proposal with fewer labelled examples gets no classifier
TOPIC = "_topic"  # the relevance classifier's column name
CHAR_CACHE_WORDS = 50_000  # words whose n-gram columns are remembered (about 10 MB)
FORMAT = 3  # bump when the stored layout changes: older blobs are then ignored


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


def word_features(
    title: str, text: str, tokens: list[Token] | None = None, cues: Sequence[str] = ()
) -> list[str]:
    """Token norms and bigrams of the headline (twice) and the body's first words, plus the
    rules' cue features (bot/services/text/linking.py: the same in every language)."""
    if tokens is None:
        doc = f"{title}\n\n{text}" if title else text
        tokens = tokenize(doc[: len(title) + 2 + WORD_TOKENS * 12])
    head_end = len(title)
    head = [t.norm for t in tokens if t.start < head_end]
    body = [t.norm for t in tokens[len(head) : len(head) + WORD_TOKENS]]
    # the headline's words and bigrams twice, then the body's: bigrams joined in C, and the
    # headline's built once and repeated
    head_feats = [*head, *map(" ".join, pairwise(head))]
    feats = [*head_feats, *head_feats, *body, *map(" ".join, pairwise(body))]
    feats.extend(cues)
    return feats


def char_features(title: str, text: str) -> list[str]:
    """Character 3–5-grams inside each word of the headline and the lead, padded by spaces."""
    feats: list[str] = []
    for word in _char_words(title, text):
        feats.extend(_word_grams(word))
    return feats


def _char_words(title: str, text: str) -> list[str]:
    return f"{title} {text[:CHAR_CHARS]}".casefold().split()


def _word_grams(word: str) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    return [padded[i : i + n] for n in (3, 4, 5) for i in range(size - n + 1)]


# 1 + ln(count) for the usual counts, computed by math.log as before, read by index
_TF_TABLE = np.array([0.0, *(1.0 + math.log(c) for c in range(1, 257))])


def _sublinear_tf(counts: np.ndarray) -> np.ndarray:
    if counts.max() < len(_TF_TABLE):
        return _TF_TABLE[counts]
    return np.fromiter((1.0 + math.log(c) for c in counts), float, len(counts))


def _identity(feats: list[str]) -> list[str]:
    return feats


class LinkModel:
    """Vocabularies, IDF and weights; `predict` is what the linker calls per document."""

    def __init__(
        self,
        words: dict[str, int],
        chars: dict[str, int],
        idf: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        columns: list[str],
    ) -> None:
        self.words, self.chars = words, chars  # feature → column (chars after words)
        self.idf, self.weights, self.bias = idf, weights, bias
        self.columns = columns  # TOPIC and proposal slugs, one per weight column
        self.document_count = 0
        self.seconds = 0.0
        # word → the vocabulary columns of its character n-grams: news vocabulary repeats,
        # so scoring looks each word's n-grams up once, not once per document
        self._char_ids: dict[str, tuple[int, ...]] = {}

    def _char_columns(self, title: str, text: str) -> list[int]:
        """Columns of char_features(title, text) found in the vocabulary, in order."""
        cache, chars = self._char_ids, self.chars
        out: list[int] = []
        for word in _char_words(title, text):
            ids = cache.get(word)
            if ids is None:
                ids = tuple(chars[f] for f in _word_grams(word) if f in chars)
                if len(cache) >= CHAR_CACHE_WORDS:
                    cache.clear()
                cache[word] = ids
            out.extend(ids)
        return out

    def predict(
        self,
        title: str,
        text: str,
        lang: str | None = None,
        tokens: list[Token] | None = None,
        cues: Sequence[str] = (),
    ) -> Prediction:
        scores = self.bias.copy()
        words = self.words
        for columns in (
            # one dictionary look-up per feature (get, not `in` and then [])
            [c for c in map(words.get, word_features(title, text, tokens, cues)) if c is not None],
            self._char_columns(title, text),
        ):
            counts = Counter(columns)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = _sublinear_tf(np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))
            vals = tf * self.idf[idx]
            vals /= np.linalg.norm(vals)
            scores += vals @ self.weights[idx]
        probs = 1.0 / (1.0 + np.exp(-scores))
        out = dict(zip(self.columns, (float(p) for p in probs), strict=True))
        topic = out.pop(TOPIC, 1.0)
        return Prediction(topic, out)

    def dumps(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            format=np.array([FORMAT]),
            words=np.array(sorted(self.words, key=self.words.__getitem__)),
            chars=np.array(sorted(self.chars, key=self.chars.__getitem__)),
            idf=self.idf,
            weights=self.weights,
            bias=self.bias,
            columns=np.array(self.columns),
            meta=np.array([self.document_count, self.seconds]),
        )
        return buf.getvalue()


def loads(blob: bytes) -> LinkModel | None:
    """A model written by `LinkModel.dumps` (None when its format is outdated)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        if int(data["format"][0]) != FORMAT:
            return None
        words = {str(w): i for i, w in enumerate(data["words"])}
        chars = {str(c): i + len(words) for i, c in enumerate(data["chars"])}
        model = LinkModel(
            words,
            chars,
            data["idf"],
            data["weights"],
            data["bias"],
            [str(c) for c in data["columns"]],
        )
        model.document_count, model.seconds = int(data["meta"][0]), float(data["meta"][1])
    return model


def train(
    docs: list[TrainingDoc], cues: Callable[[str, str], list[str]] | None = None
) -> LinkModel:
    """Fit the vocabularies and every classifier on `docs` (seconds for thousands); `cues`
    gives the rules' cue features of a document (title, text), as the linker will."""
    # scikit-learn and SciPy load only to train: ingestion and start-up never pay for them
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    word_vec = _vectorizer(max_features=60_000)
    char_vec = _vectorizer(max_features=60_000)
    # generators: the feature lists of thousands of documents are never all in memory
    xw = word_vec.fit_transform(
        word_features(d.title, d.text, cues=cues(d.title, d.text) if cues else ()) for d in docs
    )
    xc = char_vec.fit_transform(char_features(d.title, d.text) for d in docs)
    x = hstack([xw, xc]).tocsr()
    targets: list[tuple[str, np.ndarray]] = []
    topic = np.array([d.on_topic for d in docs])
    if 0 < topic.sum() < len(docs):
        targets.append((TOPIC, topic))
    for slug in sorted({s for d in docs for s in d.proposals}):
        y = np.array([slug in d.proposals for d in docs])
        if MIN_POSITIVES <= y.sum() < len(docs):
            targets.append((slug, y))
    weights = np.zeros((x.shape[1], len(targets)))
    bias = np.zeros(len(targets))
    for n, (_, y) in enumerate(targets):
        clf = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", dual=True)
        clf.fit(x, y)
        sign = 1.0 if clf.classes_[1] else -1.0
        weights[:, n], bias[n] = sign * clf.coef_[0], sign * clf.intercept_[0]
    words = {f: i for f, i in word_vec.vocabulary_.items()}
    chars = {f: i + len(words) for f, i in char_vec.vocabulary_.items()}
    idf = np.concatenate([word_vec.idf_, char_vec.idf_])
    model = LinkModel(words, chars, idf, weights, bias, [name for name, _ in targets])
    model.document_count = len(docs)
    model.seconds = time.perf_counter() - started
    return model


def _vectorizer(max_features: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_identity, min_df=2, max_features=max_features, sublinear_tf=True
    )
