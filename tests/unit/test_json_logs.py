"""LOG_FORMAT=json: one JSON object per line, with fields for the main events."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest

from bot.deps import Deps
from bot.digest_jobs import queue_digests
from bot.ingest_jobs import poll_due_sources
from bot.logs import setup_logging
from bot.settings import Settings
from storage.db import Database
from storage.repositories.sources import SourceRepo
from tests.support.bot_harness import running_bot
from tests.support.http_server import LocalHTTPServer, Reply
from tests.unit.feeds import RSS_TYPE, Story, rss, story_text


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The app's JSON logging (LOG_FORMAT=json), its stream swapped for a buffer to read."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("INFO", "json")
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


def events(err: str) -> list[dict[str, Any]]:
    lines = [line for line in err.splitlines() if line.strip()]
    bad = [line for line in lines if not line.startswith("{")]
    assert not bad, "\n".join(bad)
    parsed = [json.loads(line) for line in lines]
    assert all(
        isinstance(p, dict) and {"ts", "level", "logger", "event"} <= p.keys() for p in parsed
    )
    return parsed


def of_kind(parsed: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [p for p in parsed if p.get("kind") == kind]


async def test_startup_ingest_and_errors_are_json_lines_with_fields(
    settings: Settings, db: Database, json_logs: io.StringIO
) -> None:
    with LocalHTTPServer() as server:
        stories = [
            Story(server.url(f"/s/{i}"), f"S {i}", story_text("log", i), f"g{i}") for i in range(2)
        ]
        fresh = rss(stories).replace(  # dated now: older news would not make a digest
            b"Tue, 03 Jun 2025 08:00:00 GMT", format_datetime(datetime.now(UTC)).encode()
        )
        server.route("/good", Reply(body=fresh, headers={"Content-Type": RSS_TYPE}))
        server.route("/bad", Reply(404, b"no", {"Content-Type": "text/plain"}))
        with db.session() as session:
            good = SourceRepo(session).add(server.url("/good"), name="good", kind="rss").id
            SourceRepo(session).add(server.url("/bad"), name="bad", kind="rss")
        async with running_bot(settings, db) as env:
            [subscribed] = await env.ask(7, "/subscribe instant")
            deps: Deps = env.app.bot_data.deps
            deps.settings = deps.settings.model_copy(update={"http_timeout": 2.0})
            await poll_due_sources(deps)
            await queue_digests(deps)
            await deps.outbox.drain(timeout=10)
            env.fake.fail_next("sendMessage", status=400, description="Bad Request: odd")
            apology = await env.ask(7, "/proposals")

    assert "as soon as new articles arrive" in subscribed.plain_text
    assert "went wrong" in apology[-1].plain_text
    parsed = events(json_logs.getvalue())
    startup = of_kind(parsed, "startup")
    assert startup and startup[0]["bot"] == "briefbot_test_bot"
    by_status = {p["status"]: p for p in of_kind(parsed, "ingest_source")}
    assert by_status["ok"]["source_id"] == good and by_status["ok"]["new"] == 2
    assert by_status["error"]["error"] and by_status["error"]["level"] == "info"
    run = of_kind(parsed, "ingest_run")
    assert run and (run[0]["sources"], run[0]["new"], run[0]["errors"]) == (2, 2, 1)
    [enqueued] = of_kind(parsed, "digest_enqueued")
    assert (enqueued["digests"], enqueued["messages"]) == (1, 1)
    [sent] = of_kind(parsed, "digest_sent")
    assert sent["chat_id"] == 7 and sent["message_id"] and sent["part"] == 0
    errors = of_kind(parsed, "error")
    assert errors and errors[0]["level"] == "error" and "BadRequest" in errors[0]["error"]
    assert "\n" not in json.dumps(errors[0])  # the traceback travels inside the one line
