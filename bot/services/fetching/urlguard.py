"""SSRF guard: decide whether a URL given by an admin (or a redirect) may be fetched."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable

import httpx

# (host, port) -> IP address strings; tests inject a fake one instead of DNS.
Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2048
MAX_HOST_LENGTH = 253
# Ports browsers refuse to fetch (WHATWG Fetch "bad port" list): talking HTTP to mail,
# IRC or printer services is a classic SSRF trick, and no news site lives there.
BAD_PORTS = frozenset(
    {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95}
    | {101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143}
    | {161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554}
    | {556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045}
    | {4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}
)
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
# Addresses that smuggle an IPv4 address inside IPv6: the embedded one is what gets reached.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeURL(Exception):
    """The URL must not be fetched; str(exc) is a short reason an admin can read."""


async def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Raise UnsafeURL unless `url` is a plain http(s) URL whose host resolves to public
    addresses only (the address check is skipped when `allow_private` is set)."""
    parsed = parse_url(url)
    if allow_private:
        return
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    for address in await resolve_host(host, port, resolver):
        refuse_address(address)


def parse_url(url: str) -> httpx.URL:
    """Parse with httpx's own parser (so the guard sees the URL exactly as the client will)
    and refuse the shapes that have no business in a feed address."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeURL("the URL is empty" if not url else "the URL is too long")
    if _FORBIDDEN_CHARS.search(url):
        raise UnsafeURL("the URL contains spaces, control characters or backslashes")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise UnsafeURL(f"not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURL(f"only http and https URLs are allowed (got {parsed.scheme or 'none'})")
    if not parsed.host:
        raise UnsafeURL("the URL has no host name")
    if parsed.userinfo:
        raise UnsafeURL("URLs with a user name or password are not allowed")
    if parsed.port is not None and parsed.port in BAD_PORTS:
        raise UnsafeURL(f"port {parsed.port} is not used for web pages")
    if len(parsed.raw_host) > MAX_HOST_LENGTH:
        raise UnsafeURL("the host name is too long")
    _refuse_odd_numeric_host(parsed.host)
    return parsed


def _refuse_odd_numeric_host(host: str) -> None:
    """`127.1`, `0x7f.0.0.1`, `2130706433` and `0177.0.0.1` all reach 127.0.0.1 in some
    resolvers; only canonical dotted quads (and IPv6 literals) are accepted."""
    if ":" in host:  # IPv6 literal; httpx already validated it
        return
    labels = host.rstrip(".").split(".")
    if not _NUMERIC_LABEL.match(labels[-1]):
        return
    try:
        ipaddress.IPv4Address(host.rstrip("."))
    except ValueError:
        raise UnsafeURL(f"unusual numeric host name {host}") from None


async def resolve_host(host: str, port: int, resolver: Resolver | None = None) -> list[IPAddress]:
    """All addresses `host` resolves to; UnsafeURL when it resolves to none."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        return [literal]
    try:
        raw = await (resolver or system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve host {host} ({_dns_reason(exc)})") from None
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in raw]
    if not addresses:
        raise UnsafeURL(f"cannot resolve host {host}")
    return addresses


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _dns_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror) and exc.errno in (socket.EAI_NONAME, socket.EAI_NODATA):
        return "no such host"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or "DNS error"


def refuse_address(address: IPAddress) -> None:
    """Raise UnsafeURL when `address` (or an IPv4 address embedded in it) is not public."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        refuse_address(embedded)
    kind = address_kind(address)
    if kind is not None:
        raise UnsafeURL(f"resolves to {kind} address {address}")


def address_kind(address: IPAddress) -> str | None:
    """A short name for why `address` is off limits, or None for a public address."""
    checks = (
        ("is_unspecified", "an unspecified"),
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_multicast", "a multicast"),
        ("is_reserved", "a reserved"),
        ("is_private", "a private"),
    )
    for attribute, kind in checks:
        if getattr(address, attribute):
            return kind
    # Shared (100.64/10), documentation, benchmarking ranges and friends.
    return None if address.is_global else "a non-public"


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
