"""Pending review items for tests: an article, facts found in it, and unknown names."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.models import Document
from storage.repositories.knowledge import KnowledgeRepo, fact_key
from storage.repositories.review import PendingFact, ReviewRepo

ARTICLE_URL = "https://news.example/poland-hub"
ARTICLE_TITLE = "Warsaw <offers> a logistics hub & more"
FACT_TEXTS = (
    "Poland said it would host a logistics hub for the guarantee mechanism.",
    "Italy circulated a draft text of the 24-hour consultation clause.",
)
CANDIDATE = "Radoslaw Sikorski"


@dataclass
class Seeded:
    fact_ids: list[int]
    candidate_id: int
    document_id: int
    proposal_id: int


def seed_pending(db: Database) -> Seeded:
    with db.session() as session:
        proposal = KnowledgeRepo(session).proposal_by_slug("art5-like")
        assert proposal is not None
        doc = Document(url=ARTICLE_URL, title=ARTICLE_TITLE, text="…", summary="")
        session.add(doc)
        session.flush()
        repo = ReviewRepo(session)
        facts = repo.add_pending_facts(
            [
                PendingFact(
                    key=fact_key(proposal.slug, text),
                    text=text,
                    proposal_id=proposal.id,
                    actor_id=None,
                    document_id=doc.id,
                    source_url=ARTICLE_URL,
                    source_name="News Example",
                )
                for text in FACT_TEXTS
            ]
        )
        repo.upsert_candidate_actors([CANDIDATE], doc.id)
        candidate = repo.pending_actors()[0]
        return Seeded([f.id for f in facts], candidate.id, doc.id, proposal.id)


def admin_audit(session) -> list:  # type: ignore[no-untyped-def]
    """Audit entries made by people (the seeding entry has no user)."""
    from sqlalchemy import select

    from storage.models import AuditLog

    stmt = select(AuditLog).where(AuditLog.user_id.is_not(None)).order_by(AuditLog.id)
    return list(session.scalars(stmt))


def db_snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, to prove that a refused command changed nothing."""
    from sqlalchemy import select

    from storage.models import Base

    with db.session() as session:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }
