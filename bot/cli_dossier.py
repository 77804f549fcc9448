"""`briefbot dossier dump|diff|apply`: the dossier YAML as the bulk path for curators.

dump writes the dossier as it stands (chat edits included) in the file's schema; diff says
what applying a file would change; apply upserts it, removing what it no longer lists only
with --prune (the removals are listed first either way). A bad file is one line, exit 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.cli_common import EXIT_USAGE, fail, open_database, subcommand
from bot.cli_data import _write_atomically
from bot.settings import Settings
from storage.dossier.apply import apply_file
from storage.dossier.diff import Change, diff_dossier
from storage.dossier.dump import dump_dossier, to_yaml
from storage.dossier.schema import DossierError, DossierIn, load_dossier


def _args(p: argparse.ArgumentParser) -> None:
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    dump = verbs.add_parser("dump", help="write the current dossier as YAML")
    dump.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    diff = verbs.add_parser("diff", help="what applying FILE would change")
    diff.add_argument("file", metavar="FILE")
    apply = verbs.add_parser("apply", help="apply FILE as an upsert")
    apply.add_argument("file", metavar="FILE")
    apply.add_argument("--prune", action="store_true", help="also remove what FILE no longer lists")


@subcommand("dossier", "dossier as YAML: dump [-o FILE], diff FILE, apply FILE [--prune]", _args)
def cmd_dossier(args: argparse.Namespace, settings: Settings) -> int:
    if args.verb == "dump":
        return _dump(args, settings)
    try:
        wanted = load_dossier(Path(args.file))
    except DossierError as exc:
        return fail(f"dossier {args.verb}: {' '.join(str(exc).split())}", EXIT_USAGE)
    return _diff(wanted, settings) if args.verb == "diff" else _apply(args, wanted, settings)


def _dump(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(settings)
    try:
        with db.session() as session:
            text = to_yaml(dump_dossier(session))
    except ValidationError as exc:  # data the file's schema cannot hold (e.g. a bad slug)
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return fail(f"dossier dump: the database holds {where}: {first['msg']}", 1)
    finally:
        db.dispose()
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        _write_atomically(Path(args.output), text)
    except OSError as exc:
        return fail(f"dossier dump: cannot write {args.output}: {exc.strerror}", 1)
    print(f"dossier written to {args.output}", file=sys.stderr)
    return 0


def _diff(wanted: DossierIn, settings: Settings) -> int:
    db = open_database(settings)
    try:
        with db.session() as session:
            changes = diff_dossier(dump_dossier(session), wanted)
    finally:
        db.dispose()
    _print_changes(changes, prune=True)
    return 0


def _apply(args: argparse.Namespace, wanted: DossierIn, settings: Settings) -> int:
    db = open_database(settings)
    try:
        with db.session() as session:
            result = apply_file(session, wanted, prune=args.prune, path=Path(args.file))
    finally:
        db.dispose()
    _print_changes(result.changes, prune=args.prune)
    made = len(result.changes) - len(result.kept)
    kept = f"; {len(result.kept)} removals kept (use --prune)" if result.kept else ""
    print(f"applied {args.file}: {made} changes{kept}")
    return 0


def _print_changes(changes: list[Change], *, prune: bool) -> None:
    if not changes:
        print("no changes")
        return
    for change in changes:
        note = "  (kept without --prune)" if change.is_removal and not prune else ""
        print(change.line() + note)
