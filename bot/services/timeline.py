"""What happened when: the dated facts of the dossier and the newest ingested articles."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.catalog import document_view, fact_view
from bot.services.curation import history
from bot.services.views import ChangeView, DocumentView, FactView, Paged, clamp_page
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo

PER_PAGE = 8


def timeline(
    session: Session, page: int = 1, proposal_id: int | None = None, per_page: int = PER_PAGE
) -> Paged[FactView | ChangeView]:
    """Dated approved facts and status and position events, newest first; only one
    proposal's when `proposal_id` is given."""
    repo = KnowledgeRepo(session)
    total = repo.count_timeline_facts(proposal_id) + history.count_events(session, proposal_id)
    page = clamp_page(page, total, per_page)
    # the page's items are among the newest page × per_page of each kind
    need = page * per_page
    facts: list[FactView | ChangeView] = [
        fact_view(f) for f in repo.timeline_facts(0, need, proposal_id)
    ]
    merged = sorted(facts + list(history.events(session, need, proposal_id)), key=_newest_first)
    return Paged.of(merged[(page - 1) * per_page : need], page, per_page, total)


def _newest_first(item: FactView | ChangeView) -> tuple[int, int, int]:
    day = item.published_at if isinstance(item, FactView) else item.on
    ordinal = day.toordinal() if day is not None else 0
    return (-ordinal, 0 if isinstance(item, ChangeView) else 1, -(item.id or 0))


def latest_documents(
    session: Session, page: int = 1, per_page: int = PER_PAGE
) -> Paged[DocumentView]:
    repo = DocumentRepo(session)
    total = repo.count()
    page = clamp_page(page, total, per_page)
    docs = repo.latest((page - 1) * per_page, per_page)
    return Paged.of([document_view(d) for d in docs], page, per_page, total)
