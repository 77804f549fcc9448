"""RSS/Atom/RDF text to items: fastfeedparser first, feedparser for what it reads badly.

fastfeedparser is many times faster, but it is strict where feedparser is forgiving: on
XML that is not well-formed it drops characters and text, and it does not know RSS 0.9 or
CDF. So it only gets documents that lxml reads as well-formed XML, and its answer is kept
only when it found as many items as the document has; anything else goes to feedparser,
exactly as before, so nothing feedparser reads is lost.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import fastfeedparser
import feedparser
import lxml.etree

from bot.services.fetching.items import NotAFeed, ParsedFeed, ParsedItem
from bot.services.fetching.plaintext import html_to_text

__all__ = ["MAX_ITEMS", "parse_feed", "parse_feed_slow"]

log = logging.getLogger(__name__)

MAX_ITEMS = 500  # a feed with more is a dump, not a feed; the newest come first anyway
_EXPAT_WHERE = re.compile(r"^<unknown>:(\d+):(\d+): ")
_ITEM_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_FAST_ROOTS = frozenset({"rss", "feed", "RDF"})
_SINGLE = ("title", "description", "summary", "guid", "id", "pubDate", "published")
# No DTDs, no entity expansion, no network: only "is this well-formed?"
_STRICT = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def parse_feed(text: str, url: str) -> ParsedFeed:
    """Items of a decoded feed document; NotAFeed when neither parser finds a feed."""
    body = _XML_DECL.sub("", text, count=1).lstrip().encode("utf-8")
    fast = _parse_fast(body, url)
    return fast if fast is not None else parse_feed_slow(text, url)


def parse_feed_slow(text: str, url: str) -> ParsedFeed:
    """feedparser alone (the fallback, and the reference the corpus test compares with)."""
    # Already decoded, so feedparser gets UTF-8 and is told so; its sanitizer and URI
    # resolver are off (we produce plain text ourselves): they are its slowest, most
    # memory-hungry pure-Python paths.
    parsed = feedparser.parse(
        text.encode("utf-8"),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    version = parsed.get("version") or ""
    items = [item for e in parsed.entries[:MAX_ITEMS] if (item := _slow_item(e, url))]
    feed_title = html_to_text(parsed.feed.get("title"))
    # A bozo feed that still yields items is fine (feeds are often sloppy); one that
    # yields nothing usable, or no feed at all, is reported with the parser's complaint.
    # A well-formed document feedparser read something from (CDF, say) is an empty feed.
    if not items and (parsed.get("bozo") or not (version or parsed.feed or parsed.entries)):
        problem = parsed.get("bozo_exception") or "no feed elements found"
        detail = _short(_EXPAT_WHERE.sub(r"line \1, column \2: ", str(problem)))
        raise NotAFeed(f"malformed XML that cannot be read as a feed ({detail})")
    title = feed_title or (urlsplit(url).hostname or url)
    return ParsedFeed("atom" if version.startswith("atom") else "rss", title, items)


# ---- fastfeedparser -------------------------------------------------------------------


def _parse_fast(body: bytes, url: str) -> ParsedFeed | None:
    """fastfeedparser's reading, or None when feedparser should read the document."""
    try:
        root = lxml.etree.fromstring(body, _STRICT)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None  # not well-formed: feedparser's forgiving parser does better
    tag = lxml.etree.QName(root).localname if isinstance(root.tag, str) else ""
    if tag not in _FAST_ROOTS:
        return None
    try:
        parsed = fastfeedparser.parse(
            body, include_tags=False, include_media=False, include_enclosures=False
        )
    except Exception:  # any trouble in the fast parser is feedparser's job
        log.debug("fastfeedparser refused %s", url, exc_info=True)
        return None
    entries = parsed.get("entries") or []
    if len(entries) < len(_ITEM_TAG.findall(body)) or _ambiguous(root):
        return None  # it missed items (RSS 0.9, odd namespaces) or would drop text
    items = [item for e in entries[:MAX_ITEMS] if (item := _fast_item(e, url))]
    if len(items) < min(len(entries), MAX_ITEMS):
        # an entry without an address it understood; feedparser knows more forms (an RSS
        # item with an Atom-style <link href>, an upper-case "HTTP://" guid), so it decides
        return None
    title = html_to_text((parsed.get("feed") or {}).get("title"))
    kind = "atom" if tag == "feed" else "rss"
    return ParsedFeed(kind, title or (urlsplit(url).hostname or url), items)


