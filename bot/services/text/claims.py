"""Candidate facts as attributed claims: who said or did what about which proposal, and a
suggested stance — from the cleaned article, in its own language, ready for a curator.

A claim is a body sentence (headline, dateline, byline and credits stripped) about one of the
document's linked proposals — the dossier's phrases (the linker's index) or multilingual cues
(claim_cues.py), or the next sentence's when that one names nobody else — with a speaker
(speakers.py: a known actor, or a new name proposed as a candidate actor; speaker_parties.py:
an official's state, the allies as NATO, a bilateral accord's partner) and a suggested
stance (stance.py). A speaker merely named, with no reporting verb and no stance cue, only
stands in when nothing better speaks to the proposal; the best-attributed claims fill the
review queue's quota. A byline glued onto a claim's sentence is cut from its text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.services.text.article_body import ArticleBody, body_of
from bot.services.text.candidate_names import find_candidate_names
from bot.services.text.claim_cues import (
    PROPOSAL_CUES,
    SPEECH_CUES,
    TREATY,
    WORD,
    any_cue,
    troop_words,
)
from bot.services.text.cleaning import same_words_as
from bot.services.text.linking import Gazetteer
from bot.services.text.sentences import Sentence
from bot.services.text.speaker_parties import (
    allies_speak,
    opening_name,
    partner_of,
    titled_states,
)
from bot.services.text.speakers import SPOKE, Who, attribute, new_name_in, speaker_of, token_start
from bot.services.text.stance import suggest_stance
from bot.services.text.stopwords import ALL as STOPWORDS
from bot.services.text.tokens import Token, normalize, tokenize
from bot.services.text.unnamed_speakers import carries_speaker

__all__ = ["Claim", "extract_claims", "same_claim", "suggest_stance"]
MAX_CLAIMS = 5  # per document: the review queue is read by people
MAX_PER_PROPOSAL = 2
MAX_CLAIM_CHARS = 600
MAX_SENTENCES = 80  # read per document: claims come early, and a digest of wires is long
WEAK = 1.5  # a merely named speaker with a reporting verb; below it, not even that
SAME_CLAIM = 0.5  # content-word overlap (Jaccard) above which two sentences are one claim
US_TROOPS_GAP = 2  # "American troops", "no US troops", "soldati americani"
GLUED_WORDS = 10  # a byline or heading line is short
SENTENCE_END = '.!?…:;"”»)'  # how a line that is a sentence ends
RECIPIENT = frozenset({"ukraine", "zelensky"})  # the state the guarantees are for, and its head
STANCES = ("supports", "opposes", "conditional", "proposes", "reports")


@dataclass(frozen=True)
class Claim:
    """An attributed claim: `text` said or done by the actor (or `speaker`, a new name)."""

    text: str
    proposal_id: int
    actor_id: int | None
    speaker: str | None  # a name the dossier does not know yet (a candidate actor)
    stance: str


def extract_claims(
    g: Gazetteer,
    title: str,
    text: str,
    proposal_ids: Sequence[int],
    *,
    cleaned: ArticleBody | None = None,
) -> list[Claim]:
    """The claims of one document about its linked proposals, in document order: the best
    attributed ones when there are more than the review queue takes. `cleaned`: the
    article's cleaned body when the caller has it already (the summary reads it too)."""
    wanted = [p for p in dict.fromkeys(proposal_ids) if p in g.proposal_slugs]
    if not wanted:
        return []
    cleaned = body_of(title, text, cleaned)
    body = cleaned.text
    if not body:
        return []
    headline = same_words_as(title)
    sentences = [s for s in cleaned.sentences if not headline(s.text)]
    tokens = tokenize(body)
    starts = [s.start for s in sentences]
    about, actors = _evidence(g, tokens, starts, wanted)
    covered = [(t, t) for found in actors.values() for _a, t, _w in found]
    names = find_candidate_names(tokens, body, 0, covered, g.known_words)
    sentences = sentences[:MAX_SENTENCES]
    said = [speaker_of(g, actors.get(i, []), s, tokens, body) for i, s in enumerate(sentences)]
    alliance = g.actor_by_slug.get("nato")
    for i, s in enumerate(sentences):
        if said[i][1] != SPOKE and alliance is not None and allies_speak(s.text):
            said[i] = (alliance, SPOKE)
    titled = titled_states(g, actors, tokens, body, names) if names else {}
    troops = g.proposal_by_slug.get("european-troops")
    accords = g.proposal_by_slug.get("bilateral-agreements")
    recipients = {a for a, slug in g.actor_slugs.items() if slug in RECIPIENT}
    if titled:
        for i, s in enumerate(sentences):
            state = opening_name(s.text, titled) if said[i][1] != SPOKE else None
            if state is not None:
                said[i] = (state, SPOKE)
    found: list[tuple[float, int, Claim]] = []  # (score, sentence, claim)
    previous: Who | None = None  # the last speaker, for "In exchange, …"
    person: Who | None = None  # the last person who spoke, for "He said…", "The minister…"
    used: set[int] = set()  # sentences already read as the end of a previous claim
    for i in range(len(sentences)):
        if i in used:
            continue
        if _enough(found, wanted):
            break  # every proposal has its best-attributed claims: nothing later can win
        who, strength, span = attribute(i, sentences, said, previous, tokens, body, names, person)
        used.update(span[1:])
        if who.actor_id is not None or who.name is not None:
            previous = who
        if who.name is not None or g.actor_kinds.get(who.actor_id or 0) == "person":
            person = who
        if who.actor_id is None and who.name is None:
            who = Who(None, new_name_in(names, " ".join(sentences[j].text for j in span)))
            if who.name is None:
                continue  # nobody to attribute it to
        if who.name in titled:
            who = Who(titled[who.name])  # "US Defense Secretary Pete Hegseth": the US
        topics = _topics(g, about, sentences, span, wanted)
        if troops in topics and all(
            _us_troops(g, actors.get(j, []), tokens, sentences[j]) for j in span
        ):
            topics.discard(troops)  # "no American soldiers in Ukraine": the US offer's terms
        nxt = i + 1
        if (
            who.actor_id is not None
            and not topics
            and _alone(nxt, said, used)
            and not carries_speaker(sentences[nxt].text)
        ):
            # "Trump pledged US involvement. There would be no American ground troops.": the
            # proposal is in the next sentence, which names nobody else
            topics = _topics(g, about, sentences, [nxt], wanted)
            if topics:
                span = [i, nxt]
                used.add(nxt)
        claim_text = _unglued(" ".join(sentences[j].text for j in span), text)
        for pid in [p for p in wanted if p in topics]:
            speaker, recipient = who, who.actor_id in recipients
            if recipient and pid == accords:  # Ukraine is a party to every one: its partner
                found_here = [f for j in span for f in actors.get(j, [])]
                partner = partner_of(g, found_here, tokens, recipients)
                if partner is not None:
                    speaker, recipient = Who(partner), False
            stance = suggest_stance(claim_text, g.proposal_slugs[pid], recipient=recipient)
            score = strength + (stance != "reports")
            if score < SPOKE and any_cue(SPEECH_CUES, claim_text.casefold()):
                score = WEAK  # a reporting verb, but no stance cue and a speaker merely named
            claim = Claim(_shorten(claim_text), pid, speaker.actor_id, speaker.name, stance)
            found.append((score, i, claim))
    return _best(found)


