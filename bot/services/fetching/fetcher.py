"""Fetch feeds and pages over HTTP with every limit a hostile server could abuse enforced.

One shared httpx client; conditional GET; an overall deadline per fetch on top of
connect/read timeouts (a server dripping a byte a second never trips a read timeout);
a body cap enforced while streaming; redirects followed by hand so the SSRF guard sees
every hop; bounded retries with jittered backoff; per-host and global concurrency
limits. `Fetcher.fetch` never raises for network or HTTP trouble: it returns a
FetchResult with status "error" and a reason an admin can act on.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Any, Literal

import httpx

from bot.services.fetching.charset import decode_body
from bot.services.fetching.fetch_errors import (
    FetchFailure,
    describe_http_error,
    human_seconds,
    human_size,
    invalid_redirect,
    redirect_target,
    retry_after,
    status_text,
)
from bot.services.fetching.guarded_transport import guarded_transport
from bot.services.fetching.sniff import describe_challenge
from bot.services.fetching.urlguard import Resolver, UnsafeURL, check_url

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({429, 500, 502, 503, 504})


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: Literal["ok", "not_modified", "error"]
    http_status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one Fetcher; the defaults suit polling a few thousand feeds."""

    user_agent: str = "briefbot/0.1"
    timeout: float = 15.0  # read timeout and the overall deadline of one fetch
    connect_timeout: float = 10.0
    deadline: float | None = None  # None: same as `timeout`
    max_body_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5  # first retry delay; doubles, with jitter
    backoff_max: float = 5.0
    per_host: int = 2
    global_limit: int = 20
    allow_private: bool = False

    @property
    def total_deadline(self) -> float:
        return self.deadline if self.deadline is not None else self.timeout


@dataclass
class _HostSlot:
    semaphore: asyncio.Semaphore
    users: int = 0


