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
MAX_PAGE = 100
# how many of each kind one page shows: sized so that a page fits one Telegram message
PER_PAGE = {"proposals": 5, "actors": 5, "facts": 3, "documents": 3}
_WORD_RE = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass
class SearchResults:
    words: list[str]
    proposals: list[Ref]
    actors: list[Ref]
    facts: list[FactView]
    documents: list[DocumentView]
    page: int = 1
    has_more: bool = False

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


def search(session: Session, text: str, page: int = 1) -> SearchResults:
    """One page of matches of every kind; `has_more` when any kind continues on the next."""
    words = search_words(text)
    page = min(max(page, 1), MAX_PAGE)
    if not words:
        return SearchResults([], [], [], [], [], page)
    repo = KnowledgeRepo(session)
    found = {}
    more = False
    for kind, query in (
        ("proposals", repo.search_proposals),
        ("actors", repo.search_actors),
        ("facts", repo.search_facts),
        ("documents", DocumentRepo(session).search),
    ):
        n = PER_PAGE[kind]
        rows = list(query(words, n + 1, (page - 1) * n))  # one extra row tells of a next page
        more = more or len(rows) > n
        found[kind] = rows[:n]
    return SearchResults(
        words=words,
        proposals=[proposal_ref(p) for p in found["proposals"]],
        actors=[actor_ref(a) for a in found["actors"]],
        facts=[fact_view(f) for f in found["facts"]],
        documents=[document_view(d) for d in found["documents"]],
        page=page,
        has_more=more,
    )