def _enough(found: list[tuple[float, int, Claim]], wanted: list[int]) -> bool:
    best = Counter(c.proposal_id for score, _i, c in found if score >= SPOKE + 1)
    return all(best[p] >= MAX_PER_PROPOSAL for p in wanted) or len(found) >= 4 * MAX_CLAIMS


def _alone(i: int, said: list[tuple[int | None, int]], used: set[int]) -> bool:
    """Sentence i exists, is not part of another claim, and names no speaker of its own."""
    return i < len(said) and i not in used and said[i][0] is None


def _us_troops(
    g: Gazetteer, found: list[tuple[int, int, bool]], tokens: list[Token], sentence: Sentence
) -> bool:
    """Every troop word of the sentence is the United States' ("American soldiers",
    "no US troops", "Американських військових"): the sentence is about the US offer and
    its terms, not a European force. A sentence with no troop word is not."""
    us = [t for a, t, _w in found if g.actor_slugs.get(a) == "us"]
    if not us:
        return False
    text = sentence.text.lower()  # the same length: offsets stay the sentence's
    offsets = [m.start() for m in troop_words().finditer(text)]
    if not offsets or len(text) != len(sentence.text):
        return False
    at = [bisect_right(tokens, sentence.start + o, key=token_start) - 1 for o in offsets]
    return all(any(abs(k - t) <= US_TROOPS_GAP for t in us) for k in at)


def _topics(
    g: Gazetteer,
    about: dict[int, set[int]],
    sentences: list[Sentence],
    indexes: list[int],
    wanted: list[int],
) -> set[int]:
    """The linked proposals these sentences are about (dossier phrases or cue words)."""
    topics: set[int] = set()
    for j in indexes:
        topics |= about.get(j, set()) | _cued(g, sentences[j].text, wanted)
    return topics


