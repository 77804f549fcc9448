"""Fill an Answer for each intent: positions, facts and articles from the dossier."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.services.catalog import actor_ref, document_view, fact_view, proposal_ref
from bot.services.questions import grammar
from bot.services.questions.model import ActorBrief, Answer, PositionLine, ProposalBrief
from bot.services.views import Ref
from storage.models import Position
from storage.repositories.documents import DocumentRepo
from storage.repositories.knowledge import KnowledgeRepo

MAX_FACTS = 4
MAX_DOCUMENTS = 3
FOR = ("proposes", "supports")
STANCE_ORDER = {"proposes": 0, "supports": 1, "conditional": 2, "opposes": 3}


def _line(pos: Position) -> PositionLine:
    return PositionLine(
        actor_ref(pos.actor),
        proposal_ref(pos.proposal),
        pos.stance,
        pos.note,
        pos.source_url,
        pos.source_name,
    )


def _sorted(lines: list[PositionLine]) -> list[PositionLine]:
    return sorted(lines, key=lambda p: (STANCE_ORDER.get(p.stance, 9), p.actor.id))


def _add(refs: list[Ref], more: list[Ref]) -> None:
    for ref in more:
        if all(r.id != ref.id for r in refs):
            refs.append(ref)


class ContentBuilder:
    """Reads what an intent needs, within the caller's session."""

    def __init__(self, session: Session) -> None:
        self.repo = KnowledgeRepo(session)
        self.documents = DocumentRepo(session)

    def proposal_positions(self, proposal_id: int) -> list[PositionLine]:
        p = self.repo.get_proposal(proposal_id)
        return _sorted([_line(pos) for pos in p.positions]) if p else []

    def actor_positions(self, actor_id: int) -> list[PositionLine]:
        a = self.repo.get_actor(actor_id)
        return _sorted([_line(pos) for pos in a.positions]) if a else []

    def facts(self, answer: Answer, proposal_id: int | None, actor_id: int | None) -> None:
        found = self.repo.approved_facts(proposal_id=proposal_id, actor_id=actor_id, limit=8)
        seen = {f.id for f in answer.facts}
        answer.facts += [fact_view(f) for f in found if f.id not in seen]
        answer.facts = answer.facts[: MAX_FACTS * 2]

    def facts_naming(self, answer: Answer, actor: Ref) -> None:
        words = actor.label.split()
        if words:
            found = self.repo.search_facts([words[-1]], limit=MAX_FACTS)
            answer.facts += [fact_view(f) for f in found]

    def docs(self, answer: Answer, proposal_id: int | None, actor_id: int | None) -> None:
        if proposal_id is not None:
            found = self.documents.for_proposal(proposal_id, limit=MAX_DOCUMENTS)
        elif actor_id is not None:
            found = self.documents.for_actor(actor_id, limit=MAX_DOCUMENTS)
        else:
            found = self.documents.latest(0, MAX_DOCUMENTS)
        seen = {d.id for d in answer.documents}
        answer.documents += [document_view(d) for d in found if d.id not in seen]

    def brief(self, answer: Answer, proposal_id: int) -> None:
        p = self.repo.proposal_by_id(proposal_id)
        if p is not None:
            answer.briefs.append(ProposalBrief(proposal_ref(p), p.status, p.summary))

    def state_of(self, actor_id: int) -> Ref | None:
        """The state a person speaks for (their `country`), when the dossier holds it."""
        person = self.repo.get_actor(actor_id)
        if person is None or person.kind != "person" or not person.country:
            return None
        for actor in self.repo.list_actors(0, 1000):
            if actor.kind == "state" and actor.name == person.country and actor.id != person.id:
                return actor_ref(actor)
        return None

    def actor_brief(self, answer: Answer, actor_id: int) -> None:
        a = self.repo.get_actor(actor_id)
        if a is not None:
            answer.actor_briefs.append(ActorBrief(actor_ref(a), a.role, a.summary))


def proposed_by(session: Session, actor_id: int) -> list[int]:
    """The proposals an actor proposes (what "Italy's plan" means)."""
    actor = KnowledgeRepo(session).get_actor(actor_id)
    if actor is None:
        return []
    return [pos.proposal_id for pos in actor.positions if pos.stance == "proposes"]


def held_by(session: Session, actor_id: int) -> list[int]:
    """The proposals an actor holds a position on, then those its state does (a person's)."""
    build = ContentBuilder(session)
    held = [line.proposal.id for line in build.actor_positions(actor_id)]
    state = build.state_of(actor_id)
    if state is not None:
        held += [line.proposal.id for line in build.actor_positions(state.id)]
    return held


Filler = Callable[[ContentBuilder, Answer, str | None], None]


