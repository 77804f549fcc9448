"""Fetcher against a local HTTP server (and MockTransport for hosts that are not local)."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from bot.services.fetching.fetcher import Fetcher, FetchPolicy
from bot.settings import load_settings
from tests.support.http_server import (
    LocalHTTPServer,
    Reply,
    big_body,
    conditional,
    drip,
    redirect,
    sequence,
    slow,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://news.example/1</link></item></channel></rss>"""
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
MB = 1024 * 1024
FAST = dict(allow_private=True, timeout=2.0, backoff=0.01, backoff_max=0.05, retries=2)

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer(max_lifetime=20) as srv:
        yield srv


@pytest.fixture
async def make_fetcher() -> AsyncIterator[MakeFetcher]:
    made: list[Fetcher] = []

    def make(*, transport: Any = None, resolver: Any = None, **policy: Any) -> Fetcher:
        fetcher = Fetcher(FetchPolicy(**{**FAST, **policy}), transport=transport, resolver=resolver)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        await fetcher.aclose()


async def test_fetches_a_feed_with_user_agent_and_accept(server, make_fetcher) -> None:
    server.route("/feed", Reply(200, RSS, {**RSS_TYPE, "ETag": '"v1"'}))
    result = await make_fetcher(user_agent="briefbot-test/1").fetch(server.url("/feed"))
    assert (result.status, result.http_status, result.body) == ("ok", 200, RSS)
    assert result.content_type == RSS_TYPE["Content-Type"]
    assert result.etag == '"v1"' and result.error is None and result.elapsed > 0
    sent = server.requests[0].headers
    assert sent["user-agent"] == "briefbot-test/1"
    assert "application/rss+xml" in sent["accept"] and "application/atom+xml" in sent["accept"]


async def test_etag_and_last_modified_give_not_modified(server, make_fetcher) -> None:
    stamp = "Tue, 10 Jun 2025 10:00:00 GMT"
    server.route("/etag", conditional(RSS, etag='"abc"'))
    server.route("/lm", conditional(RSS, last_modified=stamp))
    fetcher = make_fetcher()
    first = await fetcher.fetch(server.url("/etag"))
    assert first.status == "ok" and first.etag == '"abc"'
    again = await fetcher.fetch(server.url("/etag"), etag=first.etag)
    assert (again.status, again.http_status, again.body, again.etag) == (
        "not_modified",
        304,
        b"",
        '"abc"',
    )
    assert server.requests[-1].headers["if-none-match"] == '"abc"'
    dated = await fetcher.fetch(server.url("/lm"), last_modified=stamp)
    assert dated.status == "not_modified" and dated.last_modified == stamp


@pytest.mark.parametrize("announce_length", [True, False])
async def test_50_mb_body_is_cut_at_the_cap(server, make_fetcher, announce_length) -> None:
    server.route("/huge", big_body(50 * MB, announce_length=announce_length))
    fetcher = make_fetcher(max_body_bytes=5 * MB)
    tracemalloc.start()
    started = time.monotonic()
    result = await fetcher.fetch(server.url("/huge"))
    took = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.status == "error" and result.error == "response larger than 5 MB"
    assert result.body == b""
    assert took < 1.5
    assert peak < 8 * MB  # at most the cap plus a chunk or two, never the 50 MB


async def test_gzip_bomb_is_cut_after_decompression(server, make_fetcher) -> None:
    bomb = gzip.compress(bytes(20 * MB), compresslevel=9)
    assert len(bomb) < 100 * 1024
    server.route("/bomb", Reply(200, bomb, {**RSS_TYPE, "Content-Encoding": "gzip"}))
    result = await make_fetcher(max_body_bytes=5 * MB).fetch(server.url("/bomb"))
    assert result.error == "response larger than 5 MB"


async def test_dripping_server_is_cut_by_the_deadline(server, make_fetcher) -> None:
    server.route("/drip", drip(RSS, interval=0.1))  # never idle long enough to time out a read
    fetcher = make_fetcher(timeout=1.0, deadline=0.5)
    result = await fetcher.fetch(server.url("/drip"))
    assert result.status == "error" and result.error == "timed out after 0.5 s"
    assert 0.45 < result.elapsed < 1.0


async def test_read_timeout_is_retried(server, make_fetcher) -> None:
    server.route("/late", sequence(Reply(200, RSS, RSS_TYPE, delay=0.6), Reply(200, RSS, RSS_TYPE)))
    result = await make_fetcher(timeout=0.2, deadline=1.5).fetch(server.url("/late"))
    assert result.status == "ok" and server.hits["/late"] == 2


