"""A feed that hangs must not cost the other feeds of its site their poll.

The wait for a per-host slot does not count against a fetch's deadline (the feed has not
been requested yet), and it holds no global slot meanwhile.
"""

from __future__ import annotations

import asyncio

from bot.services.fetching.fetcher import Fetcher, FetchPolicy
from tests.support.http_server import LocalHTTPServer, Reply


async def test_fast_feed_is_fetched_although_two_feeds_of_its_host_hang() -> None:
    policy = FetchPolicy(timeout=1.0, per_host=2, retries=0, allow_private=True)
    fetcher = Fetcher(policy)
    with LocalHTTPServer() as server:
        server.route("/hang", Reply(body=b"", delay=30.0))
        server.route("/fast", Reply(body=b"<rss version='2.0'><channel/></rss>"))
        try:
            results = await asyncio.gather(
                fetcher.fetch(server.url("/hang")),
                fetcher.fetch(server.url("/hang?2")),
                fetcher.fetch(server.url("/fast")),
            )
        finally:
            await fetcher.aclose()
    assert [r.status for r in results] == ["error", "error", "ok"], [r.error for r in results]
