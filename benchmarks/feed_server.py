"""A fast local feed server for the ingestion benchmarks (asyncio, keep-alive, 127.0.0.1 only).

GET /feed/<i> answers an RSS feed of ITEMS items whose texts are distinct pseudo-articles
(seeded, so every run serves the same bytes); a matching If-None-Match answers 304.
Run in its own process so that serving does not compete with the client for the GIL.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import random
import re
from html import escape

NAMES = [
    "France", "NATO", "Italy", "Ukraine", "Giorgia Meloni", "Donald Trump", "Volodymyr Zelensky",
    "United Kingdom", "European Union", "Russia", "coalition of the willing", "Article 5",
    "reassurance force", "air policing", "security guarantees", "peacekeeping force",
]  # fmt: skip
_SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "va", "dar", "pel", "ti", "gon", "bra", "su"]


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def article_text(rng: random.Random, vocab: list[str], sentences: int = 9) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(vocab) for _ in range(rng.randint(10, 20))]
        words.insert(rng.randrange(len(words)), rng.choice(NAMES))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def feed_body(port: int, feed: int, items: int) -> bytes:
    rng = random.Random(feed)
    vocab = _vocabulary(random.Random(0))
    entries = []
    for j in range(items):
        text = article_text(rng, vocab)
        url = f"http://127.0.0.1:{port}/a/{feed}/{j}?utm_source=rss"
        entries.append(
            f"<item><title>Feed {feed} story {j}: {escape(text[:60])}</title>"
            f"<link>{url}</link><guid isPermaLink='false'>f{feed}-{j}</guid>"
            f"<pubDate>Tue, 03 Jun 2025 08:{j % 60:02d}:00 GMT</pubDate>"
            f"<description>{escape(text)}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
        f"<title>Bench feed {feed}</title><link>http://127.0.0.1:{port}/</link>"
        f"<description>benchmark</description>{''.join(entries)}</channel></rss>"
    ).encode()


_PATH = re.compile(rb"^GET /feed/(\d+) ")


async def _serve(port: int, items: int, ready: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    cache: dict[int, bytes] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                match = _PATH.match(head)
                if match is None:
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    continue
                feed = int(match.group(1))
                body = cache.get(feed) or cache.setdefault(feed, feed_body(port, feed, items))
                etag = f'"f{feed}"'.encode()
                if b"if-none-match: " + etag in head.lower():
                    writer.write(b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\n\r\n")
                else:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
                        b"ETag: "
                        + etag
                        + b"\r\nContent-Length: "
                        + str(len(body)).encode()
                        + b"\r\n\r\n"
                        + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    ready.set()
    async with server:
        await server.serve_forever()


def _run(port: int, items: int, ready: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    asyncio.run(_serve(port, items, ready))


def start_server(port: int, items: int) -> mp.Process:
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_run, args=(port, items, ready), daemon=True)
    proc.start()
    if not ready.wait(20):
        proc.kill()
        raise RuntimeError("the feed server did not start")
    return proc


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc/self/status."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _unit = line.split()
                values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)