def _sides(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    """Who backs (or opposes) each proposal asked about, then who sets conditions."""
    wanted = FOR if answer.intent == grammar.BACKERS else ("opposes",)
    for p in list(answer.proposals):
        lines = build.proposal_positions(p.id)
        chosen = [pos for pos in lines if pos.stance in wanted]
        chosen += [pos for pos in lines if pos.stance == "conditional"]
        chosen = chosen or lines  # nobody on that side: show where everyone stands
        answer.positions += chosen
        sided = [pos.actor for pos in chosen if pos.stance in wanted]
        if not sided and answer.intent == grammar.BACKERS:
            # nobody backs it outright ("who is ready to send troops?"): those who would on
            # conditions (France and the UK leading the force) are its backers
            sided = [pos.actor for pos in chosen if pos.stance == "conditional"]
        _add(answer.actors, sided)
        for pos in chosen[:3]:
            build.facts(answer, p.id, pos.actor.id)


def _proposes(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    """What each actor asked about proposes, supports or backs on conditions (a state that
    would lead a force it sets terms for proposes it too), failing that any stance."""
    for a in list(answer.actors):
        lines = build.actor_positions(a.id)
        state = build.state_of(a.id) if not lines else None
        if state is not None:  # "what does Zelensky want": no stance of his own; Ukraine's
            lines = build.actor_positions(state.id)
            answer.via = state
            _add(answer.actors, [state])
        chosen = [pos for pos in lines if pos.stance != "opposes"] or lines
        answer.positions += chosen
        _add(answer.proposals, [pos.proposal for pos in chosen])
        build.facts(answer, None, a.id)


def _position(build: ContentBuilder, answer: Answer, stance: str | None) -> None:
    """An actor's stances (on the proposals asked about), their facts, and for "what did X
    say" the articles naming them."""
    asked_p = list(answer.proposals)
    answer.stance_filter = stance
    for a in list(answer.actors):
        every = build.actor_positions(a.id)
        lines = every
        if asked_p:
            lines = [pos for pos in lines if pos.proposal.id in {p.id for p in asked_p}]
            if not lines and every:  # nothing on that one: say so, show the others
                answer.indirect, lines = True, every
        if stance:
            lines = [pos for pos in lines if pos.stance == stance] or lines
        answer.positions += lines
        if not asked_p:
            _add(answer.proposals, [pos.proposal for pos in lines])
        for p in asked_p or [None]:
            build.facts(answer, p.id if p else None, a.id)
        if not answer.facts:  # facts that name the actor without being about them
            build.facts_naming(answer, a)
        if answer.intent == grammar.SAID:
            build.docs(answer, None, a.id)


def _news(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    """The newest articles on what was asked about (or at all), and the newest dated facts."""
    asked_p, asked_a = list(answer.proposals), list(answer.actors)
    for p in asked_p:
        build.docs(answer, p.id, None)
    for a in asked_a if not asked_p else []:
        build.docs(answer, None, a.id)
    if not asked_p and not asked_a:
        build.docs(answer, None, None)
    _dated_facts(build, answer, asked_p, asked_a)


def _proposal_view(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    """Status, summary and stances of each proposal (compare: of the two, no facts)."""
    for p in list(answer.proposals):
        build.brief(answer, p.id)
        answer.positions += build.proposal_positions(p.id)
        if answer.intent != grammar.COMPARE:
            build.facts(answer, p.id, None)
    if answer.intent == grammar.STATUS:
        _dated_facts(build, answer, list(answer.proposals), [])


def _overview(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    for p in build.repo.list_proposals(0, 20):
        build.brief(answer, p.id)
    _add(answer.proposals, [b.ref for b in answer.briefs])


def _actor_view(build: ContentBuilder, answer: Answer, _stance: str | None) -> None:
    for a in answer.actors:
        build.actor_brief(answer, a.id)
        answer.positions += build.actor_positions(a.id)
        build.facts(answer, None, a.id)
    if not answer.facts and answer.actors:
        build.facts_naming(answer, answer.actors[0])


FILLERS: dict[str, Filler] = {
    grammar.BACKERS: _sides,
    grammar.OPPONENTS: _sides,
    grammar.PROPOSES: _proposes,
    grammar.POSITION: _position,
    grammar.SAID: _position,
    grammar.NEWS: _news,
    grammar.STATUS: _proposal_view,
    grammar.ABOUT_PROPOSAL: _proposal_view,
    grammar.COMPARE: _proposal_view,
    grammar.OVERVIEW: _overview,
    grammar.ABOUT_ACTOR: _actor_view,
}


def fill(session: Session, answer: Answer, stance: str | None) -> None:
    """Add the content of `answer.intent` for its proposals and actors."""
    filler = FILLERS.get(answer.intent)
    if filler is not None:
        filler(ContentBuilder(session), answer, stance)
    answer.facts = answer.facts[:MAX_FACTS]


def _dated_facts(build: ContentBuilder, answer: Answer, props: list[Ref], acts: list[Ref]) -> None:
    """The newest dated facts first: what a "what's new" or "where does it stand" needs."""
    facts = []
    for p in props or [None]:
        for a in acts if not props else [None]:
            facts += build.repo.approved_facts(
                proposal_id=p.id if p else None, actor_id=a.id if a else None, limit=8
            )
    dated = sorted(
        (f for f in facts if f.published_at is not None),
        key=lambda f: (f.published_at, f.id),
        reverse=True,
    )
    seen: set[int] = set()
    fresh = []
    for f in dated:
        if f.id not in seen:
            seen.add(f.id)
            fresh.append(fact_view(f))
    answer.facts = fresh + [f for f in answer.facts if f.id not in seen]
