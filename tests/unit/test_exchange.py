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