def _ambiguous(root: Any) -> bool:
    """True where fastfeedparser reads differently from feedparser: a title holding
    unescaped child elements (their text is dropped), an Atom link without href, or an
    item with two elements of one name in different namespaces (it may take the wrong
    one)."""
    if any(len(element) for element in root.iter("{*}title")):
        return True
    if root.tag.endswith("feed") and any(link.get("href") is None for link in root.iter("{*}link")):
        return True  # Atom 0.3 links with the address as text
    for item in root.iter("{*}item", "{*}entry"):
        names = [lxml.etree.QName(c).localname for c in item if isinstance(c.tag, str)]
        if any(names.count(n) > 1 for n in _SINGLE if n in names):
            return True
    return False


def _fast_item(entry: Any, base: str) -> ParsedItem | None:
    summary_html = entry.get("description") or ""
    contents = [c.get("value") or "" for c in entry.get("content") or ()]
    # fastfeedparser repeats the RSS description as content; feedparser does not
    content_html = max((c for c in contents if c != summary_html), key=len, default="")
    alternates = [x.get("href") for x in entry.get("links") or () if x.get("rel") == "alternate"]
    link = next((href for href in alternates if href), None) or entry.get("link")
    guid = entry.get("id")
    return _item(
        base,
        guid=None if guid == link else guid,  # it copies the link when there is no guid
        link=link,
        title=entry.get("title"),
        published=_iso_utc(entry.get("published") or entry.get("updated")),
        summary_html=summary_html,
        content_html=content_html,
        author=entry.get("author"),
    )


def _iso_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---- feedparser -----------------------------------------------------------------------


def _slow_item(entry: Any, base: str) -> ParsedItem | None:
    contents = [c.get("value") or "" for c in entry.get("content", [])]
    return _item(
        base,
        guid=entry.get("id"),
        link=entry.get("link"),
        title=entry.get("title"),
        published=_struct_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
        summary_html=entry.get("summary") or "",
        content_html=max(contents, key=len, default=""),
        author=entry.get("author"),
    )


def _struct_utc(struct: time.struct_time | None) -> datetime | None:
    """feedparser normalises dates to UTC struct_time; keep them timezone-aware."""
    if not struct:
        return None
    try:
        return datetime(*struct[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# ---- both -----------------------------------------------------------------------------


def _item(
    base: str,
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    published: datetime | None,
    summary_html: str,
    content_html: str,
    author: str | None,
) -> ParsedItem | None:
    guid = (guid or "").strip() or None
    link = (link or "").strip()
    if not link and guid and guid.startswith(("http://", "https://")):
        link = guid  # RSS <guid isPermaLink="true"> without <link>
    try:
        link = urljoin(base, link) if link else ""
        scheme = urlsplit(link).scheme
    except ValueError:  # "http://[oops/": no address a reader could open
        return None
    if scheme not in ("http", "https"):
        return None  # no address to point readers to (or a javascript: one)
    summary = html_to_text(summary_html, paragraphs=True)
    content = html_to_text(content_html, paragraphs=True)
    return ParsedItem(
        url=link,
        guid=guid,
        title=html_to_text(title) or _first_words(content or summary) or link,
        published=published,
        summary=summary,
        content=content,
        author=html_to_text(author) or None,
    )


def _first_words(text: str, limit: int = 80) -> str:
    line = text.split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
