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

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

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


FUZZY_WORD_SCORE = 80.0  # "Кросетто" ~ "Крозетто" (86), "Zelenskyi" ~ "Zelensky" (94)


@dataclass
class QuestionGazetteer:
    by_first: dict[str, list[Phrase]]
    actors: dict[int, Ref]
    proposals: dict[int, Ref]
    # one-word actor names by comparison key, for misspelt names
    name_words: dict[str, int] = field(default_factory=dict)

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
    for actor in repo.list_actors(0, 100_000):
        actors[actor.id] = Ref(actor.id, actor.slug, actor.name)
    proposals: dict[int, Ref] = {}
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
    for pid, slug, title, _aliases in repo.proposal_names():
        _add(index, title, "proposal", pid, False)
        proposals[pid] = Ref(pid, slug, title)
    return QuestionGazetteer(index, actors, proposals, name_words)


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
