"""A suggested stance for a claim (supports, opposes, conditional, proposes, reports), from
cue words; a curator confirms it."""

from __future__ import annotations

import re

from bot.services.text.claim_cues import (
    CONTINUATION,
    CONTRAST,
    IF_CLAUSE,
    MAY,
    NEGATION,
    NOT_REALISTIC,
    OFFER_CUES,
    PREPOSITIONS,
    RENOUNCE_CUES,
    STANCE_CUES,
    STRONG_OPPOSE_CUES,
    any_cue,
    cue_at,
)


def suggest_stance(sentence: str, proposal_slug: str = "", *, recipient: bool = False) -> str:
    """supports | opposes | conditional | proposes | reports, from cue words. `recipient`:
    the speaker is Ukraine itself, for whom giving up membership is an offer it may make
    on terms ("could drop the bid in exchange for guarantees"); from anyone else it is a
    demand against membership ("In exchange, Kyiv must renounce NATO")."""
    text = " ".join(sentence.casefold().split())
    if (
        not recipient
        and proposal_slug == "nato-membership"
        and cue_at(RENOUNCE_CUES, text) is not None
    ):
        return "opposes"
    if cue_at(STANCE_CUES["conditional"], _terms(text)) is not None:
        return "conditional"
    turn = CONTRAST.search(text)
    if turn is not None:  # "ruled out troops, but offered air support": the offer counts
        before, after = text[: turn.start()], text[turn.end() :]
        if any_cue(OFFER_CUES, after) and (
            proposal_slug == "us-air-support" or not NEGATION.search(before)
        ):
            return "proposes"  # (not "Italy will not send soldiers, but could train them")
        if NEGATION.search(after) and (
            (not NEGATION.search(before) and proposal_slug != "art5-like")
            or any(cue_at(STANCE_CUES[s], before) is not None for s in ("supports", "proposes"))
        ):
            return "conditional"  # "NATO will help with planning, but will not command it"
    if IF_CLAUSE.search(text) and MAY.search(text):
        return "conditional"  # "Ukraine could set aside its bid if it obtained guarantees"
    if NOT_REALISTIC.search(text):
        return "opposes"
    if proposal_slug == "nato-membership" and cue_at(RENOUNCE_CUES, text) is not None:
        return "opposes"  # "Ukraine must renounce membership": against it, whoever says it
    found = []
    for stance in ("opposes", "proposes", "supports"):
        if (
            stance == "opposes"
            and proposal_slug == "us-air-support"
            and not _air_refused(text)
            and cue_at(STRONG_OPPOSE_CUES, text) is None
        ):
            continue  # "no US boots on the ground" is the air-support offer, not against it
        at = cue_at(STANCE_CUES[stance], text)
        if at is not None:
            found.append((at, stance))
    return min(found)[1] if found else "reports"  # the main verb comes first


def _terms(text: str) -> str:
    """The sentence without an opening "In exchange," / "W zamian" that links it to the one
    before ("W zamian zaproponowała…": instead, not a condition; "In exchange for…" stays)."""
    m = CONTINUATION.match(text)
    if m is None:
        return text
    rest = text[m.end() :]
    first = rest.split(maxsplit=1)[0] if rest.split() else ""
    return rest if m.group().rstrip().endswith(",") or first not in PREPOSITIONS else text


AIR_REFUSED = re.compile(r"\b(?:no|not|without|refus\w*|reject\w*)\b[^.]{0,30}\bair\b")


def _air_refused(text: str) -> bool:
    return AIR_REFUSED.search(text) is not None
