"""The end-to-end harness: the real Application, long polling against the fake Bot API on
loopback (`running_bot`), and the in-process console on a chosen database (`console_for`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.app import build_application
from bot.deps import BotApplication
from bot.settings import Settings
from storage.db import Database
from tests.support.fake_telegram import FakeTelegram, SentMessage

TOKEN = "123456:" + "A" * 35
QUIET = 0.15  # a reply is complete when no new message arrived for this long


@dataclass
class BotEnv:
    fake: FakeTelegram
    app: BotApplication
    settings: Settings
    db: Database

    async def ask(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        timeout: float = 5.0,
        **kw: object,
    ) -> list[SentMessage]:
        """Send a text as a user, wait for the bot's reply messages to this chat."""
        start, actions = len(self.fake.messages), len(self.fake.chat_actions)
        self.fake.push_text(chat_id, text, user_id=user_id, **kw)  # type: ignore[arg-type]
        return await self._collect(chat_id, start, timeout, actions)

    async def press(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        timeout: float = 5.0,
    ) -> tuple[str, list[SentMessage]]:
        """Press an inline button; returns the callback id and the messages sent or edited."""
        start = len(self.fake.messages)
        callback_id = self.fake.push_callback(chat_id, message_id, data, user_id=user_id)
        deadline = time.monotonic() + timeout
        while callback_id not in self.fake.answered_callbacks:
            if time.monotonic() > deadline:
                raise TimeoutError(f"callback {data!r} was not answered")
            await asyncio.sleep(0.005)
        await asyncio.sleep(QUIET)
        return callback_id, [m for m in self.fake.messages[start:] if m.chat_id == chat_id]

    def answer_text(self, callback_id: str) -> str | None:
        """What the bot answered to a button press (the toast), None for a silent answer."""
        return next(
            a.text for a in self.fake.callback_answers if a.callback_query_id == callback_id
        )

    def _pictures_pending(self, chat_id: int, actions: int, mine: list[SentMessage]) -> bool:
        """The bot said "sending a photo…" more often than it sent one (it is drawing)."""
        announced = sum(
            1 for c, a in self.fake.chat_actions[actions:] if c == chat_id and a == "upload_photo"
        )
        return announced > sum(m.method == "sendPhoto" for m in mine)

    async def _collect(
        self, chat_id: int, start: int, timeout: float, actions: int | None = None
    ) -> list[SentMessage]:
        """The messages to `chat_id` from `start` on, once none came for QUIET seconds and
        every announced picture (chat action upload_photo, from `actions` on) has arrived."""
        deadline = time.monotonic() + timeout
        seen, last_change = 0, time.monotonic()
        actions = len(self.fake.chat_actions) if actions is None else actions
        while True:
            mine = [m for m in self.fake.messages[start:] if m.chat_id == chat_id]
            now = time.monotonic()
            if len(mine) != seen:
                seen, last_change = len(mine), now
            quiet = now - last_change >= QUIET
            if mine and quiet and not self._pictures_pending(chat_id, actions, mine):
                return mine
            if now > deadline:
                if mine:
                    return mine
                raise TimeoutError(f"no reply in chat {chat_id}; rejected: {self.fake.rejected!r}")
            await asyncio.sleep(0.005)


@asynccontextmanager
async def running_bot(
    settings: Settings, db: Database, *, jobs: bool = False, fake: FakeTelegram | None = None
) -> AsyncIterator[BotEnv]:
    """Start polling against a fake (a fresh one unless given) the way run_polling() would;
    on exit stop everything, whatever happened."""
    fake = (fake or FakeTelegram(token=TOKEN)).start()
    settings = settings.model_copy(update={"telegram_base_url": fake.base_url})
    app = build_application(settings, db, token=TOKEN, jobs=jobs)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield BotEnv(fake, app, settings, db)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:  # run_polling() would call these two as well
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        fake.stop()


def assert_nothing_rejected(fake: FakeTelegram) -> None:
    # the last getUpdates of a stopping updater ends the pending one with 409, as on Telegram
    rejected = [r for r in fake.rejected if r.method != "getUpdates"]
    assert not rejected, f"the fake Bot API rejected requests: {rejected!r}"


@asynccontextmanager
async def console_for(settings: Settings, db: Database, user_id: int = 1) -> AsyncIterator[object]:
    """The in-process console (no network, no token) on a Database of the test's choosing."""
    from bot.console import CONSOLE_TOKEN, Console, ConsoleRequest

    request = ConsoleRequest()
    app = build_application(
        settings, db, token=CONSOLE_TOKEN, request=request, rate_limit=False, jobs=False
    )
    await app.initialize()
    try:
        yield Console(app, request, user_id=user_id, out=None)  # type: ignore[arg-type]
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
