"""Temporary stand-ins for the fetch and linking modules until they land on main (tests only)."""

from __future__ import annotations

import importlib
import re
import sys
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
import httpx


def install() -> None:
    for name, build in (
        ("bot.services.fetcher", _fetcher),
        ("bot.services.parsing", _parsing),
        ("bot.services.linking", _linking),
        ("bot.services.summarize", _summarize),
        ("bot.services.urlguard", _urlguard),
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            module = types.ModuleType(name)
            build(module)
            sys.modules[name] = module


def _urlguard(m: types.ModuleType) -> None:
    class UnsafeURL(Exception):
        pass

    async def check_url(url: str, *, allow_private: bool, resolver=None) -> None:
        if not url.startswith(("http://", "https://")):
            raise UnsafeURL("only http and https")
        if not allow_private and "127.0.0.1" in url:
            raise UnsafeURL("loopback address")

    m.UnsafeURL, m.check_url = UnsafeURL, check_url


def _fetcher(m: types.ModuleType) -> None:
    @dataclass
    class FetchResult:
        url: str
        status: str
        http_status: int | None = None
        body: bytes = b""
        content_type: str | None = None
        etag: str | None = None
        last_modified: str | None = None
        error: str | None = None
        elapsed: float = 0.0

    class Fetcher:
        def __init__(self, transport=None, resolver=None, **_: object) -> None:
            self.client = httpx.AsyncClient(transport=transport, follow_redirects=True, timeout=5)

        @classmethod
        def from_settings(cls, settings, **kw):  # type: ignore[no-untyped-def]
            return cls(**kw)

        async def fetch(self, url, *, etag=None, last_modified=None):  # type: ignore[no-untyped-def]
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                r = await self.client.get(url, headers=headers)
            except httpx.HTTPError as exc:
                return FetchResult(url, "error", error=f"network error: {type(exc).__name__}")
            if r.status_code == 304:
                return FetchResult(str(r.url), "not_modified", 304)
            if r.status_code >= 400:
                return FetchResult(str(r.url), "error", r.status_code, error=f"HTTP {r.status_code}")
            return FetchResult(str(r.url), "ok", r.status_code, r.content,
                               r.headers.get("content-type"), r.headers.get("etag"),
                               r.headers.get("last-modified"))

        async def aclose(self) -> None:
            await self.client.aclose()

    m.FetchResult, m.Fetcher = FetchResult, Fetcher


def _parsing(m: types.ModuleType) -> None:
    @dataclass
    class ParsedItem:
        url: str
        guid: str | None
        title: str
        published: datetime | None
        summary: str
        content: str
        author: str | None

    @dataclass
    class ParsedFeed:
        kind: str
        title: str
        items: list = field(default_factory=list)

    class NotAFeed(Exception):
        pass

    def _text(html: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", html or "").split())

    def parse_source(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
        if not body.strip():
            raise NotAFeed("empty body")
        if b"<html" in body[:500].lower():
            item = extract_article(body, url, content_type)
            if item is None:
                raise NotAFeed("an HTML page without an article")
            return ParsedFeed("html", item.title, [item])
        parsed = feedparser.parse(body)
        if parsed.bozo and not parsed.entries:
            raise NotAFeed("not a feed: malformed XML")
        kind = "atom" if parsed.version.startswith("atom") else "rss"
        items = []
        for e in parsed.entries:
            pub = e.get("published_parsed") or e.get("updated_parsed")
            content = _text(e["content"][0].value) if e.get("content") else ""
            items.append(ParsedItem(
                url=e.get("link", ""), guid=e.get("id") if e.get("guidislink") is False or "id" in e else None,
                title=_text(e.get("title", "")),
                published=datetime(*pub[:6], tzinfo=UTC) if pub else None,
                summary=_text(e.get("summary", "")), content=content, author=e.get("author")))
        return ParsedFeed(kind, parsed.feed.get("title", ""), items)

    def extract_article(body: bytes, url: str, content_type: str | None):  # type: ignore[no-untyped-def]
        html = body.decode("utf-8", "replace")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        paras = re.findall(r"<p>(.*?)</p>", html, re.S)
        if not paras:
            return None
        return ParsedItem(url, None, _text(title.group(1)) if title else "", None, "",
                          "\n".join(_text(p) for p in paras), None)

    def is_teaser(item: ParsedItem) -> bool:
        return len(item.content or item.summary or "") < 200

    def decode_body(body: bytes, content_type: str | None) -> str:
        return body.decode("utf-8", "replace")

    for k, v in dict(ParsedItem=ParsedItem, ParsedFeed=ParsedFeed, NotAFeed=NotAFeed,
                     parse_source=parse_source, extract_article=extract_article,
                     is_teaser=is_teaser, decode_body=decode_body).items():
        setattr(m, k, v)


def _linking(m: types.ModuleType) -> None:
    @dataclass
    class Link:
        target_id: int
        slug: str
        matched: str

    @dataclass
    class CandidateFact:
        text: str
        proposal_id: int
        actor_id: int | None

    @dataclass
    class LinkResult:
        actors: list
        proposals: list
        candidate_names: list
        candidate_facts: list

    class Gazetteer:
        def __init__(self, actors, proposals):  # type: ignore[no-untyped-def]
            self.actors, self.proposals = actors, proposals

        @classmethod
        def from_session(cls, session):  # type: ignore[no-untyped-def]
            from storage.models import Actor, Proposal
            actors = [(a.id, a.slug, a.name) for a in session.query(Actor)]
            props = [(p.id, p.slug, kw) for p in session.query(Proposal) for kw in p.keywords]
            return cls(actors, props)

    def link_document(g, title: str, text: str) -> LinkResult:  # type: ignore[no-untyped-def]
        body = f"{title}\n{text}"
        actors = [Link(i, s, n) for i, s, n in g.actors if n in body]
        props = {}
        for i, s, kw in g.proposals:
            if kw.lower() in body.lower():
                props.setdefault(i, Link(i, s, kw))
        facts = []
        for sent in re.split(r"(?<=[.!?])\s+", text):
            for p in props.values():
                for a in actors:
                    if p.matched.lower() in sent.lower() and a.matched in sent:
                        facts.append(CandidateFact(sent, p.target_id, a.target_id))
        names = re.findall(r"\bMinister ([A-Z][a-z]+ [A-Z][a-z]+)", body)
        return LinkResult(actors, list(props.values()), names, facts)

    m.Link, m.CandidateFact, m.LinkResult = Link, CandidateFact, LinkResult
    m.Gazetteer, m.link_document = Gazetteer, link_document


def _summarize(m: types.ModuleType) -> None:
    def summarize(text: str, max_sentences: int = 2, max_chars: int = 400) -> str:
        return " ".join(re.split(r"(?<=[.!?])\s+", text)[:max_sentences])[:max_chars]

    m.summarize = summarize


# --- a minimal local HTTP server (until tests/support/http_server.py lands on main) -----

import threading  # noqa: E402
from collections import Counter  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class LocalHTTPServer:
    def __init__(self, routes=None, **_: object) -> None:  # type: ignore[no-untyped-def]
        self.routes = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        server = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path, _, query = self.path.partition("?")
                req = Request("GET", path, query, {k.lower(): v for k, v in self.headers.items()})
                server.hits[path] += 1
                server.requests.append(req)
                handler = server.routes.get(path)
                reply = Reply(404, b"nope") if handler is None else (
                    handler(req) if callable(handler) else handler)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *a: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path, handler) -> None:  # type: ignore[no-untyped-def]
        self.routes[path] = handler

    def start(self):  # type: ignore[no-untyped-def]
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.start()

    def __exit__(self, *a: object) -> None:
        self.stop()
