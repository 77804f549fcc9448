"""Who says a sentence: the subject of its reporting verb — the actor named right after it
when the attribution is inverted ("…, заявил пресс-секретарь Кремля"), else the actor that
opens the sentence, else the one right before the verb — a person named early, the last
person who spoke when the sentence speaks for someone it does not name ("he said", "Ha
ripetuto che…", "The prime minister said…": unnamed_speakers.py), the one a next sentence
names ("Lo ha detto Meloni"), or a new name (a candidate actor)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from bot.services.text.claim_cues import (
    AGENT_PREPOSITIONS,
    BACK_REFERENCE,
    CONTINUATION,
    IF_WORDS,
    NICKNAME_WORDS,
    PREPOSITIONS,
    PRONOUN_START,
    SPEECH_CUES,
    TITLE_LINKS,
    TITLE_STEMS,
    any_cue,
    cue_at,
)
from bot.services.text.linking import Gazetteer
from bot.services.text.sentences import Sentence
from bot.services.text.tokens import Token
from bot.services.text.unnamed_speakers import bare_title, speaks_for_someone

LEAD_WORDS = 12  # a person named this early in the sentence is its subject
INVERTED_WORDS = 6  # "…, said the Kremlin's spokesman": the speaker follows the verb closely
ADJACENT_WORDS = 4  # "Defence Minister Guido Crosetto said": the speaker precedes the verb closely
SUBJECT_WORDS = 5  # an actor named among a sentence's first words is its subject
TITLE_WORDS = 4  # "US-Präsident Donald Trump": a person named right after the state is the subject
NOT_BEFORE_SUBJECT = PREPOSITIONS | IF_WORDS  # "For Ukraine, …", "If Russia attacks, …"
# how surely a claim is attributed (with a suggested stance, +1): the best go to the queue
SPOKE, NAMED, CARRIED = 2, 1, 1


@dataclass(frozen=True)
class Who:
    """A claim's speaker: a known actor, or a new name (a candidate actor)."""

    actor_id: int | None
    name: str | None = None


def attribute(
    i: int,
    sentences: list[Sentence],
    said: list[tuple[int | None, int]],
    previous: Who | None,
    tokens: list[Token],
    body: str,
    names: list[str],
    person: Who | None = None,
) -> tuple[Who, int, list[int]]:
    """Who says sentence i, how surely, and the sentences the claim spans (i, and the next
    one when that one names the speaker: "«…» Lo ha detto Meloni"). `person`: the last
    person who spoke, whom "he", "she", a title or a left-out subject stand for."""
    sentence = sentences[i]
    actor_id, strength = said[i]
    someone = person or previous
    if i + 1 < len(sentences) and BACK_REFERENCE.match(sentences[i + 1].text):
        if said[i + 1][0] is not None:
            return Who(said[i + 1][0]), SPOKE, [i, i + 1]
        return Who(actor_id), strength, [i, i + 1]
    if someone is not None and speaks_for_someone(sentence.text):
        return someone, SPOKE, [i]  # "…, he said", "По его словам, …", "Ha ripetuto che…"
    if previous is not None and strength != SPOKE and CONTINUATION.match(sentence.text):
        return previous, CARRIED, [i]  # "In exchange, Kyiv would…": the same plan's terms
    if strength != SPOKE:
        named = _name_before_verb(sentence, tokens, body, names)
        if named is not None:  # "Pete Hegseth also said…": a new name, not "NATO" later on
            return Who(None, named), SPOKE, [i]
    if actor_id is None and previous is not None and _continues(sentence.text):
        return previous, CARRIED, [i]
    if strength != SPOKE and someone is not None and bare_title(sentence.text):
        return someone, SPOKE, [i]  # "Eines hält der italienische Verteidigungsminister…"
    return Who(actor_id), strength, [i]


def token_start(token: Token) -> int:
    return token.start


def _name_before_verb(
    sentence: Sentence, tokens: list[Token], body: str, names: list[str]
) -> str | None:
    """A new person's name right before the sentence's speech verb ("…, Pete Hegseth said")."""
    first = bisect_right(tokens, sentence.start - 1, key=token_start)
    if first >= len(tokens):
        return None
    verb = _speech_token(sentence, tokens, first)
    if verb is None or verb >= len(tokens) or verb == first:
        return None
    lead_in = body[tokens[max(first, verb - ADJACENT_WORDS)].start : tokens[verb].start].rstrip()
    for name in names:
        at = lead_in.rfind(name)
        rest = lead_in[at + len(name) :].split() if at >= 0 else []
        if len(name.split()) >= 2 and at >= 0 and len(rest) <= 1 and all(w.isalpha() for w in rest):
            return name  # "Pete Hegseth said", "Pete Hegseth also said"
    return None


