"""Queries over subscriptions: per chat and forum topic, due schedules, cursors, deactivation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update

from storage.models import Actor, Proposal, Subscription
from storage.repositories.base import Repo


class SubscriptionRepo(Repo):
    def get(self, chat_id: int, thread_id: int = 0) -> Subscription | None:
        stmt = select(Subscription).where(
            Subscription.chat_id == chat_id, Subscription.thread_id == thread_id
        )
        return self.session.scalars(stmt).first()

    def by_id(self, subscription_id: int) -> Subscription | None:
        return self.session.get(Subscription, subscription_id)

    def due(self, now: datetime, limit: int) -> Sequence[Subscription]:
        """Active daily/weekly subscriptions whose slot has come (or was missed while down)."""
        stmt = (
            select(Subscription)
            .where(
                Subscription.active.is_(True),
                Subscription.mode != "instant",
                Subscription.next_due_at.is_not(None),
                Subscription.next_due_at <= now,
            )
            .order_by(Subscription.next_due_at, Subscription.id)
            .limit(limit)
            # several processes: each takes rows the others have not locked (PostgreSQL)
            .with_for_update(skip_locked=True, of=Subscription)
        )
        return self.session.scalars(stmt).all()

    def instant_behind(
        self,
        max_document_id: int,
        max_fact_seq: int,
        after_id: int,
        limit: int,
        max_change_seq: int = 0,
    ) -> Sequence[Subscription]:
        """Active instant subscriptions with documents, approved facts or announced dossier
        changes past their cursors."""
        stmt = (
            select(Subscription)
            .where(
                Subscription.active.is_(True),
                Subscription.mode == "instant",
                Subscription.id > after_id,
                or_(
                    Subscription.last_document_id < max_document_id,
                    Subscription.last_fact_seq < max_fact_seq,
                    Subscription.last_change_seq < max_change_seq,
                ),
            )
            .order_by(Subscription.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Subscription)
        )
        return self.session.scalars(stmt).all()

    def deactivate_chat(self, chat_id: int, reason: str) -> int:
        """Every subscription of a chat that blocked or removed the bot; returns how many."""
        result = self.session.execute(
            update(Subscription)
            .where(Subscription.chat_id == chat_id, Subscription.active.is_(True))
            .values(active=False, inactive_reason=reason[:300], next_due_at=None)
        )
        return result.rowcount or 0

    def deactivate(self, subscription_id: int, reason: str) -> None:
        self.session.execute(
            update(Subscription)
            .where(Subscription.id == subscription_id)
            .values(active=False, inactive_reason=reason[:300], next_due_at=None)
        )

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its subscriptions follow it to the new id."""
        taken = set(
            self.session.scalars(
                select(Subscription.thread_id).where(Subscription.chat_id == new_chat_id)
            )
        )
        for sub in self.session.scalars(
            select(Subscription).where(Subscription.chat_id == old_chat_id)
        ):
            if sub.thread_id in taken:
                self.session.delete(sub)
            else:
                sub.chat_id = new_chat_id
                sub.chat_type = "supergroup"
        self.session.flush()

    def count_active(self) -> int:
        stmt = select(func.count(Subscription.id)).where(Subscription.active.is_(True))
        return self.session.scalar(stmt) or 0

    def filter_names(self, sub: Subscription) -> tuple[str | None, str | None]:
        """Titles of the proposal and actor a subscription is limited to, if any."""
        proposal = (
            self.session.get(Proposal, sub.filter_proposal_id) if sub.filter_proposal_id else None
        )
        actor = self.session.get(Actor, sub.filter_actor_id) if sub.filter_actor_id else None
        return (proposal.title if proposal else None, actor.name if actor else None)
