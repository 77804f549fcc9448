"""relevance on documents, curators' link labels, the stored linking model, `all` subscriptions

Revision ID: 0004
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0008"  # assigned "0002"; chained after 0008 when merged
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite and PostgreSQL both take it with a constant default): a batch
    # operation would rebuild `documents` and drop the full-text triggers of migration 0002
    # documents stored before relevance existed stay visible
    op.add_column(
        "documents", sa.Column("on_topic", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("documents", sa.Column("relevance_score", sa.Float(), nullable=True))
    op.add_column(
        "documents",
        sa.Column("relevance_reason", sa.String(length=300), nullable=False, server_default=""),
    )
    op.add_column(
        "subscriptions",
        sa.Column("all_articles", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "link_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "kind", "target_id"),
    )
    with op.batch_alter_table("link_labels", schema=None) as batch_op:
        batch_op.create_index("ix_link_labels_document_id", ["document_id"], unique=False)
        batch_op.create_index("ix_link_labels_created_at", ["created_at"], unique=False)
    op.create_table(
        "link_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_count", sa.Integer(), nullable=False),
        sa.Column("label_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("link_models")
    with op.batch_alter_table("link_labels", schema=None) as batch_op:
        batch_op.drop_index("ix_link_labels_created_at")
        batch_op.drop_index("ix_link_labels_document_id")
    op.drop_table("link_labels")
    op.drop_column("subscriptions", "all_articles")  # DROP COLUMN: SQLite 3.35+, PostgreSQL
    op.drop_column("documents", "relevance_reason")
    op.drop_column("documents", "relevance_score")
    op.drop_column("documents", "on_topic")
