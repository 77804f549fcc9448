"""A small threaded HTTP server on 127.0.0.1 for tests: routes map a path to a reply.

Replies can be fixed bodies, streamed chunks (big bodies, a byte-a-second drip),
redirects or any status code; `conditional()` answers 304 to a matching ETag or
Last-Modified. Everything is bounded: the server stops itself after `max_lifetime`
seconds, and streaming loops end when the client goes away or the server stops.

    with LocalHTTPServer({"/feed": Reply(body=RSS, headers={"Content-Type": "..."})}) as srv:
        await fetcher.fetch(srv.url("/feed"))
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    # For streamed bodies: the Content-Length to announce; None closes the connection
    # at the end instead (a body of unknown length, as many hostile servers send).
    length: int | None = None
    delay: float = 0.0  # seconds to wait before answering


Handler = Callable[[Request], Reply]


class LocalHTTPServer:
    def __init__(
        self,
        routes: dict[str, Handler | Reply] | None = None,
        *,
        max_lifetime: float = 30.0,
        host: str = "127.0.0.1",
    ) -> None:
        # any 127.x.y.z is loopback on Linux: another address is another "host" for the
        # fetcher's per-host limits
        if not host.startswith("127."):
            raise ValueError("test servers listen on loopback only")
        self.host = host
        self.routes: dict[str, Handler | Reply] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._active: Counter[str] = Counter()
        self.max_active: Counter[str] = Counter()  # peak concurrent requests per path
        self._httpd = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._timer = threading.Timer(max_lifetime, self.stop)
        self._timer.daemon = True

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler | Reply) -> None:
        self.routes[path] = handler

    def start(self) -> LocalHTTPServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self.stopped.is_set():
            return
        self.stopped.set()
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _enter(self, path: str) -> None:
        with self._lock:
            self._active[path] += 1
            self.max_active[path] = max(self.max_active[path], self._active[path])

    def _leave(self, path: str) -> None:
        with self._lock:
            self._active[path] -= 1

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.hits[request.path] += 1
            self.requests.append(request)
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        return route if isinstance(route, Reply) else route(request)


def _make_handler(server: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(self.command, parts.path, parts.query, headers)
            reply = server._answer(request)
            server._enter(request.path)
            try:
                if reply.delay and server.stopped.wait(reply.delay):
                    return
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                server._leave(request.path)

        do_HEAD = do_GET

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if isinstance(reply.body, bytes):
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
                return
            if reply.length is not None:
                self.send_header("Content-Length", str(reply.length))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self._stream(reply.body)

        def _stream(self, chunks: Iterable[bytes]) -> None:
            self.close_connection = True
            for chunk in chunks:
                if server.stopped.is_set():
                    break
                self.wfile.write(chunk)
                self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    return _Handler


# ---- reply builders -------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def big_body(size: int, *, chunk: int = 64 * 1024, announce_length: bool = True) -> Reply:
    """`size` bytes of filler, generated as it is sent (never held in memory)."""

    def chunks() -> Iterator[bytes]:
        block = b"<" + b"x" * (chunk - 1)
        sent = 0
        while sent < size:
            piece = block[: min(chunk, size - sent)]
            sent += len(piece)
            yield piece

    return Reply(
        200,
        chunks(),
        {"Content-Type": "application/rss+xml"},
        length=size if announce_length else None,
    )


def drip(data: bytes, interval: float) -> Reply:
    """Send `data` one byte every `interval` seconds (headers go out at once). Bounded by
    len(data) * interval, and ends early when the client hangs up."""

    def chunks() -> Iterator[bytes]:
        for i in range(len(data)):
            if i:
                time.sleep(interval)
            yield data[i : i + 1]

    return Reply(200, chunks(), {"Content-Type": "application/rss+xml"}, length=len(data))


def conditional(
    body: bytes,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str = "application/rss+xml",
) -> Handler:
    """200 with validators, or 304 when the request carries a matching one."""
    headers = {"Content-Type": content_type}
    if etag:
        headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified

    def handler(request: Request) -> Reply:
        if etag and request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        if last_modified and request.headers.get("if-modified-since") == last_modified:
            return Reply(304, b"", {"Last-Modified": last_modified})
        return Reply(200, body, headers)

    return handler


def sequence(*replies: Reply) -> Handler:
    """Successive replies for successive requests; the last one repeats."""
    state = {"i": 0}
    lock = threading.Lock()

    def handler(request: Request) -> Reply:
        with lock:
            reply = replies[min(state["i"], len(replies) - 1)]
            state["i"] += 1
        return reply

    return handler


def slow(reply: Reply, seconds: float) -> Handler:
    """The same reply after `seconds` (to observe concurrency limits)."""
    return lambda request: Reply(reply.status, reply.body, reply.headers, reply.length, seconds)
