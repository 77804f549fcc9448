"""Feeds and pages written for the ingestion tests (RSS, Atom, article HTML)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Story:
    url: str
    title: str
    text: str
    guid: str | None = None


_WORDS = [
    "budget",
    "parliament",
    "envoy",
    "summit",
    "treaty",
    "border",
    "drone",
    "harbour",
    "grain",
    "pipeline",
    "sanctions",
    "convoy",
    "ministry",
    "embassy",
    "referendum",
    "tariff",
    "mandate",
    "observers",
    "corridor",
    "frigate",
    "radar",
    "winter",
    "reserves",
    "battalion",
    "ceasefire",
    "monitoring",
    "airspace",
    "loan",
    "reconstruction",
    "vote",
]


def story_text(topic: str, n: int = 0) -> str:
    """A long paragraph (above any teaser threshold), distinct for every (topic, n)."""
    rng = random.Random(f"{topic}-{n}")
    own = " ".join(rng.choice(_WORDS) for _ in range(60))
    return f"Details for item {n}: {own}. " + (
        f"Story {n} about {topic}. Foreign ministers met in Paris on the {n}th day to discuss "
        f"the {topic} and how a coalition of the willing could back a reassurance force for "
        f"Ukraine. Officials from France and the United Kingdom said planning for item {n} "
        "covered air policing, maritime demining and the training of Ukrainian brigades, "
        "while the question of troops on the ground stayed open. Diplomats added that any "
        "mission would need a clear mandate, a headquarters and agreed rules of engagement, "
        f"and that a further meeting on the {topic} was expected within weeks. Analysts noted "
        "that the Kremlin had rejected any foreign troops in Ukraine, that partners still "
        "differed on the size of the force, and that parliaments in several capitals would "
        "have to approve a deployment before soldiers could be sent."
    )


def rss(stories: list[Story], title: str = "Test RSS") -> bytes:
    items = []
    for s in stories:
        guid = f'<guid isPermaLink="false">{escape(s.guid)}</guid>' if s.guid else ""
        items.append(
            f"<item><title>{escape(s.title)}</title><link>{escape(s.url)}</link>{guid}"
            f"<description>{escape(s.text)}</description>"
            "<pubDate>Tue, 03 Jun 2025 08:00:00 GMT</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>test</description>{''.join(items)}</channel></rss>"
    ).encode()


def atom(stories: list[Story], title: str = "Test Atom") -> bytes:
    entries = "".join(
        f'<entry><title>{escape(s.title)}</title><link href="{escape(s.url)}"/>'
        f"<id>{escape(s.guid or s.url)}</id><updated>2025-06-03T08:00:00Z</updated>"
        f'<content type="html">{escape("<p>" + s.text + "</p>")}</content></entry>'
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id>"
        f"<updated>2025-06-03T08:00:00Z</updated>{entries}</feed>"
    ).encode()


def article_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright Test News</footer></body></html>"
    ).encode()
