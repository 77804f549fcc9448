"""What parsing produces: items of a feed or an article page, and the NotAFeed refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


class NotAFeed(Exception):
    """The body is neither a feed nor an article page; str(exc) says what it is."""


@dataclass
class ParsedItem:
    url: str
    guid: str | None
    title: str
    published: datetime | None  # UTC-aware
    summary: str  # plain text
    content: str  # plain text; "" when the feed carries only a summary
    author: str | None


@dataclass
class ParsedFeed:
    kind: Literal["rss", "atom", "html"]
    title: str
    items: list[ParsedItem]
