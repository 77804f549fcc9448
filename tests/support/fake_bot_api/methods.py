"""The Bot API methods the bot calls, with Telegram's validation (HTML, lengths, keyboards).

A method is `_api_<name>(params, token)`; FakeTelegram (server.py) dispatches to every such
method and keeps the state they read and write. Only what the bot or its tests call is here."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

from tests.support.fake_bot_api.params import _Params
from tests.support.fake_bot_api.photos import photo_size
from tests.support.fake_bot_api.records import (
    ApiError,
    CallbackAnswer,
    InlineAnswer,
    SentMessage,
)
from tests.support.telegram_html import (
    ParsedHtml,
    TelegramHtmlError,
    parse_telegram_html,
    utf16_len,
)

BOT_USERNAME = "briefbot_test_bot"
DEFAULT_BOT_ID = 123456
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NO_RIGHTS = dict.fromkeys(
    [
        "can_be_edited",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
    ],
    False,
)
# the fields a ChatMember of each status carries besides status and user
_MEMBER_FIELDS: dict[str, dict[str, Any]] = {
    "creator": {"is_anonymous": False},
    "administrator": {**_NO_RIGHTS, "is_anonymous": False, "can_manage_chat": True},
    "restricted": {
        "is_member": True,
        "until_date": 0,
        **dict.fromkeys(
            [
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
            ],
            False,
        ),
    },
    "kicked": {"until_date": 0},
}
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def _check_open(query_id: str | None, open_queries: Any) -> None:
    """The Bot API's answer to a callback or inline query that is unknown or already answered."""
    if not query_id or query_id not in open_queries:
        raise ApiError(400, QUERY_TOO_OLD)


