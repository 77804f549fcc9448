"""`briefbot export [-o FILE]` and `briefbot import FILE`: the knowledge base as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from bot.cli_common import fail, subcommand
from bot.settings import Settings


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")


@subcommand(
    "export", "write the whole knowledge base as JSON (safe while the bot runs)", _export_args
)
def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import prepare_database
    from bot.services.exchange import export_knowledge

    db = prepare_database(settings)
    try:
        with db.session() as session:
            data = export_knowledge(session)
    finally:
        db.dispose()
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        _write_atomically(target, text)
    except OSError as exc:
        return fail(f"export: cannot write {target}: {exc.strerror}")
    counts = ", ".join(f"{len(data[k])} {k}" for k in data if k != "version")
    print(f"exported {counts} to {target}", file=sys.stderr)
    return 0


def _write_atomically(target: Path, text: str) -> None:
    """A reader never sees half a file: write beside it, then rename over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a file written by `briefbot export` (- = stdin)")


@subcommand("import", "load a JSON export (idempotent: upserts, never deletes)", _import_args)
def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.exchange import ExchangeError, import_knowledge, parse_knowledge
    from storage.db import Database

    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        return fail(f"import: cannot read {args.file}: {exc.strerror}")
    try:
        kb = parse_knowledge(raw)
    except ExchangeError as exc:
        return fail(f"import: {exc}")
    db = Database(settings.database_url)
    try:
        db.upgrade()
        with db.session() as session:  # one transaction: an error writes nothing
            result = import_knowledge(session, kb, label=str(args.file))
    except ExchangeError as exc:
        return fail(f"import: {exc}")
    finally:
        db.dispose()
    kinds = ("proposals", "actors", "facts", "sources", "documents", "subscriptions")
    parts = [
        f"{kind}: {result.created.get(kind, 0)} new, {result.updated.get(kind, 0)} existing"
        for kind in kinds
    ]
    print("imported " + "; ".join(parts), file=sys.stderr)
    if result.skipped_links:
        print(
            f"note: {result.skipped_links} actor link(s) had no stance in `positions` and "
            "were not recorded",
            file=sys.stderr,
        )
    return 0
