"""Which language a chat is answered in: its /language choice, else the user's Telegram one.

Choices are read from the database once per chat and kept in memory (`ChatLanguages`), so
deciding the language costs a dict lookup on every update after the first."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy.orm import Session

from bot.i18n import available_languages, normalise_language
from storage.repositories.chat_languages import ChatLanguageRepo

# what /language offers, in the order of its buttons; each name in its own language
LANGUAGE_NAMES = {"en": "English", "uk": "Українська"}
# what people type after /language
_SPELLINGS = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "англійська": "en",
    "uk": "uk",
    "ua": "uk",
    "ukr": "uk",
    "ukrainian": "uk",
    "українська": "uk",
    "українська мова": "uk",
}


def offered_languages() -> list[str]:
    return [code for code in LANGUAGE_NAMES if code in available_languages()]


def parse_language(text: str) -> str | None:
    """'uk', 'UA', 'Українська', 'english' → a language code we offer, or None."""
    code = _SPELLINGS.get(" ".join(text.casefold().split()))
    return code if code in offered_languages() else None


def stored_language(session: Session, chat_id: int) -> str | None:
    return ChatLanguageRepo(session).get(chat_id)


def store_language(session: Session, chat_id: int, language: str, user_id: int | None) -> None:
    ChatLanguageRepo(session).set(chat_id, language, user_id)


class ChatLanguages:
    """In-memory copy of the chats' choices: chat id → language, or None for 'no choice'."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._known: OrderedDict[int, str | None] = OrderedDict()

    def known(self, chat_id: int) -> tuple[bool, str | None]:
        if chat_id in self._known:
            self._known.move_to_end(chat_id)
            return True, self._known[chat_id]
        return False, None

    def remember(self, chat_id: int, language: str | None) -> None:
        self._known[chat_id] = language
        while len(self._known) > self.size:
            self._known.popitem(last=False)


def reply_language(chosen: str | None, telegram_code: str | None) -> str:
    return chosen if chosen in available_languages() else normalise_language(telegram_code)
