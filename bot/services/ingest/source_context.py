"""Who publishes a source: its kind of outlet, country and language (/sourceinfo, /addsource).

`kind=… country=… lang=…` arguments are parsed here; a wrong key or value is a ContextError
naming it. Well-known state-affiliated outlets (storage/dossier/state_affiliated.yaml, kept as
data) are marked as such when added."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

import yaml

from storage.dossier.schema import DEFAULT_DOSSIER
from storage.models import Source

STATE_AFFILIATED_FILE = DEFAULT_DOSSIER.with_name("state_affiliated.yaml")
OUTLET_KINDS = ("official", "wire", "outlet", "state-affiliated", "think-tank")
_KIND_SPELLINGS = {
    **{k: k for k in OUTLET_KINDS},
    "state_affiliated": "state-affiliated",
    "stateaffiliated": "state-affiliated",
    "state": "state-affiliated",
    "think_tank": "think-tank",
    "thinktank": "think-tank",
    "news": "outlet",
    "agency": "wire",
}
_KEYS = {
    "kind": "kind",
    "type": "kind",
    "country": "country",
    "lang": "language",
    "language": "language",
}
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")  # ISO 3166-1 alpha-2: UA, RU, US, GB
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}$")  # ISO 639: uk, en, ru, deu
CLEAR = "-"  # `country=-` forgets the country


class ContextError(Exception):
    """A `key=value` the admin must fix; `reason` says what is wrong with `value`."""

    def __init__(
        self, reason: Literal["key", "kind", "country", "language", "format", "empty"], value: str
    ) -> None:
        super().__init__(f"{reason}: {value}")
        self.reason, self.value = reason, value


@dataclass(frozen=True)
class SourceContext:
    """Fields to set; None leaves one as it is, CLEAR empties it."""

    kind: str | None = None
    country: str | None = None
    language: str | None = None

    @property
    def empty(self) -> bool:
        return self.kind is None and self.country is None and self.language is None


def is_context_arg(token: str) -> bool:
    return "=" in token


def parse_context(tokens: list[str]) -> SourceContext:
    """`kind=wire country=UA lang=uk` (any order, each at most once meaningful)."""
    ctx = SourceContext()
    for token in tokens:
        key, sep, value = token.partition("=")
        field = _KEYS.get(key.strip().casefold())
        if not sep or not key.strip():
            raise ContextError("format", token)
        if field is None:
            raise ContextError("key", key.strip())
        ctx = replace(ctx, **{field: _value(field, value.strip())})
    return ctx


def _value(field: str, value: str) -> str:
    if not value:
        raise ContextError("empty", field)
    if value == CLEAR:
        return CLEAR
    if field == "kind":
        kind = _KIND_SPELLINGS.get(value.casefold().replace(" ", "-"))
        if kind is None:
            raise ContextError("kind", value)
        return kind
    if field == "country":
        if not _COUNTRY_RE.match(value):
            raise ContextError("country", value)
        return value.upper()
    if not _LANGUAGE_RE.match(value):
        raise ContextError("language", value)
    return value.lower()


@functools.cache
def _state_outlets() -> dict[str, str]:
    """domain -> country code, from the curated list."""
    data = yaml.safe_load(STATE_AFFILIATED_FILE.read_text(encoding="utf-8")) or {}
    return {
        domain.casefold(): str(outlet.get("country") or "")
        for outlet in data.get("outlets", [])
        for domain in outlet.get("domains", [])
    }


def state_affiliated_country(url: str) -> str | None:
    """The country of a listed state-affiliated outlet serving `url` ("" when the list gives
    none), or None when the host is not listed."""
    host = (urlsplit(url).hostname or "").casefold().rstrip(".")
    outlets = _state_outlets()
    while host:
        if host in outlets:
            return outlets[host]
        _, _, host = host.partition(".")
    return None


def context_for_new_source(url: str, given: SourceContext) -> SourceContext:
    """What a new source gets: the admin's values, else "state-affiliated" (and its country)
    when the curated list knows the host."""
    country = state_affiliated_country(url)
    if country is None:
        return given
    return SourceContext(
        kind=given.kind or "state-affiliated",
        country=given.country or country or None,
        language=given.language,
    )


def apply_context(source: Source, ctx: SourceContext) -> None:
    for field, column in (
        ("kind", "outlet_kind"),
        ("country", "country"),
        ("language", "language"),
    ):
        value = getattr(ctx, field)
        if value is not None:
            setattr(source, column, None if value == CLEAR else value)
