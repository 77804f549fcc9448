"""Find the dossier's actors and proposals named in a question, however it is typed.

Questions come in lower case, inflected ("Італією", "Зеленського") and with short loose names
("troops", "art5"). The gazetteer is the dossier's own: actor names, aliases, forms and
linking terms; proposal titles, aliases, keywords, context phrases and lookup names. Words
compare by the tokenizer's key (case, accents and Ukrainian/Russian endings dropped); the
longest name wins where two overlap, so "NATO membership" is a proposal and not NATO.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bot.services.questions.titles import (
    Person,
    person_with_title,
    title_beside,
    title_keys,
)
from bot.services.text.tokens import Token, tokenize, words
from bot.services.views import Ref
from storage.repositories.knowledge import KnowledgeRepo

# acronyms that are also everyday words in lower case: only as written ("US", not "tell us")
_CASE_SENSITIVE = frozenset({"us", "it", "ес"})
INDEX_TTL = 60.0


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # comparison keys
    exact: str | None  # a one-word acronym that must be written as such
    kind: str  # "actor" or "proposal"
    target: int
    # a proposal's lookup name that is also an actor's name ("NATO"): the actor by default,
    # the proposal only when the question needs a proposal and names none
    fallback: bool = False


@dataclass(frozen=True)
class Named:
    kind: str
    target: int
    first: int  # token indexes, inclusive
    last: int
    fallback: bool = False


# the words that join two names into a proposal's ("Ukraine in NATO", "Україна в НАТО")
INTO_WORDS = frozenset(t.norm for t in tokenize("in into to of в у до во"))
PAIR_GAP = 4  # words between the two names at most ("Kyiv ever be part of NATO")

FUZZY_PHRASE_SCORE = 92.0  # "coalition of the wiling" ~ "coalition of the willing" (98)
MIN_FUZZY_PHRASE = 12  # letters: shorter names are one slip from too many phrases
MAX_FUZZY_WORDS = 5
FUZZY_WORD_SCORE = 80.0  # "Кросетто" ~ "Крозетто" (86), "Zelenskyi" ~ "Zelensky" (94)


@dataclass
class QuestionGazetteer:
    by_first: dict[str, list[Phrase]]
    actors: dict[int, Ref]
    proposals: dict[int, Ref]
    # one-word actor names by comparison key, for misspelt names
    name_words: dict[str, int] = field(default_factory=dict)
    # the dossier's people (their country and role) and states (their country's name), for
    # people named by title ("the Italian PM")
    people: dict[int, Person] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    # actor id -> the proposals named after it ("NATO membership", "NATO's role")
    named_after: dict[int, list[int]] = field(default_factory=dict)
    # (actor id, actor id) -> the proposal a name made of the two names ("Ukraine in NATO")
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)

    def joined(self, tokens: list[Token], named: list[Named]) -> list[Named]:
        """Two actors with "in"/"в"/"до" before the second, a few words apart ("Україна в
        НАТО", "will Kyiv ever be part of the alliance"), that a proposal's name joins the
        same way ("Ukraine in NATO"): that proposal, over the whole stretch."""
        covered = {i for n in named for i in range(n.first, n.last + 1)}
        for a in named:
            for b in named:
                if a.kind != "actor" or b.kind != "actor" or a.fallback or b.fallback:
                    continue
                gap = range(a.last + 1, b.first)
                if not 0 < len(gap) <= PAIR_GAP or tokens[b.first - 1].norm not in INTO_WORDS:
                    continue
                pid = self.pairs.get((a.target, b.target))
                if pid is None or any(i in covered for i in gap):
                    continue
                kept = [n for n in named if n.last < a.first or n.first > b.last]
                joined = Named("proposal", pid, a.first, b.last)
                return sorted([*kept, joined], key=lambda n: (n.first, n.fallback))
        return named

    def titled(self, tokens: list[Token], named: list[Named]) -> list[Named]:
        """A state named beside a title ("italian pm", "прем'єр Італії") is the person of that
        state who holds it, when the dossier has one; else the state, title and all."""
        covered = {i for n in named for i in range(n.first, n.last + 1)}
        keys = title_keys(tokens, covered)
        out: list[Named] = []
        for n in named:
            country = self.states.get(n.target) if n.kind == "actor" else None
            hit = title_beside(keys, n.first, n.last) if country and not n.fallback else None
            if country is None or hit is None:
                out.append(n)
                continue
            person = person_with_title(self.people, country, hit.role)
            first, last = min(n.first, hit.first), max(n.last, hit.last)
            out.append(Named("actor", n.target if person is None else person, first, last))
            # the title is part of this name now, never of another one
            keys[hit.first : hit.last + 1] = [None] * (hit.last - hit.first + 1)
        return out

    def misspelt_actor(self, *keys: str, swap_only: bool = False) -> int | None:
        """The actor whose one-word name is close to one of `keys` (the word's comparison
        key, its lower-case spelling), when exactly one is. `swap_only`: only two letters
        swapped ("itlay"), for short words in lower case, where one changed letter turns too
        many ordinary words into names ("parts" ~ "paris")."""
        actors: set[int] = set()
        if swap_only:
            for key in keys:
                # "itlay", and "trumps" (a possessive typed without its apostrophe)
                actors |= {
                    a for w, a in self.name_words.items() if _one_swap(key, w) or key == w + "s"
                }
            return actors.pop() if len(actors) == 1 else None
        for key in keys:
            found = process.extract(
                key, list(self.name_words), scorer=fuzz.ratio, score_cutoff=FUZZY_WORD_SCORE
            )
            # a typo seldom hits the first letters ("альянс" is not "итальянский") and
            # seldom adds or drops two ("parties" is not "Paris")
            actors |= {
                self.name_words[w]
                for w, _score, _i in found
                if w[:2] == key[:2] and abs(len(w) - len(key)) <= 1
            }
        return actors.pop() if len(actors) == 1 else None

    def misspelt_proposals(self, tokens: list[Token], named: list[Named]) -> list[Named]:
        """A proposal's name of two words or more typed with a slip ("coalition of the wiling",
        "reasurance force", "колиція охочих"): the words no name covers, compared whole with
        each such name of as many words; the closest one when only one proposal is that close.
        """
        covered = {i for n in named for i in range(n.first, n.last + 1)}
        keys = [t.norm for t in tokens]
        found: list[Named] = []
        for size in range(MAX_FUZZY_WORDS, 1, -1):
            phrases = {
                " ".join(p.words): p.target
                for bucket in self.by_first.values()
                for p in bucket
                if len(p.words) == size
                and p.kind == "proposal"
                and not p.fallback
                and len(" ".join(p.words)) >= MIN_FUZZY_PHRASE
            }
            if not phrases:
                continue
            for i in range(len(tokens) - size + 1):
                span = range(i, i + size)
                if any(j in covered for j in span):
                    continue
                window = " ".join(keys[i : i + size])
                hits = process.extract(
                    window, list(phrases), scorer=fuzz.ratio, score_cutoff=FUZZY_PHRASE_SCORE
                )
                # a slip keeps the first letters ("wiling" for "willing")
                targets = {phrases[h] for h, _s, _i in hits if h[:2] == window[:2]}
                if len(targets) == 1:
                    found.append(Named("proposal", targets.pop(), i, i + size - 1))
                    covered |= set(span)
        return sorted([*named, *found], key=lambda n: (n.first, n.fallback))

    def actors_inside(self, tokens: list[Token], named: list[Named]) -> list[int]:
        """Actors named inside the proposal names found ("the Meloni plan", "NATO membership",
        "US air support"): the plan's author, the alliance, the state it is named after."""
        found: list[int] = []
        for n in named:
            if n.kind != "proposal" or n.fallback:
                continue
            span = tokens[n.first : n.last + 1]
            for hit in self._hits(span):
                if hit.kind == "actor" and hit.target not in found:
                    found.append(hit.target)
        return found

    def _hits(self, tokens: list[Token]) -> list[Named]:
        hits: list[Named] = []
        for i, tok in enumerate(tokens):
            for phrase in self.by_first.get(tok.norm, ()):
                end = i + len(phrase.words)
                if end > len(tokens):
                    continue
                if any(tokens[i + k].norm != w for k, w in enumerate(phrase.words)):
                    continue
                if phrase.exact is not None and not _as_acronym(tokens, i, phrase.exact):
                    continue
                hits.append(Named(phrase.kind, phrase.target, i, end - 1, phrase.fallback))
        return hits

    def find(self, tokens: list[Token]) -> list[Named]:
        """Every name in the question, longest first where they overlap, in text order."""
        hits = self._hits(tokens)
        # longest first; at equal length a proposal wins over an actor, a real name over a
        # fallback
        hits.sort(key=lambda h: (h.first - h.last, h.fallback, h.kind != "proposal", h.first))
        taken: list[Named] = []
        for hit in hits:
            if all(hit.last < t.first or hit.first > t.last for t in taken):
                taken.append(hit)
            elif hit.fallback and any(
                (t.first, t.last) == (hit.first, hit.last) and t.kind == "actor" for t in taken
            ):
                taken.append(hit)  # kept beside the actor it shadows
        return sorted(taken, key=lambda h: (h.first, h.fallback))


