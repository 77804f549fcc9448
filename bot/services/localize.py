"""The language dossier texts are shown in, and an item's text in that language.

Which language a reply is in is decided once per update (handlers/language.py) or per digest,
and held in a context variable for the unit of work: every view built meanwhile (a card, a
list, a comparison, a chart) uses it, with no language argument threaded through each call.
`asyncio.to_thread` copies the context, so services running in a worker thread see it too.

A translated field replaces the English one whole; a field with no translation (or an empty
one) is shown in English whole, so a text is never mixed within a sentence or a list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

DEFAULT_CONTENT_LANGUAGE = "en"
_LANGUAGE: ContextVar[str | None] = ContextVar("content_language", default=None)


def content_language() -> str:
    return _LANGUAGE.get() or DEFAULT_CONTENT_LANGUAGE


def chosen_language() -> str | None:
    """The language decided for the update being answered, or None outside one."""
    return _LANGUAGE.get()


def set_content_language(language: str) -> None:
    """For the rest of the current task (one update): dossier texts in `language`."""
    _LANGUAGE.set(language or DEFAULT_CONTENT_LANGUAGE)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    token = _LANGUAGE.set(language or DEFAULT_CONTENT_LANGUAGE)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def localized(row: Any, field: str, language: str | None = None) -> Any:
    """`row.field` in the given (or current) language, falling back whole to the English value.

    `row` is anything with a `translations` mapping ({"uk": {"title": …}}) and the English
    field as an attribute: a Proposal, Actor, Position or Fact."""
    language = language or content_language()
    english = getattr(row, field)
    if language == DEFAULT_CONTENT_LANGUAGE:
        return english
    texts = (getattr(row, "translations", None) or {}).get(language) or {}
    value = texts.get(field)
    if isinstance(english, list):
        return list(value) if isinstance(value, list) and value and all(value) else english
    return value if isinstance(value, str) and value.strip() else english
