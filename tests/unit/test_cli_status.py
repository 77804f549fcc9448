"""`briefbot status`: plain text when piped, a rich table on a terminal, JSON for scripts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from rich.console import Console

from bot.cli import main
from bot.cli_status import print_rich
from bot.services.stats import collect_stats
from bot.settings import Settings
from storage.db import Database
from storage.models import Digest, Document, OutboxMessage, Source, Subscription, utcnow


@pytest.fixture
def filled(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    now = utcnow()
    with db.session() as s:
        s.add_all(Document(url=f"https://ex.org/{i}", stored_at=now) for i in range(3))
        s.add(Document(url="https://ex.org/old", stored_at=now - timedelta(days=2)))
        s.add_all(
            [
                Source(url="https://a.org/f", name="A", last_status="ok", last_fetched_at=now),
                Source(
                    url="https://b.org/f",
                    name="Broken <feed>",
                    last_status="error",
                    last_error="HTTP 500 Internal Server Error",
                    consecutive_failures=3,
                    next_fetch_at=now + timedelta(hours=1),
                ),
                Subscription(chat_id=1, mode="daily"),
                Subscription(chat_id=2, mode="instant"),
                Subscription(chat_id=3, mode="daily", active=False),
            ]
        )
        digest = Digest(chat_id=1, created_at=now - timedelta(minutes=5))
        s.add(digest)
        s.flush()
        s.add_all(
            OutboxMessage(digest_id=digest.id, part=i, chat_id=1, text="x", state=state)
            for i, state in enumerate(["sent", "sent", "pending", "failed"])
        )
    return db


def test_status_json_has_every_number_an_operator_asks_for(
    filled: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"]["ok"] == 1 and data["sources"]["backing_off"] == 1
    assert data["failing"][0]["error"] == "HTTP 500 Internal Server Error"
    assert data["failing"][0]["failures"] == 3
    assert data["subscriptions"] == {"instant": 1, "daily": 1, "weekly": 0}
    assert data["inactive_subscriptions"] == 1
    assert data["outbox"] == {"pending": 1, "sent": 2, "failed": 1}
    assert data["last_digest"] is not None
    per_day = [d["documents"] for d in data["documents_per_day"]]
    assert len(per_day) == 7 and per_day[-1] == 3 and per_day[-3] == 1


def test_status_plain_text_when_piped(filled: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out, "no terminal colours in a pipe"
    assert "sources:      2 active: 1 ok, 0 failing, 1 backing off" in out
    assert "subscribers:  instant 1, daily 1, weekly 0; inactive 1" in out
    assert "outbox:       pending 1, sent 2, failed 1" in out
    assert "#2 Broken <feed> — HTTP 500 Internal Server Error (3 in a row" in out
    assert "last digest:  never" not in out


def test_status_rich_table_on_a_terminal(filled: Database, settings: Settings) -> None:
    console = Console(record=True, width=140, force_terminal=True)
    with filled.session() as session:
        print_rich(collect_stats(session, settings.tz), console)
    text = console.export_text()
    assert "failing sources" in text and "Broken <feed>" in text
    assert "documents per day" in text and "pending 1, sent 2, failed 1" in text