# words after which a lower-case "us" is the pronoun ("tell us", "send us planes")
_PRONOUN_BEFORE = words(
    """tell tells told give gives gave show shows let lets help helps send sends sent for to
    about of with from among both all against brief remind update keep join joins protect
    defend defends"""
)


def _one_swap(a: str, b: str) -> bool:
    """`a` is `b` with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def _as_acronym(tokens: list[Token], i: int, exact: str) -> bool:
    """ "US" as written; in a question typed in lower case "the us", "will us jets", but never
    "tell us" or a question that is "us" alone."""
    surface = tokens[i].surface
    if surface == exact:
        return True
    if surface != exact.lower() or len(tokens) < 2:
        return False
    return i == 0 or tokens[i - 1].norm not in _PRONOUN_BEFORE


def _add(index: dict[str, list[Phrase]], text: str, kind: str, target: int, fb: bool) -> None:
    tokens = tokenize(text)
    if not tokens:
        return
    words = tuple(t.norm for t in tokens)
    exact = None
    if len(tokens) == 1 and tokens[0].norm in _CASE_SENSITIVE:
        exact = tokens[0].surface
    phrase = Phrase(words, exact, kind, target, fb)
    bucket = index.setdefault(words[0], [])
    if phrase not in bucket:
        bucket.append(phrase)
    last = words[-1]
    if kind == "proposal" and last.isascii() and last.isalpha() and len(last) > 3:
        # "security agreements" also as "security agreement", "air cover" as "air covers"
        other = last[:-1] if last.endswith("s") else last + "s"
        variant = Phrase((*words[:-1], other), exact, kind, target, fb)
        if variant not in bucket:
            bucket.append(variant)


def build_gazetteer(session: Session) -> QuestionGazetteer:
    repo = KnowledgeRepo(session)
    index: dict[str, list[Phrase]] = {}
    actors: dict[int, Ref] = {}
    actor_keys: set[tuple[str, ...]] = set()
    name_words: dict[str, int] = {}
    for term in repo.gazetteer():
        _add(index, term.term, "actor", term.actor_id, False)
        key = tuple(t.norm for t in tokenize(term.term))
        actor_keys.add(key)
        if len(key) == 1 and len(key[0]) >= 5 and term.term.isalpha():
            name_words.setdefault(key[0], term.actor_id)
            name_words.setdefault(term.term.casefold(), term.actor_id)
    people: dict[int, Person] = {}
    states: dict[int, str] = {}
    for actor in repo.list_actors(0, 100_000):
        actors[actor.id] = Ref(actor.id, actor.slug, actor.name)
        if actor.kind == "person" and actor.country:
            people[actor.id] = Person(actor.country, actor.role or "")
        elif actor.kind == "state" and actor.country:
            states[actor.id] = actor.country
    by_slug = {ref.slug: ref.id for ref in actors.values()}
    for slug, nicknames in load_nicknames().items():
        for nickname in nicknames if slug in by_slug else ():
            _add(index, nickname, "actor", by_slug[slug], False)
    proposals: dict[int, Ref] = {}
    names: list[tuple[int, str]] = []
    for rules in repo.proposal_link_rules():
        link_rules = rules.link_rules or {}
        phrases = [*rules.aliases, *rules.keywords, *(link_rules.get("lookup_names") or [])]
        # the dossier's phrases in other languages too ("НАТО-лайт", "коалиція охочих")
        phrases += [w for ws in (link_rules.get("lemma_keywords") or {}).values() for w in ws]
        for ctx in link_rules.get("context_keywords") or []:
            # a one-word context phrase ("role") is far too loose without its context
            phrases += [p for p in ctx.get("phrases", []) if len(p.split()) > 1]
        for text in phrases:
            key = tuple(t.norm for t in tokenize(text))
            _add(index, text, "proposal", rules.proposal_id, key in actor_keys)
        names += [(rules.proposal_id, text) for text in rules.aliases]
    for pid, slug, title, _aliases in repo.proposal_names():
        _add(index, title, "proposal", pid, False)
        proposals[pid] = Ref(pid, slug, title)
        names.append((pid, title))
    gazetteer = QuestionGazetteer(index, actors, proposals, name_words, people, states)
    for pid, text in names:
        tokens = tokenize(text)
        pair = _pair_of(gazetteer, tokens)
        if pair is not None:
            gazetteer.pairs.setdefault(pair, pid)
        for hit in gazetteer._hits(tokens):
            if hit.kind != "actor" or hit.fallback:
                continue
            after = gazetteer.named_after.setdefault(hit.target, [])
            if pid not in after:
                after.append(pid)
    return gazetteer


def _pair_of(gazetteer: QuestionGazetteer, tokens: list[Token]) -> tuple[int, int] | None:
    """The two actors a proposal's name is made of, joined by "in"/"в" ("Ukraine in NATO")."""
    hits = [h for h in gazetteer._hits(tokens) if h.kind == "actor" and not h.fallback]
    if len(hits) != 2 or hits[0].first != 0 or hits[1].last != len(tokens) - 1:
        return None
    between = tokens[hits[0].last + 1 : hits[1].first]
    if not between or any(t.norm not in INTO_WORDS for t in between):
        return None
    return hits[0].target, hits[1].target


NICKNAMES_FILE = Path(__file__).with_name("nicknames.yaml")


@lru_cache(maxsize=4)
def load_nicknames(path: Path = NICKNAMES_FILE) -> dict[str, tuple[str, ...]]:
    """Question-only names by actor slug (nicknames.yaml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(slug): tuple(str(n) for n in names or ()) for slug, names in data.items()}


_CACHE: dict[str, tuple[tuple, float, QuestionGazetteer]] = {}


def gazetteer_for(session: Session) -> QuestionGazetteer:
    """The gazetteer of this database, rebuilt when names change (or after INDEX_TTL)."""
    repo = KnowledgeRepo(session)
    key = str(session.get_bind().url)
    version = (*repo.proposal_names_version(), *repo.actor_names_version())
    cached = _CACHE.get(key)
    if cached and cached[0] == version and time.monotonic() - cached[1] < INDEX_TTL:
        return cached[2]
    gazetteer = build_gazetteer(session)
    _CACHE[key] = (version, time.monotonic(), gazetteer)
    return gazetteer