async def test_redirects_are_followed_to_the_final_url(server, make_fetcher) -> None:
    server.route("/old", redirect("/moved", 301))
    server.route("/moved", redirect(server.url("/feed"), 307))
    server.route("/feed", Reply(200, RSS, RSS_TYPE))
    result = await make_fetcher().fetch(server.url("/old"))
    assert result.status == "ok" and result.url == server.url("/feed")


async def test_redirect_loop_is_detected(server, make_fetcher) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    result = await make_fetcher().fetch(server.url("/a"))
    assert result.status == "error" and result.error == "redirect loop"
    assert server.hits["/a"] == 1 and server.hits["/b"] == 1


async def test_too_many_redirects(server, make_fetcher) -> None:
    for i in range(10):
        server.route(f"/r{i}", redirect(f"/r{i + 1}"))
    result = await make_fetcher().fetch(server.url("/r0"))
    assert result.error == "too many redirects (more than 5)"
    assert server.hits["/r5"] == 1 and server.hits["/r6"] == 0


@pytest.mark.parametrize(
    ("status", "message", "hits"),
    [
        (404, "HTTP 404 Not Found", 1),
        (410, "HTTP 410 Gone", 1),
        (500, "HTTP 500 Internal Server Error", 3),  # first try + 2 retries
    ],
)
async def test_http_errors(server, make_fetcher, status, message, hits) -> None:
    server.route("/x", Reply(status, b"nope", {"Content-Type": "text/plain"}))
    result = await make_fetcher().fetch(server.url("/x"))
    assert (result.status, result.http_status, result.error) == ("error", status, message)
    assert server.hits["/x"] == hits


async def test_server_error_then_success_is_retried(server, make_fetcher) -> None:
    server.route("/flaky", sequence(Reply(503), Reply(502), Reply(200, RSS, RSS_TYPE)))
    result = await make_fetcher().fetch(server.url("/flaky"))
    assert result.status == "ok" and server.hits["/flaky"] == 3


async def test_long_retry_after_is_not_waited_for(server, make_fetcher) -> None:
    server.route("/busy", Reply(429, b"", {"Retry-After": "120"}))
    result = await make_fetcher().fetch(server.url("/busy"))
    assert result.error == "HTTP 429 Too Many Requests" and server.hits["/busy"] == 1


async def test_challenge_page_is_named_and_not_retried(server, make_fetcher) -> None:
    page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>"
    server.route("/cf", Reply(503, page, {"Content-Type": "text/html"}))
    result = await make_fetcher().fetch(server.url("/cf"))
    assert result.error == (
        "HTTP 503 Service Unavailable: an anti-bot challenge page (Cloudflare “Just a moment…”)"
    )
    assert server.hits["/cf"] == 1


async def test_connection_refused_is_reported(make_fetcher) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await make_fetcher().fetch(f"http://127.0.0.1:{port}/feed")
    assert result.status == "error" and result.error.startswith("could not connect")
    assert "refused" in result.error


async def test_per_host_limit(server, make_fetcher) -> None:
    server.route("/slow", slow(Reply(200, RSS, RSS_TYPE), 0.15))
    fetcher = make_fetcher(per_host=2)
    results = await asyncio.gather(*(fetcher.fetch(server.url("/slow")) for _ in range(6)))
    assert all(r.status == "ok" for r in results)
    assert server.max_active["/slow"] == 2
    assert fetcher._hosts == {}  # per-host slots are dropped when idle


async def test_global_limit(server, make_fetcher) -> None:
    server.route("/slow", slow(Reply(200, RSS, RSS_TYPE), 0.15))
    fetcher = make_fetcher(per_host=10, global_limit=3)
    await asyncio.gather(*(fetcher.fetch(server.url("/slow")) for _ in range(6)))
    assert server.max_active["/slow"] == 3


# ---- SSRF ------------------------------------------------------------------------------


async def test_loopback_refused_when_private_urls_are_not_allowed(server, make_fetcher) -> None:
    server.route("/feed", Reply(200, RSS, RSS_TYPE))
    result = await make_fetcher(allow_private=False).fetch(server.url("/feed"))
    assert result.status == "error"
    assert result.error == "refused: resolves to a loopback address 127.0.0.1"
    assert server.hits["/feed"] == 0


async def test_private_and_link_local_refused(make_fetcher) -> None:
    fetcher = make_fetcher(allow_private=False)
    private = await fetcher.fetch("http://10.0.0.1/feed")
    metadata = await fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    assert private.error == "refused: resolves to a private address 10.0.0.1"
    assert metadata.error == "refused: resolves to a link-local address 169.254.169.254"


