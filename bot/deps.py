"""The typed dependencies of handlers and jobs, and the PTB context types that carry them.

bot/bootstrap.py builds one `Deps` per Application; PTB keeps it in `application.bot_data`,
which is a `BotData` (not a dict), and handlers reach it as `context.bot_data.deps`
(PTB's `contexttypesbot.py` example shows the pattern)."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services.chat_language import ChatLanguages
from bot.services.curation.requests import ChangeRequest
from bot.services.digests.outbox_worker import OutboxWorker
from bot.services.digests.pacing import FloodGate
from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor
from bot.services.leadership import Leadership
from bot.services.review import Kind
from bot.settings import Settings
from storage.db import Database


class QueryCache:
    """Small LRU of user queries, so paging buttons carry a short token instead of the text."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._data: OrderedDict[str, str] = OrderedDict()

    def put(self, query: str) -> str:
        token = secrets.token_urlsafe(6)
        self._data[token] = query
        while len(self._data) > self.size:
            self._data.popitem(last=False)
        return token

    def get(self, token: str) -> str | None:
        query = self._data.get(token)
        if query is not None:
            self._data.move_to_end(token)
        return query


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Expiring(Generic[K, V]):
    """A map whose entries are forgotten `ttl` seconds (time.monotonic()) after they were put;
    past `max_size` entries the expired ones are dropped, and then the oldest."""

    def __init__(self, ttl_seconds: float, max_size: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.max_size = max_size
        self._data: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        now = time.monotonic()
        self._data.pop(key, None)
        self._data[key] = (value, now + self.ttl)
        if len(self._data) > self.max_size:
            self._data = OrderedDict((k, e) for k, e in self._data.items() if e[1] >= now)
        while len(self._data) > self.max_size:
            self._data.popitem(last=False)

    def get(self, key: K) -> V | None:
        """The value while it is fresh; an expired one is dropped."""
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[1] < time.monotonic():
            del self._data[key]
            return None
        return entry[0]

    def pop(self, key: K) -> V | None:
        """The fresh value, if any; the key is forgotten either way."""
        value = self.get(key)
        self._data.pop(key, None)
        return value

    def __len__(self) -> int:
        return len(self._data)


EDIT_MINUTES = 10
PREVIEW_MINUTES = 10
ADMIN_CACHE_SECONDS = 120.0  # a promoted or demoted admin is noticed within two minutes


@dataclass(frozen=True)
class PendingEdit:
    kind: Kind
    item_id: int


class PendingEdits(Expiring[tuple[int, int], PendingEdit]):
    """/review's ✏️: which admin (chat id, user id) owes us the corrected text of which item."""

    def start(self, chat_id: int, user_id: int, kind: Kind, item_id: int) -> None:
        self.put((chat_id, user_id), PendingEdit(kind, item_id))


@dataclass(frozen=True)
class PendingChange:
    user_id: int
    request: ChangeRequest


class Previews(Expiring[str, PendingChange]):
    """Requests shown with Confirm / Cancel, by token, until pressed or expired."""

    def add(self, user_id: int, request: ChangeRequest) -> str:
        token = secrets.token_urlsafe(9)
        self.put(token, PendingChange(user_id, request))
        return token

    def take(self, token: str, user_id: int) -> PendingChange | None:
        """The pending request, if it is this user's and still fresh (then it is removed)."""
        pending = self.get(token)
        if pending is None or pending.user_id != user_id:
            return None
        return self.pop(token)


def chat_admin_cache() -> Expiring[tuple[int, int], bool]:
    return Expiring(ADMIN_CACHE_SECONDS)


@dataclass
class Deps:
    """Everything a handler or job needs, built once by bot.bootstrap.wire."""

    settings: Settings
    db: Database
    gate: FloodGate  # the one FloodGate: the rate limiter's replies and the outbox worker's sends
    fetcher: Fetcher
    ingestor: Ingestor
    outbox: OutboxWorker
    leadership: Leadership  # one leader among processes on one PostgreSQL; SQLite: always us
    queries: QueryCache = field(default_factory=QueryCache)
    long_polling: bool = False  # `briefbot run` without --webhook: getUpdates while leading
    # (chat_id, user_id) -> is admin: getChatMember answers, for ADMIN_CACHE_SECONDS
    chat_admins: Expiring[tuple[int, int], bool] = field(default_factory=chat_admin_cache)
    # each chat's /language choice, read once from the database (bot/services/chat_language.py)
    languages: ChatLanguages = field(default_factory=ChatLanguages)


# A button action (see handlers.common.register_action) gets the update, the context and the
# parsed callback data; it returns True when handled, False for stale or foreign data, or a
# short text shown to the user as the answer.
Action = Callable[[Any, Any, Any], Awaitable[bool | str]]


class BotData:
    """`application.bot_data`: the wiring plus what handler modules keep per application."""

    def __init__(self) -> None:  # PTB creates it with no arguments
        self._deps: Deps | None = None
        self.actions: dict[str, Action] = {}  # callback_data prefix -> button action
        self.review_edits = PendingEdits(EDIT_MINUTES * 60)
        self.curation_previews = Previews(PREVIEW_MINUTES * 60)  # changes awaiting ✅ Confirm

    @property
    def deps(self) -> Deps:
        if self._deps is None:
            raise RuntimeError("the application was not wired (use bot.app.build_application)")
        return self._deps

    @deps.setter
    def deps(self, value: Deps) -> None:
        self._deps = value


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context handlers and jobs receive: `context.deps` is the wiring."""

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
