"""candidate facts: suggested stance, speaker, source title, and every source of a claim

Ingestion proposes attributed claims (bot/services/text/claims.py). A claim carries its
suggested stance and, when its speaker is not a known actor, the speaker's name; the same
claim found in two outlets is one fact with two rows in fact_sources.

Revision ID: 0008
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import add_columns, drop_columns

revision = "0008"
down_revision = "0005"  # assigned "0002"; chained after 0005 (langpics)
branch_labels = None
depends_on = None


def _claim_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("stance", sa.String(length=20), nullable=True),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.Column("source_title", sa.String(length=500), nullable=True),
    ]


def upgrade() -> None:
    add_columns("facts", _claim_columns())
    op.create_table(
        "fact_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fact_id", sa.Integer(), sa.ForeignKey("facts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("outlet", sa.String(length=300), nullable=True),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.UniqueConstraint("fact_id", "url"),
    )
    op.create_index("ix_fact_sources_fact_id", "fact_sources", ["fact_id"])


def downgrade() -> None:
    op.drop_index("ix_fact_sources_fact_id", table_name="fact_sources")
    op.drop_table("fact_sources")
    drop_columns("facts", _claim_columns())
