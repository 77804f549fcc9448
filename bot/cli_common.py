"""What every `briefbot` sub-command module shares: the registry, one-line failures, opening
the database."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from bot.settings import Settings
from storage.db import Database

log = logging.getLogger("briefbot")
EXIT_USAGE = 2

# sub-command name -> (configure parser, run); features add theirs with `subcommand`
Runner = Callable[[argparse.Namespace, Settings], int]
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Runner]] = {}


def subcommand(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):  # type: ignore[no-untyped-def]
    def decorate(fn: Runner) -> Runner:
        SUBCOMMANDS[name] = (help_text, configure, fn)
        return fn

    return decorate


class StartupError(Exception):
    """The bot cannot start (database or Bot API unusable); one line for the operator."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"briefbot: {message}", file=sys.stderr)
    return code


def open_database(settings: Settings) -> Database:
    """prepare_database, with a bad URL, a missing driver or an unreachable server as one line."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from bot.bootstrap import prepare_database

    try:
        return prepare_database(settings)
    except ArgumentError:
        raise StartupError("DATABASE_URL is not a valid SQLAlchemy URL", EXIT_USAGE) from None
    except ModuleNotFoundError as exc:
        raise StartupError(
            f"DATABASE_URL needs the database driver {exc.name!r}, which is not installed",
            EXIT_USAGE,
        ) from None
    except (SQLAlchemyError, OSError) as exc:
        first_line = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
        raise StartupError(f"cannot open the database: {first_line}") from None
