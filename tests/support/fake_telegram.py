"""A fake Telegram Bot API HTTP server for end-to-end tests and benchmarks.

The server listens on 127.0.0.1 only (an ephemeral port by default) and serves
python-telegram-bot's httpx client: long polling, JSON / form-urlencoded /
multipart bodies, and Telegram-shaped ``{"ok": ...}`` responses.

Besides the API methods it offers:

* Telegram-like validation of ``sendMessage`` / ``editMessageText`` (HTML
  entities via :func:`check_telegram_html`, UTF-16 length, inline keyboards);
* recording of accepted messages, rejected requests and answered callbacks;
* update injection (``push_text``, ``push_callback``, ``push_document``, ...);
* fault injection: rate limits answered with 429, blocked chats (403),
  ``fail_next``, ``drop_next`` and ``set_delay``.

Usage::

    with FakeTelegram() as fake:
        bot = Bot(token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        ...
        fake.wait_for_messages_sync(1)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "BOT_USERNAME",
    "ApiCall",
    "CallbackAnswer",
    "FakeTelegram",
    "ParsedHtml",
    "RateLimits",
    "RejectedRequest",
    "SentMessage",
    "TelegramHtmlError",
    "check_telegram_html",
    "command_entities",
    "iter_entities",
    "parse_telegram_html",
    "utf16_len",
    "validate_bot_command",
    "validate_inline_keyboard",
]

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
_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


# ---------------------------------------------------------------------------
# Telegram HTML parse mode
# ---------------------------------------------------------------------------


class TelegramHtmlError(ValueError):
    """Raised for text Telegram would reject with "can't parse entities"."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class ParsedHtml:
    """Visible text and Telegram MessageEntity dicts (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]]


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    byte_offset: int
    has_href: bool = False


_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL_RE = re.compile(r"[&<>]")
_SPACES = " \t\n\r\v\f"
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z]+))(;?)")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _HtmlParser:
    """Port of TDLib's ``parse_html`` with optional Bot-API-documentation strictness."""

    def __init__(self, text: str, strict: bool) -> None:
        self.src = text
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    # -- helpers ----------------------------------------------------------
    def _byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8", "surrogatepass"))

    def _error(self, message: str) -> TelegramHtmlError:
        return TelegramHtmlError(message)

    def _char(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else ""

    def _emit(self, chunk: str) -> None:
        if chunk:
            self.out.append(chunk)
            self.utf16 += utf16_len(chunk)

    def _skip_spaces(self, index: int) -> int:
        while index < len(self.src) and self.src[index] in _SPACES:
            index += 1
        return index

    # -- main loop --------------------------------------------------------
    def run(self) -> ParsedHtml:
        while self.pos < len(self.src):
            match = _SPECIAL_RE.search(self.src, self.pos)
            end = match.start() if match else len(self.src)
            self._emit(self.src[self.pos : end])
            self.pos = end
            if match is None:
                break
            char = match.group()
            if char == "&":
                self._text_entity()
            elif char == "<":
                self._tag()
            else:
                self._greater_than()
        if self.stack:
            raise self._error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedHtml("".join(self.out), self.entities)

    def _greater_than(self) -> None:
        if self.strict:
            raise self._error(f'Unescaped ">" at byte offset {self._byte_offset(self.pos)}')
        self._emit(">")
        self.pos += 1

    # -- character entities ----------------------------------------------
    def _decode_entity(self, index: int) -> tuple[str, int] | None:
        """Decode the entity at ``index``; return (char, end index) or None."""
        match = _ENTITY_RE.match(self.src, index)
        if match is None:
            return None
        decimal, hexa, name, semicolon = match.groups()
        if self.strict and not semicolon:
            return None
        if name is not None:
            value = _NAMED_ENTITIES.get(name)
            return (value, match.end()) if value is not None else None
        code = int(decimal) if decimal is not None else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end()

    def _text_entity(self) -> None:
        decoded = self._decode_entity(self.pos)
        if decoded is not None:
            self._emit(decoded[0])
            self.pos = decoded[1]
            return
        if self.strict:
            match = _ENTITY_RE.match(self.src, self.pos)
            offset = self._byte_offset(self.pos)
            if match is not None and match.group(3) and match.group(4):
                raise self._error(
                    f'Unsupported HTML entity "{match.group()}" at byte offset {offset}'
                )
            raise self._error(f'Unescaped "&" at byte offset {offset}')
        self._emit("&")
        self.pos += 1

    # -- tags ---------------------------------------------------------------
    def _tag(self) -> None:
        begin = self.pos
        if begin + 1 >= len(self.src):
            raise self._error(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        if self.src[begin + 1] == "/":
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _scan_name(self, index: int) -> int:
        while index < len(self.src) and self.src[index] not in _SPACES and self.src[index] != ">":
            index += 1
        return index

    def _start_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        index = self._scan_name(begin + 1)
        if index >= len(self.src):
            raise self._error(f"Unclosed start tag at byte offset {offset}")
        name = self.src[begin + 1 : index].lower()
        if name not in _SUPPORTED_TAGS:
            raise self._error(f'Unsupported start tag "{name}" at byte offset {offset}')
        tag = _OpenTag(name, "", self.utf16, offset)
        index = self._attributes(tag, index)
        self._check_start_tag(tag)
        self.stack.append(tag)
        self.pos = index + 1

    def _attributes(self, tag: _OpenTag, index: int) -> int:
        """Parse attributes until ``>``; return the index of ``>``."""
        while True:
            index = self._skip_spaces(index)
            char = self._char(index)
            if char == ">":
                return index
            if char == "":
                raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
            index = self._attribute(tag, index)

    def _attribute(self, tag: _OpenTag, index: int) -> int:
        start = index
        while self._char(index) not in ("", "=", ">") and self.src[index] not in _SPACES:
            index += 1
        attr = self.src[start:index].lower()
        if not attr:
            raise self._error(
                f'Empty attribute name in the tag "{tag.name}" at byte offset {tag.byte_offset}'
            )
        index = self._skip_spaces(index)
        if self._char(index) != "=":
            if self._char(index) == "":
                raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
            if tag.name == "blockquote" and attr == "expandable":
                tag.argument = "1"
                return index
            raise self._error(
                f'Expected equal sign in declaration of an attribute of the tag "{tag.name}" '
                f"at byte offset {tag.byte_offset}"
            )
        index = self._skip_spaces(index + 1)
        if self._char(index) == "":
            raise self._error(f'Unclosed start tag "{tag.name}" at byte offset {tag.byte_offset}')
        value, index = self._attribute_value(index)
        if self._char(index) == "":
            raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
        self._apply_attribute(tag, attr, value)
        return index

    def _attribute_value(self, index: int) -> tuple[str, int]:
        quote = self.src[index]
        if quote not in "'\"":
            start = index
            while self._char(index) and (self.src[index].isalnum() or self.src[index] in ".-"):
                index += 1
            if self._char(index) not in _SPACES + ">" or self._char(index) == "":
                offset = self._byte_offset(start)
                raise self._error(f"Unexpected end of name token at byte offset {offset}")
            return self.src[start:index].lower(), index
        index += 1
        chars: list[str] = []
        while self._char(index) not in ("", quote):
            decoded = self._decode_entity(index) if self.src[index] == "&" else None
            if decoded is not None:
                chars.append(decoded[0])
                index = decoded[1]
            else:
                chars.append(self.src[index])
                index += 1
        if self._char(index) == quote:
            index += 1
        return "".join(chars), index

    @staticmethod
    def _apply_attribute(tag: _OpenTag, attr: str, value: str) -> None:
        if tag.name == "a" and attr == "href":
            tag.argument, tag.has_href = value, True
        elif tag.name == "code" and attr == "class" and value.startswith("language-"):
            tag.argument = value[len("language-") :]
        elif tag.name == "span" and attr == "class" and value.startswith("tg-"):
            tag.argument = value[len("tg-") :]
        elif tag.name == "tg-emoji" and attr == "emoji-id":
            tag.argument = value
        elif tag.name == "blockquote" and attr == "expandable":
            tag.argument = "1"

    def _check_start_tag(self, tag: _OpenTag) -> None:
        if tag.name == "span" and tag.argument != "spoiler":
            raise self._error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {tag.byte_offset}'
            )
        if not self.strict:
            return
        if tag.name == "a" and not tag.argument.strip():
            raise self._error(
                f'Tag "a" must have attribute "href" at byte offset {tag.byte_offset}'
            )
        if tag.name == "tg-emoji" and not tag.argument:
            raise self._error(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {tag.byte_offset}'
            )

    def _end_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        if not self.stack:
            raise self._error(f"Unexpected end tag at byte offset {offset}")
        index = self._scan_name(begin + 2)
        end_name = self.src[begin + 2 : index].lower()
        index = self._skip_spaces(index)
        if self._char(index) != ">":
            raise self._error(f"Unclosed end tag at byte offset {offset}")
        tag = self.stack[-1]
        if end_name and end_name != tag.name:
            raise self._error(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        self.stack.pop()
        self._close_entity(tag)
        self.pos = index + 1

    def _close_entity(self, tag: _OpenTag) -> None:
        length = self.utf16 - tag.utf16_offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"offset": tag.utf16_offset, "length": length}
        parent = self.stack[-1] if self.stack else None
        if tag.name == "code" and parent is not None and parent.name == "pre":
            parent.argument = parent.argument or tag.argument
            return
        entity.update(self._entity_fields(tag))
        self.entities.append(entity)

    @staticmethod
    def _entity_fields(tag: _OpenTag) -> dict[str, Any]:
        if tag.name in _SIMPLE_ENTITY_TYPES:
            return {"type": _SIMPLE_ENTITY_TYPES[tag.name]}
        if tag.name == "a":
            return {"type": "text_link", "url": tag.argument}
        if tag.name == "pre":
            return {"type": "pre", **({"language": tag.argument} if tag.argument else {})}
        if tag.name == "blockquote":
            return {"type": "expandable_blockquote" if tag.argument else "blockquote"}
        return {"type": "custom_emoji", "custom_emoji_id": tag.argument}


def parse_telegram_html(text: str, *, strict: bool = True) -> ParsedHtml:
    """Parse Telegram HTML; return visible text and entities or raise TelegramHtmlError.

    ``strict=True`` (default) enforces the Bot API documentation: bare ``&``/``>``,
    unknown named entities, entities without ``;``, ``<a>`` without href and
    ``<tg-emoji>`` without emoji-id are errors.  ``strict=False`` mimics the
    (more lenient) production server, which takes those literally.
    """
    return _HtmlParser(text, strict).run()


def check_telegram_html(text: str, *, strict: bool = True) -> str:
    """Return the visible text of Telegram HTML ``text`` or raise TelegramHtmlError."""
    return parse_telegram_html(text, strict=strict).text


# ---------------------------------------------------------------------------
# Records and configuration
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RateLimits:
    """Telegram-like flood limits (token buckets); ``scale`` multiplies every rate."""

    global_per_sec: float = 30.0
    per_chat_per_sec: float = 1.0
    per_chat_burst: float = 3.0
    per_group_per_min: float = 20.0
    per_group_burst: float | None = None  # default: per_group_per_min
    scale: float = 1.0
    methods: frozenset[str] = frozenset({"sendMessage"})
    fractional_retry_after: bool = False


@dataclass
class SentMessage:
    """A message accepted by sendMessage / sendDocument / editMessage*."""

    chat_id: int | str
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    message_thread_id: int | None
    disable_web_page_preview: bool | None
    link_preview_options: dict[str, Any] | None
    message_id: int
    received_at: float
    method: str
    plain_text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    filename: str | None = None
    document: bytes | None = None
    token: str = ""


@dataclass
class RejectedRequest:
    """A request answered with ``ok: false``."""

    method: str
    params: dict[str, Any]
    error_code: int
    description: str
    received_at: float
    chat_id: int | str | None = None


@dataclass
class CallbackAnswer:
    """Parameters of an answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    received_at: float


@dataclass
class InlineAnswer:
    """Parameters of an answerInlineQuery call (results as sent, already validated)."""

    inline_query_id: str
    results: list[dict[str, Any]]
    cache_time: int | None
    is_personal: bool
    received_at: float


@dataclass
class ApiCall:
    """Any request that reached a known method (accepted or not)."""

    method: str
    params: dict[str, Any]
    received_at: float


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


@dataclass
class _Fault:
    status: int
    description: str | None
    retry_after: int | None
    remaining: int


class ApiError(Exception):
    """Internal: becomes an ``{"ok": false}`` response."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


class _DropConnection(Exception):
    """Internal: close the socket without a response."""


class _TokenBucket:
    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def wait_time(self, now: float) -> float:
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.stamp = max(self.stamp, now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class _RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        scale = limits.scale
        self.global_bucket = _TokenBucket(
            limits.global_per_sec * scale, limits.global_per_sec * scale
        )
        self.chats: dict[int | str, _TokenBucket] = {}

    def _bucket_for(self, chat_id: int | str) -> _TokenBucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            if isinstance(chat_id, int) and chat_id > 0:
                bucket = _TokenBucket(limits.per_chat_per_sec * limits.scale, limits.per_chat_burst)
            else:
                burst = limits.per_group_burst or limits.per_group_per_min
                bucket = _TokenBucket(limits.per_group_per_min * limits.scale / 60.0, burst)
            self.chats[chat_id] = bucket
        return bucket

    def acquire(self, chat_id: int | str) -> float | int | None:
        """Take a token for ``chat_id``; return retry_after when over the limit."""
        now = time.monotonic()
        buckets = (self.global_bucket, self._bucket_for(chat_id))
        wait = max(bucket.wait_time(now) for bucket in buckets)
        if wait <= 0:
            for bucket in buckets:
                bucket.take()
            return None
        if self.limits.fractional_retry_after:
            return max(0.01, round(wait, 2))
        return max(1, math.ceil(wait))


# ---------------------------------------------------------------------------
# Request parameters
# ---------------------------------------------------------------------------


@dataclass
class _Upload:
    filename: str
    content: bytes
    content_type: str | None


class _Params:
    """Typed access to parameters given as JSON values or form strings."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, _Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def has(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")

    def opt_str(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def opt_int(self, key: str) -> int | None:
        value = self.values.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return int(value)
        try:
            return int(float(value)) if isinstance(value, str | float) else int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def opt_float(self, key: str) -> float | None:
        value = self.values.get(key)
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def opt_bool(self, key: str) -> bool | None:
        value = self.values.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def opt_json(self, key: str, what: str) -> Any:
        value = self.values.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
        return value


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, _Upload]]:
    mime = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}, {}
    if mime == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON object") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        return data, {}
    if mime == "multipart/form-data":
        return _parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), {}


_DISPOSITION_PARAM_RE = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, _Upload]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ApiError(400, "Bad Request: multipart boundary not found")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: dict[str, Any] = {}
    uploads: dict[str, _Upload] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        _parse_part(part, fields, uploads)
    return fields, uploads


def _parse_part(part: bytes, fields: dict[str, Any], uploads: dict[str, _Upload]) -> None:
    part = part.removeprefix(b"\r\n")
    head, _, content = part.partition(b"\r\n\r\n")
    content = content.removesuffix(b"\r\n")
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    params = {
        key.lower(): unquote(quoted if quoted is not None else bare)
        if key.endswith("*")
        else (quoted if quoted is not None else bare).replace('\\"', '"')
        for key, quoted, bare in _DISPOSITION_PARAM_RE.findall(
            ";" + headers.get("content-disposition", "").partition(";")[2]
        )
    }
    name = params.get("name", "")
    filename = params.get("filename") or params.get("filename*", "").split("''")[-1] or None
    if filename is None:
        fields[name] = content.decode("utf-8", "replace")
    else:
        uploads[name] = _Upload(filename, content, headers.get("content-type"))


# ---------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """A sent Message carries only an inline keyboard; ForceReply and reply keyboards are
    applied by the client and never echoed back (PTB fails to parse them as inline)."""
    return markup if markup and "inline_keyboard" in markup else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fake: FakeTelegram) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        try:
            if url.path.startswith("/file/bot"):
                status, payload, ctype = self.server.fake.handle_file(url.path)
            else:
                ctype = "application/json"
                status, response = self.server.fake.handle_api(
                    url.path, url.query, self.headers.get("Content-Type", ""), body
                )
                payload = json.dumps(response, ensure_ascii=False).encode("utf-8")
        except _DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._respond(status, payload, ctype)

    def _respond(self, status: int, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True


# ---------------------------------------------------------------------------
# The fake server
# ---------------------------------------------------------------------------

Predicate = Callable[[list[SentMessage]], bool]
_Handlers = dict[str, Callable[[_Params, str], Any]]


class FakeTelegram:
    """In-process fake Telegram Bot API server (see module docstring)."""

    def __init__(
        self,
        *,
        limits: RateLimits | None = None,
        port: int = 0,
        token: str | None = None,
        strict_html: bool = True,
        bot_username: str = BOT_USERNAME,
    ) -> None:
        self._requested_port = port
        self._token = token
        self.strict_html = strict_html
        self.bot_username = bot_username
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._limits = limits
        self._limiter = _RateLimiter(limits) if limits else None
        self._handlers = self._build_handlers()
        self._ids = itertools.count(1)
        self._reset_state()

    # -- lifecycle --------------------------------------------------------
    def start(self) -> FakeTelegram:
        """Bind 127.0.0.1 and serve in a daemon thread; return self."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake long polls and close open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for ``Bot(base_url=...)``; PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``Bot(base_file_url=...)``."""
        return f"{self.url}/file/bot"

    # -- state ----------------------------------------------------------------
    def _reset_state(self) -> None:
        self._messages: list[SentMessage] = []
        self._rejected: list[RejectedRequest] = []
        self._answered: list[CallbackAnswer] = []
        self._calls: list[ApiCall] = []
        self._chat_actions: list[tuple[int | str, str]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._message_ids: dict[int | str, itertools.count[int]] = {}
        self._stored_messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self._bot_message_keys: set[tuple[int | str, int]] = set()
        self._open_callbacks: dict[str, tuple[int | str, int]] = {}
        self._open_inline: set[str] = set()
        self._inline_answers: list[InlineAnswer] = []
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._blocked: dict[int | str, str] = {}
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._delays: dict[str, float] = {}
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._webhook_url = ""
        self._poll_generation: Counter[str] = Counter()
        self.too_many_requests = 0
        self.method_counts: Counter[str] = Counter()

    def clear(self) -> None:
        """Forget recorded messages, rejections, callbacks, calls and counters.

        Chats, stored messages (for callbacks/edits), files, queued updates and
        fault configuration are kept.
        """
        with self._lock:
            self._messages.clear()
            self._rejected.clear()
            self._answered.clear()
            self._calls.clear()
            self._chat_actions.clear()
            self.too_many_requests = 0
            self.method_counts.clear()

    @property
    def messages(self) -> list[SentMessage]:
        """Snapshot of accepted messages (sends and edits), oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def rejected(self) -> list[RejectedRequest]:
        with self._lock:
            return list(self._rejected)

    @property
    def answered_callbacks(self) -> list[str]:
        """callback_query_ids answered via answerCallbackQuery."""
        with self._lock:
            return [answer.callback_query_id for answer in self._answered]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._answered)

    @property
    def inline_answers(self) -> list[InlineAnswer]:
        with self._lock:
            return list(self._inline_answers)

    @property
    def calls(self) -> list[ApiCall]:
        """Every request to a known API method, in arrival order."""
        with self._lock:
            return list(self._calls)

    @property
    def chat_actions(self) -> list[tuple[int | str, str]]:
        with self._lock:
            return list(self._chat_actions)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet acknowledged through getUpdates' offset."""
        with self._lock:
            return list(self._updates)

    @property
    def webhook_url(self) -> str:
        return self._webhook_url

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict]:
        """Commands stored by setMyCommands for ``scope``/``language_code``."""
        with self._lock:
            return list(self._commands.get(self._commands_key(scope, language_code), []))

    def messages_to(self, chat_id: int | str) -> list[SentMessage]:
        with self._lock:
            return [m for m in self._messages if m.chat_id == chat_id]

    def last_message(self, chat_id: int | str | None = None) -> SentMessage | None:
        found = self.messages_to(chat_id) if chat_id is not None else self.messages
        return found[-1] if found else None

    def set_limits(self, limits: RateLimits | None) -> None:
        """Replace (or disable with None) the rate limits; buckets start full."""
        with self._lock:
            self._limits = limits
            self._limiter = _RateLimiter(limits) if limits else None

    # -- waiting --------------------------------------------------------------
    def _select(self, chat_id: int | str | None, method: str | None) -> list[SentMessage]:
        return [
            m
            for m in self._messages
            if (chat_id is None or m.chat_id == chat_id) and (method is None or m.method == method)
        ]

    def wait_for_messages_sync(
        self,
        n: int,
        timeout: float = 5.0,
        *,
        chat_id: int | str | None = None,
        method: str | None = None,
    ) -> list[SentMessage]:
        """Block until ``n`` matching messages exist; return them or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := self._select(chat_id, method)) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {n} messages, got {len(found)}: {found!r}")
                self._cond.wait(remaining)
            return found

    async def wait_for_messages(
        self,
        n: int,
        timeout: float = 5.0,
        *,
        chat_id: int | str | None = None,
        method: str | None = None,
    ) -> list[SentMessage]:
        """Async variant of :meth:`wait_for_messages_sync` (does not block the loop)."""
        return await self.wait_for(
            lambda _: len(self._select(chat_id, method)) >= n,
            timeout,
            result=lambda: self._select(chat_id, method),
        )

    async def wait_for(
        self,
        predicate_or_count: Predicate | int,
        timeout: float = 5.0,
        *,
        result: Callable[[], list[SentMessage]] | None = None,
    ) -> list[SentMessage]:
        """Poll until ``len(messages) >= count`` or ``predicate(messages)``; return messages."""
        predicate = _as_predicate(predicate_or_count)
        deadline = time.monotonic() + timeout
        while True:
            snapshot = self.messages
            with self._lock:
                done = predicate(snapshot)
            if done:
                return result() if result is not None else snapshot
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout}s; messages: {snapshot!r}")
            await asyncio.sleep(0.005)

    # -- fault injection ----------------------------------------------------
    def block_chat(self, chat_id: int | str, description: str | None = None) -> None:
        """Answer sends/edits to ``chat_id`` with 403 Forbidden."""
        if description is None:
            description = (
                "Forbidden: bot was blocked by the user"
                if isinstance(chat_id, int) and chat_id > 0
                else "Forbidden: bot was kicked from the group chat"
            )
        with self._lock:
            self._blocked[chat_id] = description

    def unblock_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.pop(chat_id, None)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        count: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Fail the next ``count`` calls of ``method`` (``"*"`` = any method)."""
        with self._lock:
            self._faults[method.lower()].append(_Fault(status, description, retry_after, count))

    def drop_next(self, method: str, count: int = 1) -> None:
        """Close the connection without answering the next ``count`` calls of ``method``."""
        self.fail_next(method, status=0, count=count)

    def set_delay(self, method: str, seconds: float) -> None:
        """Delay every call of ``method`` (``"*"`` = any) by ``seconds``; 0 removes it."""
        with self._lock:
            if seconds > 0:
                self._delays[method.lower()] = seconds
            else:
                self._delays.pop(method.lower(), None)

    def clear_faults(self) -> None:
        """Remove pending failures, delays and blocked chats."""
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._blocked.clear()

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
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self._user(uid, username, first_name, language_code),
            "chat": chat,
            "date": int(time.time()),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        return message

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

    # -- request dispatch -----------------------------------------------------
    def handle_file(self, path: str) -> tuple[int, bytes, str]:
        """Serve ``/file/bot<TOKEN>/<file_path>``."""
        _, _, rest = path.partition("/file/bot")
        _, _, file_path = rest.partition("/")
        with self._lock:
            for stored in self._files.values():
                if stored.file_path == unquote(file_path):
                    return 200, stored.content, "application/octet-stream"
        return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}', "application/json"

    def handle_api(
        self, path: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        """Answer ``/bot<TOKEN>/<method>``; returns (HTTP status, response JSON)."""
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z]+)/?", path)
        if match is None:
            return 404, _error_response(ApiError(404, "Not Found"))
        token, method = match.groups()
        handler = self._handlers.get(method.lower())
        if handler is None:
            return 404, _error_response(ApiError(404, "Not Found"))
        if self._token is not None and token != self._token:
            return 401, _error_response(ApiError(401, "Unauthorized"))
        try:
            values, uploads = _parse_body(content_type, body)
        except ApiError as exc:
            return exc.error_code, _error_response(exc)
        values = {**dict(parse_qsl(query, keep_blank_values=True)), **values}
        return self._call(method, handler, _Params(values, uploads), token)

    def _call(
        self, method: str, handler: Callable[[_Params, str], Any], params: _Params, token: str
    ) -> tuple[int, dict[str, Any]]:
        canonical = handler.__name__.removeprefix("_api_")
        with self._lock:
            self._calls.append(ApiCall(canonical, dict(params.values), time.monotonic()))
            self.method_counts[canonical] += 1
        try:
            self._apply_delay(method)
            self._apply_fault(method)
            return 200, {"ok": True, "result": handler(params, token)}
        except ApiError as exc:
            self._record_rejection(canonical, params, exc)
            return exc.error_code, _error_response(exc)

    def _apply_delay(self, method: str) -> None:
        with self._lock:
            delay = self._delays.get(method.lower(), self._delays.get("*", 0.0))
        if delay > 0:
            self._stopping.wait(delay)

    def _apply_fault(self, method: str) -> None:
        with self._lock:
            queue = self._faults.get(method.lower()) or self._faults.get("*")
            if not queue:
                return
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
        if fault.status == 0:
            raise _DropConnection
        raise _fault_error(fault)

    def _record_rejection(self, method: str, params: _Params, exc: ApiError) -> None:
        chat_id = params.values.get("chat_id")
        with self._cond:
            if exc.error_code == 429:
                self.too_many_requests += 1
            self._rejected.append(
                RejectedRequest(
                    method,
                    dict(params.values),
                    exc.error_code,
                    exc.description,
                    time.monotonic(),
                    _coerce_chat_id(chat_id),
                )
            )
            self._cond.notify_all()

    def _build_handlers(self) -> _Handlers:
        handlers: _Handlers = {}
        for name in dir(self):
            if name.startswith("_api_"):
                handlers[name.removeprefix("_api_").lower()] = getattr(self, name)
        return handlers

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
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self._bot_user(token),
            "chat": chat,
            "date": int(time.time()),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        message.update({key: value for key, value in body.items() if value not in (None, [])})
        return message

    def _record(self, record: SentMessage, message: dict[str, Any]) -> None:
        key = (record.chat_id, record.message_id)
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
        disabled, preview = self._link_preview(params)
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
                "link_preview_options": preview,
            },
        )
        self._record(
            SentMessage(
                chat_id,
                text or "",
                parse_mode,
                markup,
                thread_id,
                disabled,
                preview,
                message["message_id"],
                time.monotonic(),
                "sendMessage",
                parsed.text,
                parsed.entities,
                token=token,
            ),
            message,
        )
        return message

    def _api_editMessageText(self, params: _Params, token: str) -> dict[str, Any] | bool:
        parse_mode = params.opt_str("parse_mode")
        text = params.opt_str("text")
        parsed = self._parse_text(text, parse_mode, MAX_MESSAGE_LENGTH)
        markup = self._reply_markup(params)
        disabled, preview = self._link_preview(params)
        if params.has("inline_message_id"):
            return True
        chat_id, message_id, stored = self._editable(params)
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
            SentMessage(
                chat_id,
                text or "",
                parse_mode,
                markup,
                stored.get("message_thread_id"),
                disabled,
                preview,
                message_id,
                time.monotonic(),
                "editMessageText",
                parsed.text,
                parsed.entities,
                token=token,
            ),
            message,
        )
        return message

    def _api_editMessageReplyMarkup(self, params: _Params, token: str) -> dict[str, Any] | bool:
        markup = self._reply_markup(params)
        if params.has("inline_message_id"):
            return True
        chat_id, message_id, stored = self._editable(params)
        self._check_blocked(chat_id)
        if stored.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        self._check_rate("editMessageReplyMarkup", chat_id)
        message = _set_optional({**stored, "edit_date": int(time.time())}, reply_markup=markup)
        self._record(
            SentMessage(
                chat_id,
                stored.get("text", ""),
                None,
                markup,
                stored.get("message_thread_id"),
                None,
                None,
                message_id,
                time.monotonic(),
                "editMessageReplyMarkup",
                stored.get("text", ""),
                stored.get("entities", []),
                token=token,
            ),
            message,
        )
        return message

    def _api_answerCallbackQuery(self, params: _Params, token: str) -> bool:
        callback_id = params.opt_str("callback_query_id")
        with self._lock:
            if not callback_id or callback_id not in self._open_callbacks:
                raise ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid",
                )
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

    def _api_answerInlineQuery(self, params: _Params, token: str) -> bool:
        query_id = params.opt_str("inline_query_id")
        with self._lock:
            if not query_id or query_id not in self._open_inline:
                raise ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid",
                )
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

    @staticmethod
    def _commands_key(scope: Any, language_code: str | None) -> str:
        scope = scope or {"type": "default"}
        return json.dumps([scope, language_code or ""], sort_keys=True)

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

    def _api_getMyCommands(self, params: _Params, token: str) -> list[dict[str, Any]]:
        key = self._commands_key(params.opt_json("scope", "scope"), params.opt_str("language_code"))
        with self._lock:
            return list(self._commands.get(key, []))

    def _api_deleteMyCommands(self, params: _Params, token: str) -> bool:
        key = self._commands_key(params.opt_json("scope", "scope"), params.opt_str("language_code"))
        with self._lock:
            self._commands.pop(key, None)
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

    def _api_getWebhookInfo(self, params: _Params, token: str) -> dict[str, Any]:
        with self._lock:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

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

    def _api_sendDocument(self, params: _Params, token: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        assert chat_id is not None
        stored, filename = self._document_input(params)
        caption = params.opt_str("caption")
        parse_mode = params.opt_str("parse_mode")
        parsed = self._parse_text(caption or "", parse_mode, MAX_CAPTION_LENGTH, caption=True)
        markup = self._reply_markup(params)
        thread_id = params.opt_int("message_thread_id")
        self._check_blocked(chat_id)
        self._check_rate("sendDocument", chat_id)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "file_size": len(stored.content),
        }
        message = self._bot_message(
            token,
            chat_id,
            thread_id,
            {
                "document": document,
                "caption": parsed.text or None,
                "caption_entities": parsed.entities,
                "reply_markup": _inline_only(markup),
            },
        )
        self._record(
            SentMessage(
                chat_id,
                caption or "",
                parse_mode,
                markup,
                thread_id,
                None,
                None,
                message["message_id"],
                time.monotonic(),
                "sendDocument",
                parsed.text,
                parsed.entities,
                filename,
                stored.content,
                token,
            ),
            message,
        )
        return message

    def _document_input(self, params: _Params) -> tuple[_StoredFile, str]:
        value = params.opt_str("document") or ""
        upload = params.uploads.get("document")
        if value.startswith("attach://"):
            upload = params.uploads.get(value.removeprefix("attach://"))
        if upload is not None:
            return self._store_file(upload.filename, upload.content), upload.filename
        with self._lock:
            known = self._files.get(value)
        if known is not None:
            return known, known.file_path.rsplit("/", 1)[-1]
        if value.startswith(("http://", "https://")):
            name = urlsplit(value).path.rsplit("/", 1)[-1] or "document"
            return self._store_file(name, b""), name
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

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

    def _api_close(self, params: _Params, token: str) -> bool:
        return True

    def _api_logOut(self, params: _Params, token: str) -> bool:
        return True


