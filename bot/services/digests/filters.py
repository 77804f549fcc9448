"""Subscription filters: one proposal or actor, plus plain keywords (`+word`, `-word`).

Keywords are literal text, never patterns: users cannot send a regular expression, so a
filter cannot be slow (no catastrophic backtracking) whatever they type."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

MAX_KEYWORDS = 10
MAX_KEYWORD_CHARS = 40
_MINUS = ("-", "−", "–", "—", "!")  # phones turn "-" into dashes


class KeywordError(ValueError):
    """A keyword cannot be used; `value` is what the user typed."""

    def __init__(self, value: str, problem: str) -> None:
        super().__init__(f"{problem}: {value!r}")
        self.value = value
        self.problem = problem  # "empty" | "long" | "many"


def normalise(text: str) -> str:
    """Case- and accent-insensitive form used on both sides of a keyword match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_keywords(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(included, excluded, other words) from the words of a command."""
    include: list[str] = []
    exclude: list[str] = []
    rest: list[str] = []
    for word in words:
        if word.startswith("+"):
            include.append(_keyword(word[1:], word))
        elif word.startswith(_MINUS) and len(word) > 1:
            exclude.append(_keyword(word[1:], word))
        else:
            rest.append(word)
    if len(include) > MAX_KEYWORDS or len(exclude) > MAX_KEYWORDS:
        raise KeywordError(str(MAX_KEYWORDS), "many")
    return _unique(include), _unique(exclude), rest


def _keyword(raw: str, typed: str) -> str:
    word = raw.strip().strip("\"'“”«»")
    if not any(c.isalnum() for c in word):
        raise KeywordError(typed, "empty")
    if len(word) > MAX_KEYWORD_CHARS:
        raise KeywordError(typed, "long")
    return word


def _unique(words: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(normalise(word), word)
    return list(seen.values())


@dataclass(frozen=True)
class DigestFilter:
    proposal_id: int | None = None
    actor_id: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.proposal_id or self.actor_id or self.include or self.exclude)

    @cached_property
    def _include_re(self) -> re.Pattern[str] | None:
        return _any_word(self.include)

    @cached_property
    def _exclude_re(self) -> re.Pattern[str] | None:
        return _any_word(self.exclude)

    def keywords_match(self, text: str) -> bool:
        """At least one included word (if any) and none of the excluded words, each matched
        at the start of a word: `-sport` drops "sports" but keeps "transport"."""
        if self._include_re is None and self._exclude_re is None:
            return True
        folded = normalise(text)
        if self._exclude_re is not None and self._exclude_re.search(folded):
            return False
        return self._include_re is None or bool(self._include_re.search(folded))

    def matches(self, text: str, proposal_ids: set[int], actor_ids: set[int]) -> bool:
        if self.proposal_id is not None and self.proposal_id not in proposal_ids:
            return False
        if self.actor_id is not None and self.actor_id not in actor_ids:
            return False
        return self.keywords_match(text)


def _any_word(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    # re.escape: the keyword is literal text; the only pattern is the word-start anchor
    alternatives = "|".join(re.escape(normalise(w)) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})")


@dataclass(frozen=True)
class FilterLabel:
    """A filter as people read it: names instead of ids."""

    proposal: str | None = None
    actor: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.proposal or self.actor or self.include or self.exclude)
