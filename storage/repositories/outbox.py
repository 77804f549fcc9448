"""The persistent outbox: digests and their messages, written before sending, marked after."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Digest, OutboxMessage, utcnow


@dataclass(frozen=True)
class NewDigest:
    subscription_id: int | None
    chat_id: int
    thread_id: int
    parts: Sequence[str]
    trigger: str
    document_count: int
    fact_count: int
    document_ids: Sequence[int] = ()  # the articles shown, in order
    # the last part's reply_markup (Telegram's JSON), made from the digest id once it exists
    keyboard: Callable[[int], dict] | None = None


@dataclass(frozen=True)
class PendingMessage:
    """What the delivery worker needs to send one row (detached from any session)."""

    id: int
    digest_id: int
    part: int
    chat_id: int
    thread_id: int
    text: str
    attempts: int
    subscription_id: int | None
    reply_markup: dict | None = None


class OutboxRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_digest(
        self,
        *,
        subscription_id: int | None,
        chat_id: int,
        thread_id: int,
        parts: Sequence[str],
        trigger: str,
        document_count: int,
        fact_count: int,
        now: datetime | None = None,
    ) -> int:
        new = NewDigest(
            subscription_id, chat_id, thread_id, parts, trigger, document_count, fact_count
        )
        return self.add_digests([new], now or utcnow())[0]

    def add_digests(self, digests: Sequence[NewDigest], now: datetime) -> list[int]:
        """Digests and their outbox rows (one per part), in two multi-row INSERTs: a fan-out
        to thousands of chats holds the write lock for milliseconds, not seconds."""
        if not digests:
            return []
        ids = list(
            self.session.scalars(
                insert(Digest).returning(Digest.id, sort_by_parameter_order=True),
                [
                    {
                        "subscription_id": d.subscription_id,
                        "chat_id": d.chat_id,
                        "created_at": now,
                        "document_count": d.document_count,
                        "fact_count": d.fact_count,
                        "trigger": d.trigger,
                        "document_ids": list(d.document_ids) or None,
                    }
                    for d in digests
                ],
            )
        )
        self.session.execute(
            insert(OutboxMessage),
            [
                {
                    "digest_id": digest_id,
                    "part": n,
                    "chat_id": d.chat_id,
                    "thread_id": d.thread_id,
                    "text": text,
                    "state": "pending",
                    "attempts": 0,
                    "not_before": now,
                    "created_at": now,
                    "reply_markup": (
                        d.keyboard(digest_id) if d.keyboard and n == len(d.parts) - 1 else None
                    ),
                }
                for digest_id, d in zip(ids, digests, strict=True)
                for n, text in enumerate(d.parts)
            ],
        )
        return ids

    def digest_document_ids(self, digest_id: int, chat_id: int) -> list[int] | None:
        """The articles a digest sent to this chat showed, in order; None when there is no
        such digest for this chat (a forged or foreign button)."""
        stmt = select(Digest.document_ids).where(Digest.id == digest_id, Digest.chat_id == chat_id)
        found = self.session.execute(stmt).first()
        if found is None:
            return None
        return [int(i) for i in found[0] or []]

    def claim_pending(
        self,
        now: datetime,
        limit: int,
        exclude: Collection[int] = (),
        *,
        owner: str | None = None,
        lease: timedelta = timedelta(seconds=60),
    ) -> list[PendingMessage]:
        """Due pending rows in send order (oldest first; parts of a digest in order).

        With an `owner`, the rows are claimed: locked with FOR UPDATE SKIP LOCKED (PostgreSQL;
        SQLite has one process and ignores it), so two processes never take the same row, and
        stamped with the owner and a lease. Rows another owner holds under a running lease are
        left alone; once the lease has ended (the process died) anyone may claim them."""
        stmt = (
            select(OutboxMessage, Digest.subscription_id)
            .join(Digest, Digest.id == OutboxMessage.digest_id)
            .where(OutboxMessage.state == "pending", OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if exclude:
            stmt = stmt.where(OutboxMessage.id.not_in(list(exclude)))
        if owner is not None:
            stmt = stmt.where(
                or_(
                    OutboxMessage.claimed_by.is_(None),
                    OutboxMessage.claimed_by == owner,
                    OutboxMessage.lease_until < now,
                )
            ).with_for_update(skip_locked=True, of=OutboxMessage)
        rows = [_pending(row, sub_id) for row, sub_id in self.session.execute(stmt)]
        if owner is not None and rows:
            self._stamp([r.id for r in rows], owner, now + lease)
        return rows

    def _stamp(self, ids: list[int], owner: str, lease_until: datetime) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(claimed_by=owner, lease_until=lease_until)
        )

    def claim_digest(
        self, digest_id: int, owner: str, now: datetime, lease: timedelta
    ) -> list[PendingMessage]:
        """A digest's pending rows that nobody else holds, claimed (/digest sends at once)."""
        stmt = (
            select(OutboxMessage, Digest.subscription_id)
            .join(Digest, Digest.id == OutboxMessage.digest_id)
            .where(
                OutboxMessage.digest_id == digest_id,
                OutboxMessage.state == "pending",
                or_(
                    OutboxMessage.claimed_by.is_(None),
                    OutboxMessage.claimed_by == owner,
                    OutboxMessage.lease_until < now,
                ),
            )
            .order_by(OutboxMessage.part)
            .with_for_update(skip_locked=True, of=OutboxMessage)
        )
        rows = [_pending(row, sub_id) for row, sub_id in self.session.execute(stmt)]
        if rows:
            self._stamp([r.id for r in rows], owner, now + lease)
        return rows

    def renew_leases(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        """Extend the lease of rows this owner still holds; returns how many it holds."""
        if not ids:
            return 0
        result = self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(list(ids)),
                OutboxMessage.claimed_by == owner,
                OutboxMessage.state == "pending",
            )
            .values(lease_until=lease_until)
        )
        return result.rowcount or 0

    def release_claims(self, owner: str | None) -> int:
        """Give back every pending row this owner holds (a clean stop); None: every owner's
        (SQLite has one process, so a claim found at start is from a previous run)."""
        held = (
            OutboxMessage.claimed_by.is_not(None)
            if owner is None
            else OutboxMessage.claimed_by == owner
        )
        result = self.session.execute(
            update(OutboxMessage)
            .where(held, OutboxMessage.state == "pending")
            .values(claimed_by=None, lease_until=None)
        )
        return result.rowcount or 0

    def for_digest(self, digest_id: int) -> list[PendingMessage]:
        stmt = (
            select(OutboxMessage, Digest.subscription_id)
            .join(Digest, Digest.id == OutboxMessage.digest_id)
            .where(OutboxMessage.digest_id == digest_id, OutboxMessage.state == "pending")
            .order_by(OutboxMessage.part)
        )
        return [_pending(row, sub_id) for row, sub_id in self.session.execute(stmt)]

    def mark_sent(self, message_id: int, telegram_message_id: int, now: datetime) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state="sent", telegram_message_id=telegram_message_id, sent_at=now)
        )

    def mark_sent_many(self, sent: Sequence[tuple[int, int]], now: datetime) -> None:
        """(outbox id, Telegram message id) pairs, in one statement."""
        if sent:
            self.session.execute(
                update(OutboxMessage),
                [
                    {"id": row_id, "state": "sent", "telegram_message_id": tg_id, "sent_at": now}
                    for row_id, tg_id in sent
                ],
            )

    def mark_failed(self, message_id: int, reason: str) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state="failed", last_error=reason[:500], attempts=OutboxMessage.attempts + 1)
        )

    def postpone_chat(
        self, chat_id: int, from_id: int, not_before: datetime, reason: str, attempts: int
    ) -> None:
        """Retry later: this row and every later pending row of the chat keep their order."""
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == from_id)
            .values(attempts=attempts, last_error=reason[:500])
        )
        self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.state == "pending",
                OutboxMessage.id >= from_id,
                OutboxMessage.not_before < not_before,
            )
            .values(not_before=not_before)
        )

    def drop_pending_for_chat(self, chat_id: int, reason: str) -> int:
        result = self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.state == "pending")
            .values(state="failed", last_error=reason[:500])
        )
        return result.rowcount or 0

    def drop_pending_for_subscription(self, subscription_id: int, reason: str) -> int:
        digests = select(Digest.id).where(Digest.subscription_id == subscription_id)
        result = self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.digest_id.in_(digests), OutboxMessage.state == "pending")
            .values(state="failed", last_error=reason[:500])
        )
        return result.rowcount or 0

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.state == "pending")
            .values(chat_id=new_chat_id)
        )

    def count_by_state(self) -> dict[str, int]:
        rows = self.session.execute(
            select(OutboxMessage.state, func.count(OutboxMessage.id)).group_by(OutboxMessage.state)
        )
        return {state: count for state, count in rows}

    def pending_at_least(self, cap: int) -> int:
        """How many rows are pending, counting no further than `cap` (a cheap backlog check)."""
        some = select(OutboxMessage.id).where(OutboxMessage.state == "pending").limit(cap)
        return self.session.scalar(select(func.count()).select_from(some.subquery())) or 0

    def next_not_before(self) -> datetime | None:
        stmt = select(func.min(OutboxMessage.not_before)).where(OutboxMessage.state == "pending")
        return self.session.scalar(stmt)


def _pending(row: OutboxMessage, subscription_id: int | None) -> PendingMessage:
    return PendingMessage(
        id=row.id,
        digest_id=row.digest_id,
        part=row.part,
        chat_id=row.chat_id,
        thread_id=row.thread_id,
        text=row.text,
        attempts=row.attempts,
        subscription_id=subscription_id,
        reply_markup=row.reply_markup,
    )