# ---------------------------------------------------------------------------
# Module helpers
# ---------------------------------------------------------------------------


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


def _fault_error(fault: _Fault) -> ApiError:
    defaults = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }
    if fault.status == 429:
        retry_after = fault.retry_after if fault.retry_after is not None else 1
        description = fault.description or f"Too Many Requests: retry after {retry_after}"
        return ApiError(429, description, {"retry_after": retry_after})
    return ApiError(fault.status, fault.description or defaults.get(fault.status, "Error"))


def _as_predicate(predicate_or_count: Predicate | int) -> Predicate:
    if not isinstance(predicate_or_count, int):
        return predicate_or_count
    count = predicate_or_count

    def enough(messages: list[SentMessage]) -> bool:
        return len(messages) >= count

    return enough


def _error_response(exc: ApiError) -> dict[str, Any]:
    response: dict[str, Any] = {
        "ok": False,
        "error_code": exc.error_code,
        "description": exc.description,
    }
    if exc.parameters:
        response["parameters"] = exc.parameters
    return response


def iter_entities(message: SentMessage, entity_type: str) -> Iterator[str]:
    """Yield the visible substrings of ``message`` covered by entities of ``entity_type``."""
    encoded = message.plain_text.encode("utf-16-le", "surrogatepass")
    for entity in message.entities:
        if entity["type"] == entity_type:
            start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
            yield encoded[start:end].decode("utf-16-le", "surrogatepass")
