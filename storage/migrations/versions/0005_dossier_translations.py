"""dossier translations and chat languages

Proposals, actors, positions and facts gain a `translations` JSON column holding the other
languages' versions of their shown texts ({"uk": {"title": …}}); existing rows get {}.
`chat_languages` keeps the language a chat picked with /language.

Revision ID: 0005
Revises: 0003 (assigned 0002)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"  # assigned "0002"; chained after 0003 (main) once both met
branch_labels = None
depends_on = None

TRANSLATED_TABLES = ("proposals", "actors", "positions", "facts")


def upgrade() -> None:
    for table in TRANSLATED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("translations", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )
    op.create_table(
        "chat_languages",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )


def downgrade() -> None:
    op.drop_table("chat_languages")
    for table in reversed(TRANSLATED_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("translations")
