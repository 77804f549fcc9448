"""Who speaks for whom: an official whose title names the state ("segretario alla Difesa
americano Pete Hegseth" -> the US), the allies as NATO, the partner in a bilateral accord
(Ukraine is a party to every one)."""

from __future__ import annotations

from bisect import bisect_right

from bot.services.text.claim_cues import ALLIES, ALLIES_WORDS, PREPOSITIONS, SPEECH_OBJECT_VERBS
from bot.services.text.linking import Gazetteer
from bot.services.text.speakers import TITLE_WORDS, after_preposition, title_word, token_start
from bot.services.text.tokens import Token


def titled_states(
    g: Gazetteer,
    actors: dict[int, list[tuple[int, int, bool]]],
    tokens: list[Token],
    body: str,
    names: list[str],
) -> dict[str, int]:
    """New names whose title names their state ("il segretario alla Difesa americano Pete
    Hegseth", "US Defense Secretary Pete Hegseth"): the name and its surname -> that state,
    the actor a curator files an official's words under."""
    hits = sorted((t, a) for found in actors.values() for a, t, _w in found)
    out: dict[str, int] = {}
    for name in names:
        at = body.find(name)
        if len(name.split()) < 2 or at < 0:
            continue
        first = bisect_right(tokens, at - 1, key=token_start)
        state = [
            a
            for t, a in hits
            if first - TITLE_WORDS <= t < first
            and g.actor_kinds.get(a) == "state"
            and all(title_word(w.surface) for w in tokens[t + 1 : first])
        ]
        if state:  # the name, and its surname ("Pete Hegseth al Gruppo": "Hegseth")
            words = name.split()
            core = next((words[:k] for k, w in enumerate(words) if w.islower()), words)
            out[name] = out[core[-1]] = state[-1]
    return out


def opening_name(sentence: str, titled: dict[str, int]) -> int | None:
    """The state of a titled name that opens the sentence ("Hegseth ha inoltre definito…")."""
    head = sentence.split(maxsplit=2)[:2]
    for word in head:
        state = titled.get(word.strip(",.:;"))
        if state is not None:
            return state
    return None


def allies_speak(sentence: str) -> bool:
    """ "Allies meeting in Washington described…", "союзники назвали…": NATO's members as one
    subject, among the sentence's first words and not after a preposition ("told allies")."""
    words = [w.strip(",.:;«»\"'") for w in sentence.casefold().split()[:ALLIES_WORDS]]
    return any(
        w in ALLIES and (k == 0 or words[k - 1] not in PREPOSITIONS | SPEECH_OBJECT_VERBS)
        for k, w in enumerate(words)
    )


def partner_of(
    g: Gazetteer, found: list[tuple[int, int, bool]], tokens: list[Token], recipient: set[int]
) -> int | None:
    """The other party named in a sentence about a bilateral accord ("Biden and Zelensky
    signed", "alongside President Zelenskyy … the United Kingdom"): a state or a person that
    is not Ukraine's side, and not a place after a preposition ("in southern Italy")."""
    for a, t, weak in sorted(found, key=lambda f: f[1]):
        if (
            a not in recipient
            and not weak
            and g.actor_kinds.get(a) in ("state", "person")
            and not _in_a_place(tokens, t)
        ):
            return a
    return None


def _in_a_place(tokens: list[Token], i: int) -> bool:
    """ "in Italy", "in southern Italy", "в Італії": a preposition before the name, with at
    most one lower-case word between."""
    if after_preposition(tokens, i):
        return True
    return i > 1 and tokens[i - 1].surface.islower() and after_preposition(tokens, i - 1)
