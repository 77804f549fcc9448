"""dossier changes: curators' edits from chat, with their history, undo data and digest cursor

Adds the dossier_changes table, the subscriptions.last_change_seq cursor, and renames the
status `in_force` to `implemented` (the statuses are now proposed, under_discussion, agreed,
implemented, rejected, withdrawn).

Revision ID: 0006
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("fact_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq"),
    )
    op.create_index("ix_dossier_changes_at", "dossier_changes", ["at"])
    op.create_index("ix_dossier_changes_proposal_id", "dossier_changes", ["proposal_id"])
    op.create_index("ix_dossier_changes_actor_id", "dossier_changes", ["actor_id"])
    op.create_index("ix_dossier_changes_fact_id", "dossier_changes", ["fact_id"])
    op.create_index("ix_dossier_changes_user", "dossier_changes", ["user_id", "id"])
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(
            sa.Column("last_change_seq", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE proposals SET status = 'implemented' WHERE status = 'in_force'")


def downgrade() -> None:
    op.execute("UPDATE proposals SET status = 'in_force' WHERE status = 'implemented'")
    op.execute("UPDATE proposals SET status = 'under_discussion' WHERE status = 'withdrawn'")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("last_change_seq")
    op.drop_table("dossier_changes")
