"""Turn a fetched body into items: feeds via feeds.py, article pages via trafilatura.

Everything that comes out is plain text (tags, scripts and entities gone). Anything that
is not a feed or an article raises NotAFeed saying what came back instead, so an admin
sees "a PNG image" or "an anti-bot challenge page" rather than "invalid feed".
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin

import trafilatura

from bot.services.fetching.charset import decode_body
from bot.services.fetching.feeds import MAX_ITEMS, parse_feed
from bot.services.fetching.items import NotAFeed, ParsedFeed, ParsedItem
from bot.services.fetching.plaintext import html_to_text
from bot.services.fetching.sniff import describe_binary, describe_challenge

__all__ = [
    "MAX_ITEMS",
    "NotAFeed",
    "ParsedFeed",
    "ParsedItem",
    "decode_body",
    "extract_article",
    "is_teaser",
    "parse_source",
]

log = logging.getLogger(__name__)

TEASER_CHARS = 600
MIN_ARTICLE_CHARS = 200
_TEASER_END = re.compile(
    r"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|читати далі|читать далее|далее)"
    r"\W*$",
    re.IGNORECASE,
)
_FEED_LINK = re.compile(
    r"""<link\b[^>]*type=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE
)
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.IGNORECASE)


def parse_source(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """Parse a feed or an article page; raise NotAFeed with what came back otherwise."""
    if not body.strip():
        raise NotAFeed("the server returned an empty body")
    binary = describe_binary(body)
    if binary:
        raise NotAFeed(f"binary data ({binary}), not a feed or a web page")
    text = decode_body(body, content_type)
    shape = _sniff_shape(text)
    if shape == "html":
        return _parse_html_page(text, url)
    if shape == "json":
        raise NotAFeed("JSON data, not an RSS or Atom feed")
    if shape == "text":
        raise NotAFeed("plain text, not a feed or a web page")
    return parse_feed(text, url)


def extract_article(body: bytes, url: str, content_type: str | None) -> ParsedItem | None:
    """Title, date, author and main text of an article page; None when there is no text."""
    if not body.strip() or describe_binary(body):
        return None
    return _extract(decode_body(body, content_type), url)


def is_teaser(item: ParsedItem) -> bool:
    """True when the feed gives only a lead-in and the article page is worth fetching."""
    text = item.content or item.summary
    if len(text) < TEASER_CHARS:
        return True
    return len(text) < 2 * TEASER_CHARS and bool(_TEASER_END.search(text))


def _sniff_shape(text: str) -> Literal["feed", "html", "json", "text"]:
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    feed_at = min((i for i in map(head.find, ("<rss", "<feed", "<rdf:rdf")) if i >= 0), default=-1)
    # An XHTML doctype in front of <rss> is a sloppy feed, not a page: only <html> counts
    html_at = head.find("<html")
    if feed_at >= 0 and (html_at < 0 or feed_at < html_at):
        return "feed"
    if html_at >= 0 or "<!doctype html" in head or "<body" in head or "<head" in head:
        return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "feed" if head.startswith("<") else "text"


def _first_words(text: str, limit: int = 80) -> str:
    line = text.split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---- article pages --------------------------------------------------------------------


def _parse_html_page(text: str, url: str) -> ParsedFeed:
    challenge = describe_challenge(text, widgets=False)
    if challenge:
        raise NotAFeed(f"an anti-bot challenge page ({challenge}) instead of content")
    item = _extract(text, url)
    if item is None:
        challenge = describe_challenge(text)
        if challenge:
            raise NotAFeed(f"an anti-bot challenge page ({challenge}) instead of content")
        feeds = _feed_links(text, url)
        hint = f"; the page links to a feed: {feeds[0]}" if feeds else ""
        raise NotAFeed(f"an HTML page without article text{hint}")
    return ParsedFeed("html", item.title, [item])


def _extract(html: str, url: str) -> ParsedItem | None:
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except Exception:  # trafilatura/lxml on hostile markup; a bad page must not stop a run
        log.warning("article extraction failed for %s", url, exc_info=True)
        return None
    body = getattr(doc, "text", None) if doc is not None else None
    content = html_to_text(body, paragraphs=True)
    if len(content) < MIN_ARTICLE_CHARS:  # a menu or a cookie notice, not an article
        return None
    return ParsedItem(
        url=url,
        guid=None,
        title=html_to_text(doc.title) or _first_words(content),
        published=_date(doc.date),
        summary=html_to_text(doc.description),
        content=content,
        author=html_to_text(doc.author) or None,
    )


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def _feed_links(html: str, url: str) -> list[str]:
    links = []
    for tag in _FEED_LINK.findall(html[: 64 * 1024]):
        href = _HREF.search(tag)
        if href:
            links.append(urljoin(url, href.group(1)))
    return links
