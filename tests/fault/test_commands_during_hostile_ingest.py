"""Commands stay fast while the polling job fights ten hostile sources (issue 3).

Fetching is async and bounded (deadline, size cap, redirect limit), parsing and storing
run in worker threads: nothing a source does should hold the event loop that answers
users. The ten sources below are each a way a real server misbehaves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from bot import ingest_jobs
from bot.settings import Settings
from storage.db import Database
from storage.models import Source
from storage.repositories.sources import SourceRepo
from tests.support.bot_harness import running_bot
from tests.support.http_server import LocalHTTPServer, Reply, big_body, drip, redirect

FETCH_TIMEOUT = 2.0  # per fetch; the hanging and dripping sources end by this deadline
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
RSS = {"Content-Type": "application/rss+xml"}
CHALLENGE = (
    b"<!doctype html><html><head><title>Just a moment...</title></head>"
    b"<body>Checking your browser before accessing the site. cf-chl</body></html>"
)


# name -> (routes, the path polled, what the admin should read about it)
def _hostile(url: Callable[[str], str]) -> dict[str, tuple[dict[str, Reply], str, str]]:
    rss_head = b"<?xml version='1.0'?><rss version='2.0'><channel><title>drip</title>"
    text = {"Content-Type": "text/plain"}
    return {
        # a byte every 0.2 s, for minutes
        "drip": ({"/f": drip(rss_head * 20, 0.2)}, "/f", "timed out"),
        "huge": ({"/f": big_body(50 * 1024 * 1024)}, "/f", "larger than 5 MB"),
        "huge-unannounced": (
            {"/f": big_body(50 * 1024 * 1024, announce_length=False)},
            "/f",
            "larger than 5 MB",
        ),
        "loop": ({"/a": redirect(url("/b")), "/b": redirect(url("/a"))}, "/a", "redirect"),
        "junk": ({"/f": Reply(body=PNG, headers=RSS)}, "/f", "PNG image"),
        "error": ({"/f": Reply(500, b"Internal Server Error", text)}, "/f", "500"),
        "hang": ({"/f": Reply(body=b"", delay=60.0)}, "/f", "timed out"),
        "broken": (
            {"/f": Reply(body=b"<rss><channel><item><title>x</titl", headers=RSS)},
            "/f",
            "malformed XML",
        ),
        "gone": ({"/f": Reply(410, b"gone", text)}, "/f", "410"),
        "challenge": ({"/f": Reply(503, CHALLENGE, {"Content-Type": "text/html"})}, "/f", "503"),
    }


@pytest.fixture
def hostile(db: Database) -> Iterator[dict[str, tuple[LocalHTTPServer, str]]]:
    """Each hostile source on its own loopback address, as on its own site."""
    with ExitStack() as stack:
        servers: dict[str, tuple[LocalHTTPServer, str]] = {}
        for i, name in enumerate(_hostile(str)):
            server = stack.enter_context(LocalHTTPServer(max_lifetime=30, host=f"127.0.0.{i + 2}"))
            routes, path, expected = _hostile(server.url)[name]
            for route, reply in routes.items():
                server.route(route, reply)
            servers[name] = (server, expected)
            with db.session() as session:
                SourceRepo(session).add(server.url(path), name=name, kind="rss")
        yield servers


def _statuses(db: Database) -> dict[str, tuple[str, str | None]]:
    with db.session() as session:
        return {s.name: (s.last_status, s.last_error) for s in session.query(Source).all()}


async def test_commands_answer_within_a_second_while_hostile_sources_are_fetched(
    settings: Settings,
    db: Database,
    hostile: dict[str, tuple[LocalHTTPServer, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest_jobs, "POLL_FIRST", 0.05)  # poll at once (0 means "interval")
    settings = settings.model_copy(update={"http_timeout": FETCH_TIMEOUT})
    async with running_bot(settings, db, jobs=True) as env:
        deadline = time.monotonic() + 5
        while not all(hostile[name][0].hits for name in ("drip", "hang", "huge")):
            assert time.monotonic() < deadline, "the poll did not start"
            await asyncio.sleep(0.02)

        latencies = {}
        for chat, text in enumerate(["/proposals", "/search reassurance", "/actor France"], 1):
            sent = time.monotonic()
            replies = await env.ask(chat, text, timeout=3)
            latencies[text] = replies[0].received_at - sent
            assert "went wrong" not in replies[0].plain_text
        in_flight = _statuses(db)["hang"][0] == "new"  # the hanging fetch is still running

        deadline = time.monotonic() + 4 * FETCH_TIMEOUT + 4
        while any(status == "new" for status, _e in _statuses(db).values()):
            assert time.monotonic() < deadline, f"sources still unpolled: {_statuses(db)}"
            await asyncio.sleep(0.1)

    assert in_flight, "the commands were answered after the hostile poll, proving nothing"
    assert all(latency < 1.0 for latency in latencies.values()), latencies
    statuses = _statuses(db)
    for name, (_server, expected) in hostile.items():  # each its own reason, none another's
        status, error = statuses[name]
        assert status == "error" and expected in (error or ""), (name, error)