def new_message(
    message_id: int, sender: dict[str, Any], chat: dict[str, Any], thread_id: int | None
) -> dict[str, Any]:
    """A message's common fields: id, sender, chat, date, and its forum topic if any."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": sender,
        "chat": chat,
        "date": int(time.time()),
    }
    if thread_id is not None:
        message["message_thread_id"] = thread_id
        if chat.get("is_forum"):
            message["is_topic_message"] = True
    return message


_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """A sent Message carries only an inline keyboard; ForceReply and reply keyboards are
    applied by the client and never echoed back (PTB fails to parse them as inline)."""
    return markup if markup and "inline_keyboard" in markup else None


class BotApiMethods:
    """The `_api_*` methods and their shared checks (mixed into FakeTelegram)."""

    # -- shared validation --------------------------------------------------------
    def _bot_user(self, token: str) -> dict[str, Any]:
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID,
            "is_bot": True,
            "first_name": "BriefBot Test",
            "username": self.bot_username,
        }

    def _chat_id(self, params: _Params, required: bool = True) -> int | str | None:
        raw = params.values.get("chat_id")
        if raw in (None, ""):
            if required:
                raise ApiError(400, "Bad Request: chat_id is empty")
            return None
        chat_id = _coerce_chat_id(raw)
        if isinstance(chat_id, str):
            with self._lock:
                for known_id, chat in self._chats.items():
                    if "@" + str(chat.get("username", "")).lower() == chat_id.lower():
                        return known_id
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _check_blocked(self, chat_id: int | str) -> None:
        with self._lock:
            description = self._blocked.get(chat_id)
        if description is not None:
            raise ApiError(403, description)

    def _check_rate(self, method: str, chat_id: int | str) -> None:
        with self._lock:
            limiter = self._limiter
            if limiter is None or method not in limiter.limits.methods:
                return
            retry_after = limiter.acquire(chat_id)
        if retry_after is not None:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )

    def _parse_text(
        self, text: str | None, parse_mode: str | None, limit: int, caption: bool = False
    ) -> ParsedHtml:
        kind = "message caption" if caption else "message text"
        if text is None or (not caption and not text):
            raise ApiError(400, f"Bad Request: {kind} is empty")
        mode = (parse_mode or "").lower()
        if mode not in ("", "html", "markdown", "markdownv2"):
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r}")
        parsed = ParsedHtml(text, [])
        if mode == "html":
            try:
                parsed = parse_telegram_html(text, strict=self.strict_html)
            except TelegramHtmlError as exc:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: {exc.description}"
                ) from None
        if not caption and not parsed.text.strip():
            raise ApiError(400, f"Bad Request: {kind} is empty")
        if utf16_len(parsed.text) > limit:
            raise ApiError(400, f"Bad Request: {kind.replace(' text', '')} is too long")
        return parsed

    def _reply_markup(self, params: _Params) -> dict[str, Any] | None:
        markup = params.opt_json("reply_markup", "reply keyboard markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            validate_inline_keyboard(markup["inline_keyboard"])
        return markup

    def _link_preview(self, params: _Params) -> tuple[bool | None, dict[str, Any] | None]:
        options = params.opt_json("link_preview_options", "link preview options")
        disabled = params.opt_bool("disable_web_page_preview")
        if disabled is None and isinstance(options, dict) and "is_disabled" in options:
            disabled = bool(options["is_disabled"])
        return disabled, options

    # -- message bookkeeping -----------------------------------------------------
    def _bot_message(
        self,
        token: str,
        chat_id: int | str,
        thread_id: int | None,
        body: dict[str, Any],
    ) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(chat_id)
        message = new_message(
            self._next_message_id(chat_id), self._bot_user(token), chat, thread_id
        )
        message.update({key: value for key, value in body.items() if value not in (None, [])})
        return message

    def _record(
        self,
        method: str,
        token: str,
        chat_id: int | str,
        message: dict[str, Any],
        sent: tuple[str | None, str | None, ParsedHtml],
        markup: dict[str, Any] | None,
        link: tuple[bool | None, dict[str, Any] | None] = (None, None),
        photo: bytes | None = None,
    ) -> None:
        """Keep an accepted send or edit: `message` as stored for callbacks and edits, and a
        SentMessage of it; `sent` is (text as given, parse_mode, its parse)."""
        text, parse_mode, parsed = sent
        message_id = message["message_id"]
        record = SentMessage(
            chat_id,
            text or "",
            parse_mode,
            markup,
            message.get("message_thread_id"),
            link[0],
            link[1],
            message_id,
            time.monotonic(),
            method,
            parsed.text,
            parsed.entities,
            token,
            photo=photo,
        )
        key = (chat_id, message_id)
        with self._cond:
            self._stored_messages[key] = message
            self._bot_message_keys.add(key)
            self._messages.append(record)
            self._cond.notify_all()

    def _editable(self, params: _Params) -> tuple[int | str, int, dict[str, Any]]:
        chat_id = self._chat_id(params)
        assert chat_id is not None
        message_id = params.opt_int("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        with self._lock:
            stored = self._stored_messages.get(key)
            editable = key in self._bot_message_keys
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not editable:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat_id, message_id, stored

    # -- API methods ---------------------------------------------------------------
    def _api_getMe(self, params: _Params, token: str) -> dict[str, Any]:
        return {
            **self._bot_user(token),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_getUpdates(self, params: _Params, token: str) -> list[dict[str, Any]]:
        offset = params.opt_int("offset") or 0
        limit = min(max(params.opt_int("limit") or 100, 1), 100)
        timeout = max(params.opt_float("timeout") or 0.0, 0.0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._poll_generation[token] += 1
            generation = self._poll_generation[token]
            self._cond.notify_all()
            self._acknowledge(offset)
            while True:
                batch = self._select_updates(offset, limit)
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0 or self._stopping.is_set():
                    return batch
                self._cond.wait(remaining)
                if self._poll_generation[token] != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )

    def _acknowledge(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _select_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        return [u for u in self._updates if offset <= 0 or u["update_id"] >= offset][:limit]

    def _api_sendMessage(self, params: _Params, token: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        assert chat_id is not None
        parse_mode = params.opt_str("parse_mode")
        text = params.opt_str("text")
        parsed = self._parse_text(text, parse_mode, MAX_MESSAGE_LENGTH)
        markup = self._reply_markup(params)
        link = self._link_preview(params)
        thread_id = params.opt_int("message_thread_id")
        self._check_blocked(chat_id)
        self._check_rate("sendMessage", chat_id)
        message = self._bot_message(
            token,
            chat_id,
            thread_id,
            {
                "text": parsed.text,
                "entities": parsed.entities,
                "reply_markup": _inline_only(markup),
                "link_preview_options": link[1],
            },
        )
        self._record(
            "sendMessage", token, chat_id, message, (text, parse_mode, parsed), markup, link
        )
        return message

    def _api_editMessageText(self, params: _Params, token: str) -> dict[str, Any] | bool:
        parse_mode = params.opt_str("parse_mode")
        text = params.opt_str("text")
        parsed = self._parse_text(text, parse_mode, MAX_MESSAGE_LENGTH)
        markup = self._reply_markup(params)
        link = self._link_preview(params)
        if params.has("inline_message_id"):
            return True
        chat_id, _, stored = self._editable(params)  # stored["message_id"] is the one edited
        self._check_blocked(chat_id)
        if (
            stored.get("text") == parsed.text
            and stored.get("entities", []) == parsed.entities
            and stored.get("reply_markup") == markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        self._check_rate("editMessageText", chat_id)
        message = {**stored, "text": parsed.text, "edit_date": int(time.time())}
        message = _set_optional(message, entities=parsed.entities, reply_markup=markup)
        self._record(
            "editMessageText", token, chat_id, message, (text, parse_mode, parsed), markup, link
        )
        return message

    def _api_answerCallbackQuery(self, params: _Params, token: str) -> bool:
        callback_id = params.opt_str("callback_query_id")
        with self._lock:
            _check_open(callback_id, self._open_callbacks)
            del self._open_callbacks[callback_id]
            self._answered.append(
                CallbackAnswer(
                    callback_id,
                    params.opt_str("text"),
                    bool(params.opt_bool("show_alert")),
                    params.opt_str("url"),
                    time.monotonic(),
                )
            )
        return True

    @staticmethod
    def _commands_key(scope: Any, language_code: str | None) -> str:
        scope = scope or {"type": "default"}
        return json.dumps([scope, language_code or ""], sort_keys=True)

    def _api_answerInlineQuery(self, params: _Params, token: str) -> bool:
        query_id = params.opt_str("inline_query_id")
        with self._lock:
            _check_open(query_id, self._open_inline)
        results = params.opt_json("results", "results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [self._inline_result(result) for result in results]
        if len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        with self._lock:
            self._open_inline.discard(query_id)
            self._inline_answers.append(
                InlineAnswer(
                    query_id,
                    results,
                    params.opt_int("cache_time"),
                    bool(params.opt_bool("is_personal")),
                    time.monotonic(),
                )
            )
        return True

    def _inline_result(self, result: Any) -> str:
        """Check one InlineQueryResultArticle as Telegram would; return its id."""
        if not isinstance(result, dict) or result.get("type") != "article":
            raise ApiError(400, "Bad Request: RESULT_TYPE_INVALID")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if not isinstance(result.get("title"), str) or not result["title"].strip():
            raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if not isinstance(content, dict):
            raise ApiError(400, "Bad Request: MESSAGE_EMPTY")
        self._parse_text(content.get("message_text"), content.get("parse_mode"), 4096)
        markup = result.get("reply_markup")
        if markup is not None:
            validate_inline_keyboard(markup.get("inline_keyboard"))
        return result_id

    def _api_setMyCommands(self, params: _Params, token: str) -> bool:
        commands = params.opt_json("commands", "commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        for command in commands:
            validate_bot_command(command)
        key = self._commands_key(params.opt_json("scope", "scope"), params.opt_str("language_code"))
        with self._lock:
            self._commands[key] = list(commands)
        return True

    def _api_deleteWebhook(self, params: _Params, token: str) -> bool:
        with self._lock:
            self._webhook_url = ""
            if params.opt_bool("drop_pending_updates"):
                self._updates.clear()
        return True

    def _api_setWebhook(self, params: _Params, token: str) -> bool:
        url = params.opt_str("url") or ""
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        with self._lock:
            self._webhook_url = url
            if params.opt_bool("drop_pending_updates"):
                self._updates.clear()
        return True

    def _api_sendChatAction(self, params: _Params, token: str) -> bool:
        chat_id = self._chat_id(params)
        assert chat_id is not None
        action = params.opt_str("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self._check_blocked(chat_id)
        with self._lock:
            self._chat_actions.append((chat_id, action))
        return True

    def _api_getChatMember(self, params: _Params, token: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        user_id = params.opt_int("user_id")
        if user_id is None:
            raise ApiError(400, "Bad Request: user_id is empty")
        with self._lock:
            status = self._member_status.get(
                (chat_id, user_id), self._member_status.get((None, user_id), "member")
            )
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        return {"status": status, "user": user, **_MEMBER_FIELDS.get(status, {})}

    def _api_sendPhoto(self, params: _Params, token: str) -> dict[str, Any]:
        """A photo uploaded as multipart (or sent again by file_id), checked by photo_size."""
        chat_id = self._chat_id(params)
        assert chat_id is not None
        value = params.opt_str("photo") or ""
        upload = params.uploads.get(value.removeprefix("attach://")) or params.uploads.get("photo")
        if upload is not None:
            filename, content = upload.filename or "photo.png", upload.content
        else:
            with self._lock:
                known = self._files.get(value)
            if known is None:
                raise ApiError(400, "Bad Request: there is no photo in the request")
            filename, content = known.file_path.rsplit("/", 1)[-1], known.content
        width, height = photo_size(content)
        caption = params.opt_str("caption")
        parse_mode = params.opt_str("parse_mode")
        parsed = self._parse_text(caption or "", parse_mode, MAX_CAPTION_LENGTH, caption=True)
        markup = self._reply_markup(params)
        thread_id = params.opt_int("message_thread_id")
        self._check_blocked(chat_id)
        self._check_rate("sendPhoto", chat_id)
        stored = self._store_file(filename, content)
        size = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        size |= {"width": width, "height": height, "file_size": len(content)}
        message = self._bot_message(
            token,
            chat_id,
            thread_id,
            {
                "photo": [size],
                "caption": parsed.text or None,
                "caption_entities": parsed.entities,
                "reply_markup": _inline_only(markup),
            },
        )
        sent = (caption, parse_mode, parsed)
        self._record("sendPhoto", token, chat_id, message, sent, markup, photo=content)
        return message

    def _api_getFile(self, params: _Params, token: str) -> dict[str, Any]:
        file_id = params.opt_str("file_id") or ""
        with self._lock:
            stored = self._files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command MessageEntity dicts for every ``/command[@bot]`` in ``text``."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND_RE.finditer(text)
    ]


def validate_inline_keyboard(rows: Any) -> None:
    """Raise ApiError for inline keyboards Telegram would reject."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(
            400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
        )
    for button in itertools.chain.from_iterable(rows):
        _validate_button(button)


def _validate_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button: Object expected")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
    if not BUTTON_ACTIONS.intersection(button):
        raise ApiError(
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(?i)(https?|tg|ton)://\S+$", url):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def validate_bot_command(command: Any) -> None:
    """Raise ApiError for BotCommand dicts Telegram would reject."""
    if not isinstance(command, dict):
        raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
    name = command.get("command")
    if not isinstance(name, str) or not _BOT_COMMAND_RE.fullmatch(name):
        raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
    description = command.get("description")
    if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
        raise ApiError(400, "Bad Request: command description must be non-empty")


def _coerce_chat_id(raw: Any) -> int | str | None:
    if raw is None or isinstance(raw, int):
        return raw
    text = str(raw).strip()
    try:
        return int(text)
    except ValueError:
        return text


def _set_optional(message: dict[str, Any], **values: Any) -> dict[str, Any]:
    for key, value in values.items():
        if value in (None, []):
            message.pop(key, None)
        else:
            message[key] = value
    return message


def _error_response(exc: ApiError) -> dict[str, Any]:
    response: dict[str, Any] = {
        "ok": False,
        "error_code": exc.error_code,
        "description": exc.description,
    }
    if exc.parameters:
        response["parameters"] = exc.parameters
    return response
