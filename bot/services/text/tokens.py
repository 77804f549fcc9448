"""Word tokens for linking and summaries: Unicode-aware, possessive-free, Cyrillic light-stemmed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A dotted acronym ("U.S.", "U.K.") is one token; otherwise runs of letters/digits, with
# inner apostrophes kept ("прем'єр", "Meloni's") so both sides tokenise alike.
TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’ʼ][^\W_]+)*")
# Between two tokens, any of these ends a phrase: a term never spans a sentence or a clause.
HARD_GAP_RE = re.compile(r"[.!?;:()\[\]\"“”«»„]|\n\s*\n")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


def words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word lists readable)."""
    return frozenset(text.split())


# Ukrainian and Russian inflectional endings, longest first. Stripping them (never below a
# three-letter stem) makes "Зеленського", "Зеленським" and "Зеленський" compare equal.
_ENDINGS = words(
    """
ого ому ими іми ами ями ові еві ою ею єю ої ій ий ий ая яя ое ее ые ие их іх ым им ом ем ам ям ах ях
ів ов ев ей ой ый ую юю а я у ю і ї и ы е є о ь й
"""
)
CYRILLIC_ENDINGS = tuple(sorted(set(_ENDINGS), key=len, reverse=True))
MIN_STEM = 3


# Not frozen: a frozen dataclass's __init__ costs four times as much, and tokenize()
# builds hundreds per document. Treat tokens as read-only all the same.
@dataclass(slots=True)
class Token:
    start: int
    end: int
    surface: str  # as written, apostrophes unified, possessive "'s" removed
    norm: str  # comparison key: casefolded, Latin accents dropped, Cyrillic stemmed
    hard_before: bool  # a sentence or clause break separates it from the previous token

    @property
    def cyrillic(self) -> bool:
        return bool(CYRILLIC_RE.search(self.surface))


def stem_cyrillic(word: str) -> str:
    for ending in CYRILLIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=65536)
def normalize(word: str) -> str:
    """The comparison key of one word (cached: news vocabulary repeats a lot)."""
    folded = word.translate(APOSTROPHES).casefold()
    if CYRILLIC_RE.search(folded):
        return stem_cyrillic(folded)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def surface_of(raw: str) -> str:
    """A raw token as compared: apostrophes unified, possessive "'s" removed."""
    word = raw.translate(APOSTROPHES)
    if word.endswith("'s") and len(word) > 2 and not CYRILLIC_RE.search(word):
        return word[:-2]
    return word


@lru_cache(maxsize=65536)
def _word(raw: str) -> tuple[str, str]:
    surface = surface_of(raw)
    return surface, normalize(surface)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    append, word, gap = tokens.append, _word, HARD_GAP_RE.search  # locals: a hot loop
    prev_end = -1  # no token yet: the first one never has a hard break before it
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        surface, norm = word(m.group())
        # most gaps are one space: skip the regex for them
        if prev_end < 0 or (start - prev_end == 1 and text[prev_end] == " "):
            hard = False
        else:
            hard = gap(text, prev_end, start) is not None
        append(Token(start, end, surface, norm, hard))
        prev_end = end
    return tokens


def is_acronym(word: str) -> bool:
    """NATO, UK, U.S., НАТО, ЄС: short all-caps words, matched case-sensitively."""
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)
