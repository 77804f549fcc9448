"""Sentences that speak for someone they do not name: a pronoun or "за його словами", a
left-out subject ("Ha ripetuto che…"), a bare title ("The prime minister said…", "hält der
italienische Verteidigungsminister für ausgemacht"), a reporting verb between commas
(", ha ricordato,"). Their speaker is the last person who spoke (speakers.attribute)."""

from __future__ import annotations

from bot.services.text.claim_cues import (
    ASIDE,
    AUXILIARIES,
    BARE_TITLES,
    CONTINUATION,
    IN_THEIR_WORDS,
    PRONOUN_SPEECH,
    PRONOUN_SUBJECT,
    SPEECH_CUES,
    STANCE_CUES,
    TITLE_OPENERS,
    TITLE_QUALIFIERS,
    TITLE_STEMS,
    any_cue,
    cue_at,
)

OPENING_WORDS = 5  # a left-out or titled subject is among a sentence's first words
TITLE_REACH = 8  # a bare title among a sentence's first words


def speaks_for_someone(sentence: str) -> bool:
    """ "…, he said", "По его словам, …", "Ha ripetuto che…", "Il meccanismo, ha ricordato,
    prevede…": the sentence's speaker is someone named before."""
    return bool(
        PRONOUN_SPEECH.search(sentence)
        or PRONOUN_SUBJECT.match(sentence)
        or IN_THEIR_WORDS.search(sentence)
        or no_subject(sentence)
        or aside(sentence)
    )


def bare_title(sentence: str) -> bool:
    """A title with no name after it, after an article or an adjective, among the first
    words ("hält der italienische Verteidigungsminister für ausgemacht", "the minister also
    said"): the person named before, when nobody in the sentence speaks."""
    words = sentence.split()
    for k, word in enumerate(words[1:TITLE_REACH], start=1):
        low = word.casefold().strip(",.:;")
        if low.startswith(BARE_TITLES) and (k == 1 or words[k - 1].islower()):
            after = words[k + 1 : k + 3]
            return not any(w[:1].isupper() for w in after)
    return False


def carries_speaker(sentence: str) -> bool:
    """The sentence speaks for someone not named in it: a reporting verb ("Президент
    наголосив…", "Ha ripetuto…") or a pronoun ("He said…")."""
    text = sentence.casefold()
    return any_cue(SPEECH_CUES, text) or bool(PRONOUN_SUBJECT.match(sentence))


def no_subject(sentence: str) -> bool:
    """A sentence whose subject is the previous speaker, left out or named by a title: it
    opens (after "In exchange,", "Вместо этого") with a speech or proposal verb ("Ha ripetuto
    che…", "Zaproponowała, by…") or a bare title ("The prime minister said…", "итальянский
    премьер предложила")."""
    rest = sentence[len(m.group()) :] if (m := CONTINUATION.match(sentence)) else sentence
    opening = rest.split(maxsplit=OPENING_WORDS)
    if not opening:
        return False
    head = " ".join(opening[:OPENING_WORDS]).casefold()
    verb = cue_at(SPEECH_CUES, head)
    if verb is None:
        verb = cue_at(STANCE_CUES["proposes"], head)
    if verb is None:
        return False
    before = head[:verb].split()
    if not before or (len(before) == 1 and before[0] in AUXILIARIES):
        return True  # "Ha ripetuto che…", "Заявил, что…", not "Meloni ha detto"
    titled = {w for w in before if w.startswith(TITLE_STEMS) and w not in TITLE_QUALIFIERS}
    named = [
        w
        for w in opening[: len(before)]
        if w[:1].isupper() and w.casefold() not in TITLE_OPENERS | titled
    ]
    return bool(titled) and not named  # "Президент наголосив", not "President Macron said"


def aside(sentence: str) -> bool:
    """ "La proposta italiana, ha ricordato, prevede…": a speech verb between commas, with
    no subject of its own, is the previous speaker's."""
    for m in ASIDE.finditer(sentence):
        words = m.group(1)
        if words.islower() and cue_at(SPEECH_CUES, words) == 0:  # not ", said Rutte,"
            return True
    return False
