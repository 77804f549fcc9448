"""Updates a test pushes as if users wrote: texts, commands, buttons, documents, channel posts
(mixed into FakeTelegram, which keeps the queue getUpdates reads)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.support.fake_bot_api.methods import (
    command_entities,
    new_message,
)
from tests.support.fake_bot_api.records import (
    _StoredFile,
)


class UpdateInjection:
    """`push_*` and `register_chat`: the user side of a conversation."""

    # -- update injection -----------------------------------------------------
    def register_chat(
        self,
        chat_id: int | str,
        chat_type: str = "private",
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str = "Test",
        is_forum: bool | None = None,
    ) -> dict[str, Any]:
        """Declare a chat (type, title, forum flag); returns its Chat dict."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = title or ("Test Channel" if chat_type == "channel" else "Test Group")
        if username:
            chat["username"] = username
        if is_forum is not None and chat_type == "supergroup":
            chat["is_forum"] = is_forum
        with self._lock:
            self._chats[chat_id] = chat
        return dict(chat)

    def push_raw(self, update: dict[str, Any]) -> int:
        """Queue an update dict; assigns ``update_id`` if missing. Returns it."""
        with self._cond:
            update = dict(update)
            update_id = update.setdefault("update_id", self._next_update_id)
            self._next_update_id = max(self._next_update_id, update_id + 1)
            inline = update.get("inline_query")
            if inline:
                self._open_inline.add(str(inline["id"]))
            callback = update.get("callback_query")
            if callback:
                message = callback.get("message") or {}
                key = ((message.get("chat") or {}).get("id"), message.get("message_id"))
                self._open_callbacks[str(callback["id"])] = key
            self._updates.append(update)
            self._cond.notify_all()
            return update_id

    def push_text(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "en",
        thread_id: int | None = None,
        username: str | None = None,
        *,
        first_name: str = "Test",
        title: str | None = None,
        is_forum: bool | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """Queue a user's text message (bot_command entities added); return update_id."""
        message = self._user_message(
            chat_id,
            user_id,
            chat_type,
            language_code,
            thread_id,
            username,
            first_name,
            title,
            is_forum,
        )
        message["text"] = text
        found = entities if entities is not None else command_entities(text)
        if found:
            message["entities"] = found
        if reply_to_message_id is not None:
            with self._lock:
                replied = self._stored_messages.get((chat_id, reply_to_message_id))
            message["reply_to_message"] = replied or {
                "message_id": reply_to_message_id,
                "chat": message["chat"],
                "date": message["date"],
            }
        return self._push_message(message)

    def push_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        user_id: int | None = None,
        *,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
        chat_type: str = "private",
        thread_id: int | None = None,
    ) -> int:
        """Queue a user's document; getFile + file download serve ``content``."""
        message = self._user_message(
            chat_id, user_id, chat_type, "en", thread_id, None, "Test", None, None
        )
        stored = self._store_file(filename, content)
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        if caption:
            message["caption"] = caption
        return self._push_message(message)

    def push_callback(
        self, chat_id: int, message_id: int, data: str, user_id: int | None = None
    ) -> str:
        """Queue a callback_query on a stored message; return the callback_query id."""
        with self._lock:
            stored = self._stored_messages.get((chat_id, message_id))
            chat = self._chat(chat_id)
        if stored is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        callback_id = str(next(self._ids) * 1000003 + 4242)
        uid = user_id if user_id is not None else self._default_user(chat_id)
        update = {
            "callback_query": {
                "id": callback_id,
                "from": self._user(uid, None, "Test", "en"),
                "message": stored,
                "chat_instance": str(abs(hash(chat["id"])) % 10**18),
                "data": data,
            }
        }
        self.push_raw(update)
        return callback_id

    def push_inline_query(self, user_id: int, query: str, language_code: str | None = "en") -> str:
        """Queue an inline_query ("@bot <query>" typed in any chat); return its id."""
        query_id = str(next(self._ids) * 1000003 + 777)
        update = {
            "inline_query": {
                "id": query_id,
                "from": self._user(user_id, None, "Test", language_code),
                "query": query,
                "offset": "",
                "chat_type": "private",
            }
        }
        self.push_raw(update)
        return query_id

    def push_channel_post(
        self,
        chat_id: int,
        text: str,
        *,
        title: str = "Test Channel",
        username: str | None = None,
    ) -> int:
        """Queue a channel_post update in channel ``chat_id``."""
        chat = self.register_chat(chat_id, "channel", title=title, username=username)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "sender_chat": chat,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        found = command_entities(text)
        if found:
            message["entities"] = found
        with self._lock:
            self._stored_messages[(chat_id, message["message_id"])] = message
        return self.push_raw({"channel_post": message})

    # -- update helpers ---------------------------------------------------------
    def _default_user(self, chat_id: int | str) -> int:
        return chat_id if isinstance(chat_id, int) and chat_id > 0 else 424242

    @staticmethod
    def _user(
        user_id: int, username: str | None, first_name: str, language_code: str | None
    ) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "username": username or f"user{user_id}",
        }
        if language_code:
            user["language_code"] = language_code
        return user

    def _user_message(
        self,
        chat_id: int,
        user_id: int | None,
        chat_type: str,
        language_code: str | None,
        thread_id: int | None,
        username: str | None,
        first_name: str,
        title: str | None,
        is_forum: bool | None,
    ) -> dict[str, Any]:
        uid = user_id if user_id is not None else self._default_user(chat_id)
        with self._lock:
            known = self._chats.get(chat_id)
        if known is None or known["type"] != chat_type or title or is_forum is not None:
            chat = self.register_chat(
                chat_id,
                chat_type,
                title=title,
                first_name=first_name,
                is_forum=is_forum,
                username=username if chat_type == "private" else None,
            )
        else:
            chat = dict(known)
        return new_message(
            self._next_message_id(chat_id),
            self._user(uid, username, first_name, language_code),
            chat,
            thread_id,
        )

    def _push_message(self, message: dict[str, Any]) -> int:
        with self._lock:
            self._stored_messages[(message["chat"]["id"], message["message_id"])] = message
        return self.push_raw({"message": message})

    def _next_message_id(self, chat_id: int | str) -> int:
        with self._lock:
            counter = self._message_ids.setdefault(chat_id, itertools.count(1))
            return next(counter)

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": chat_type, "title": "Test Group"}

    def _store_file(self, filename: str, content: bytes) -> _StoredFile:
        number = next(self._ids)
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}fake",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"documents/file_{number}.{suffix}",
            content=content,
        )
        with self._lock:
            self._files[stored.file_id] = stored
        return stored
