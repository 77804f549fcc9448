"""What happened when: the dated facts of the dossier and the newest ingested articles."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.catalog import document_view, fact_view
from bot.services.views import DocumentView, FactView, Paged, clamp_page
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo

PER_PAGE = 8


def timeline(
    session: Session, page: int = 1, proposal_id: int | None = None, per_page: int = PER_PAGE
) -> Paged[FactView]:
    """Dated approved facts, newest first; only one proposal's when `proposal_id` is given."""
    repo = KnowledgeRepo(session)
    total = repo.count_timeline_facts(proposal_id)
    page = clamp_page(page, total, per_page)
    facts = repo.timeline_facts((page - 1) * per_page, per_page, proposal_id)
    return Paged.of([fact_view(f) for f in facts], page, per_page, total)


def latest_documents(
    session: Session, page: int = 1, per_page: int = PER_PAGE, off_topic: bool = False
) -> Paged[DocumentView]:
    """The newest on-topic articles; with `off_topic` every stored one (`/latest all`)."""
    repo = DocumentRepo(session)
    total = repo.count_latest(off_topic=off_topic)
    page = clamp_page(page, total, per_page)
    docs = repo.latest((page - 1) * per_page, per_page, off_topic=off_topic)
    return Paged.of([document_view(d) for d in docs], page, per_page, total)


def latest_for_proposal(
    session: Session, page: int, proposal_id: int, per_page: int = PER_PAGE
) -> Paged[DocumentView]:
    """The newest articles linked to one proposal (/latest <proposal>)."""
    repo = DocumentRepo(session)
    total = repo.count_for_proposal(proposal_id)
    page = clamp_page(page, total, per_page)
    docs = repo.latest_for_proposal(proposal_id, (page - 1) * per_page, per_page)
    return Paged.of([document_view(d) for d in docs], page, per_page, total)
