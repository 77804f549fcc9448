"""Frames: a proposal's phrase used to describe something else, not to report on it.

"A guarantee without NATO membership" describes the Italian plan; "valid until Ukraine joins
NATO" is a term of a bilateral accord. A phrase right after one of these words is not
evidence for its proposal (the model still reads the whole text).

Two kinds of sentence are news all the same:
- giving the thing up or demanding that it be given up ("Kyiv ready to drop its NATO bid in
  exchange for guarantees instead of membership", "Moscow demands that Ukraine renounce NATO
  membership"): a renouncing or demanding word in the same sentence lifts the frame;
- a proposal defined by a negation ("no US ground troops, but air support"): its own phrases
  say "no" or "without", so those words never frame it (the linker passes `negation_ok`)."""

from __future__ import annotations

from bot.services.text.phrases import Hit
from bot.services.text.tokens import Token, normalize

FRAME_WINDOW = 3  # words before the phrase, never across a sentence or clause break…
CLAUSE_WINDOW = 7  # …or anywhere before it in its clause, for "without" and "until" words
RENOUNCE_WINDOW = 12  # words before or after the phrase, in its sentence
_NEAR_CUES = {
    "en": "instead rather short outside unlike beyond alternative than",
    "de": "statt anstatt anstelle außerhalb",
    "fr": "lieu hors plutôt",
    "it": "invece anziché fuori",
    "pl": "zamiast poza niż",
    "uk": "замість поза ніж краще надійніше ефективніше",
    "ru": "вместо вне чем лучше надежнее надёжнее эффективнее",
}
# "without" and "until" frame a whole clause: "ohne das Land in das Bündnis aufzunehmen",
# "доки Україна не стане членом НАТО", "fino all'eventuale ingresso dell'Ucraina nella Nato"
_CLAUSE_CUES = {
    "en": "without until",
    "de": "ohne bis",
    "fr": "sans jusqu jusqu'a jusqu'au jusqu'aux",
    "it": "senza finché fino",
    "pl": "bez dopóki czasu",
    "uk": "без доки поки",
    "ru": "без пока",
}
# the "until" words among them: "valid until Ukraine joins NATO" names NATO only as a term
UNTIL_CUES = frozenset(
    normalize(w)
    for w in [
        "until",
        "bis",
        "jusqu",
        "jusqu'a",
        "jusqu'au",
        "finché",
        "fino",
        "dopóki",
        "czasu",
        "доки",
        "поки",
        "пока",
    ]
)
# "air cover for the European contingent", "прикриття європейського контингенту": a phrase
# right after a word of protection given to it names what is protected, not the news (the
# story is about the cover); beginnings of token norms
SERVED_STEMS = tuple(
    normalize(w)
    for w in [
        "cover",
        "backstop",
        "прикрит",
        "прикрыт",
        "couvertur",
        "copertur",
        "osłon",
        "luftunterstutz",
    ]
)
# "valid until Ukraine joins NATO" in Ukrainian and Russian is "до вступу" / "до вступления":
# "до" (also "to") frames the phrase right after it only when the clause speaks of validity
_UNTIL_PREPOSITIONS = frozenset({"до"})
VALIDITY_STEMS = tuple(
    normalize(w)
    for w in [
        "дія",
        "діят",
        "діє",
        "чинн",
        "действ",
        "срок",
        "термін",
        "рассчита",
        "розрахова",
        "строк",
    ]
)
NEAR_CUES = frozenset(normalize(w) for words in _NEAR_CUES.values() for w in words.split())
CLAUSE_CUES = frozenset(normalize(w) for words in _CLAUSE_CUES.values() for w in words.split())
FRAME_CUES = NEAR_CUES | CLAUSE_CUES
# a frame word that only negates: a proposal whose own phrases begin with one is not framed by it
NEGATIONS = frozenset(
    normalize(w)
    for w in [
        "no",
        "not",
        "without",
        "ohne",
        "keine",
        "sans",
        "pas",
        "senza",
        "niente",
        "nessun",
        "bez",
        "без",
        "ні",
        "не",
    ]
)
# beginnings of words that give something up or demand that it be given up (token norms:
# accents folded, Cyrillic endings stripped)
_RENOUNCE = {
    "en": "renounc abandon relinquish forgo forego forsw drop reject demand veto refus exclud concession non-membership",
    "de": "verzicht aufgeb aufgab forderung verlang ablehn ausschl",
    "fr": "renonc abandon exig rejet rejett exclu concession",
    "it": "rinunc abbandon pretes pretend esclu richiest concession",
    "pl": "rezygn porzuc żąda zada odrzuc wyklucz ustępstw",
    "uk": "відмов вимаг вимог поступк",
    "ru": "отказ отказыв требов требу уступк",
}
RENOUNCE_STEMS = tuple(normalize(w) for words in _RENOUNCE.values() for w in words.split())


def is_framed(tokens: list[Token], hit: Hit, *, negation_ok: bool = False) -> bool:
    """Does a frame word stand within FRAME_WINDOW words before the hit (a "without" or
    "until" word: CLAUSE_WINDOW), in its clause, with no renouncing word in the sentence to
    make it news again?"""
    i = hit.first
    for back in range(1, CLAUSE_WINDOW + 1):
        if i == 0 or tokens[i].hard_before:
            return False
        i -= 1
        norm = tokens[i].norm
        cues = FRAME_CUES if back <= FRAME_WINDOW else CLAUSE_CUES
        if norm in cues and not (negation_ok and norm in NEGATIONS):
            return not _renounced(tokens, hit)
        if back <= FRAME_WINDOW and norm.startswith(SERVED_STEMS):
            return True
        if back == 1 and norm in _UNTIL_PREPOSITIONS and _speaks_of_validity(tokens, i):
            return True
    return False


def _speaks_of_validity(tokens: list[Token], i: int) -> bool:
    """Does a word of validity ("діятиме", "действует", "сроком") stand before tokens[i]
    in its clause ("угода діятиме десять років або до вступу України в НАТО")?"""
    for _ in range(CLAUSE_WINDOW):
        if i == 0 or tokens[i].hard_before:
            return False
        i -= 1
        if tokens[i].norm.startswith(VALIDITY_STEMS):
            return True
    return False


def _renounced(tokens: list[Token], hit: Hit) -> bool:
    """A word of giving up or demanding within RENOUNCE_WINDOW words, in the same sentence."""
    start = hit.first
    while start > 0 and hit.first - start < RENOUNCE_WINDOW and not _sentence_break(tokens, start):
        start -= 1
    end = hit.last
    while (
        end + 1 < len(tokens)
        and end - hit.last < RENOUNCE_WINDOW
        and not _sentence_break(tokens, end + 1)
    ):
        end += 1
    return any(tokens[k].norm.startswith(RENOUNCE_STEMS) for k in range(start, end + 1))


def _sentence_break(tokens: list[Token], i: int) -> bool:
    """A hard break before tokens[i] that starts a new sentence (a capital after it)."""
    return tokens[i].hard_before and tokens[i].surface[:1].isupper()


def in_until_clause(tokens: list[Token], hit: Hit) -> bool:
    """Is the hit inside an "until" clause ("…until Ukraine joins NATO")?"""
    i = hit.first
    for _ in range(CLAUSE_WINDOW):
        if i == 0 or tokens[i].hard_before:
            return False
        i -= 1
        if tokens[i].norm in UNTIL_CUES:
            return True
    return False
