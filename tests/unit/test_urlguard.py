"""SSRF guard: schemes, credentials, odd hosts, and every kind of non-public address."""

from __future__ import annotations

import pytest

from bot.services.fetching.urlguard import UnsafeURL, check_url


def resolver_for(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


PUBLIC = resolver_for({"news.example": ["93.184.216.34"], "v6.example": ["2606:4700::1"]})


async def test_public_host_is_allowed() -> None:
    await check_url("https://news.example/feed.xml", allow_private=False, resolver=PUBLIC)
    await check_url("http://v6.example:8080/rss", allow_private=False, resolver=PUBLIC)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.20", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:10.1.2.3", "private"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ],
)
async def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    resolve = resolver_for({"evil.example": [address]})
    with pytest.raises(UnsafeURL, match=f"resolves to an? {kind} address"):
        await check_url("http://evil.example/", allow_private=False, resolver=resolve)


async def test_one_private_answer_among_public_ones_is_enough_to_refuse() -> None:
    resolve = resolver_for({"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(UnsafeURL, match=r"private address 10\.0\.0\.7"):
        await check_url("https://mixed.example/", allow_private=False, resolver=resolve)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/", "http://[::1]/", "http://10.1.1.1/feed", "https://169.254.169.254/"],
)
async def test_literal_private_addresses_are_refused_without_dns(url: str) -> None:
    async def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("literals must not be resolved")

    with pytest.raises(UnsafeURL, match="address"):
        await check_url(url, allow_private=False, resolver=no_dns)


async def test_allow_private_skips_the_address_check() -> None:
    await check_url("http://127.0.0.1:8080/feed", allow_private=True)
    await check_url("http://10.0.0.1/", allow_private=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example/feed", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://news.example/", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("http://user:pw@news.example/", "user name or password"),
        ("http://admin@news.example/", "user name or password"),
        ("http://news.example:25/", "port 25"),
        ("http:///path-only", "no host"),
        ("http://news .example/", "spaces"),
        ("http://news.example\\@evil.example/", "backslashes"),
        ("http://0x7f.0.0.1/", "unusual numeric host"),
        ("http://2130706433/", "unusual numeric host"),
        ("http://127.1/", "unusual numeric host"),
        ("http://0177.0.0.1/", "unusual numeric host|not a valid URL"),
        ("", "empty"),
        ("https://news.example/" + "a" * 3000, "too long"),
    ],
)
async def test_malformed_or_dangerous_urls_are_refused(url: str, reason: str) -> None:
    for allow in (False, True):  # these are refused even when private hosts are allowed
        with pytest.raises(UnsafeURL, match=reason):
            await check_url(url, allow_private=allow, resolver=PUBLIC)


async def test_unresolvable_host_says_so() -> None:
    with pytest.raises(UnsafeURL, match=r"cannot resolve host nowhere\.example"):
        await check_url("https://nowhere.example/", allow_private=False, resolver=PUBLIC)


async def test_default_resolver_refuses_localhost_name() -> None:
    # getaddrinfo for "localhost" answers from /etc/hosts: no network involved.
    with pytest.raises(UnsafeURL, match="loopback"):
        await check_url("http://localhost:8000/", allow_private=False)
