"""`briefbot status`: the operator's view on the command line (the same numbers as /stats).

A rich table on a terminal, plain aligned text when piped (stable for grep and cron mail),
and `--json` for monitoring scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from bot.cli_common import open_database, subcommand
from bot.services.stats import Stats, collect_stats
from bot.settings import Settings

ERROR_CHARS = 100
MODES = ("instant", "daily", "weekly")
OUTBOX_STATES = ("pending", "sent", "failed")


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object (for scripts)")


@subcommand(
    "status",
    "sources, documents per day, subscribers, outbox and last digest at a glance",
    _status_args,
)
def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(settings)
    try:
        with db.session() as session:
            stats = collect_stats(session, settings.tz)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(status_json(stats), ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        print_rich(stats)
    else:
        print(status_text(stats))
    return 0


def status_json(s: Stats) -> dict[str, Any]:
    data = asdict(s)
    data["documents_per_day"] = [{"day": d, "documents": n} for d, n in s.documents_per_day]
    data["subscriptions"] = {mode: s.subscriptions.get(mode, 0) for mode in MODES} | {
        mode: n for mode, n in s.subscriptions.items() if mode not in MODES
    }
    data["outbox"] = {state: s.outbox.get(state, 0) for state in OUTBOX_STATES} | s.outbox
    return json.loads(json.dumps(data, default=_jsonable))


def _jsonable(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _when(value: datetime | None, s: Stats) -> str:
    """A time in the operator's zone (DIGEST_TZ / TZ), as /stats shows it."""
    if value is None:
        return "never"
    return value.astimezone(ZoneInfo(s.tz_name)).strftime("%Y-%m-%d %H:%M")


def _short(text: str | None) -> str:
    text = " ".join((text or "unknown error").split())
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def summary_rows(s: Stats) -> list[tuple[str, str]]:
    """(what, value) lines shared by the plain and the rich output."""
    src, modes, out = s.sources, s.subscriptions, s.outbox
    return [
        (
            "sources",
            f"{s.active_sources} active: {src.get('ok', 0)} ok, {src.get('failing', 0)} failing, "
            f"{src.get('backing_off', 0)} backing off, {src.get('new', 0)} not fetched yet; "
            f"{src.get('inactive', 0)} removed",
        ),
        ("last fetch", _when(s.last_fetch, s)),
        ("documents", f"{s.documents} total, {s.documents_24h} in the last 24 h"),
        (
            "subscribers",
            ", ".join(f"{mode} {modes.get(mode, 0)}" for mode in MODES)
            + f"; inactive {s.inactive_subscriptions}",
        ),
        ("outbox", ", ".join(f"{state} {out.get(state, 0)}" for state in OUTBOX_STATES)),
        ("last digest", _when(s.last_digest, s)),
        (
            "dossier",
            f"{s.proposals} proposals, {s.actors} actors, {s.facts.get('approved', 0)} approved "
            f"facts; {s.pending_review} waiting for /review",
        ),
    ]


def status_text(s: Stats) -> str:
    lines = [f"briefbot status at {_when(s.at, s)} ({s.tz_name})"]
    lines += [f"{what + ':':<13} {value}" for what, value in summary_rows(s)]
    lines.append("documents per day:")
    lines += [f"  {day:%Y-%m-%d}  {n:>7}" for day, n in s.documents_per_day]
    if s.failing:
        lines.append("failing sources:")
        for f in s.failing:
            lines.append(
                f"  #{f.id} {f.name} — {_short(f.error)} "
                f"({f.failures} in a row; next try {_when(f.next_fetch_at, s)})"
            )
    return "\n".join(lines)


def print_rich(s: Stats, console: Console | None = None) -> None:
    console = console or Console()
    overview = Table(title=f"briefbot status at {_when(s.at, s)} ({s.tz_name})", show_header=False)
    overview.add_column(style="bold")
    overview.add_column()
    for what, value in summary_rows(s):
        overview.add_row(what, value)
    console.print(overview)
    days = Table(title="documents per day")
    days.add_column("day")
    days.add_column("documents", justify="right")
    for day, n in s.documents_per_day:
        days.add_row(f"{day:%Y-%m-%d}", str(n))
    console.print(days)
    if s.failing:
        failing = Table(title="failing sources")
        for column in ("id", "name", "error", "in a row", "next try"):
            failing.add_column(column, overflow="fold")
        for f in s.failing:
            failing.add_row(
                str(f.id), f.name, _short(f.error), str(f.failures), _when(f.next_fetch_at, s)
            )
        console.print(failing)
