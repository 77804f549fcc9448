"""What answering a question returns: the intent, the names it resolved, and the content."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.views import DocumentView, FactView, Ref


@dataclass(frozen=True)
class PositionLine:
    actor: Ref
    proposal: Ref
    stance: str
    note: str
    source_url: str | None
    source_name: str | None


@dataclass(frozen=True)
class ProposalBrief:
    ref: Ref
    status: str
    summary: str


@dataclass(frozen=True)
class ActorBrief:
    ref: Ref
    role: str
    summary: str


@dataclass
class Answer:
    """One question's answer. `proposals` and `actors` are what the answer is about: the
    names the question gave, then the ones the answer found (who backs it, what X proposes)."""

    intent: str
    lang: str
    proposals: list[Ref] = field(default_factory=list)
    actors: list[Ref] = field(default_factory=list)
    briefs: list[ProposalBrief] = field(default_factory=list)
    actor_briefs: list[ActorBrief] = field(default_factory=list)
    positions: list[PositionLine] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)
    documents: list[DocumentView] = field(default_factory=list)
    stance_filter: str | None = None  # the stance asked about ("opposes"), when one was
    # no recorded position on the proposal asked about: `positions` are the actor's others
    indirect: bool = False
    # a person with no recorded stance of their own: the positions are this state's
    via: Ref | None = None

    @property
    def proposal_slugs(self) -> list[str]:
        return [r.slug for r in self.proposals]

    @property
    def actor_slugs(self) -> list[str]:
        return [r.slug for r in self.actors]

    @property
    def understood(self) -> bool:
        return self.intent != "unknown"
