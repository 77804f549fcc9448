"""Read paths over the dossier: lists and detail views of proposals and actors."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.curation.history import status_history
from bot.services.localize import localized
from bot.services.resolve import norm_key
from bot.services.views import (
    ActorView,
    DocumentView,
    FactSourceView,
    FactView,
    Paged,
    ProposalView,
    Ref,
    StanceView,
    clamp_page,
)
from storage.models import Actor, Document, Fact, Proposal
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo

PER_PAGE = 10
FACTS_PER_PAGE = 8  # a page is one message: fit_one shortens long facts to keep it so


# every text below is taken in the reply's language (bot/services/localize.py)
def proposal_ref(p: Proposal) -> Ref:
    return Ref(p.id, p.slug, localized(p, "title"), p.status)


def actor_ref(a: Actor) -> Ref:
    return Ref(a.id, a.slug, localized(a, "name"), localized(a, "role"))


def fact_view(f: Fact) -> FactView:
    return FactView(
        id=f.id,
        text=localized(f, "text"),
        source_url=f.source_url,
        source_name=localized(f, "source_name"),
        published_at=f.published_at,
        proposal_title=localized(f.proposal, "title") if f.proposal is not None else None,
        actor_name=localized(f.actor, "name") if f.actor is not None else None,
        sources=fact_sources(f),
    )


def fact_sources(f: Fact) -> tuple[FactSourceView, ...]:
    """The articles that carried a fact's claim (none recorded for dossier facts)."""
    return tuple(FactSourceView(s.url, s.title, s.outlet, s.published_at) for s in f.sources)


def document_view(d: Document) -> DocumentView:
    return DocumentView(
        id=d.id,
        url=d.url,
        title=d.title or d.url,
        source_name=d.source.name if d.source is not None else None,
        published_at=d.published_at or d.stored_at,
        summary=d.summary,
        actors=tuple(localized(link.actor, "name") for link in d.actor_links),
        proposals=tuple(localized(link.proposal, "title") for link in d.proposal_links),
        source_kind=d.source.outlet_kind if d.source is not None else None,
        on_topic=d.on_topic,
    )


def list_proposals(session: Session, page: int = 1, per_page: int = PER_PAGE) -> Paged[Ref]:
    repo = KnowledgeRepo(session)
    total = repo.count_proposals()
    page = clamp_page(page, total, per_page)
    items = [proposal_ref(p) for p in repo.list_proposals((page - 1) * per_page, per_page)]
    return Paged.of(items, page, per_page, total)


def list_actors(session: Session, page: int = 1, per_page: int = PER_PAGE) -> Paged[Ref]:
    repo = KnowledgeRepo(session)
    total = repo.count_actors()
    page = clamp_page(page, total, per_page)
    items = [actor_ref(a) for a in repo.list_actors((page - 1) * per_page, per_page)]
    return Paged.of(items, page, per_page, total)


def proposal_detail(session: Session, proposal_id: int) -> ProposalView | None:
    repo = KnowledgeRepo(session)
    p = repo.get_proposal(proposal_id)
    if p is None:
        return None
    positions = sorted(p.positions, key=lambda pos: (_STANCE_ORDER.get(pos.stance, 9), pos.id))
    facts = repo.approved_facts(proposal_id=p.id, limit=FACTS_PER_PAGE)
    since = status_history(session, p.id)
    return ProposalView(
        ref=proposal_ref(p),
        status=p.status,
        summary=localized(p, "summary"),
        mechanism=localized(p, "mechanism"),
        commitments=list(localized(p, "commitments") or []),
        open_questions=list(localized(p, "open_questions") or []),
        positions=[
            StanceView(actor_ref(pos.actor), pos.stance, localized(pos, "note"))
            for pos in positions
        ],
        facts=[fact_view(f) for f in facts],
        fact_total=repo.count_approved_facts(p.id),
        documents=[document_view(d) for d in DocumentRepo(session).for_proposal(p.id)],
        status_since=since.since if since else None,
        status_before=since.before if since else None,
    )


def proposal_facts(
    session: Session, proposal_id: int, page: int = 1, per_page: int = FACTS_PER_PAGE
) -> tuple[Ref, Paged[FactView]] | None:
    """One page of a proposal's approved facts, newest first (the ‹ › buttons of /proposal)."""
    repo = KnowledgeRepo(session)
    p = repo.proposal_by_id(proposal_id)
    if p is None:
        return None
    total = repo.count_approved_facts(p.id)
    page = clamp_page(page, total, per_page)
    facts = repo.approved_facts(proposal_id=p.id, offset=(page - 1) * per_page, limit=per_page)
    return proposal_ref(p), Paged.of([fact_view(f) for f in facts], page, per_page, total)


def actor_detail(session: Session, actor_id: int) -> ActorView | None:
    repo = KnowledgeRepo(session)
    a = repo.get_actor(actor_id)
    if a is None:
        return None
    positions = sorted(a.positions, key=lambda pos: (_STANCE_ORDER.get(pos.stance, 9), pos.id))
    return ActorView(
        ref=actor_ref(a),
        kind=a.kind,
        country=localized(a, "country"),
        role=localized(a, "role"),
        summary=localized(a, "summary"),
        aliases=display_aliases(a),
        positions=[
            StanceView(proposal_ref(pos.proposal), pos.stance, localized(pos, "note"))
            for pos in positions
        ],
        facts=[fact_view(f) for f in repo.approved_facts(actor_id=a.id, limit=10)],
        documents=[document_view(d) for d in DocumentRepo(session).for_actor(a.id)],
    )


def display_aliases(a: Actor) -> list[str]:
    """The other names of an actor as shown: no linking terms or inflected forms, no repeats
    of the name, and one name per set of inflections (for databases seeded before `forms`)."""
    seen = {norm_key(a.name)}
    shown = []
    for alias in a.aliases:
        key = norm_key(alias.alias)
        if alias.for_linking_only or key in seen:
            continue
        seen.add(key)
        shown.append(alias.alias)
    return shown


def fact_detail(session: Session, fact_id: int) -> FactView | None:
    """An approved fact by its number (None for others: pending, rejected, retracted)."""
    fact = KnowledgeRepo(session).approved_fact(fact_id)
    return fact_view(fact) if fact is not None else None


_STANCE_ORDER = {"proposes": 0, "supports": 1, "conditional": 2, "opposes": 3}
