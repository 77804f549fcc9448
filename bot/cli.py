"""The `briefbot` command line: run, chat, db upgrade, export, import (and more per feature)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import cli_bench, cli_data, cli_dossier, cli_health, cli_ingest, cli_linking, cli_status
from bot.cli_common import (
    EXIT_USAGE,
    SUBCOMMANDS,
    StartupError,
    fail,
    log,
    open_database,
    subcommand,
)
from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings

# the sub-commands of these modules join run/chat/db (each module registers its own)
FEATURE_MODULES = (
    cli_data,
    cli_ingest,
    cli_status,
    cli_bench,
    cli_dossier,
    cli_health,
    cli_linking,
)
CORE_COMMANDS = ("run", "chat", "db")  # listed first in --help


def _quiet_bootstrap_abort(record: logging.LogRecord) -> bool:
    """PTB logs a traceback when its start-up call to the Bot API fails; we say it in one line."""
    message = record.getMessage()
    return not ("Bootstrap" in message and "Abort" in message)


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--webhook", metavar="URL", help="receive updates by webhook at this public URL")
    p.add_argument(
        "--listen", metavar="HOST:PORT", default="0.0.0.0:8443", help="webhook server address"
    )
    p.add_argument(
        "--secret", metavar="TOKEN", default=None, help="webhook secret token (or WEBHOOK_SECRET)"
    )


@subcommand("run", "run the bot (long polling, or --webhook) with its scheduler", _run_args)
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application
    from bot.webhook import webhook_options

    token = settings.require_token()
    webhook = None
    if args.webhook:
        webhook = webhook_options(
            args.webhook, args.listen, args.secret or os.environ.get("WEBHOOK_SECRET")
        )
    _lock = _one_sqlite_process(settings)  # held until the process ends
    log.info(
        "database: %s",
        settings.database_label(),
        extra={"fields": {"kind": "startup", "database": settings.database_label()}},
    )
    db = open_database(settings)
    app = build_application(settings, db, token=token)
    logging.getLogger("telegram.ext").addFilter(_quiet_bootstrap_abort)
    try:
        _serve(app, settings, webhook)
    except InvalidToken:
        raise StartupError(
            f"BOT_TOKEN was rejected by the Bot API at {settings.telegram_base_url}", EXIT_USAGE
        ) from None
    except NetworkError as exc:  # at start only: once running, PTB retries network errors itself
        raise StartupError(
            f"cannot reach the Bot API at {settings.telegram_base_url}: {exc}"
        ) from None
    return 0


def _one_sqlite_process(settings: Settings):  # type: ignore[no-untyped-def]
    """SQLite: the file lock next to the database, or StartupError (exit 2) when it is taken."""
    from bot.single_process import AlreadyRunning, hold_sqlite_lock

    if settings.sqlite_path is None:
        return None
    try:
        return hold_sqlite_lock(settings.sqlite_path)
    except AlreadyRunning as exc:
        raise StartupError(str(exc), EXIT_USAGE) from None


def _serve(app, settings: Settings, webhook) -> None:  # type: ignore[no-untyped-def]
    if webhook is not None:
        log.info(
            "starting webhook server on %s:%d for %s",
            webhook.listen,
            webhook.port,
            webhook.url,
            extra={"fields": {"kind": "startup", "mode": "webhook", "url": webhook.url}},
        )
        app.run_webhook(**webhook.kwargs())
    else:
        log.info(
            "starting long polling against %s",
            settings.telegram_base_url,
            extra={"fields": {"kind": "startup", "mode": "polling"}},
        )
        # with several processes only the leader polls (bot/leadership_jobs.py)
        app.bot_data.deps.long_polling = True
        app.run_polling(allowed_updates=None, drop_pending_updates=False)


def _chat_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user-id", type=int, default=1, help="act as this Telegram user id")
    p.add_argument(
        "--lang",
        choices=["en", "uk"],
        default=None,
        help="the chat's language, stored as /language would (default: as before, or en)",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="serve a sample feed on loopback, as an admin, on a throw-away database",
    )


@subcommand("chat", "local console on the same handlers: no token, no network", _chat_args)
def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_application
    from bot.console import CONSOLE_TOKEN, ConsoleRequest, run_console

    if getattr(args, "demo", False):
        from bot.cli_demo import run_demo_chat

        return run_demo_chat(args, settings, cmd_chat)

    db = open_database(settings)
    request = ConsoleRequest()
    app = build_application(
        settings, db, token=CONSOLE_TOKEN, request=request, rate_limit=False, jobs=False
    )
    if args.lang:
        from bot.services.chat_language import store_language

        with db.session() as session:  # the console chat's id is the user's, as in Telegram
            store_language(session, args.user_id, args.lang, args.user_id)
    asyncio.run(run_console(app, request, args.user_id, language=args.lang))
    return 0


def _db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["upgrade"], help="apply Alembic migrations")


@subcommand("db", "database maintenance: `briefbot db upgrade`", _db_args)
def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    open_database(settings).dispose()
    print("database is up to date")
    return 0


def _help_order(name: str) -> tuple[int, int]:
    """run/chat/db first, then each feature module's commands in FEATURE_MODULES order."""
    if name in CORE_COMMANDS:
        return (0, CORE_COMMANDS.index(name))
    module = SUBCOMMANDS[name][2].__module__
    order = [m.__name__ for m in FEATURE_MODULES]
    return (1, order.index(module) if module in order else len(order))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = sorted(SUBCOMMANDS, key=_help_order)
    for name in names:
        help_text, configure, _fn = SUBCOMMANDS[name]
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = load_settings()
        setup_logging(settings.log_level, settings.log_format)
        return SUBCOMMANDS[args.command][2](args, settings)
    except SettingsError as exc:
        return fail(str(exc))
    except StartupError as exc:
        return fail(str(exc), exc.code)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
