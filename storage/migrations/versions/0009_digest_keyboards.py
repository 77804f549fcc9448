"""digest messages carry a keyboard (reply_markup) and a digest remembers its articles

An admin's digest ends with a button that opens a numbered picker of the digest's articles,
each leading to the link editor: the outbox row stores that keyboard, and the digest the ids
of the articles it showed (in order), so the picker lists exactly what the admin read.

Revision ID: 0009
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN of nullable columns: no table rebuild, rows already queued keep NULL
    # (no keyboard, no article list) and are sent as before
    op.add_column("outbox", sa.Column("reply_markup", sa.JSON(), nullable=True))
    op.add_column("digests", sa.Column("document_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild of `digests` would drop the
    # table, and with it (ON DELETE CASCADE) every outbox row of every digest
    op.drop_column("digests", "document_ids")
    op.drop_column("outbox", "reply_markup")
