"""Webhook mode over loopback: the secret token is checked, updates are answered."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import build_application
from bot.settings import Settings, SettingsError
from bot.webhook import WebhookOptions, webhook_options
from storage.db import Database
from tests.support.bot_harness import TOKEN
from tests.support.fake_telegram import FakeTelegram

SECRET = "s3cret-token_1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def webhook_bot(
    settings: Settings, db: Database
) -> AsyncIterator[tuple[FakeTelegram, WebhookOptions]]:
    fake = FakeTelegram(token=TOKEN).start()
    port = free_port()
    # Telegram only accepts https webhook URLs; TLS ends at a proxy, the bot listens on plain HTTP
    options = webhook_options(f"https://127.0.0.1:{port}/tg/hook", f"127.0.0.1:{port}", SECRET)
    app = build_application(
        settings.model_copy(update={"telegram_base_url": fake.base_url}),
        db,
        token=TOKEN,
        jobs=False,
    )
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(**options.kwargs())
    try:
        yield fake, options
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        fake.stop()


def local(options: WebhookOptions) -> str:
    return f"http://127.0.0.1:{options.port}/{options.url_path}"


def update(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": 77, "type": "private"},
            "from": {"id": 77, "is_bot": False, "first_name": "W"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def test_webhook_is_registered_with_secret(webhook_bot) -> None:
    fake, options = webhook_bot
    assert fake.webhook_url == options.url


async def test_update_with_right_secret_is_answered(webhook_bot) -> None:
    fake, options = webhook_bot
    async with httpx.AsyncClient() as client:
        r = await client.post(
            local(options),
            json=update(1, "/proposals"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert r.status_code == 200
    [reply] = await fake.wait_for_messages(1, chat_id=77)
    assert "Article-5-like" in reply.plain_text


async def test_update_with_wrong_or_missing_secret_is_refused(webhook_bot) -> None:
    fake, options = webhook_bot
    async with httpx.AsyncClient() as client:
        wrong = await client.post(
            local(options),
            json=update(2, "/proposals"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "nope"},
        )
        missing = await client.post(local(options), json=update(3, "/proposals"))
    assert wrong.status_code == 403 and missing.status_code == 403
    with pytest.raises(TimeoutError):
        await fake.wait_for_messages(1, chat_id=77, timeout=0.5)


@pytest.mark.parametrize(
    ("url", "listen", "secret", "message"),
    [
        ("not a url", "0.0.0.0:8443", "x", "--webhook"),
        ("https://bot.example.org/hook", "8443", "x", "--listen"),
        ("https://bot.example.org/hook", "0.0.0.0:99999", "x", "--listen"),
        ("https://bot.example.org/hook", "0.0.0.0:8443", None, "--secret"),
        ("https://bot.example.org/hook", "0.0.0.0:8443", "bad secret!", "--secret"),
    ],
)
def test_bad_webhook_options_give_one_line(
    url: str, listen: str, secret: str | None, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        webhook_options(url, listen, secret)
