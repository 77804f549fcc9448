"""Substring search in the repositories: every word must match, LIKE wildcards are literal."""

from __future__ import annotations

from storage.db import Database
from storage.models import Document
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo


def test_like_wildcards_from_users_match_only_themselves(db: Database) -> None:
    with db.session() as s:
        repo = KnowledgeRepo(s)
        assert repo.search_proposals(["%"], 10) == []
        assert repo.search_actors(["_"], 10) == []
        assert repo.search_facts(["%%"], 10) == []
        assert repo.search_proposals(["NATO"], 10)  # the seed dossier names it
        assert repo.search_proposals(["NATO", "%"], 10) == []  # every word must match


def test_document_search_without_the_fts_index_escapes_wildcards(db: Database) -> None:
    with db.session() as s:
        s.add(Document(url="https://news.example/a", title="Air support plan", text="", summary=""))
        s.flush()
        repo = DocumentRepo(s)
        repo._has_fts = lambda: False  # type: ignore[method-assign]  # the portable path
        assert [d.title for d in repo.search(["air", "plan"], 10)] == ["Air support plan"]
        assert repo.search(["%"], 10) == [] and repo.search(["air_support"], 10) == []
