"""Find a proposal or an actor from what a user typed: list number, slug or fuzzy name."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils
from sqlalchemy.orm import Session

from bot.services.localize import DEFAULT_CONTENT_LANGUAGE, content_language, localized
from bot.services.text.tokens import tokenize
from bot.services.views import Ref, Resolution
from storage.repositories.knowledge import KnowledgeRepo

ACCEPT_SCORE = 86.0  # a fuzzy match this good and clearly ahead is taken as the answer
SUGGEST_SCORE = 60.0
CLEAR_LEAD = 6.0
# a one-letter typo in a short name ("melony", "trunp") scores only 77-84, but far ahead of
# everything else (the runner-up scores ~60): take it rather than ask "did you mean"
TYPO_SCORE = 75.0
TYPO_LEAD = 15.0
MIN_FUZZY_ALIAS = 5
MIN_FUZZY_CHARS = 2  # "u" or "<b>" would fuzzily "match" half the dossier
INDEX_TTL = 60.0  # seconds; renames that keep counts and ids unchanged show up after this

Entries = list[tuple[int, str, str, list[str]]]
Hints = list[tuple[int, str]]


def norm_key(text: str) -> str:
    """Words compared without case, accents or Ukrainian/Russian endings: "Зеленського"
    and "Зеленський" give the same key."""
    return " ".join(tok.norm for tok in tokenize(text))


@dataclass
class NameIndex:
    """Every name, slug and alias of one kind, ready for exact and fuzzy lookups."""

    refs: dict[int, Ref]
    exact: dict[str, int]
    choices: dict[tuple[int, int], str]
    by_norm: dict[str, int] = field(default_factory=dict)  # inflected forms of the names
    # linking-only terms ("Putin" for Russia): offered as a suggestion, never taken
    hints: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Entries, hints: Hints = ()) -> NameIndex:  # type: ignore[assignment]
        refs = {e[0]: Ref(e[0], e[1], e[2]) for e in entries}
        exact: dict[str, int] = {}
        by_norm: dict[str, int] = {}
        choices: dict[tuple[int, int], str] = {}
        for entry_id, slug, name, aliases in entries:
            for term in (slug, name, *aliases):
                exact.setdefault(term.casefold(), entry_id)
                by_norm.setdefault(norm_key(term), entry_id)
            for n, text in enumerate([name, slug.replace("-", " "), *aliases]):
                # a short alias ("nato", "US") is taken only as typed: fuzzily it is found
                # inside any long word ("nosuchthingatall" ~ "nato")
                if n < 2 or len(text) >= MIN_FUZZY_ALIAS:
                    choices[(entry_id, n)] = text
        hint_ids: dict[str, int] = {}
        for entry_id, term in hints:
            if entry_id in refs:
                hint_ids.setdefault(norm_key(term), entry_id)
        by_norm.pop("", None)
        return cls(refs, exact, choices, by_norm, hint_ids)


# (database URL, kind) → (version of the names, built at, index): reading 5,000 actors and
# their aliases for every /actor would cost more than the rest of the command
_INDEXES: dict[tuple[str, str], tuple[tuple, float, NameIndex]] = {}


def _index(
    session: Session,
    kind: str,
    version: Callable[[], tuple],
    load: Callable[[], Entries],
    load_hints: Callable[[], Hints] = list,
) -> NameIndex:
    key = (str(session.get_bind().url), kind)
    current = version()
    cached = _INDEXES.get(key)
    if cached and cached[0] == current and time.monotonic() - cached[1] < INDEX_TTL:
        return cached[2]
    index = NameIndex.build(load(), load_hints())
    _INDEXES[key] = (current, time.monotonic(), index)
    return index


def resolve_proposal(session: Session, query: str) -> Resolution:
    repo = KnowledgeRepo(session)
    found = _resolve(
        query,
        lambda: _index(session, "proposals", repo.proposal_names_version, repo.proposal_names),
    )
    return _relabel(found, lambda ref: _label(repo.proposal_by_id(ref.id), "title", ref))


def resolve_actor(session: Session, query: str) -> Resolution:
    repo = KnowledgeRepo(session)
    found = _resolve(
        query,
        lambda: _index(
            session, "actors", repo.actor_names_version, repo.actor_names, repo.actor_hint_terms
        ),
    )
    return _relabel(found, lambda ref: _label(repo.actor_by_id(ref.id), "name", ref))


def _label(row: object | None, field: str, ref: Ref) -> str:
    return localized(row, field) if row is not None else ref.label


def _relabel(found: Resolution, label: Callable[[Ref], str]) -> Resolution:
    """The index holds English labels; matches and suggestions are shown in the reply's."""
    if content_language() == DEFAULT_CONTENT_LANGUAGE:
        return found

    def relabel(ref: Ref) -> Ref:
        return Ref(ref.id, ref.slug, label(ref), ref.extra)

    return Resolution(
        relabel(found.match) if found.match else None, [relabel(r) for r in found.suggestions]
    )


def proposal_index(session: Session) -> NameIndex:
    repo = KnowledgeRepo(session)
    return _index(session, "proposals", repo.proposal_names_version, repo.proposal_names)


def parse_id(text: str) -> int | None:
    """A list number or database id typed by a user (`3`, `#3`), or None.

    ASCII digits only: str.isdigit() also accepts "²" or "①", which int() rejects, and a
    number past 2^31 is no id of ours (SQLite would refuse to bind one past 2^63)."""
    digits = text.strip().lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 10:
        return None
    value = int(digits)
    return value if value < 2**31 else None


def _resolve(query: str, get_index: Callable[[], NameIndex]) -> Resolution:
    query = " ".join(query.split())[:200]
    if not query:
        return Resolution(None)
    index = get_index()
    if query.lstrip("#").isdigit():  # a list number (or a digit-like sign: no match)
        number = parse_id(query)
        return Resolution(index.refs.get(number) if number is not None else None)
    exact = index.exact.get(query.casefold())
    if exact is None:
        exact = index.by_norm.get(norm_key(query))
    if exact is not None:
        return Resolution(index.refs[exact])
    hint = index.hints.get(norm_key(query))
    if hint is not None:
        return Resolution(None, [index.refs[hint]])
    if len(utils.default_process(query)) < MIN_FUZZY_CHARS:
        return Resolution(None)
    best: dict[int, float] = {}
    for _text, score, key in process.extract(
        query, index.choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=40
    ):
        best[key[0]] = max(best.get(key[0], 0.0), score)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return Resolution(None)
    top_id, top_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    lead = top_score - runner_up
    if (top_score >= ACCEPT_SCORE and lead >= CLEAR_LEAD) or (
        top_score >= TYPO_SCORE and lead >= TYPO_LEAD
    ):
        return Resolution(index.refs[top_id])
    suggestions = [index.refs[i] for i, score in ranked[:5] if score >= SUGGEST_SCORE]
    return Resolution(None, suggestions)
