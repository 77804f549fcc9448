"""Export/import of the knowledge base: contract keys, round trip, idempotence, bad files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.services.exchange import (
    ExchangeError,
    export_knowledge,
    import_knowledge,
    parse_knowledge,
)
from storage.db import Database
from storage.models import (
    Actor,
    Document,
    DocumentActor,
    DocumentProposal,
    Fact,
    Position,
    Proposal,
    Source,
    Subscription,
)

CONTRACT = {
    "proposals": {"slug", "title", "summary", "status", "actors", "facts"},
    "actors": {"slug", "name", "kind", "country", "aliases"},
    "sources": {
        "id",
        "url",
        "name",
        "kind",
        "active",
        "last_fetched_at",
        "outlet_kind",
        "country",
        "language",
    },
    "documents": {"url", "title", "published_at", "source_id", "summary", "actors", "proposals"},
    "subscriptions": {"chat_id", "mode", "schedule", "active"},
}
FACT_KEYS = {"id", "text", "source_url", "published_at", "status"}


def add_ingested(db: Database) -> None:
    """Sources, documents with links, a pending fact and a subscription on top of the seed."""
    with db.session() as s:
        meloni = s.scalars(select(Actor).where(Actor.slug == "meloni")).one()
        art5 = s.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        src = Source(
            url="http://127.0.0.1:9/feed.xml",
            name="Local feed",
            kind="rss",
            last_fetched_at=datetime(2025, 9, 1, 8, 0, tzinfo=UTC),
            outlet_kind="wire",
            country="UA",
            language="uk",
        )
        s.add(src)
        s.flush()
        for n in range(3):
            doc = Document(
                url=f"http://127.0.0.1:9/a/{n}",
                title=f"Article {n} <b>&",
                summary="Meloni proposal",
                source_id=src.id,
                published_at=datetime(2025, 9, n + 1, tzinfo=UTC),
            )
            s.add(doc)
            s.flush()
            s.add(DocumentActor(document_id=doc.id, actor_id=meloni.id))
            s.add(DocumentProposal(document_id=doc.id, proposal_id=art5.id))
        s.add(
            Fact(
                key="k-pending",
                proposal_id=art5.id,
                text="A pending fact, «quoted» 🇺🇦",
                status="pending",
                published_at=date(2025, 9, 2),
                added_by="admin:4242",
            )
        )
        s.add(
            Subscription(
                chat_id=-100123,
                thread_id=7,
                mode="weekly",
                schedule="mon 08:00",
                include_keywords=["sanctions"],
                filter_actor_id=meloni.id,
            )
        )


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (
                Proposal,
                Actor,
                Position,
                Fact,
                Source,
                Document,
                DocumentActor,
                DocumentProposal,
                Subscription,
            )
        }


def fresh(tmp_path: Path, name: str) -> Database:
    database = Database(f"sqlite:///{tmp_path / name}")
    database.upgrade()
    return database


def export(db: Database) -> dict:
    with db.session() as s:
        return json.loads(json.dumps(export_knowledge(s)))


def test_export_has_every_contract_key(db: Database) -> None:
    add_ingested(db)
    data = export(db)
    assert data["version"] == 1
    for kind, keys in CONTRACT.items():
        assert data[kind], kind
        for item in data[kind]:
            assert keys <= set(item), (kind, keys - set(item))
    art5 = next(p for p in data["proposals"] if p["slug"] == "art5-like")
    assert "meloni" in art5["actors"]
    assert all(set(f) >= FACT_KEYS for f in art5["facts"])
    assert data["documents"][0]["actors"] == ["meloni"]
    assert data["documents"][0]["source_id"] == data["sources"][0]["id"]
    assert (data["sources"][0]["outlet_kind"], data["sources"][0]["country"]) == ("wire", "UA")


def test_round_trip_into_a_fresh_database_is_equal(db: Database, tmp_path: Path) -> None:
    add_ingested(db)
    first = export(db)
    other = fresh(tmp_path, "other.sqlite3")
    with other.session() as s:
        import_knowledge(s, parse_knowledge(json.dumps(first)))
    assert export(other) == first
    other.dispose()


def test_import_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    add_ingested(db)
    raw = json.dumps(export(db))
    other = fresh(tmp_path, "other.sqlite3")
    with other.session() as s:
        import_knowledge(s, parse_knowledge(raw))
    once = counts(other)
    with other.session() as s:
        result = import_knowledge(s, parse_knowledge(raw))
    assert counts(other) == once
    assert not result.created
    # and importing into the database it came from changes no counts either
    before = counts(db)
    with db.session() as s:
        import_knowledge(s, parse_knowledge(raw))
    assert counts(db) == before
    other.dispose()


def test_imported_subscription_does_not_get_old_history(db: Database, tmp_path: Path) -> None:
    add_ingested(db)
    other = fresh(tmp_path, "other.sqlite3")
    with other.session() as s:
        import_knowledge(s, parse_knowledge(json.dumps(export(db))))
    with other.session() as s:
        sub = s.scalars(select(Subscription)).one()
        assert sub.last_document_id == s.scalar(select(func.max(Document.id)))
        assert (sub.thread_id, sub.mode, sub.include_keywords) == (7, "weekly", ["sanctions"])
    other.dispose()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json at all", "not a JSON file"),
        ("[1, 2]", "top level"),
        ('{"proposals": []}', "version: field required"),
        ('{"version": 2}', "unsupported version 2"),
        ('{"version": 1, "documents": [{"title": "x"}]}', "documents[0].url: field required"),
        ('{"version": 1, "proposals": [{"slug": "Bad Slug", "title": "t"}]}', "proposals[0].slug"),
        ('{"version": 1, "subscriptions": [{"chat_id": "abc"}]}', "subscriptions[0].chat_id"),
    ],
)
def test_bad_files_give_one_clear_line(raw: str, message: str) -> None:
    with pytest.raises(ExchangeError) as info:
        parse_knowledge(raw)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_bad_reference_writes_nothing(db: Database) -> None:
    before = counts(db)
    raw = json.dumps(
        {
            "version": 1,
            "actors": [{"slug": "new-actor", "name": "New"}],
            "documents": [
                {"url": "http://127.0.0.1:9/x", "actors": ["new-actor"]},
                {"url": "http://127.0.0.1:9/y", "proposals": ["no-such-proposal"]},
            ],
        }
    )
    with (
        pytest.raises(ExchangeError, match=r"documents\[1\]\.proposals\[0\]: unknown proposal"),
        db.session() as s,
    ):
        import_knowledge(s, parse_knowledge(raw))
    assert counts(db) == before


def test_cli_export_import_and_exit_codes(
    db: Database, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    out = tmp_path / "kb.json"
    assert main(["export", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["version"] == 1
    assert main(["export"]) == 0
    assert json.loads(capsys.readouterr().out)["proposals"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "documents": [{}, {}, {}, {"title": "t"}]}')
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("briefbot: import: documents[0].url: field required")
    assert main(["import", str(tmp_path / "missing.json")]) == 2
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert main(["import", str(out)]) == 0
    assert main(["import", str(out)]) == 0
    assert "0 new" in capsys.readouterr().err


# --- restoring a backup keeps the service whole -----------------------------------------


def _subscriptions_file(*subs: dict) -> str:
    return json.dumps({"version": 1, "subscriptions": list(subs)})


def test_imported_scheduled_subscriptions_get_their_next_slot_and_digests(
    db: Database, settings
) -> None:
    from bot.render.digest import render_digest
    from bot.services.digests.enqueue import enqueue_due
    from storage.models import OutboxMessage

    now = datetime(2025, 9, 1, 7, 0, tzinfo=UTC)  # a Monday
    raw = _subscriptions_file(
        {"chat_id": 501, "mode": "daily", "schedule": "08:00"},
        {"chat_id": 502, "mode": "weekly", "schedule": "wed 09:30"},
        {"chat_id": 503, "mode": "instant"},
    )
    with db.session() as s:
        import_knowledge(s, parse_knowledge(raw), tz=settings.tz, now=now)
    with db.session() as s:
        due = {sub.chat_id: sub.next_due_at for sub in s.scalars(select(Subscription))}
    assert due[501] == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    assert due[502] == datetime(2025, 9, 3, 9, 30, tzinfo=UTC)
    assert due[503] is None
    with db.session() as s:  # news arrives after the restore
        s.add(Document(url="http://127.0.0.1:9/new", title="Meloni on guarantees", summary="x"))
    result = enqueue_due(db, settings, datetime(2025, 9, 1, 8, 1, tzinfo=UTC), render=render_digest)
    assert result.digests == 1
    with db.session() as s:
        assert [o.chat_id for o in s.scalars(select(OutboxMessage))] == [501]
        daily = s.scalars(select(Subscription).where(Subscription.chat_id == 501)).one()
        assert daily.next_due_at == datetime(2025, 9, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sub", "message"),
    [
        (
            {"chat_id": 1, "mode": "daily", "schedule": "25:99"},
            ".schedule: '25:99' is not a valid time",
        ),
        ({"chat_id": 1, "mode": "daily", "schedule": "-1:-1"}, "'-1:-1' is not a valid time"),
        (
            {"chat_id": 1, "mode": "weekly", "schedule": "fryday 08:00"},
            "'fryday' is not a valid day",
        ),
        ({"chat_id": 1, "mode": "daily", "schedule": "08:00 extra"}, "not a daily schedule"),
        ({"chat_id": 2**63}, "subscriptions[0].chat_id: input should be less than or equal"),
        ({"chat_id": 1, "thread_id": -(2**63) - 1}, "subscriptions[0].thread_id"),
        ({"chat_id": 1, "include_keywords": ["x" * 41]}, "include_keywords[0]"),
        ({"chat_id": 1, "exclude_keywords": ["w"] * 11}, "exclude_keywords"),
    ],
)
def test_import_refuses_what_subscribe_refuses(sub: dict, message: str) -> None:
    with pytest.raises(ExchangeError) as info:
        parse_knowledge(_subscriptions_file(sub))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_import_stores_schedules_as_subscribe_does() -> None:
    kb = parse_knowledge(
        _subscriptions_file(
            {"chat_id": 1, "mode": "weekly", "schedule": "Friday 7pm"},
            {"chat_id": 2, "mode": "instant", "schedule": "08:00"},
        )
    )
    assert [s.schedule for s in kb.subscriptions] == ["fri 19:00", ""]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"version": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than"),
        ('{"version": 1, "x": ' + "[" * 40 + "]" * 40 + "}", "nested more than 32 levels"),
        ('{"version": 1, "sources": [{"id": ' + "9" * 5000 + ', "url": "u"}]}', "not a JSON"),
        ('{"version": 1, "sources": [{"id": 1e999, "url": "u"}]}', "sources[0].id"),
        ('{"version": 1, "sources": [{"id": 99999999999999999999, "url": "u"}]}', "sources[0].id"),
        (
            '{"version": 1, "documents": [{"url": "u", "source_id": -99999999999999999999}]}',
            "documents[0].source_id",
        ),
        (
            '{"version": 1, "proposals": [{"slug": "a", "title": "t", "facts": [{"id": 1e30, '
            '"text": "x"}]}]}',
            "proposals[0].facts[0].id",
        ),
    ],
)
def test_hostile_numbers_and_nesting_give_one_line(raw: str, message: str) -> None:
    with pytest.raises(ExchangeError) as info:
        parse_knowledge(raw)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "record",
    [
        {"proposals": [{"slug": "a", "title": "t", "summary": "s" * 5001}]},
        {"proposals": [{"slug": "a", "title": "t", "mechanism": "m" * 5001}]},
        {"proposals": [{"slug": "a", "title": "t", "commitments": ["c" * 1501]}]},
        {"proposals": [{"slug": "a", "title": "t", "aliases": ["a" * 201]}]},
        {"proposals": [{"slug": "a", "title": "t", "keywords": ["k"] * 201}]},
        {"actors": [{"slug": "a", "name": "n", "summary": "s" * 5001}]},
        {"actors": [{"slug": "a", "name": "n", "link_terms": ["t" * 201]}]},
        {"documents": [{"url": "u", "summary": "s" * 10_001}]},
    ],
)
def test_imported_texts_have_the_usual_caps(record: dict) -> None:
    with pytest.raises(ExchangeError, match="at most"):
        parse_knowledge(json.dumps({"version": 1, **record}))


def test_cli_import_of_a_hostile_file_exits_2_with_one_line(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    deep = tmp_path / "deep.json"
    deep.write_text('{"version": 1, "a": ' + "{" * 0 + "[" * 50_000 + "]" * 50_000 + "}")
    assert main(["import", str(deep)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "briefbot: import: nested more than 32 levels deep"
    bad = tmp_path / "bad.json"
    bad.write_text(_subscriptions_file({"chat_id": 5, "mode": "daily", "schedule": "25:99"}))
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "briefbot: import: subscriptions[0].schedule: '25:99' is not a valid time"
