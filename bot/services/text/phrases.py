"""A token trie of gazetteer phrases: every phrase found in one pass, nested ones included."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from bot.services.text.tokens import Token, is_acronym, tokenize


@dataclass(frozen=True, slots=True)
class WordSpec:
    """How one word of a phrase accepts a word of the text."""

    norm: str
    exact: str | None  # acronyms compare as written: "US" but never "us"
    # a capitalised name matches "Turkey" and "TURKEY" but not "turkey" (the bird) or "рима"
    capital: bool

    def accepts(self, token: Token) -> bool:
        if self.exact is not None:
            return token.surface == self.exact
        if token.norm != self.norm:
            return False
        return not self.capital or token.surface[:1].isupper()


@dataclass(frozen=True, slots=True)
class Entry:
    words: tuple[WordSpec, ...]
    kind: str  # what the phrase is evidence of: "actor", "keyword", "context", "ref"
    key: Hashable  # actor id, proposal id, (proposal id, rule number) or a ref phrase
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    first: int  # token indexes, inclusive
    last: int


def word_specs(phrase: str) -> tuple[WordSpec, ...]:
    specs = []
    for tok in tokenize(phrase):
        exact = tok.surface if is_acronym(tok.surface) else None
        capital = tok.surface[:1].isupper()
        specs.append(WordSpec(tok.norm, exact, capital))
    return tuple(specs)


class PhraseIndex:
    def __init__(self) -> None:
        self._by_first: dict[str, list[Entry]] = {}
        self._seen: set[tuple] = set()
        # first word → next word → the entries that can match there, in index order (None:
        # those of one word). A word of a phrase only accepts a token of its own norm, so
        # "nato" followed by "allies" never tries the forty other "nato …" phrases. Built by
        # the first scan, dropped by add().
        self._narrowed: dict[str, dict[str | None, list[Entry]]] | None = None

    def add(
        self, phrase: str, kind: str, key: Hashable, *, weak: bool = False, plural: bool = False
    ) -> None:
        """Index a phrase; `plural` also accepts an English plural of its last word."""
        specs = word_specs(phrase)
        if not specs:
            return
        variants = [specs]
        last = specs[-1]
        if plural and last.exact is None and last.norm.isascii() and not last.norm.endswith("s"):
            variants.append((*specs[:-1], WordSpec(last.norm + "s", None, False)))
        for words in variants:
            ident = (words, kind, key, weak)
            if ident in self._seen:
                continue
            self._seen.add(ident)
            self._by_first.setdefault(words[0].norm, []).append(Entry(words, kind, key, weak))
            self._narrowed = None

    def scan(self, tokens: list[Token]) -> list[Hit]:
        narrowed = self._narrowed
        if narrowed is None:
            narrowed = self._narrowed = self._narrow()
        hits: list[Hit] = []
        n = len(tokens)
        first = narrowed.get
        for i, tok in enumerate(tokens):
            by_next = first(tok.norm)
            if by_next is None:
                continue  # most words start no phrase
            entries = by_next.get(tokens[i + 1].norm) if i + 1 < n else None
            for entry in entries if entries is not None else by_next[None]:
                size = len(entry.words)
                if i + size <= n and _matches(entry.words, tokens, i):
                    hits.append(Hit(entry, i, i + size - 1))
        return hits

    def _narrow(self) -> dict[str, dict[str | None, list[Entry]]]:
        out: dict[str, dict[str | None, list[Entry]]] = {}
        for norm, entries in self._by_first.items():
            table: dict[str | None, list[Entry]] = {
                e.words[1].norm: [] for e in entries if len(e.words) > 1
            }
            table[None] = []
            for entry in entries:  # index order kept: hits come out as before
                if len(entry.words) == 1:
                    for bucket in table.values():
                        bucket.append(entry)
                else:
                    table[entry.words[1].norm].append(entry)
            out[norm] = table
        return out


def _matches(words: tuple[WordSpec, ...], tokens: list[Token], start: int) -> bool:
    for k, spec in enumerate(words):
        tok = tokens[start + k]
        if (k and tok.hard_before) or not spec.accepts(tok):
            return False
    return True
