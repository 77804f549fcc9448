"""Full-text-ish search across proposals, actors, approved facts and ingested documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services.catalog import actor_ref, document_view, fact_view, proposal_ref
from bot.services.views import DocumentView, FactView, Ref
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo

MAX_WORDS = 6
MIN_WORD = 2
PER_KIND = 10
_WORD_RE = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass
class SearchResults:
    words: list[str]
    proposals: list[Ref]
    actors: list[Ref]
    facts: list[FactView]
    documents: list[DocumentView]

    @property
    def empty(self) -> bool:
        return not (self.proposals or self.actors or self.facts or self.documents)


def search_words(text: str) -> list[str]:
    """The words of a query worth searching for (deduplicated, at most MAX_WORDS)."""
    words: list[str] = []
    for word in _WORD_RE.findall(text):
        word = word.strip("-'’")[:60]
        if len(word) >= MIN_WORD and word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


def search(session: Session, text: str, per_kind: int = PER_KIND) -> SearchResults:
    words = search_words(text)
    if not words:
        return SearchResults([], [], [], [], [])
    repo = KnowledgeRepo(session)
    return SearchResults(
        words=words,
        proposals=[proposal_ref(p) for p in repo.search_proposals(words, per_kind)],
        actors=[actor_ref(a) for a in repo.search_actors(words, per_kind)],
        facts=[fact_view(f) for f in repo.search_facts(words, per_kind)],
        documents=[document_view(d) for d in DocumentRepo(session).search(words, per_kind)],
    )
