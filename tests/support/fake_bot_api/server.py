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
import re
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypedDict, TypeVar, Unpack
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.fake_bot_api.methods import (
    BOT_USERNAME,
    BotApiMethods,
    _coerce_chat_id,
    _error_response,
)
from tests.support.fake_bot_api.params import _Params, _parse_body
from tests.support.fake_bot_api.records import (
    ApiCall,
    ApiError,
    CallbackAnswer,
    InlineAnswer,
    RateLimits,
    RejectedRequest,
    SentMessage,
    _DropConnection,
    _Fault,
    _RateLimiter,
    _StoredFile,
)
from tests.support.fake_bot_api.updates import UpdateInjection


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


Predicate = Callable[[list[SentMessage]], bool]
_Handlers = dict[str, Callable[[_Params, str], Any]]
T = TypeVar("T")


class Where(TypedDict, total=False):
    """Which messages a wait counts: to one chat, by one method (sendMessage, editMessageText…)."""

    chat_id: int | str | None
    method: str | None


class _Snapshot(Generic[T]):
    """A read-only attribute of the server: a copy of one of its recorded lists, taken under
    its lock (the server thread appends to them while a test reads)."""

    def __init__(self, attribute: str, doc: str) -> None:
        self.attribute = attribute
        self.__doc__ = doc

    def __get__(self, server: Any, owner: type | None = None) -> list[T]:
        if server is None:  # looked up on the class: there is no server to copy from
            raise AttributeError(self.attribute)
        with server._lock:
            return list(getattr(server, self.attribute))


class FakeTelegram(UpdateInjection, BotApiMethods):
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
        # (chat id or None for every chat, user id) -> getChatMember status
        self._member_status: dict[tuple[int | str | None, int], str] = {}
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

    messages = _Snapshot[SentMessage](
        "_messages", "Accepted messages (sends and edits), oldest first."
    )
    rejected = _Snapshot[RejectedRequest]("_rejected", "Requests answered with an error.")
    callback_answers = _Snapshot[CallbackAnswer]("_answered", "answerCallbackQuery calls.")
    inline_answers = _Snapshot[InlineAnswer](
        "_inline_answers", "answerInlineQuery calls, oldest first."
    )
    calls = _Snapshot[ApiCall]("_calls", "Every request to a known API method, in arrival order.")
    chat_actions = _Snapshot[tuple[int | str, str]]("_chat_actions", "sendChatAction calls.")
    pending_updates = _Snapshot[dict[str, Any]](
        "_updates", "Updates not yet acknowledged through getUpdates' offset."
    )

    @property
    def answered_callbacks(self) -> list[str]:
        """callback_query_ids answered via answerCallbackQuery."""
        return [answer.callback_query_id for answer in self.callback_answers]

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
    def _select(
        self, chat_id: int | str | None = None, method: str | None = None
    ) -> list[SentMessage]:
        return [
            m
            for m in self._messages
            if (chat_id is None or m.chat_id == chat_id) and (method is None or m.method == method)
        ]

    def wait_for_messages_sync(
        self, n: int, timeout: float = 5.0, **where: Unpack[Where]
    ) -> list[SentMessage]:
        """Block until ``n`` matching messages exist; return them or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := self._select(**where)) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {n} messages, got {len(found)}: {found!r}")
                self._cond.wait(remaining)
            return found

    async def wait_for_messages(
        self, n: int, timeout: float = 5.0, **where: Unpack[Where]
    ) -> list[SentMessage]:
        """Async variant of :meth:`wait_for_messages_sync` (does not block the loop)."""
        return await self.wait_for(
            lambda _: len(self._select(**where)) >= n,
            timeout,
            result=lambda: self._select(**where),
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

    def set_chat_member(self, user_id: int, status: str, chat_id: int | str | None = None) -> None:
        """What getChatMember answers for this user (in this chat, or in every chat):
        creator, administrator, member, restricted, left or kicked. Default: member."""
        with self._lock:
            self._member_status[(chat_id, user_id)] = status

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
