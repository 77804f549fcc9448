"""Frames: a proposal's phrase used to describe something else, not to report on it.

"A guarantee without NATO membership" describes the Italian plan; "valid until Ukraine joins
NATO" is a term of a bilateral accord. A phrase right after one of these words is not
evidence for its proposal (the model still reads the whole text)."""

from __future__ import annotations

from bot.services.text.phrases import Hit
from bot.services.text.tokens import Token, normalize

FRAME_WINDOW = 3  # words before the phrase, never across a sentence or clause break
_CUES = {
    "en": "without instead rather short outside until unlike beyond alternative",
    "de": "ohne statt anstatt anstelle außerhalb bis",
    "fr": "sans lieu hors plutôt jusqu",
    "it": "senza invece anziché fuori finché",
    "pl": "bez zamiast poza dopóki",
    "uk": "без замість поза доки поки",
    "ru": "без вместо вне пока",
}
FRAME_CUES = frozenset(normalize(w) for words in _CUES.values() for w in words.split())


def is_framed(tokens: list[Token], hit: Hit) -> bool:
    """Does a frame word stand within FRAME_WINDOW words before the hit, in its clause?"""
    i = hit.first
    for _ in range(FRAME_WINDOW):
        if i == 0 or tokens[i].hard_before:
            return False
        i -= 1
        if tokens[i].norm in FRAME_CUES:
            return True
    return False
