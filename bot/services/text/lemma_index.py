"""Dossier phrases matched by lemma, for languages whose inflection the token norms miss.

"Ukrainy" (Polish genitive), "Sicherheitsgarantien", "garanzie": each word of the text and of
a phrase is reduced to its simplemma lemma in the document's language, and a phrase matches a
run of equal lemmas. The hits are mapped back onto the linker's tokens, so rules, windows
and candidate facts treat them like any other hit."""

from __future__ import annotations

import bisect
from collections.abc import Hashable
from dataclasses import dataclass, field

from bot.services.text.lemmas import WORD_RE, lemma
from bot.services.text.phrases import Entry, Hit, WordSpec
from bot.services.text.tokens import Token, is_acronym


@dataclass(frozen=True)
class LemmaPhrase:
    words: tuple[str, ...]  # as written
    capital: tuple[bool, ...]  # a capitalised word only matches a capitalised one
    acronym: tuple[bool, ...]  # an acronym ("NATO", "US") only matches itself as written
    kind: str  # "actor" | "keyword" | "ref", as in PhraseIndex
    key: Hashable
    weak: bool = False


@dataclass
class LemmaIndex:
    phrases: list[LemmaPhrase] = field(default_factory=list)
    _by_lang: dict[str, dict[str, list[tuple[tuple[str, ...], LemmaPhrase]]]] = field(
        default_factory=dict
    )

    def add(self, phrase: str, kind: str, key: Hashable, *, weak: bool = False) -> None:
        words = tuple(WORD_RE.findall(phrase))
        if not words:
            return
        capital = tuple(w[:1].isupper() for w in words)
        acronym = tuple(is_acronym(w) for w in words)
        self.phrases.append(LemmaPhrase(words, capital, acronym, kind, key, weak))
        self._by_lang.clear()

    def _compiled(self, lang: str) -> dict[str, list[tuple[tuple[str, ...], LemmaPhrase]]]:
        if lang not in self._by_lang:
            table: dict[str, list[tuple[tuple[str, ...], LemmaPhrase]]] = {}
            for p in self.phrases:
                lemmas = tuple(lemma(w, lang) for w in p.words)
                table.setdefault(lemmas[0], []).append((lemmas, p))
            self._by_lang[lang] = table
        return self._by_lang[lang]

    def scan(self, doc: str, lang: str, tokens: list[Token]) -> list[Hit]:
        if not self.phrases or not tokens:
            return []
        table = self._compiled(lang)
        spans = [(m.group(), m.start()) for m in WORD_RE.finditer(doc)]
        words = [lemma(w, lang) for w, _ in spans]
        starts = [t.start for t in tokens]
        hits: list[Hit] = []
        for i, first in enumerate(words):
            for lemmas, p in table.get(first, ()):
                n = len(lemmas)
                if tuple(words[i : i + n]) != lemmas:
                    continue
                if not _surfaces_agree(p, [w for w, _ in spans[i : i + n]]):
                    continue
                a = bisect.bisect_right(starts, spans[i][1]) - 1
                b = bisect.bisect_right(starts, spans[i + n - 1][1]) - 1
                if a < 0 or any(tokens[k].hard_before for k in range(a + 1, b + 1)):
                    continue
                specs = tuple(WordSpec(w, None, c) for w, c in zip(lemmas, p.capital, strict=True))
                hits.append(Hit(Entry(specs, p.kind, p.key, p.weak), a, b))
        return hits


def _surfaces_agree(p: LemmaPhrase, surfaces: list[str]) -> bool:
    for word, surface, capital, acronym in zip(
        p.words, surfaces, p.capital, p.acronym, strict=True
    ):
        if acronym and surface != word:
            return False
        if capital and not surface[:1].isupper():
            return False
    return True
