"""Short, admin-readable reasons for failed fetches ("HTTP 404 Not Found", "timed out")."""

from __future__ import annotations

import os
import re
from http import HTTPStatus

import httpx


class FetchFailure(Exception):
    """One attempt failed; `retriable` says whether trying again may help."""

    def __init__(
        self,
        reason: str,
        *,
        retriable: bool = False,
        http_status: int | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retriable = retriable
        self.http_status = http_status
        self.url = url
        self.retry_after = retry_after


def describe_http_error(
    exc: httpx.HTTPError, *, connect_timeout: float, read_timeout: float, url: str
) -> FetchFailure:
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchFailure(
            f"could not connect within {human_seconds(connect_timeout)}", retriable=True, url=url
        )
    if isinstance(exc, httpx.TimeoutException):
        return FetchFailure(f"no data for {human_seconds(read_timeout)}", retriable=True, url=url)
    if isinstance(exc, httpx.ConnectError):
        text = str(exc)
        if "SSL" in text or "certificate" in text:
            return FetchFailure(f"TLS error: {_short(text)}", url=url)
        reason = _os_reason(exc) or _short(text)
        return FetchFailure(f"could not connect: {reason}", retriable=True, url=url)
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchFailure(
            f"the server broke the connection: {_short(str(exc))}", retriable=True, url=url
        )
    if isinstance(exc, httpx.DecodingError):
        return FetchFailure("the response is not valid gzip/deflate/brotli data", url=url)
    return FetchFailure(f"HTTP error: {_short(str(exc)) or type(exc).__name__}", url=url)


def _os_reason(exc: BaseException) -> str | None:
    """The OS error at the bottom of httpx/httpcore/anyio wrapping ("connection refused")."""
    reason = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno:
            reason = os.strerror(current.errno).lower()
        current = current.__cause__ or current.__context__
    return reason


def status_text(code: int, phrase: str) -> str:
    if not phrase:
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = ""
    return f"HTTP {code} {phrase}".rstrip()


def retry_after(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


_ERRNO = re.compile(r"^\[Errno -?\d+\]\s*")
_SSL_TAG = re.compile(r"^\[SSL: [A-Z_]+\]\s*")


def _short(text: str) -> str:
    text = _SSL_TAG.sub("", _ERRNO.sub("", text.strip())).split(" (_ssl.c")[0]
    text = text[:1].lower() + text[1:]
    return text if len(text) <= 120 else text[:119] + "…"


def human_seconds(value: float) -> str:
    return f"{value:g} s"


def human_size(n: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"


def invalid_redirect(problem: str) -> str:
    """What the admin reads when a redirect points to something that is no address."""
    return f"redirect to an invalid address ({problem.rstrip('.')[:200]})"


def redirect_target(base: httpx.URL, location: str) -> str:
    """The absolute address a redirect's Location points to; FetchFailure when it cannot
    be one (`http:x`, `https:foo`, `http://xn--/`), so the fetcher never raises."""
    try:
        target = base.join(location)
        httpx.Request("GET", target)  # what the next hop would build: it checks the address
        return str(target)
    except (httpx.InvalidURL, ValueError):  # UnicodeError from IDNA is a ValueError
        raise FetchFailure(invalid_redirect(location), url=str(base)) from None
