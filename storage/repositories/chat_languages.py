"""The language each chat picked with /language, and the digests that follow it."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ChatLanguage, Subscription


class ChatLanguageRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, chat_id: int) -> str | None:
        return self.session.scalar(
            select(ChatLanguage.language).where(ChatLanguage.chat_id == chat_id)
        )

    def set(self, chat_id: int, language: str, user_id: int | None) -> None:
        row = self.session.get(ChatLanguage, chat_id)
        if row is None:
            self.session.add(ChatLanguage(chat_id=chat_id, language=language, set_by=user_id))
        else:
            row.language, row.set_by = language, user_id
        # the chat's digests (every forum topic of it) come in the new language too
        self.session.execute(
            update(Subscription).where(Subscription.chat_id == chat_id).values(language=language)
        )
        self.session.flush()
