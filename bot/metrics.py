"""Prometheus metrics of a running bot (served at /metrics by bot/health_server.py).

One registry per process. Counters are bumped where the event happens (the Application for
updates, the rate limiter for every Bot API send, the ingestor for each polled source); the
outbox depth is read from the database at scrape time, so it is right in every process.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from telegram.error import Forbidden, RetryAfter

T = TypeVar("T")
REGISTRY = CollectorRegistry()

UPDATES = Counter(
    "briefbot_updates_handled", "Telegram updates handled", ["outcome"], registry=REGISTRY
)
UPDATE_SECONDS = Histogram(
    "briefbot_reply_latency_seconds",
    "Time from an update's arrival in the bot to the end of its handling (replies sent)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
SENDS = Counter("briefbot_messages_sent", "Messages Telegram accepted", ["kind"], registry=REGISTRY)
RATE_LIMITED = Counter(
    "briefbot_telegram_429", "Bot API answers 429 Too Many Requests", registry=REGISTRY
)
FORBIDDEN = Counter(
    "briefbot_telegram_403", "Bot API answers 403 Forbidden (blocked, kicked)", registry=REGISTRY
)
DOCUMENTS = Counter(
    "briefbot_documents_ingested", "New documents stored by ingestion", registry=REGISTRY
)
FETCH_ERRORS = Counter(
    "briefbot_fetch_errors", "Source polls that ended in an error", registry=REGISTRY
)


class OutboxDepth(Collector):
    """Pending outbox rows, counted in the database when scraped."""

    def __init__(self) -> None:
        self.count: Callable[[], int] | None = None

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("briefbot_outbox_depth", "Outbox messages waiting to be sent")
        if self.count is not None:
            family.add_metric([], self.count())
        yield family


_OUTBOX = OutboxDepth()
REGISTRY.register(_OUTBOX)


def watch_outbox(count_pending: Callable[[], int]) -> None:
    """Where the outbox depth comes from (the running application's database)."""
    _OUTBOX.count = count_pending


def scrape() -> bytes:
    """The text exposition format (blocking: reads the outbox depth)."""
    return generate_latest(REGISTRY)


async def timed_update(handle: Awaitable[T]) -> T:
    """Count one update and time its handling."""
    started = time.perf_counter()
    try:
        result = await handle
    except Exception:
        UPDATES.labels("error").inc()
        raise
    finally:
        UPDATE_SECONDS.observe(time.perf_counter() - started)
    UPDATES.labels("ok").inc()
    return result


async def observed_call(endpoint: str, paced_bulk: bool, call: Callable[[], Awaitable[Any]]) -> Any:
    """One Bot API request: sends, 429s and 403s counted."""
    try:
        result = await call()
    except RetryAfter:
        RATE_LIMITED.inc()
        raise
    except Forbidden:
        FORBIDDEN.inc()
        raise
    if endpoint.startswith(("send", "copy", "forward")):
        SENDS.labels("digest" if paced_bulk else "reply").inc()
    return result


def record_source_poll(status: str, new_documents: int) -> None:
    if new_documents:
        DOCUMENTS.inc(new_documents)
    if status == "error":
        FETCH_ERRORS.inc()
