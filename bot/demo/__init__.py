"""`briefbot chat --demo`: a small sample feed (bot/demo/articles.yaml) served on loopback.

The feed's dates are relative to the moment it is served, so the articles are always recent
enough for digests; each item links to its own article page on the same server.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ARTICLES = Path(__file__).with_name("articles.yaml")
DEFAULT_PORT = 8787
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    hours_ago: float


def load_articles(path: Path = ARTICLES) -> tuple[str, list[Article]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = [
        Article(a["slug"], a["title"], tuple(a["paragraphs"]), float(a["hours_ago"]))
        for a in raw["articles"]
    ]
    return raw["feed_title"], articles


def render_feed(base: str, title: str, articles: list[Article], now: datetime) -> str:
    items = []
    for a in articles:
        url = f"{base}/articles/{a.slug}.html"
        published = format_datetime(now - timedelta(hours=a.hours_ago))
        items.append(
            "<item>"
            f"<title>{html.escape(a.title)}</title><link>{url}</link>"
            f'<guid isPermaLink="true">{url}</guid><pubDate>{published}</pubDate>'
            f"<description>{html.escape(' '.join(a.paragraphs))}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{base}/</link>"
        "<description>Sample articles for trying briefbot offline</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )


def render_page(article: Article) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    title = html.escape(article.title)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article>{body}</article></body></html>"
    )


class DemoFeedServer:
    """The sample feed at http://127.0.0.1:<port>/feed.xml, in a background thread."""

    def __init__(self, port: int | None = None) -> None:
        self.title, self.articles = load_articles()
        handler = self._handler()
        try:
            self.server = ThreadingHTTPServer(
                (HOST, DEFAULT_PORT if port is None else port), handler
            )
        except OSError:  # the port is taken: any free one will do
            self.server = ThreadingHTTPServer((HOST, 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}"

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.xml"

    def __enter__(self) -> DemoFeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        demo = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                by_path = {f"/articles/{a.slug}.html": a for a in demo.articles}
                if self.path == "/feed.xml":
                    now = datetime.now(UTC)
                    body = render_feed(demo.base_url, demo.title, demo.articles, now)
                    self._send(200, body, "application/rss+xml; charset=utf-8")
                elif self.path in by_path:
                    self._send(200, render_page(by_path[self.path]), "text/html; charset=utf-8")
                else:
                    self._send(404, "not found", "text/plain; charset=utf-8")

            def _send(self, status: int, text: str, content_type: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return None  # the console is for the conversation

        return Handler


def demo_intro(feed_url: str) -> str:
    return "\n".join(
        [
            "Demo mode: a sample feed is served on loopback, you are an admin, and the",
            "database is a throw-away one. Try, in this order:",
            "  /subscribe daily 08:00",
            f"  /addsource {feed_url} Demo feed",
            "  /fetch",
            "  /latest",
            "  /digest",
            "  /review",
            "  what's new on the Meloni plan?",
        ]
    )
