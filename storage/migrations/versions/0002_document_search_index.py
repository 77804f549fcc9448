"""document search index (SQLite FTS5; PostgreSQL keeps ILIKE)

Searching 100,000 articles with LIKE '%word%' scans every row (~100 ms for a rare word).
On SQLite an external-content FTS5 table over documents(title, summary), kept in sync by
triggers (so every writer, ORM or bulk, updates it), answers in about a millisecond.
The table cannot be declared in storage/models.py, hence this hand-written migration.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, summary, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, summary ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "INSERT INTO documents_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
]


def _sqlite_with_fts5() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    options = {row[0] for row in bind.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade() -> None:
    if _sqlite_with_fts5():
        for statement in STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
