"""Subscribing a chat (or forum topic) to digests: parse the request, store it, describe it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from bot.services import resolve
from bot.services.digests.filters import FilterLabel, KeywordError, split_keywords
from bot.services.digests.schedules import (
    Schedule,
    ScheduleError,
    is_time,
    next_due,
    parse_schedule,
)
from bot.services.views import Ref
from storage.models import Subscription
from storage.repositories.changes import ChangeRepo
from storage.repositories.news import NewsRepo
from storage.repositories.outbox import OutboxRepo
from storage.repositories.subscriptions import SubscriptionRepo

__all__ = ["KeywordError", "ScheduleError"]
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class ChatTarget:
    """Where digests go: a chat and, in forum supergroups, a topic (0 = none)."""

    chat_id: int
    thread_id: int = 0
    chat_type: str = "private"
    language: str = "en"


@dataclass(frozen=True)
class SubscribeRequest:
    schedule: Schedule | None  # None: the user gave no mode, so ask with buttons
    query: str = ""  # a proposal or an actor to limit the digest to
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def filter_text(self) -> str:
        """The filter part as typed, to carry through the mode buttons."""
        words = [self.query] if self.query else []
        words += [f"+{w}" for w in self.include] + [f"-{w}" for w in self.exclude]
        return " ".join(words)


@dataclass
class FilterChoice:
    proposal: Ref | None = None
    actor: Ref | None = None
    suggestions: list[Ref] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.proposal is not None or self.actor is not None


@dataclass(frozen=True)
class SubscriptionView:
    schedule: Schedule
    next_due_at: datetime | None
    label: FilterLabel
    active: bool
    last_digest_at: datetime | None
    inactive_reason: str | None = None


def parse_subscribe(text: str) -> SubscribeRequest:
    """`daily 08:00 art5 +sanctions -sport` → schedule, filter query and keywords.

    Raises ScheduleError or KeywordError with the part that is wrong."""
    include, exclude, words = split_keywords(text.split())
    schedule = None
    if words:
        try:
            schedule, words = parse_schedule(words)
        except ScheduleError as exc:
            # "dayly 08:00" is a mistyped mode, not a filter called "dayly 08:00"
            if exc.problem != "mode" or any(is_time(w) for w in words):
                raise
    query = " ".join(words)[:MAX_QUERY_CHARS]
    return SubscribeRequest(schedule, query, tuple(include), tuple(exclude))


def resolve_filter(session: Session, query: str) -> FilterChoice:
    """A proposal or an actor; when both match ("meloni": the actor, and the proposal named
    after her), the one whose own name is closer to what was typed; a number is a proposal."""
    if not query.strip():
        return FilterChoice()
    proposal = resolve.resolve_proposal(session, query)
    actor = resolve.resolve_actor(session, query)
    if proposal.match is not None and actor.match is not None:
        if query.strip().lstrip("#").isdigit() or _closeness(query, proposal.match) >= _closeness(
            query, actor.match
        ):
            return FilterChoice(proposal=proposal.match)
        return FilterChoice(actor=actor.match)
    if proposal.match is not None:
        return FilterChoice(proposal=proposal.match)
    if actor.match is not None:
        return FilterChoice(actor=actor.match)
    return FilterChoice(suggestions=(proposal.suggestions + actor.suggestions)[:6])


def _closeness(query: str, ref: Ref) -> float:
    text = query.casefold().strip()
    return max(fuzz.ratio(text, ref.slug), fuzz.ratio(text, ref.label.casefold()))


def subscribe(
    session: Session,
    target: ChatTarget,
    schedule: Schedule,
    choice: FilterChoice,
    request: SubscribeRequest,
    tz: ZoneInfo,
    now: datetime,
) -> SubscriptionView:
    """Create or change this chat's subscription; a new (or revived) one starts from now."""
    repo = SubscriptionRepo(session)
    sub = repo.get(target.chat_id, target.thread_id)
    if sub is None or not sub.active:
        news = NewsRepo(session)
        if sub is None:
            sub = repo.add(Subscription(chat_id=target.chat_id, thread_id=target.thread_id))
        sub.active, sub.inactive_reason = True, None
        sub.last_document_id, sub.last_fact_seq = news.max_document_id(), news.max_fact_seq()
        sub.last_change_seq = ChangeRepo(session).max_seq()
        sub.created_at, sub.last_digest_at = now, None
    sub.chat_type = target.chat_type
    sub.language = target.language
    sub.mode, sub.schedule = schedule.mode, schedule.stored()
    sub.filter_proposal_id = choice.proposal.id if choice.proposal else None
    sub.filter_actor_id = choice.actor.id if choice.actor else None
    sub.include_keywords, sub.exclude_keywords = list(request.include), list(request.exclude)
    sub.next_due_at = next_due(schedule, now, tz)
    session.flush()
    return view_of(repo, sub)


def unsubscribe(session: Session, chat_id: int, thread_id: int) -> bool:
    """Remove the subscription and anything still queued for it; False if there was none."""
    repo = SubscriptionRepo(session)
    sub = repo.get(chat_id, thread_id)
    if sub is None:
        return False
    OutboxRepo(session).drop_pending_for_subscription(sub.id, "unsubscribed")
    was_active = sub.active
    repo.delete(sub)
    return was_active


def current(session: Session, chat_id: int, thread_id: int) -> SubscriptionView | None:
    repo = SubscriptionRepo(session)
    sub = repo.get(chat_id, thread_id)
    return view_of(repo, sub) if sub is not None else None


def view_of(repo: SubscriptionRepo, sub: Subscription) -> SubscriptionView:
    return SubscriptionView(
        schedule=Schedule.from_stored(sub.mode, sub.schedule),
        next_due_at=sub.next_due_at,
        label=label_of(repo, sub),
        active=sub.active,
        last_digest_at=sub.last_digest_at,
        inactive_reason=sub.inactive_reason,
    )


def label_of(repo: SubscriptionRepo, sub: Subscription) -> FilterLabel:
    proposal, actor = repo.filter_names(sub)
    return FilterLabel(
        proposal, actor, tuple(sub.include_keywords or ()), tuple(sub.exclude_keywords or ())
    )
