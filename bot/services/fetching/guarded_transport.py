"""An httpx transport that re-checks the address at connect time (closes DNS rebinding).

`check_url` resolves a host before the request, but the connection pool resolves it again
when it connects; a hostile DNS server can answer "public" the first time and "127.0.0.1"
the second. This backend resolves once, refuses non-public answers, and connects to the
very address it checked. TLS still verifies the certificate against the host name, because
httpcore takes SNI from the request, not from the socket.
"""

from __future__ import annotations

import typing

import httpcore
import httpx

from bot.services.fetching.urlguard import Resolver, refuse_address, resolve_host


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, resolver: Resolver | None = None) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_host(host, port, self._resolver)
        for address in addresses:
            refuse_address(address)  # raises UnsafeURL, which the fetcher reports
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # resolve_host never returns an empty list
        raise last_error

    async def connect_unix_socket(self, *args: typing.Any, **kwargs: typing.Any) -> typing.NoReturn:
        raise httpcore.ConnectError("unix sockets are not used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    resolver: Resolver | None = None, limits: httpx.Limits | None = None
) -> httpx.AsyncHTTPTransport:
    """A normal httpx transport whose connection pool connects through the guard.

    httpx does not expose httpcore's `network_backend` argument, so it is set on the pool
    right after construction, before any connection exists (tests pin this behaviour)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False, limits=limits or httpx.Limits())
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):  # pragma: no cover - httpcore internals moved
        raise RuntimeError("httpcore changed: cannot install the SSRF-guarded network backend")
    pool._network_backend = GuardedNetworkBackend(resolver)
    return transport
