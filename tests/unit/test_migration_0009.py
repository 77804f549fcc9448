"""Migration 0009 (digest keyboards) upgrades and downgrades on SQLite and PostgreSQL
(TEST_DATABASE_URL), keeping queued outbox rows through both directions."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from storage.db import Database, alembic_config


def columns(database: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(database.engine).get_columns(table)}


def test_0009_upgrade_and_downgrade_keep_queued_rows(db: Database) -> None:
    cfg = alembic_config(db.engine)
    assert "reply_markup" in columns(db, "outbox")
    assert "document_ids" in columns(db, "digests")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO digests (chat_id, created_at, document_count, fact_count, trigger,"
                " document_ids) VALUES (1, CURRENT_TIMESTAMP, 2, 0, 'manual', '[5, 7]')"
            )
        )
        digest_id = conn.execute(text("SELECT max(id) FROM digests")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO outbox (digest_id, part, chat_id, thread_id, text, state, attempts,"
                " not_before, created_at, reply_markup) VALUES (:d, 0, 1, 0, 'hi', 'pending', 0,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :m)"
            ),
            {"d": digest_id, "m": '{"inline_keyboard": []}'},
        )

    command.downgrade(cfg, "0004")
    assert "reply_markup" not in columns(db, "outbox")
    assert "document_ids" not in columns(db, "digests")
    with db.engine.connect() as conn:  # dropping a column must not rebuild (and cascade)
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 1

    command.upgrade(cfg, "head")
    assert "reply_markup" in columns(db, "outbox")
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT text, reply_markup FROM outbox")).one()
    assert row[0] == "hi" and row[1] is None
