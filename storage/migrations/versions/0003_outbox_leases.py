"""outbox leases: which process holds a row, and until when

Several bot processes on one PostgreSQL claim outbox rows with FOR UPDATE SKIP LOCKED and
stamp them with their name and a lease; a row whose lease has ended (its process died) is
claimed again by another.

Revision ID: 0003
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa

from storage.migrations.columns import add_columns, drop_columns

revision = "0003"
down_revision = "0007"  # assigned "0002"; chained after 0007 (wiring) once both met
branch_labels = None
depends_on = None


def _lease_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    add_columns("outbox", _lease_columns())


def downgrade() -> None:
    drop_columns("outbox", _lease_columns())
