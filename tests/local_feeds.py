"""A tiny HTTP server on 127.0.0.1 serving feeds and pages that tests set up (no network)."""

from __future__ import annotations

import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RSS_TYPE = "application/rss+xml; charset=utf-8"


class FeedServer:
    """routes: path -> (status, content type, body); change them while the server runs."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []  # paths asked for, in order
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def add_rss(self, path: str, title: str, items: int) -> str:
        self.routes[path] = (200, RSS_TYPE, rss(title, self.url(path), items))
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def rss(title: str, base: str, items: int) -> bytes:
    body = "".join(
        f"<item><title>{escape(title)} story {i}</title><link>{base}/story-{i}</link>"
        f"<guid>{base}/story-{i}</guid><description>{_text(title, i)}</description>"
        "<pubDate>Tue, 03 Jun 2025 08:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{base}</link><description>t</description>"
        f"{body}</channel></rss>"
    ).encode()


def _text(title: str, i: int) -> str:
    return escape(
        f"Report {i} from {title}: foreign ministers met to discuss security guarantees for "
        f"Ukraine, item {i}. Officials described air policing, maritime demining and training "
        f"of brigades, and said a further meeting on point {i} was expected within weeks, "
        "while the question of troops on the ground stayed open for now."
    )


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>feeds</title></head><body>
{outlines}
</body></opml>"""


def opml(urls: list[str]) -> bytes:
    outlines = "\n".join(f'<outline type="rss" text="f" xmlUrl="{escape(u)}"/>' for u in urls)
    return OPML.format(outlines=outlines).encode()
