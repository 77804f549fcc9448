"""Translation: every user-facing text goes through a Translator backed by gettext catalogues.

Catalogues live in bot/locale/<lang>/LC_MESSAGES/briefbot.po (extracted with Babel,
see README). They are read with Babel at first use, so no compiled .mo file is needed.
"""

from __future__ import annotations

import gettext
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "briefbot"
DEFAULT_LANGUAGE = "en"
log = logging.getLogger(__name__)


class _PoTranslations(gettext.NullTranslations):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self._singular: dict[str, str] = {}
        self._plural: dict[str, tuple[str, ...]] = {}
        with path.open("rb") as fh:
            catalog = read_po(fh)
        self._plural_expr = catalog.plural_expr
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                self._plural[message.id[0]] = tuple(message.string)
            else:
                self._singular[message.id] = message.string  # type: ignore[assignment]
        self._plural_func = gettext.c2py(self._plural_expr)

    def gettext(self, message: str) -> str:
        return self._singular.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plural.get(msgid1)
        if forms:
            index = self._plural_func(n)
            if index < len(forms) and forms[index]:
                return forms[index]
        return msgid1 if n == 1 else msgid2


class Translator:
    """Callable `_("text {name}", name=value)`: translate, then format with keyword values."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._t = translations

    def __call__(self, message: str, /, **values: Any) -> str:
        text = self._t.gettext(message)
        return _format(text, message, values) if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        text = self._t.ngettext(singular, plural, n)
        return _format(text, singular if n == 1 else plural, {"n": n, **values})


def _format(text: str, original: str, values: dict[str, Any]) -> str:
    """Fill placeholders; a translation with a broken placeholder falls back to the English text
    (a translator's typo must not turn a reply into an error; tests catch it before release)."""
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        if text == original:
            raise
        log.warning("translation with bad placeholders, using the original: %r", text)
        return original.format(**values)


def available_languages() -> list[str]:
    if not LOCALE_DIR.is_dir():
        return [DEFAULT_LANGUAGE]
    found = [p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()]
    return sorted(set(found) | {DEFAULT_LANGUAGE})


def normalise_language(code: str | None) -> str:
    """Telegram's language_code (e.g. 'uk', 'en-GB', 'pt-br') to a catalogue we have."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in available_languages() else DEFAULT_LANGUAGE


@lru_cache(maxsize=32)
def get_translator(language_code: str | None = None) -> Translator:
    language = normalise_language(language_code)
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    translations: gettext.NullTranslations = (
        _PoTranslations(po) if po.is_file() else gettext.NullTranslations()
    )
    return Translator(language, translations)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message
