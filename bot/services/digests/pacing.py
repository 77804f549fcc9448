"""The one place for Telegram's flood limits: pacing before sending, with replies first.

One FloodGate per bot holds token buckets for the global limit (~30 messages/s, or up to
1000/s with paid broadcast), each private chat (1/s) and each group or channel (20/min), and a
pause that a 429 answer imposes on every send. Two kinds of callers share it:

* command replies, through `PriorityRateLimiter` (PTB's rate limiter hook), take a global
  token whenever one is there;
* the delivery worker's bulk sends queue behind one lock and may only take a global token
  while `reserve` more are left, so a reply never waits behind a 10,000-message fan-out:
  at most one bulk send is between it and the wire, and the reserve is its own.

Pacing before sending (rather than sending and retrying on 429) is what keeps a large
fan-out close to the limit without being throttled by Telegram for minutes.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot import metrics

log = logging.getLogger(__name__)
Clock = Callable[[], float]
PAID_BROADCAST_RATE = 1000.0


class TokenBucket:
    """`rate` tokens per second up to `capacity`; the balance may go below zero (a reply
    that could not wait), which later senders repay by waiting longer."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self.stamp = now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def delay(self, now: float, need: float = 1.0) -> float:
        """Seconds until `need` tokens are there (0 when they are)."""
        self._refill(now)
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1.0