class Fetcher:
    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        p = self.policy
        self._resolver = resolver
        limits = httpx.Limits(
            max_connections=p.global_limit,
            max_keepalive_connections=p.global_limit,
            keepalive_expiry=30.0,
        )
        if transport is None and not p.allow_private:
            transport = guarded_transport(resolver, limits)
        self._client = httpx.AsyncClient(
            transport=transport,
            limits=limits,
            timeout=httpx.Timeout(p.timeout, connect=min(p.connect_timeout, p.timeout)),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: it would bypass the guard
            headers={"User-Agent": p.user_agent, "Accept": FEED_ACCEPT},
        )
        self._global = asyncio.Semaphore(p.global_limit)
        self._hosts: dict[str, _HostSlot] = {}

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        **overrides: Any,
    ) -> Fetcher:
        policy = FetchPolicy(
            user_agent=settings.user_agent,
            timeout=settings.http_timeout,
            max_body_bytes=settings.max_body_bytes,
            allow_private=settings.allow_private_urls,
        )
        return cls(replace(policy, **overrides), transport=transport, resolver=resolver)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        started = time.monotonic()
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self.policy.total_deadline
        try:
            async with asyncio.timeout(deadline) as budget:
                result = await self._fetch_with_retries(url, headers, budget)
        except TimeoutError:
            result = FetchResult(url, "error", error=f"timed out after {human_seconds(deadline)}")
        except (httpx.InvalidURL, ValueError) as exc:  # an address httpx cannot even build
            result = FetchResult(url, "error", error=f"invalid address: {str(exc)[:200]}")
        if result.status == "not_modified":
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        result.elapsed = time.monotonic() - started
        return result

    async def _fetch_with_retries(
        self, url: str, headers: dict[str, str], budget: asyncio.Timeout
    ) -> FetchResult:
        """Attempts hold their host's slot, then a global slot; the backoff between them holds
        neither (a slot held while sleeping would idle the poller when many hosts answer 503).
        The host slot comes first so that feeds queued behind a slow site do not sit on
        global slots that other sites could use."""
        p = self.policy
        host = _host_of(url)
        for attempt in range(p.retries + 1):
            try:
                async with self._host_slot(host, budget), self._global_slot(budget):
                    return await self._follow_redirects(url, headers, host, budget)
            except FetchFailure as failure:
                delay = min(p.backoff * 2**attempt * random.uniform(0.5, 1.5), p.backoff_max)
                if failure.retry_after is not None:
                    delay = max(delay, failure.retry_after)
                # a retry that could not finish before the deadline only hides the real reason
                when = budget.when()
                too_late = when is not None and asyncio.get_running_loop().time() + delay >= when
                if (
                    not failure.retriable
                    or attempt == p.retries
                    or delay > p.backoff_max
                    or too_late
                ):
                    return FetchResult(
                        failure.url or url,
                        "error",
                        http_status=failure.http_status,
                        error=failure.reason,
                    )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt always returns")

    async def _follow_redirects(
        self, url: str, headers: dict[str, str], held_host: str, budget: asyncio.Timeout
    ) -> FetchResult:
        seen = {url}
        current = url
        for hop in range(self.policy.max_redirects + 1):
            await self._check(current, redirected=hop > 0)
            result_or_target = await self._request_once(current, headers, held_host, budget)
            if isinstance(result_or_target, FetchResult):
                return result_or_target
            if result_or_target in seen:
                raise FetchFailure("redirect loop", url=result_or_target)
            seen.add(result_or_target)
            current = result_or_target
        raise FetchFailure(
            f"too many redirects (more than {self.policy.max_redirects})", url=current
        )

    async def _check(self, url: str, *, redirected: bool) -> None:
        try:
            await check_url(url, allow_private=self.policy.allow_private, resolver=self._resolver)
        except (ValueError, httpx.InvalidURL):  # UnicodeError (IDNA) is a ValueError
            if redirected:
                raise FetchFailure(invalid_redirect(url), url=url) from None
            raise
        except UnsafeURL as exc:
            where = f"refused redirect to {url}" if redirected else "refused"
            raise FetchFailure(f"{where}: {exc}", url=url) from None

    async def _request_once(
        self, url: str, headers: dict[str, str], held_host: str, budget: asyncio.Timeout
    ) -> FetchResult | str:
        """One HTTP exchange: a FetchResult, or the URL a redirect points to. A redirect to
        another host also takes that host's slot."""
        p = self.policy
        request = self._client.build_request("GET", url, headers=headers)
        other_host = request.url.host != held_host
        async with self._host_slot(request.url.host, budget) if other_host else nullcontext():
            try:
                response = await self._client.send(request, stream=True)
                try:
                    return await self._handle(response)
                finally:
                    await response.aclose()
            except UnsafeURL as exc:  # raised at connect time by the guarded transport
                raise FetchFailure(f"refused: {exc}", url=url) from None
            except (httpx.InvalidURL, ValueError) as exc:
                # httpx reads a redirect's Location even when it does not follow it, and
                # raises on one that is no address ("http:x", "http://xn--/")
                raise FetchFailure(invalid_redirect(str(exc)), url=url) from None
            except httpx.HTTPError as exc:
                if str(exc).lower().startswith("invalid url in location header"):
                    detail = str(exc).partition(":")[2].strip().rstrip(".")
                    raise FetchFailure(invalid_redirect(detail), url=url) from None
                raise describe_http_error(
                    exc,
                    connect_timeout=min(p.connect_timeout, p.timeout),
                    read_timeout=p.timeout,
                    url=url,
                ) from None

    async def _handle(self, response: httpx.Response) -> FetchResult | str:
        url = str(response.url)
        code = response.status_code
        if code in REDIRECT_CODES and "location" in response.headers:
            return redirect_target(response.url, response.headers["location"])
        common: dict[str, Any] = dict(
            http_status=code,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        if code == 304:
            return FetchResult(url, "not_modified", **common)
        if code >= 300:
            reason = status_text(code, response.reason_phrase)
            challenge = await self._challenge(response) if code in (403, 429, 503) else None
            if challenge:  # retrying a challenge only gets the same page again
                raise FetchFailure(
                    f"{reason}: an anti-bot challenge page ({challenge})", http_status=code, url=url
                )
            raise FetchFailure(
                reason,
                http_status=code,
                url=url,
                retriable=code in RETRY_CODES,
                retry_after=retry_after(response.headers.get("retry-after")),
            )
        return FetchResult(url, "ok", body=await self._read_capped(response), **common)

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.policy.max_body_bytes
        too_big = FetchFailure(
            f"response larger than {human_size(cap)}",
            url=str(response.url),
            http_status=response.status_code,
        )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes count against the cap, so a gzip bomb is cut off as well.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    async def _challenge(self, response: httpx.Response) -> str | None:
        """Name the anti-bot page behind a 403/429/503, reading at most 32 KB of it."""
        head = bytearray()
        async for chunk in response.aiter_bytes():
            head += chunk
            if len(head) >= 32 * 1024:
                break
        text = decode_body(bytes(head), response.headers.get("content-type"))
        return describe_challenge(text, response.headers, widgets=True)

    @asynccontextmanager
    async def _global_slot(self, budget: asyncio.Timeout) -> AsyncIterator[None]:
        """One of the `global_limit` slots."""
        async with _slot(self._global, budget):
            yield

    @asynccontextmanager
    async def _host_slot(self, host: str, budget: asyncio.Timeout) -> AsyncIterator[None]:
        """One of the `per_host` slots of this host."""
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = _HostSlot(asyncio.Semaphore(self.policy.per_host))
        slot.users += 1
        try:
            async with _slot(slot.semaphore, budget):
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:  # keep the table small when polling thousands of hosts
                del self._hosts[host]


@asynccontextmanager
async def _slot(semaphore: asyncio.Semaphore, budget: asyncio.Timeout) -> AsyncIterator[None]:
    """Hold `semaphore`; the wait for it does not eat into the fetch's deadline (a feed queued
    behind slow neighbours has not been requested yet, so it has not timed out)."""
    loop = asyncio.get_running_loop()
    when, waiting_since = budget.when(), loop.time()
    budget.reschedule(None)
    try:
        await semaphore.acquire()
    finally:
        if when is not None:
            budget.reschedule(when + loop.time() - waiting_since)
    try:
        yield
    finally:
        semaphore.release()


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, TypeError):
        return ""  # the guard refuses such a URL with a clear reason