def _best(found: list[tuple[float, int, Claim]]) -> list[Claim]:
    """At most MAX_PER_PROPOSAL per proposal and MAX_CLAIMS in all, the best attributed first
    (a named speaker with a stance over a sentence that only mentions an actor), shown in
    document order."""
    kept: list[tuple[float, int, Claim]] = []
    per_proposal: dict[int, int] = {}
    for item in sorted(found, key=lambda f: (-f[0], f[1])):
        pid = item[2].proposal_id
        if item[0] < WEAK and per_proposal.get(pid, 0):
            continue  # an actor merely named, with no reporting verb and no stance cue: only
            # when nothing better speaks to the proposal
        if per_proposal.get(pid, 0) < MAX_PER_PROPOSAL and len(kept) < MAX_CLAIMS:
            kept.append(item)
            per_proposal[pid] = per_proposal.get(pid, 0) + 1
    return [c for _score, _i, c in sorted(kept, key=lambda f: f[1])]


def same_claim(a: str, b: str) -> bool:
    """Two sentences that say the same (a wire story cut or edited by another outlet)."""
    left, right = _content(a), _content(b)
    if not left or not right:
        return False
    return len(left & right) / len(left | right) >= SAME_CLAIM


def _evidence(
    g: Gazetteer, tokens: list[Token], starts: list[int], wanted: list[int]
) -> tuple[dict[int, set[int]], dict[int, list[tuple[int, int, bool]]]]:
    """Per sentence: proposals named by dossier phrases, and actors (id, token, weak)."""
    about: dict[int, set[int]] = {}
    actors: dict[int, list[tuple[int, int, bool]]] = {}
    for hit in g.index.scan(tokens):
        i = bisect_right(starts, tokens[hit.first].start) - 1
        if i < 0:
            continue
        kind, key = hit.entry.kind, hit.entry.key
        if kind == "actor" and _in_a_name(tokens, hit.first, hit.last):
            continue
        if kind == "actor":
            actors.setdefault(i, []).append((key, hit.first, hit.entry.weak))  # type: ignore[arg-type]
        elif kind in ("keyword", "context"):
            pid = key if kind == "keyword" else key[0]  # type: ignore[index]
            if pid in wanted:
                about.setdefault(i, set()).add(pid)  # type: ignore[arg-type]
    if not any(not weak for found in actors.values() for _a, _t, weak in found):
        actors.clear()  # only weak names ("Rome", "Paris"): places, not actors
    return about, actors


def _in_a_name(tokens: list[Token], first: int, last: int) -> bool:
    """ "the Washington Treaty", "Вашингтонського договору": a place in a document's name."""
    near = tokens[max(0, first - 2) : first] + tokens[last + 1 : last + 2]
    return any(TREATY.match(t.surface) for t in near)


def _cued(g: Gazetteer, sentence: str, wanted: Iterable[int]) -> set[int]:
    text = " ".join(sentence.casefold().replace("ё", "е").split())
    return {pid for pid in wanted if any_cue(PROPOSAL_CUES.get(g.proposal_slugs[pid], ""), text)}


@lru_cache(maxsize=8192)
def _content(sentence: str) -> frozenset[str]:
    """Content-word stems of a sentence (cached: a batch compares one claim with many)."""
    out = set()
    for raw in WORD.findall(sentence):
        norm = normalize(raw)
        if norm and not norm.isdigit() and raw.casefold() not in STOPWORDS:
            out.add(norm[:6])  # a crude stem: "guarantees"/"guarantee", "Мелоні"/"Мелони"
    return frozenset(out)


def _unglued(claim: str, raw: str) -> str:
    """The claim without a short line of the article that has no closing punctuation and
    was glued onto it: a byline or heading the cleaning kept ("Par Sophie Marchand,
    correspondante à Washington", "Commento di Valeria Santini")."""
    if "\n" not in raw:
        return claim
    for line in _glued_lines(raw):
        if claim.startswith(line) and claim[len(line) : len(line) + 1] == " ":
            return claim[len(line) :].lstrip()
    return claim


@lru_cache(maxsize=256)
def _glued_lines(raw: str) -> tuple[str, ...]:
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return tuple(
        line
        for line in lines
        if line and len(line.split()) <= GLUED_WORDS and line[-1] not in SENTENCE_END
    )


def _shorten(text: str) -> str:
    if len(text) <= MAX_CLAIM_CHARS:
        return text
    cut = text[: MAX_CLAIM_CHARS - 1]
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"
