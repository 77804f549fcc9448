"""`briefbot chat`: the real handlers, driven from a terminal, with no token and no network.

A stand-in for the Bot API (ConsoleRequest) answers the bot's requests in-process and keeps
the messages it would have sent, which are printed as plain text with their buttons.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

CONSOLE_TOKEN = "0:console-no-network"
BUTTONS_HEADER = "Buttons (send :N to press one):"
BOT_USER = {"id": 1, "is_bot": True, "first_name": "briefbot", "username": "briefbot"}


@dataclass
class Sent:
    chat_id: int
    text: str
    keyboard: list[list[dict[str, Any]]]
    message_id: int
    edited: bool = False


@dataclass
class ConsoleRequest(BaseRequest):
    """Answers Bot API calls locally; records what would have been sent to Telegram."""

    sent: list[Sent] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)  # callback query ids, in order
    menus: list[dict[str, Any]] = field(default_factory=list)  # setMyCommands parameters
    photos: list[bytes] = field(default_factory=list)  # PNGs sent with sendPhoto
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if api_method == "sendPhoto":
            return 200, json.dumps(
                {"ok": True, "result": self._photo(params, request_data)}
            ).encode()
        result = self._answer(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _photo(self, params: dict[str, Any], request_data: RequestData | None) -> dict[str, Any]:
        """A picture is shown as a line with its size (and kept in `photos`)."""
        files = (request_data.multipart_data or {}) if request_data else {}
        png = next((f[1] for f in files.values() if isinstance(f, tuple) and len(f) > 1), b"")
        self.photos.append(png if isinstance(png, bytes) else b"")
        chat_id = int(params.get("chat_id") or 0)
        caption = str(params.get("caption", ""))
        text = f"🖼 picture ({len(self.photos[-1]) // 1024} KB PNG)\n{caption}"
        self.sent.append(Sent(chat_id, html.escape(text), [], next(self._ids)))
        return {
            "message_id": self.sent[-1].message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "photo": [{"file_id": "console", "file_unique_id": "console", "width": 1, "height": 1}],
        }

    def _answer(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method in ("sendMessage", "editMessageText"):
            markup = params.get("reply_markup") or {}
            if isinstance(markup, str):
                markup = json.loads(markup)
            message_id = int(params.get("message_id") or next(self._ids))
            chat_id = int(params.get("chat_id") or 0)
            self.sent.append(
                Sent(
                    chat_id,
                    str(params.get("text", "")),
                    markup.get("inline_keyboard", []),
                    message_id,
                    edited=api_method == "editMessageText",
                )
            )
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
            }
        if api_method == "answerCallbackQuery":
            self.answered.append(str(params.get("callback_query_id")))
            if params.get("text"):
                self.alerts.append(str(params["text"]))
            return True
        if api_method == "setMyCommands":
            self.menus.append(dict(params))
        return True  # sendChatAction, deleteWebhook, …


def _plain_link(m: re.Match[str]) -> str:
    url, label = m.group(1), m.group(2)
    if url.split("://", 1)[-1] == label:  # the label is the address: show it once
        return f"&lt;{url}&gt;"
    return f"{label} &lt;{url}&gt;"


def render_plain(markup: str) -> str:
    """Telegram HTML to readable terminal text: links keep their address."""
    # the address is still escaped here, so "&lt;url&gt;" survives the tag stripping below
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', _plain_link, markup)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


class Console:
    def __init__(
        self, app: Application, request: ConsoleRequest, user_id: int, out: TextIO
    ) -> None:
        self.app, self.request, self.user_id, self.out = app, request, user_id, out
        self.language_code: str | None = "en"  # the Telegram app language the bot sees
        self._update_ids = itertools.count(1)
        self.buttons: list[tuple[int, str]] = []  # (message_id, callback_data) of the last reply

    def _user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": "Console"}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _message(self, text: str, message_id: int) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": self.user_id, "type": "private", "first_name": "Console"},
            "from": self._user(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            length = len(command.encode("utf-16-le")) // 2  # Telegram counts UTF-16 units
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return msg

    async def send_line(self, line: str) -> str:
        """Feed one line to the bot, return what it answered as plain text."""
        line = line.strip()
        if not line:
            return ""
        press = re.fullmatch(r":(\d+)", line)
        if press:
            index = int(press.group(1)) - 1
            if not 0 <= index < len(self.buttons):
                return "(no button with that number)"
            message_id, data = self.buttons[index]
            return await self.press(data, message_id)
        update_id = next(self._update_ids)
        payload = {"update_id": update_id, "message": self._message(line, 10_000 + update_id)}
        return await self._process(payload)

    async def press(self, data: str, message_id: int = 1) -> str:
        """Press an inline button carrying `data` (any string: clients can send anything)."""
        update_id = next(self._update_ids)
        payload = {
            "update_id": update_id,
            "callback_query": {
                "id": str(update_id),
                "from": self._user(),
                "chat_instance": "console",
                "data": data,
                "message": self._message("(button)", message_id) | {"from": BOT_USER},
            },
        }
        return await self._process(payload)

    async def _process(self, payload: dict[str, Any]) -> str:
        start, alerts = len(self.request.sent), len(self.request.alerts)
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        return self._format(self.request.sent[start:], self.request.alerts[alerts:])

    def _format(self, sent: list[Sent], alerts: list[str]) -> str:
        blocks = [f"[{a}]" for a in alerts]
        self.buttons = []
        for message in sent:
            block = render_plain(message.text)
            if message.edited:
                block = "(updated)\n" + block
            lines = []
            for button in (b for row in message.keyboard for b in row):
                if "callback_data" in button:
                    self.buttons.append((message.message_id, button["callback_data"]))
                    lines.append(f"  :{len(self.buttons):<3} {button['text']}")
                elif "url" in button:
                    lines.append(f"  {'':4} {button['text']} <{button['url']}>")
                elif "switch_inline_query" in button or "switch_inline_query_chosen_chat" in button:
                    lines.append(f"  {'':4} {button['text']} (share: works in Telegram)")
            if lines:
                block += "\n" + BUTTONS_HEADER + "\n" + "\n".join(lines)
            blocks.append(block)
        return "\n\n".join(blocks) if blocks else "(no reply)"


async def run_console(
    app: Application,
    request: ConsoleRequest,
    user_id: int,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    language: str | None = None,
) -> None:
    # looked up now, not at import: tests (and embedding programs) swap sys.stdin/stdout
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    console = Console(app, request, user_id, out)
    if language:  # `briefbot chat --lang uk`: a Ukrainian app, and the chat's stored choice
        console.language_code = language
    interactive = stdin.isatty()
    await app.initialize()
    try:
        if interactive:
            out.write(
                "briefbot console — type /help, /proposals, /compare 1 2 … "
                "(:N presses button N; Ctrl-D quits)\n"
            )
        while True:
            if interactive:
                out.write("\n> ")
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if not line.strip():
                continue
            if not interactive:
                out.write(f"> {line.strip()}\n")
            out.write(await console.send_line(line) + "\n")
            if not interactive:
                out.write("\n")
            out.flush()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:  # as run_polling would: closes the fetcher
            await app.post_shutdown(app)