class FloodGate:
    def __init__(
        self,
        global_rate: float = 30.0,
        private_rate: float = 1.0,
        group_per_minute: float = 20.0,
        *,
        reserve: int = 2,
        # a group may take a short burst (a command answered in a few messages) as long as
        # it stays within 20 a minute; PTB's AIORateLimiter allows the same
        group_burst: float = 10.0,
        # Telegram tolerates short bursts in a private chat (a reply in two or three parts)
        private_burst: float = 3.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.clock = clock
        self.global_rate = global_rate
        self.private_rate = private_rate
        self.group_rate = group_per_minute / 60.0
        self.group_burst = group_burst
        self.private_burst = private_burst
        self.reserve = reserve
        now = clock()
        # room for the reserve, one bulk send, and ~20 ms of slack so that a sleep that
        # overshoots does not lose throughput (bursts stay far below Telegram's 1 s of credit)
        self._global = TokenBucket(global_rate, reserve + 1.0 + max(1.0, global_rate / 50), now)
        self._chats: dict[int | str, TokenBucket] = {}
        self._paused_until = 0.0
        self._bulk_lock = asyncio.Lock()
        self.pauses = 0

    @classmethod
    def for_settings(cls, paid_broadcast: bool, scale: float = 1.0) -> FloodGate:
        """Telegram's limits (times `scale`, for tests against a faster fake)."""
        rate = PAID_BROADCAST_RATE if paid_broadcast else 30.0
        return cls(rate * scale, 1.0 * scale, 20.0 * scale, reserve=2)

    # -- buckets ------------------------------------------------------------------------
    def _chat(self, chat_id: int | str) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > 50_000:  # forget idle chats (full buckets) now and then
                self._prune()
            if isinstance(chat_id, int) and chat_id > 0:
                bucket = TokenBucket(self.private_rate, self.private_burst, self.clock())
            else:  # groups, supergroups and channels (negative ids or @usernames)
                bucket = TokenBucket(self.group_rate, self.group_burst, self.clock())
            self._chats[chat_id] = bucket
        return bucket

    def _prune(self) -> None:
        now = self.clock()
        self._chats = {k: b for k, b in self._chats.items() if b.delay(now, b.capacity) > 0}

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `seconds` from now."""
        until = self.clock() + seconds
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
            log.warning("flood limit hit: pausing all sends for %.1f s", seconds)

    def _pause_left(self, now: float) -> float:
        return max(0.0, self._paused_until - now)

    # -- acquiring ----------------------------------------------------------------------
    async def wait_for_chat(self, chat_id: int | str) -> None:
        """Sleep until this chat may receive a message (takes nothing)."""
        while (wait := self._chat(chat_id).delay(self.clock())) > 0:
            await asyncio.sleep(wait)

    async def acquire_bulk(self, chat_id: int | str) -> None:
        """For the delivery worker: one at a time, leaving `reserve` tokens for replies."""
        await self.wait_for_chat(chat_id)
        async with self._bulk_lock:
            while True:
                now = self.clock()
                wait = max(
                    self._pause_left(now),
                    self._global.delay(now, 1.0 + self.reserve),
                    self._chat(chat_id).delay(now),
                )
                if wait <= 0:
                    self._global.take(now)
                    self._chat(chat_id).take(now)
                    return
                await asyncio.sleep(wait)

    async def acquire_reply(self, chat_id: int | str | None) -> None:
        """For command replies: any global token will do, and the chat's own bucket (a short
        burst, then 1/s): a long answer waits a moment in its own chat instead of drawing a
        429 that would pause every send."""
        while True:
            now = self.clock()
            chat = self._chat(chat_id) if chat_id is not None else None
            wait = max(self._pause_left(now), self._global.delay(now))
            if chat is not None:
                wait = max(wait, chat.delay(now))
            if wait <= 0:
                self._global.take(now)
                if chat is not None:
                    chat.take(now)
                return
            await asyncio.sleep(wait)


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+ warns that this becomes a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


_PACED_PREFIXES = ("send", "copy", "forward", "edit")
SERVER_ERROR_BACKOFF = 0.5  # seconds before the first resend after a 5xx; doubles


def not_processed(exc: BaseException) -> bool:
    """True when Telegram surely did not act on the request, so sending it again is safe:
    it answered with an error status PTB has no own class for (5xx), or we never connected.

    A timeout (TimedOut) or a connection lost after the request went out may have been
    processed: sendMessage is not idempotent, so those are not resent (the user would get
    the answer twice). BadRequest, Forbidden and the like are NetworkError's subclasses or
    other TelegramErrors and are final."""
    if type(exc) is not NetworkError:
        return False
    cause = exc.__cause__
    if cause is None or isinstance(cause, TelegramError):
        return True  # an HTTP answer (the cause, if any, is an unparsable error body)
    return isinstance(cause, httpx.ConnectError)


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate limiter hook over the shared FloodGate, for everything but the worker.

    Requests the delivery worker makes pass `rate_limit_args={"paced": True}`: it has
    already waited at the gate, so they go straight through. Other message-sending calls
    (command replies, edits) wait for a reply token; a 429 pauses the gate and is retried
    up to `max_retries` times. A message Telegram did not process (a 5xx answer, no
    connection) is sent again up to `server_retries` times with a doubling backoff; a
    timeout is not (see `not_processed`) and reaches the error handler."""

    def __init__(
        self,
        gate: FloodGate,
        max_retries: int = 3,
        server_retries: int = 2,
        backoff: float = SERVER_ERROR_BACKOFF,
    ) -> None:
        self.gate = gate
        self.max_retries = max_retries
        self.server_retries = server_retries
        self.backoff = backoff

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if rate_limit_args and rate_limit_args.get("paced"):
            return await metrics.observed_call(endpoint, True, lambda: callback(*args, **kwargs))
        paced = endpoint.startswith(_PACED_PREFIXES)
        chat_id = data.get("chat_id")
        flood_retries = server_errors = 0
        while True:
            if paced:
                await self.gate.acquire_reply(chat_id)
            try:
                return await metrics.observed_call(
                    endpoint, False, lambda: callback(*args, **kwargs)
                )
            except RetryAfter as exc:
                self.gate.pause(retry_seconds(exc))
                flood_retries += 1
                if flood_retries > self.max_retries:
                    raise
                if not paced:
                    await asyncio.sleep(retry_seconds(exc))
            except NetworkError as exc:
                # only replies are worth the wait; start-up calls (getMe) fail fast, in one line
                if not paced or not not_processed(exc) or server_errors >= self.server_retries:
                    raise
                delay = self.backoff * 2**server_errors
                server_errors += 1
                log.warning("%s failed (%s); sending again in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
