"""storage.errors.database_problem: which failures get the short "busy" / "full" answers."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.errors import database_problem


class PgError(Exception):
    """Stands in for psycopg's errors, which carry the SQLSTATE as `sqlstate`."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(orig: BaseException) -> OperationalError:
    return OperationalError("INSERT INTO facts ...", {}, orig)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (wrapped(sqlite3.OperationalError("database is locked")), "busy"),
        (wrapped(sqlite3.OperationalError("database or disk is full")), "full"),
        (wrapped(PgError("canceling statement due to lock timeout", "55P03")), "busy"),
        (wrapped(PgError("could not extend file: No space left on device", "53100")), "full"),
        (wrapped(sqlite3.OperationalError("no such table: facts")), None),
        (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")), None),
        (ValueError("database is locked"), "busy"),  # the words alone are enough
        (None, None),
    ],
)
def test_database_problem(error: BaseException | None, expected: str | None) -> None:
    assert database_problem(error) == expected


def test_a_problem_wrapped_as_the_cause_is_found() -> None:
    try:
        try:
            raise wrapped(sqlite3.OperationalError("database or disk is full"))
        except OperationalError as inner:
            raise RuntimeError("store failed") from inner
    except RuntimeError as outer:
        assert database_problem(outer) == "full"
