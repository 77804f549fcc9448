"""A database with many due subscribers and one fresh article: the start of a fan-out."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from storage.db import Database
from storage.dossier.seed import seed_default_dossier
from storage.models import Digest, Subscription
from tests.support import news_factory as news
from tests.support.fake_telegram import FakeTelegram


def chat_ids(count: int, group_share: float = 0.1) -> list[int]:
    """Private chats (positive ids) and about `group_share` groups (-100… ids)."""
    groups = int(count * group_share)
    return [-1_000_000_000_000 - n for n in range(groups)] + list(range(1, count - groups + 1))


def prepare_fanout(database_url: str, count: int, group_share: float = 0.1) -> list[int]:
    db = Database(database_url)
    db.upgrade()
    now = datetime.now(UTC)
    ids = chat_ids(count, group_share)
    with db.session() as session:
        seed_default_dossier(session)
        session.execute(
            insert(Subscription),
            [
                {
                    "chat_id": c,
                    "chat_type": "private" if c > 0 else "supergroup",
                    "mode": "daily",
                    "schedule": "08:00",
                    "last_document_id": 0,
                    "last_fact_seq": 10**9,
                    "next_due_at": now - timedelta(minutes=1),
                    "include_keywords": [],
                    "exclude_keywords": [],
                }
                for c in ids
            ],
        )
        news.document(
            session,
            "Leaders agree on a reassurance force",
            age_hours=2,
            proposals=("european-troops",),
            actors=("meloni",),
        )
    db.dispose()
    return ids


def first_digest_at(db: Database, timeout: float) -> float:
    """The monotonic time at which the first digest row appeared (polls every 10 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as session:
            if session.scalar(select(func.count(Digest.id))):
                return time.monotonic()
        time.sleep(0.01)
    raise TimeoutError("no digest was queued")


def wait_all_delivered(
    fake: FakeTelegram, chats: list[int], timeout: float, poll: float = 0.1
) -> None:
    """Return once every chat got a message from `fake`, or when `timeout` runs out."""
    wanted, deadline = set(chats), time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wanted <= {m.chat_id for m in fake.messages}:
            return
        time.sleep(poll)
