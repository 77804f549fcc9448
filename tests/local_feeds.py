"""Feeds for the admin source tests, served by tests.support.http_server on 127.0.0.1."""

from __future__ import annotations

from html import escape

from tests.support.http_server import LocalHTTPServer, Reply

RSS_TYPE = "application/rss+xml; charset=utf-8"


class FeedServer(LocalHTTPServer):
    def add_rss(self, path: str, title: str, items: int) -> str:
        self.route(
            path, Reply(body=rss(title, self.url(path), items), headers={"Content-Type": RSS_TYPE})
        )
        return self.url(path)

    def fail(self, path: str, status: int) -> None:
        self.route(path, Reply(status, b"failing on purpose", {"Content-Type": "text/plain"}))


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
