"""CLI sub-commands for sources: `briefbot ingest` and `briefbot sources import|export|list`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.cli_common import fail, subcommand
from bot.services.fetching.fetcher import Fetcher
from bot.services.ingest.ingestor import Ingestor, IngestSummary, SourceReport
from bot.services.ingest.sources import (
    OpmlImport,
    SourceError,
    export_opml,
    find_source_by_url,
    import_opml,
    list_sources,
)
from bot.services.resolve import parse_id
from bot.settings import Settings
from storage.db import Database

MAX_ERROR_COLUMN = 80


def _ingest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="URL", help="poll only this source (its URL or number)")


@subcommand("ingest", "poll the sources now and store new articles", _ingest_args)
def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import prepare_database

    db = prepare_database(settings)
    try:
        summary = asyncio.run(_ingest(db, settings, args.source))
    except SourceError as exc:
        return fail(str(exc))
    finally:
        db.dispose()
    print_summary(summary, Console())
    return 1 if summary.errors else 0


async def _ingest(db: Database, settings: Settings, source: str | None) -> IngestSummary:
    fetcher = Fetcher.from_settings(settings)
    ingestor = Ingestor(db, fetcher, settings)
    try:
        if source is not None:
            source_id = _source_id(db, source)
            return IngestSummary([await ingestor.ingest_source(source_id)])
        total = await asyncio.to_thread(_count_sources, db)
        with _progress(total) as advance:
            return await ingestor.ingest_all(progress=advance)
    finally:
        await fetcher.aclose()


def _source_id(db: Database, ident: str) -> int:
    from storage.repositories.sources import SourceRepo

    with db.session() as session:
        ident = ident.strip().lstrip("#")
        number = parse_id(ident)
        found = SourceRepo(session).get(number) if number is not None else None
        found = found or find_source_by_url(session, ident)
        if found is None or not found.active:
            raise SourceError("no source {ident} (see `briefbot sources list`)", ident=ident)
        return found.id


def _count_sources(db: Database) -> int:
    with db.session() as session:
        return len(list_sources(session))


class _progress:
    """A rich progress bar on a terminal; one plain line per source otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Progress | None = None
        self.done = 0

    def __enter__(self) -> Callable[[SourceReport], None]:
        if sys.stdout.isatty():
            self.bar = Progress(
                TextColumn("[bold]ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
            )
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        return self.advance

    def advance(self, report: SourceReport) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=report.name or report.url)
        else:
            print(f"[{self.done}/{self.total}] {report.status:12} {report.url}", flush=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(summary: IngestSummary, console: Console) -> None:
    table = Table(title="ingest summary")
    for column, justify in (("source", "left"), ("status", "left"), ("new", "right"),
                            ("duplicates", "right"), ("error", "left")):  # fmt: skip
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in sorted(summary.reports, key=lambda r: r.source_id):
        error = (r.error or "")[:MAX_ERROR_COLUMN]
        table.add_row(r.name or r.url, r.status, str(r.new_documents), str(r.duplicates), error)
    console.print(table)
    console.print(
        f"{len(summary.reports)} sources, {summary.new_documents} new documents, "
        f"{summary.duplicates} duplicates, {len(summary.errors)} errors"
    )


# --- briefbot sources ... ---------------------------------------------------------------


def _sources_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="add every feed of an OPML file")
    imp.add_argument("file", type=Path, help="the .opml file")
    exp = sub.add_parser("export", help="write the active sources as OPML")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    sub.add_parser("list", help="list the active sources with their status")


@subcommand("sources", "manage sources: import/export OPML, list", _sources_args)
def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import prepare_database

    db = prepare_database(settings)
    try:
        if args.action == "import":
            return _import(db, settings, args.file)
        if args.action == "export":
            with db.session() as session:
                text = export_opml(session)
            if args.output is None:
                sys.stdout.write(text)
            else:
                args.output.write_text(text, encoding="utf-8")
                print(f"wrote {args.output}")
            return 0
        return _list(db)
    finally:
        db.dispose()


def _import(db: Database, settings: Settings, path: Path) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"cannot read {path}: {exc.strerror}")

    async def run() -> OpmlImport:
        fetcher = Fetcher.from_settings(settings)
        try:
            return await import_opml(Ingestor(db, fetcher, settings), data, user_id=None)
        finally:
            await fetcher.aclose()

    try:
        result = asyncio.run(run())
    except SourceError as exc:
        return fail(str(exc))
    for probe in result.added:
        print(f"added   #{probe.source_id} {probe.kind:5} {probe.item_count:4} items  {probe.url}")
    for url, reason in result.skipped:
        print(f"skipped {url}: {reason}")
    for url, error in result.failed:
        print(f"failed  {url}: {error}")
    return 1 if result.failed else 0


def _list(db: Database) -> int:
    with db.session() as session:
        views = list_sources(session)
    table = Table(title="sources")
    for column in ("#", "kind", "name", "url", "last fetch", "status", "error"):
        table.add_column(column, overflow="fold")
    for v in views:
        fetched = v.last_fetched_at.strftime("%Y-%m-%d %H:%M") if v.last_fetched_at else "never"
        table.add_row(str(v.id), v.kind, v.name, v.url, fetched, v.last_status, v.last_error or "")
    Console().print(table)
    return 0
