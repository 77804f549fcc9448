"""The fake Bot API's configuration, what it records, and its flood limiter."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RateLimits:
    """Telegram-like flood limits (token buckets); ``scale`` multiplies every rate."""

    global_per_sec: float = 30.0
    per_chat_per_sec: float = 1.0
    per_chat_burst: float = 3.0
    per_group_per_min: float = 20.0
    per_group_burst: float | None = None  # default: per_group_per_min
    scale: float = 1.0
    methods: frozenset[str] = frozenset({"sendMessage"})
    fractional_retry_after: bool = False


@dataclass
class SentMessage:
    """A message accepted by sendMessage, sendPhoto (its caption as the text) or
    editMessageText."""

    chat_id: int | str
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    message_thread_id: int | None
    disable_web_page_preview: bool | None
    link_preview_options: dict[str, Any] | None
    message_id: int
    received_at: float
    method: str
    plain_text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    token: str = ""
    photo: bytes | None = None  # what sendPhoto uploaded

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]


@dataclass
class RejectedRequest:
    """A request answered with ``ok: false``."""

    method: str
    params: dict[str, Any]
    error_code: int
    description: str
    received_at: float
    chat_id: int | str | None = None


@dataclass
class InlineAnswer:
    """Parameters of an answerInlineQuery call (results as sent, already validated)."""

    inline_query_id: str
    results: list[dict[str, Any]]
    cache_time: int | None
    is_personal: bool
    received_at: float


@dataclass
class CallbackAnswer:
    """Parameters of an answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    received_at: float


@dataclass
class ApiCall:
    """Any request that reached a known method (accepted or not)."""

    method: str
    params: dict[str, Any]
    received_at: float


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


@dataclass
class _Fault:
    status: int
    description: str | None
    retry_after: int | None
    remaining: int


class ApiError(Exception):
    """Internal: becomes an ``{"ok": false}`` response."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


class _DropConnection(Exception):
    """Internal: close the socket without a response."""


class _TokenBucket:
    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def wait_time(self, now: float) -> float:
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.stamp = max(self.stamp, now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class _RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        scale = limits.scale
        self.global_bucket = _TokenBucket(
            limits.global_per_sec * scale, limits.global_per_sec * scale
        )
        self.chats: dict[int | str, _TokenBucket] = {}

    def _bucket_for(self, chat_id: int | str) -> _TokenBucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            if isinstance(chat_id, int) and chat_id > 0:
                bucket = _TokenBucket(limits.per_chat_per_sec * limits.scale, limits.per_chat_burst)
            else:
                burst = limits.per_group_burst or limits.per_group_per_min
                bucket = _TokenBucket(limits.per_group_per_min * limits.scale / 60.0, burst)
            self.chats[chat_id] = bucket
        return bucket

    def acquire(self, chat_id: int | str) -> float | int | None:
        """Take a token for ``chat_id``; return retry_after when over the limit."""
        now = time.monotonic()
        buckets = (self.global_bucket, self._bucket_for(chat_id))
        wait = max(bucket.wait_time(now) for bucket in buckets)
        if wait <= 0:
            for bucket in buckets:
                bucket.take()
            return None
        if self.limits.fractional_retry_after:
            return max(0.01, round(wait, 2))
        return max(1, math.ceil(wait))


def iter_entities(message: SentMessage, entity_type: str) -> Iterator[str]:
    """Yield the visible substrings of ``message`` covered by entities of ``entity_type``."""
    encoded = message.plain_text.encode("utf-16-le", "surrogatepass")
    for entity in message.entities:
        if entity["type"] == entity_type:
            start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
            yield encoded[start:end].decode("utf-16-le", "surrogatepass")
