"""Adding and dropping a group of columns in a migration, the drop undoing the add.

Through `op.batch_alter_table`: on SQLite that copies the table (see each migration for
whether a copy is safe for its table), on PostgreSQL it is plain ALTER TABLE.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


def add_columns(table: str, columns: Sequence[sa.Column[object]]) -> None:
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.add_column(column)


def drop_columns(table: str, columns: Sequence[sa.Column[object]]) -> None:
    """Drop `columns` (as passed to add_columns) in the reverse order of adding them."""
    with op.batch_alter_table(table) as batch:
        for column in reversed(columns):
            batch.drop_column(column.name)
