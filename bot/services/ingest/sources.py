"""Managing sources: add with a probe, remove, list, and OPML import/export.

OPML is parsed with defusedxml: it refuses entity declarations outright, so a crafted
file (billion laughs, external entities) is rejected before anything is expanded.
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.i18n import N_, Translator
from bot.services.fetching.parsing import NotAFeed, parse_source
from bot.services.fetching.urlguard import UnsafeURL, check_url
from bot.services.ingest.dedup import canonical_url
from bot.services.resolve import parse_id
from storage.models import Source
from storage.repositories.audit import AuditRepo
from storage.repositories.sources import SourceRepo

if TYPE_CHECKING:
    from bot.services.ingest.ingestor import Ingestor

MAX_URL_CHARS = 2000
MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OPML_FEEDS = 500  # per file: each is probed over the network, one file is one import
_DUPLICATE = N_("This source is already in the list (#{id}: {name}).")


class SourceError(Exception):
    """A refusal the admin can read; `template` is marked for translation."""

    def __init__(self, template: str, **values: Any) -> None:
        self.template, self.values = template, values
        super().__init__(template.format(**values))

    def text(self, _: Translator, escape: Callable[[str], str]) -> str:
        """The translated message, every outside value passed through `escape` (the render
        layer passes its HTML escaping; services do not import render)."""
        return _(self.template, **{k: escape(str(v)) for k, v in self.values.items()})


@dataclass(frozen=True)
class SourceProbe:
    url: str
    kind: str  # rss | atom | html
    title: str
    item_count: int
    source_id: int = 0


@dataclass(frozen=True)
class SourceView:
    id: int
    url: str
    name: str
    kind: str
    active: bool
    last_fetched_at: datetime | None
    last_status: str
    last_error: str | None
    item_count: int
    consecutive_failures: int
    next_fetch_at: datetime | None


def validate_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > MAX_URL_CHARS:
        raise SourceError(N_("That does not look like a URL."))
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceError(N_("Only http:// and https:// addresses can be sources."))
    return url


async def add_source(
    ingestor: Ingestor, url: str, name: str | None, user_id: int | None
) -> SourceProbe:
    """Check, fetch and recognise a source, then store it; SourceError says why not."""
    url = validate_url(url)
    try:
        await check_url(url, allow_private=ingestor.settings.allow_private_urls)
    except UnsafeURL as exc:
        raise SourceError(N_("Refused: {reason}."), reason=str(exc)) from None
    existing = await asyncio.to_thread(_find_duplicate, ingestor, url)
    if existing is not None:
        raise SourceError(_DUPLICATE, id=existing.id, name=existing.name or existing.url)
    fetched = await ingestor.fetcher.fetch(url)
    if fetched.status != "ok":
        raise SourceError(N_("Could not fetch it: {reason}."), reason=fetched.error or "no content")
    try:
        feed = await asyncio.to_thread(
            parse_source, fetched.body, fetched.url, fetched.content_type
        )
    except NotAFeed as exc:
        raise SourceError(N_("Not a feed or an article page: {reason}."), reason=str(exc)) from None
    title = (name or "").strip() or feed.title.strip() or urlsplit(url).hostname or url
    probe = SourceProbe(url, feed.kind, title[:300], len(feed.items))
    source_id = await asyncio.to_thread(_store_source, ingestor, probe, user_id)
    return SourceProbe(probe.url, probe.kind, probe.title, probe.item_count, source_id)


def _find_duplicate(ingestor: Ingestor, url: str) -> Source | None:
    with ingestor.db.session() as session:
        return find_source_by_url(session, url)


def find_source_by_url(session: Session, url: str) -> Source | None:
    """An active source with this URL, also when spelled differently (case, tracking)."""
    repo = SourceRepo(session)
    exact = repo.by_url(url.strip())
    if exact is not None and exact.active:
        return exact
    wanted = canonical_url(url)
    return next((s for s in repo.active() if canonical_url(s.url) == wanted), None)


def _store_source(ingestor: Ingestor, probe: SourceProbe, user_id: int | None) -> int:
    """Store a probed source. Another task (a parallel OPML probe, a second admin) may have
    stored it while we probed: that is "already present", found by a second look here or,
    when both writes raced, by the unique URL constraint."""
    try:
        with ingestor.db.session() as session:
            existing = find_source_by_url(session, probe.url)
            if existing is not None:
                raise SourceError(_DUPLICATE, id=existing.id, name=existing.name or existing.url)
            source = SourceRepo(session).add(
                probe.url,
                name=probe.title,
                kind=probe.kind,
                added_by=user_id,
                item_count=probe.item_count,
            )
            detail = f"#{source.id} {probe.kind} {probe.url}"
            AuditRepo(session).record(user_id, "source.add", detail)
            return source.id
    except IntegrityError:
        existing = _find_duplicate(ingestor, probe.url)
        if existing is None:
            raise
        raise SourceError(_DUPLICATE, id=existing.id, name=existing.name or existing.url) from None


def remove_source(session: Session, ident: str, user_id: int) -> Source:
    """Stop polling a source given by id or URL; its documents stay."""
    ident = ident.strip().lstrip("#")
    if not ident:
        raise SourceError(N_("Say which source: its number or URL."))
    repo = SourceRepo(session)
    if ident.isdigit():  # an id (or a digit-like sign that is no id: no match)
        number = parse_id(ident)
        source = repo.get(number) if number is not None else None
    else:
        source = find_source_by_url(session, ident)
    if source is None or not source.active:
        raise SourceError(N_("No source matches “{query}”."), query=ident)
    repo.deactivate(source)
    AuditRepo(session).record(user_id, "source.remove", f"#{source.id} {source.url}")
    return source


def list_sources(session: Session) -> list[SourceView]:
    return [
        SourceView(
            id=s.id,
            url=s.url,
            name=s.name,
            kind=s.kind,
            active=s.active,
            last_fetched_at=s.last_fetched_at,
            last_status=s.last_status,
            last_error=s.last_error,
            item_count=s.item_count,
            consecutive_failures=s.consecutive_failures,
            next_fetch_at=s.next_fetch_at,
        )
        for s in SourceRepo(session).active()
    ]


# --- OPML ------------------------------------------------------------------------------


def parse_opml(data: bytes) -> list[tuple[str, str]]:
    """(url, title) of every feed outline, in order, each URL once: spellings of one address
    (case, default port, tracking parameters) count as one, so parallel probes never race to
    store the same source."""
    if len(data) > MAX_OPML_BYTES:
        raise SourceError(N_("The OPML file is too large (over {mb} MB)."), mb=MAX_OPML_BYTES >> 20)
    try:
        root = safe_fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise SourceError(
            N_("This is not a readable OPML file: {reason}."), reason=str(exc)
        ) from None
    if root.tag.lower() != "opml":
        raise SourceError(
            N_("This is not an OPML file (its root element is “{tag}”)."), tag=root.tag
        )
    feeds: dict[str, tuple[str, str]] = {}  # canonical URL → (URL as written, title)
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url and (outline.get("type") or "").lower() == "link":
            url = (outline.get("url") or "").strip()  # a web page source, as we export it
        if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        feeds.setdefault(canonical_url(url), (url, title[:300]))
        if len(feeds) > MAX_OPML_FEEDS:
            raise SourceError(
                N_(
                    "This OPML file lists more than {max} feeds; please split it into smaller files."
                ),
                max=MAX_OPML_FEEDS,
            )
    return list(feeds.values())


def export_opml(session: Session) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "briefbot sources"
    body = ET.SubElement(root, "body")
    for source in SourceRepo(session).active():
        kind = "rss" if source.kind in ("rss", "atom") else "link"
        attrs = {"type": kind, "text": source.name or source.url, "title": source.name or ""}
        attrs["xmlUrl" if kind == "rss" else "url"] = source.url
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass
class OpmlImport:
    added: list[SourceProbe]
    skipped: list[tuple[str, str]]  # (url, reason in English, for logs and the CLI)
    failed: list[tuple[str, SourceError]]


async def import_opml(
    ingestor: Ingestor, data: bytes, user_id: int | None, *, concurrency: int = 8
) -> OpmlImport:
    """Add every feed of an OPML file; each is probed like /addsource, duplicates skipped."""
    return await import_feeds(ingestor, parse_opml(data), user_id, concurrency=concurrency)


async def import_feeds(
    ingestor: Ingestor,
    feeds: list[tuple[str, str]],
    user_id: int | None,
    *,
    concurrency: int = 8,
) -> OpmlImport:
    """Probe and add the (url, title) pairs of a parsed OPML file, a few at a time."""
    result = OpmlImport([], [], [])
    limit = asyncio.Semaphore(concurrency)

    async def one(url: str, title: str) -> None:
        async with limit:
            try:
                result.added.append(await add_source(ingestor, url, title or None, user_id))
            except SourceError as exc:
                if exc.template == _DUPLICATE:
                    result.skipped.append((url, str(exc)))
                else:
                    result.failed.append((url, exc))

    await asyncio.gather(*(one(url, title) for url, title in feeds))
    return result