def _public_site_redirecting_to(location: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "news.example", "the guard must stop the hop"
        return httpx.Response(302, headers={"Location": location})

    return httpx.MockTransport(handler)


async def _public_resolver(host: str, port: int) -> list[str]:
    return {"news.example": ["93.184.216.34"]}.get(host) or ["127.0.0.1"]


async def test_redirect_to_loopback_is_refused_at_the_hop(make_fetcher) -> None:
    fetcher = make_fetcher(
        allow_private=False,
        transport=_public_site_redirecting_to("http://127.0.0.1:8080/admin"),
        resolver=_public_resolver,
    )
    result = await fetcher.fetch("https://news.example/feed")
    assert result.status == "error"
    assert result.error == (
        "refused redirect to http://127.0.0.1:8080/admin: resolves to a loopback address 127.0.0.1"
    )


async def test_redirect_to_a_name_resolving_to_loopback_is_refused(make_fetcher) -> None:
    fetcher = make_fetcher(
        allow_private=False,
        transport=_public_site_redirecting_to("http://intranet.example/"),
        resolver=_public_resolver,
    )
    result = await fetcher.fetch("https://news.example/feed")
    assert result.error.endswith("resolves to a loopback address 127.0.0.1")


async def test_redirect_to_loopback_allowed_when_private_urls_are(server, make_fetcher) -> None:
    server.route("/start", redirect(server.url("/feed")))
    server.route("/feed", Reply(200, RSS, RSS_TYPE))
    result = await make_fetcher(allow_private=True).fetch(server.url("/start"))
    assert result.status == "ok" and result.body == RSS


async def test_dns_rebinding_is_refused_at_connect_time(server, make_fetcher) -> None:
    """The name resolves to a public address for the check, then to 127.0.0.1."""
    server.route("/feed", Reply(200, RSS, RSS_TYPE))
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.1"])

    fetcher = make_fetcher(allow_private=False, resolver=rebinding, retries=0)
    result = await fetcher.fetch(f"http://rebind.example:{server.port}/feed")
    assert result.error == "refused: resolves to a loopback address 127.0.0.1"
    assert server.hits["/feed"] == 0


def test_from_settings_uses_the_configured_limits() -> None:
    settings = load_settings(
        user_agent="ua/2", http_timeout=7, max_body_bytes=2048, allow_private_urls=True
    )
    fetcher = Fetcher.from_settings(settings, retries=1)
    p = fetcher.policy
    assert (p.user_agent, p.timeout, p.max_body_bytes, p.allow_private, p.retries) == (
        "ua/2",
        7,
        2048,
        True,
        1,
    )
    assert p.total_deadline == 7


async def test_backoff_between_retries_frees_the_global_slot(server, make_fetcher) -> None:
    """One slot; the first feed answers 503 and is retried after 0.5-1 s: the second feed is
    fetched during that wait, not after it."""
    server.route("/flaky", sequence(Reply(503, b"busy"), Reply(200, RSS, RSS_TYPE)))
    server.route("/ok", Reply(200, RSS, RSS_TYPE))
    fetcher = make_fetcher(global_limit=1, retries=1, backoff=1.0, backoff_max=1.0)
    flaky = asyncio.create_task(fetcher.fetch(server.url("/flaky")))
    while server.hits["/flaky"] == 0:
        await asyncio.sleep(0.005)
    started = time.monotonic()
    ok = await fetcher.fetch(server.url("/ok"))
    assert ok.status == "ok" and time.monotonic() - started < 0.35
    assert (await flaky).status == "ok" and server.hits["/flaky"] == 2


async def test_waiting_for_the_global_slot_does_not_count_against_the_deadline(
    server, make_fetcher
) -> None:
    server.route("/slow", slow(Reply(200, RSS, RSS_TYPE), 0.3))
    fetcher = make_fetcher(global_limit=1, timeout=0.5)
    results = await asyncio.gather(*(fetcher.fetch(server.url("/slow")) for _ in range(3)))
    assert [r.status for r in results] == ["ok", "ok", "ok"]


@pytest.mark.parametrize("location", ["http:x", "https:foo", "http://xn--/", "http://[::1"])
async def test_malformed_redirect_location_is_an_error_not_an_exception(
    server, make_fetcher, location: str
) -> None:
    server.route("/start", redirect(location))
    result = await make_fetcher().fetch(server.url("/start"))
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("redirect to an invalid address (")
