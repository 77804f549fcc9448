"""Turn due subscriptions into outbox rows: build, render, store and advance in one transaction.

The outbox is written before anything is sent, and the cursors move in the same transaction,
so a crash leaves either a complete digest waiting to be sent or nothing at all (and the
subscription still due). The outbox worker (bot/services/digests/outbox_worker.py) sends the rows.
The text comes from a render function the caller passes in (bot.render.digest.render_digest):
services do not import the render layer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.i18n import Translator, get_translator
from bot.services.digests.build import DigestBuilder, DigestData, Snapshot, advance_cursors
from bot.services.digests.filters import FilterLabel
from bot.services.digests.schedules import Schedule, next_due
from bot.services.digests.subscriptions import label_of
from bot.services.localize import use_language
from bot.settings import Settings
from storage.db import Database
from storage.models import Subscription
from storage.repositories.outbox import NewDigest, OutboxRepo
from storage.repositories.subscriptions import SubscriptionRepo

# (translator, digest, filter label, now, time zone) -> the messages of one digest
DigestRender = Callable[[Translator, DigestData, FilterLabel, datetime, ZoneInfo], list[str]]
# (translator, digest id) -> the reply_markup under an admin's digest (its link corrections)
DigestKeyboard = Callable[[Translator, int], dict]
BATCH = 200  # subscriptions per transaction in a fan-out
# One enqueuer at a time in this process: two passes reading the same cursors would queue the
# same news twice (SQLite reads outside the write lock; one bot process owns the outbox).
_ENQUEUE_LOCK = threading.Lock()


@dataclass
class EnqueueResult:
    digests: int = 0
    messages: int = 0
    empty: int = 0  # due, but nothing new for them: cursors moved, nothing sent

    def add(self, other: EnqueueResult) -> None:
        self.digests += other.digests
        self.messages += other.messages
        self.empty += other.empty


@dataclass
class ManualDigest:
    """The answer to /digest."""

    subscribed: bool
    digest_id: int | None = None
    since: datetime | None = None
    first: bool = False  # no digest yet: "since" is when the chat subscribed


class DigestRenderer:
    """Renders each distinct digest once per language and filter, however many chats get it."""

    def __init__(
        self,
        render: DigestRender,
        tz: ZoneInfo,
        now: datetime,
        keyboard: DigestKeyboard | None = None,
    ) -> None:
        self.render_digest, self.tz, self.now = render, tz, now
        self.make_keyboard = keyboard
        self._cache: dict[tuple[object, ...], list[str]] = {}
        self._keyboards: dict[str, Callable[[int], dict]] = {}

    def render(self, data: DigestData, label: FilterLabel, language: str) -> list[str]:
        key = (data.key(), label, language)
        if key not in self._cache:
            _ = get_translator(language)
            with use_language(language):
                self._cache[key] = self.render_digest(_, data, label, self.now, self.tz)
        return self._cache[key]

    def keyboard(self, language: str) -> Callable[[int], dict] | None:
        """The correction keyboard in `language`, as a function of the digest id (built once
        per language, however many admins' chats get a digest)."""
        make = self.make_keyboard
        if make is None:
            return None
        if language not in self._keyboards:
            _ = get_translator(language)
            self._keyboards[language] = lambda digest_id: make(_, digest_id)
        return self._keyboards[language]


def gets_corrections(settings: Settings, sub: Subscription) -> bool:
    """Whether a chat's digests carry the link-correction button: an admin's private chat
    (its id is the admin's user id). Groups and channels do not: most of their readers could
    not use it, and every digest would carry a button that only says "admins only"."""
    return sub.chat_id > 0 and settings.is_admin(sub.chat_id)


def enqueue_digests(
    session: Session,
    subs: Sequence[Subscription],
    snapshot: Snapshot,
    settings: Settings,
    trigger: str,
    renderer: DigestRenderer,
) -> tuple[EnqueueResult, list[int]]:
    """Outbox rows for each subscription with something new; every cursor moves over what
    its digest examined. Runs inside the caller's transaction. Returns counts and the digest ids."""
    builder = DigestBuilder(session, snapshot, settings.digest_backfill_hours)
    repo = SubscriptionRepo(session)
    result, new = EnqueueResult(), []
    for sub in subs:
        data = builder.build(sub)
        if data.is_empty:
            result.empty += 1
        else:
            parts = renderer.render(data, label_of(repo, sub), sub.language)
            shown = data.document_ids
            keyboard = (
                renderer.keyboard(sub.language)
                if shown and gets_corrections(settings, sub)
                else None
            )
            new.append(
                NewDigest(
                    sub.id,
                    sub.chat_id,
                    sub.thread_id,
                    parts,
                    trigger,
                    data.document_count,
                    len(data.facts),
                    shown,
                    keyboard,
                )
            )
            result.digests += 1
            result.messages += len(parts)
        advance_cursors(sub, data, snapshot.now)
    digest_ids = OutboxRepo(session).add_digests(new, snapshot.now)
    session.flush()
    return result, digest_ids


# the next batch of subscriptions to serve: (session, snapshot, id of the last one served) ->
Picker = Callable[[Session, Snapshot, int], Sequence[Subscription]]
# runs in a batch's transaction once its subscriptions are served: (subs, now, settings)
Served = Callable[[Sequence[Subscription], datetime, Settings], None]


@dataclass(frozen=True)
class _Sweep:
    """One kind of batch run: the digests' trigger, which subscriptions it picks, and what
    serving them updates. Called like a function: enqueue_due(db, settings, now, ...)."""

    trigger: str
    pick: Picker
    served: Served

    def __call__(
        self,
        db: Database,
        settings: Settings,
        now: datetime,
        on_batch: Callable[[], None] | None = None,
        *,
        render: DigestRender,
        before_batch: Callable[[], None] | None = None,
        keyboard: DigestKeyboard | None = None,
    ) -> EnqueueResult:
        """Serve what `pick` finds, BATCH subscriptions per transaction, until it finds nothing;
        `served(subs, now, settings)` runs in each batch's transaction. `before_batch` is called
        before each batch (it may wait: the sending process holds back, see
        OutboxWorker.wait_for_room) and `on_batch` after each committed one (to start sending
        while queuing)."""
        total = EnqueueResult()
        renderer = DigestRenderer(render, settings.tz, now, keyboard)
        after_id = 0
        while True:
            if before_batch is not None:
                before_batch()
            with _ENQUEUE_LOCK, db.session() as session:
                snapshot = Snapshot.take(session, now)
                subs = self.pick(session, snapshot, after_id)
                if not subs:
                    return total
                result, _ids = enqueue_digests(
                    session, subs, snapshot, settings, self.trigger, renderer
                )
                self.served(subs, now, settings)
                after_id = subs[-1].id
                total.add(result)
            if on_batch is not None and result.messages:
                on_batch()


def _due(session: Session, snapshot: Snapshot, _after_id: int) -> Sequence[Subscription]:
    return SubscriptionRepo(session).due(snapshot.now, BATCH)


def _schedule_next(subs: Sequence[Subscription], now: datetime, settings: Settings) -> None:
    for sub in subs:
        sub.next_due_at = next_due(Schedule.from_stored(sub.mode, sub.schedule), now, settings.tz)


def _instant(session: Session, snapshot: Snapshot, after_id: int) -> Sequence[Subscription]:
    return SubscriptionRepo(session).instant_behind(
        snapshot.max_document_id, snapshot.max_fact_seq, after_id, BATCH, snapshot.max_change_seq
    )


def _nothing(_subs: Sequence[Subscription], _now: datetime, _settings: Settings) -> None:
    return None


# Scheduled digests whose slot has come. A slot missed while the bot was down is served once,
# and the next slot is the next one in the future, not every one that was missed.
enqueue_due = _Sweep("scheduled", _due, _schedule_next)
# Instant subscribers behind the newest documents or facts (after an ingest run, and on every
# scheduler tick as a safety net for a notification lost in a crash).
enqueue_instant = _Sweep("instant", _instant, _nothing)


def enqueue_manual(
    db: Database,
    chat_id: int,
    thread_id: int,
    settings: Settings,
    now: datetime,
    *,
    render: DigestRender,
    keyboard: DigestKeyboard | None = None,
) -> ManualDigest:
    """/digest: what is new for this chat since its last digest, queued now."""
    with _ENQUEUE_LOCK, db.session() as session:
        sub = SubscriptionRepo(session).get(chat_id, thread_id)
        if sub is None or not sub.active:
            return ManualDigest(subscribed=False)
        since, first = sub.last_digest_at or sub.created_at, sub.last_digest_at is None
        snapshot = Snapshot.take(session, now)
        renderer = DigestRenderer(render, settings.tz, now, keyboard)
        _result, ids = enqueue_digests(session, [sub], snapshot, settings, "manual", renderer)
        digest_id = ids[0] if ids else None
        return ManualDigest(subscribed=True, digest_id=digest_id, since=since, first=first)
