"""Find a proposal or an actor from what a user typed: list number, slug or fuzzy name."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy.orm import Session

from bot.services.views import Ref, Resolution
from storage.repositories.knowledge import KnowledgeRepo

ACCEPT_SCORE = 86.0  # a fuzzy match this good and clearly ahead is taken as the answer
SUGGEST_SCORE = 60.0
CLEAR_LEAD = 6.0
# a one-letter typo in a short name ("melony", "trunp") scores only 77-84, but far ahead of
# everything else (the runner-up scores ~60): take it rather than ask "did you mean"
TYPO_SCORE = 75.0
TYPO_LEAD = 15.0
MIN_FUZZY_CHARS = 2  # "u" or "<b>" would fuzzily "match" half the dossier


def resolve_proposal(session: Session, query: str) -> Resolution:
    return _resolve(query, KnowledgeRepo(session).proposal_names())


def resolve_actor(session: Session, query: str) -> Resolution:
    return _resolve(query, KnowledgeRepo(session).actor_names())


def _resolve(query: str, entries: list[tuple[int, str, str, list[str]]]) -> Resolution:
    query = " ".join(query.split())[:200]
    if not query:
        return Resolution(None)
    by_id = {e[0]: e for e in entries}
    refs = {e[0]: Ref(e[0], e[1], e[2]) for e in entries}
    stripped = query.lstrip("#")
    if stripped.isdigit():
        entry = by_id.get(int(stripped))
        return Resolution(refs[entry[0]] if entry else None)
    lowered = query.casefold()
    for entry_id, slug, name, aliases in entries:
        if lowered in (slug, name.casefold()) or lowered in (a.casefold() for a in aliases):
            return Resolution(refs[entry_id])

    if len(utils.default_process(query)) < MIN_FUZZY_CHARS:
        return Resolution(None)
    choices: dict[tuple[int, int], str] = {}
    for entry_id, slug, name, aliases in entries:
        for n, text in enumerate([name, slug.replace("-", " "), *aliases]):
            choices[(entry_id, n)] = text
    best: dict[int, float] = {}
    for _text, score, key in process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=40
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
        return Resolution(refs[top_id])
    suggestions = [refs[i] for i, score in ranked[:5] if score >= SUGGEST_SCORE]
    return Resolution(None, suggestions)