def speaker_of(
    g: Gazetteer,
    found: list[tuple[int, int, bool]],
    sentence: Sentence,
    tokens: list[Token],
    body: str,
) -> tuple[int | None, int]:
    """The subject among the actors named in a sentence, and how sure that is (SPOKE, NAMED).

    With a speech verb: the actor named right after it when the attribution is inverted
    ("…, заявил пресс-секретарь Кремля"), or right before it ("Crosetto said…"). Else the
    sentence's grammatical subject when an actor opens it ("Russia will not accept…", "МЗС
    України привітало…"; a title before a name gives the person: "US-Präsident Donald Trump").
    Else the first person named early, then any other actor but Ukraine, which in the rest
    of a sentence is mostly the object ("guarantees for Ukraine")."""
    found = [f for f in found if not _not_a_subject(tokens, f[1])]
    if not found:
        return None, 0
    first_token = min(t for _a, t, _w in found)
    verb = _speech_token(sentence, tokens, first_token)

    def penalty(actor_id: int) -> int:
        slug, kind = g.actor_slugs.get(actor_id, ""), g.actor_kinds.get(actor_id, "")
        return 2 if slug == "ukraine" else 0 if kind == "person" else 1

    inverted, after, before = False, [], []
    if verb is not None:
        inverted = _comma_before(tokens, verb, body)
        after = [f for f in found if verb <= f[1] <= verb + INVERTED_WORDS]
        before = [
            f
            for f in found
            if verb - ADJACENT_WORDS <= f[1] < verb
            and not any(c in body[tokens[f[1]].end : tokens[verb].start] for c in ',;:"”»—–()')
        ]
        if inverted and after:
            return min(after, key=lambda f: (penalty(f[0]), f[1]))[0], SPOKE
    subject = _lead_subject(found, sentence, tokens, body, penalty)
    if subject is not None:  # "Premier Giorgia Meloni po szczycie UE powiedziała": not "UE"
        return subject, SPOKE
    if verb is not None and before and not inverted:
        return max(before, key=lambda f: (-penalty(f[0]), f[1]))[0], SPOKE
    early = [f for f in found if penalty(f[0]) == 0 and f[1] - first_token <= LEAD_WORDS]
    if early:
        return min(early, key=lambda f: f[1])[0], NAMED
    others = [f for f in found if penalty(f[0]) < 2 and not after_preposition(tokens, f[1])]
    if others:
        return min(others, key=lambda f: (penalty(f[0]), f[1]))[0], NAMED
    return None, 0


def _not_a_subject(tokens: list[Token], i: int) -> bool:
    """ "if Russia attacks", "NATO light": a name in a condition or inside a nickname."""
    before = tokens[i - 1].surface.casefold() if i > 0 else ""
    after = tokens[i + 1].surface.casefold() if i + 1 < len(tokens) else ""
    return before in IF_WORDS or after in NICKNAME_WORDS


def after_preposition(tokens: list[Token], i: int) -> bool:
    """ "into NATO", "nella Nato", "до НАТО": an object, not the one who speaks ("drawn up by
    US envoys", "przez wysłanników USA": the agent of a passive is)."""
    if i <= 0:
        return False
    word = tokens[i - 1].surface.casefold()
    return word in PREPOSITIONS and word not in AGENT_PREPOSITIONS


def _lead_subject(
    found: list[tuple[int, int, bool]],
    sentence: Sentence,
    tokens: list[Token],
    body: str,
    penalty: Callable[[int], int],
) -> int | None:
    """The actor that opens the sentence (its first words, not after a preposition), or the
    person named right after it ("Italian Prime Minister Giorgia Meloni")."""
    first = bisect_right(tokens, sentence.start - 1, key=token_start)
    opening = [f for f in found if f[1] - first < SUBJECT_WORDS]
    if not opening:
        return None
    lead = min(opening, key=lambda f: f[1])
    before = tokens[first : lead[1]]
    if any(t.surface.casefold() in NOT_BEFORE_SUBJECT for t in before):
        return None  # "For Ukraine, …", "В Україні …": a place or an object, not a subject
    if "," in body[sentence.start : tokens[lead[1]].start]:
        return None  # "On Monday, after talks with Kyiv, …"
    person = [
        f
        for f in found
        if penalty(f[0]) == 0
        and 0 < f[1] - lead[1] <= TITLE_WORDS
        and all(title_word(t.surface) for t in tokens[lead[1] + 1 : f[1]])
    ]
    if penalty(lead[0]) != 0 and person:
        return min(person, key=lambda f: f[1])[0]
    return lead[0]


def title_word(word: str) -> bool:
    """A word of a title or a name between a state and a person ("Defence", "Minister",
    "Italii"), not a verb or a noun of the sentence."""
    low = word.casefold()
    return word[:1].isupper() or low in TITLE_LINKS or low.startswith(TITLE_STEMS)


def _comma_before(tokens: list[Token], i: int, body: str) -> bool:
    """Is the speech verb at `i` preceded by a comma, dash or closing quote ("…, said X")?"""
    if i <= 0 or i >= len(tokens):
        return False
    gap = body[tokens[i - 1].end : tokens[i].start]
    return any(c in gap for c in ",—–-\"”»'")


def _speech_token(sentence: Sentence, tokens: list[Token], near: int) -> int | None:
    """The token index of the sentence's speech verb ("said", "заявив"), if any."""
    text = sentence.text.casefold()
    at = cue_at(SPEECH_CUES, text)
    if at is None:
        return None
    i = near
    while i > 0 and tokens[i - 1].start >= sentence.start:
        i -= 1
    offset = sentence.start + at
    while i < len(tokens) and tokens[i].end <= offset:
        i += 1
    return i if i < len(tokens) else None


def _continues(sentence: str) -> bool:
    """ "He said…", "Він наголосив…": the previous speaker goes on."""
    text = sentence.casefold()
    return bool(PRONOUN_START.match(sentence)) or any_cue(SPEECH_CUES, text)


def new_name_in(names: list[str], sentence: str) -> str | None:
    """A person-like name the dossier does not know, as the speaker of a sentence that
    reports speech ("…, said Jane Roe"): a candidate actor for the curator."""
    text = sentence.casefold()
    if not any_cue(SPEECH_CUES, text):
        return None
    inside = [n for n in names if len(n.split()) >= 2 and n in sentence]
    return inside[0] if inside else None
