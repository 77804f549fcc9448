"""source context (kind of outlet, country, language) and the dossier's citable sources

* sources.outlet_kind / country / language: who publishes a feed (official, wire, outlet,
  state-affiliated, think tank), where, and in which language; all optional.
* dossier_sources: the `sources:` list of the dossier YAML (id, title, url, publisher,
  published), kept so `briefbot dossier dump` writes back what `apply` read.

Revision ID: 0007
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import add_columns, drop_columns

revision = "0007"
down_revision = "0006"  # assigned "0002"; chained after 0006 (curation)
branch_labels = None
depends_on = None


def _context_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("outlet_kind", sa.String(20), nullable=True),
        sa.Column("country", sa.String(80), nullable=True),
        sa.Column("language", sa.String(10), nullable=True),
    ]


def upgrade() -> None:
    add_columns("sources", _context_columns())
    op.create_table(
        "dossier_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("publisher", sa.String(300), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    op.drop_table("dossier_sources")
    drop_columns("sources", _context_columns())
