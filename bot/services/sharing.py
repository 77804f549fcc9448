"""Which cards to share: the card a deep link names, and the cards an inline query offers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services import catalog
from bot.services.questions.names import gazetteer_for
from bot.services.resolve import parse_id, resolve_actor, resolve_proposal
from bot.services.text.tokens import tokenize
from bot.services.views import ActorView, ProposalView
from storage.repositories.knowledge import KnowledgeRepo

MAX_INLINE_RESULTS = 20
Card = ProposalView | ActorView


def card_for(session: Session, kind: str, key: str) -> Card | None:
    """The proposal ("p") or actor ("a") a deep link names by slug or id, if it exists."""
    repo = KnowledgeRepo(session)
    if kind == "p":
        item = repo.proposal_by_slug(key)
        item_id = item.id if item else parse_id(key)
        return catalog.proposal_detail(session, item_id) if item_id else None
    if kind == "a":
        actor = repo.actor_by_slug(key)
        actor_id = actor.id if actor else parse_id(key)
        return catalog.actor_detail(session, actor_id) if actor_id else None
    return None


def inline_cards(session: Session, query: str) -> list[Card]:
    """Cards for "@bot <query>": every proposal for an empty query; otherwise the proposals
    and actors the query names (as a question would), then fuzzy matches and suggestions."""
    query = " ".join(query.split())[:200]
    repo = KnowledgeRepo(session)
    wanted: list[tuple[str, int]] = []
    if not query:
        wanted += [("p", p.id) for p in repo.list_proposals(0, MAX_INLINE_RESULTS)]
        wanted += [("a", a.id) for a in repo.list_actors(0, MAX_INLINE_RESULTS)]
    else:
        for named in gazetteer_for(session).find(tokenize(query)):
            wanted.append(("p" if named.kind == "proposal" else "a", named.target))
        for kind, resolve in (("p", resolve_proposal), ("a", resolve_actor)):
            found = resolve(session, query)
            refs = [found.match] if found.match else found.suggestions
            wanted += [(kind, ref.id) for ref in refs]
    cards: list[Card] = []
    seen: set[tuple[str, int]] = set()
    for kind, item_id in wanted:
        if (kind, item_id) in seen or len(cards) >= MAX_INLINE_RESULTS:
            continue
        seen.add((kind, item_id))
        card = (catalog.proposal_detail if kind == "p" else catalog.actor_detail)(session, item_id)
        if card is not None:
            cards.append(card)
    return cards
