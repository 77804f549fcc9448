"""Shared dependencies of the handlers and jobs, kept in `application.bot_data['deps']`."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.services.chat_language import ChatLanguages
from bot.settings import Settings
from storage.db import Database


class QueryCache:
    """Small LRU of user queries, so paging buttons carry a short token instead of the text."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._data: OrderedDict[str, str] = OrderedDict()

    def put(self, query: str) -> str:
        token = secrets.token_urlsafe(6)
        self._data[token] = query
        while len(self._data) > self.size:
            self._data.popitem(last=False)
        return token

    def get(self, token: str) -> str | None:
        query = self._data.get(token)
        if query is not None:
            self._data.move_to_end(token)
        return query


@dataclass
class Deps:
    settings: Settings
    db: Database
    queries: QueryCache = field(default_factory=QueryCache)
    # services that the ingestion and delivery parts attach at start (http client, workers)
    services: dict[str, Any] = field(default_factory=dict)
    # each chat's /language choice, read once from the database (bot/services/chat_language.py)
    languages: ChatLanguages = field(default_factory=ChatLanguages)
