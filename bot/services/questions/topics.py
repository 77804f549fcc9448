"""Proposals a question points at through ordinary words rather than a name.

"Will the US send soldiers?", "what role would NATO play?", "хто за взаємну оборону?" name no
proposal, yet each is about one. topics.yaml lists, per proposal, the everyday words (in
English, Ukrainian and Russian) that point at it, optionally only beside a given actor ("role"
beside NATO is NATO's participation). Words compare by the tokenizer's keys, as word
beginnings, so inflected forms ("солдатів", "войсках") meet their cue.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.services.text.tokens import Token, tokenize

TOPICS_FILE = Path(__file__).with_name("topics.yaml")


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # comparison keys, each a word beginning
    whole: tuple[bool, ...]  # which of them must be the whole word

    def at(self, keys: list[str | None], i: int) -> bool:
        if i + len(self.words) > len(keys):
            return False
        for k, (word, whole) in enumerate(zip(self.words, self.whole, strict=True)):
            key = keys[i + k]
            if key is None or not (key == word if whole else key.startswith(word)):
                return False
        return True


@dataclass(frozen=True)
class Topic:
    proposal: str  # slug
    cues: tuple[Cue, ...]
    with_actors: frozenset[str] = frozenset()  # slugs; empty: any question
    also: tuple[Cue, ...] = ()  # a second group of words that must occur too
    part: bool = False  # the actor is part of the proposal's name
    alone: bool = False  # only when the question names no other actor


@dataclass(frozen=True)
class TopicHit:
    proposal: str
    actors: frozenset[str]  # the named actors the cue needed (slugs)
    part: bool


def parse_cues(text: str) -> tuple[Cue, ...]:
    cues = []
    for raw in (c.strip() for c in str(text).split("|")):
        parts = raw.split()
        if not parts:
            continue
        words, whole = [], []
        for part in parts:
            tokens = tokenize(part.rstrip("$"))
            if len(tokens) != 1:
                break
            words.append(tokens[0].norm)
            whole.append(part.endswith("$"))
        else:
            cues.append(Cue(tuple(words), tuple(whole)))
    return tuple(cues)


@dataclass(frozen=True)
class TopicTable:
    topics: tuple[Topic, ...]
    beneficiaries: frozenset[str]  # slugs of the actors the guarantees are for


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> TopicTable:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = []
    for row in data.get("topics") or []:
        topics.append(
            Topic(
                proposal=str(row["proposal"]),
                cues=parse_cues(row.get("words", "")),
                with_actors=frozenset(row.get("with") or ()),
                also=parse_cues(row.get("also", "")),
                part=bool(row.get("part", False)),
                alone=bool(row.get("alone", False)),
            )
        )
    return TopicTable(tuple(topics), frozenset(data.get("beneficiary") or ()))


def _occurs(cues: tuple[Cue, ...], keys: list[str | None]) -> bool:
    return any(cue.at(keys, i) for cue in cues for i in range(len(keys)))


def find_topics(
    tokens: list[Token],
    names: set[int],
    actor_names: set[int],
    actor_slugs: set[str],
    table: TopicTable | None = None,
) -> list[TopicHit]:
    """The topics whose words occur in the question and whose actor, if they need one, the
    question names. Words are looked for outside the names (`names`: token indexes); a topic
    that needs an actor (and is not named after it) looks inside proposal names too ("US" +
    "troops": air support)."""
    table = table or load_topics()
    outside = [None if i in names else t.norm for i, t in enumerate(tokens)]
    beside = [None if i in actor_names else t.norm for i, t in enumerate(tokens)]
    hits: list[TopicHit] = []
    for topic in table.topics:
        needed = topic.with_actors & actor_slugs
        if topic.with_actors and not needed:
            continue
        if topic.alone and actor_slugs - topic.with_actors:
            continue  # "will Ukraine join the EU" is not about NATO
        # a word inside a proposal's name never makes its actor part of another name
        keys = beside if topic.with_actors and not topic.part else outside
        if topic.also and not _occurs(topic.also, keys):
            continue
        if _occurs(topic.cues, keys):
            hits.append(TopicHit(topic.proposal, frozenset(needed), topic.part))
    return hits
