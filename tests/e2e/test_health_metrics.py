"""/healthz and /metrics, scraped on loopback: on METRICS_PORT when polling, on the webhook
server in webhook mode (same port as Telegram's posts)."""

from __future__ import annotations

import re

import httpx

from bot.app import build_application
from bot.settings import Settings
from bot.webhook import webhook_options
from storage.db import Database
from tests.e2e.test_webhook import SECRET, free_port, update
from tests.support.bot_harness import TOKEN, running_bot
from tests.support.fake_telegram import FakeTelegram


def sample(text: str, name: str, labels: str = "") -> float:
    """One sample's value from the Prometheus text format (0 when absent)."""
    match = re.search(rf"^{re.escape(name + labels)} ([0-9.e+-]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_polling_serves_healthz_and_metrics_on_metrics_port(
    settings: Settings, db: Database
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with (
        running_bot(settings.model_copy(update={"metrics_port": port}), db) as env,
        httpx.AsyncClient(timeout=5) as client,
    ):
        health = await client.get(f"{base}/healthz")
        before = (await client.get(f"{base}/metrics")).text
        await env.ask(501, "/proposals", user_id=501)
        after = await client.get(f"{base}/metrics")
    assert health.status_code == 200 and health.text == "ok\n"
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    updates = "briefbot_updates_handled_total"
    assert sample(text, updates, '{outcome="ok"}') >= sample(before, updates, '{outcome="ok"}') + 1
    replies = 'briefbot_messages_sent_total{kind="reply"}'
    assert sample(text, replies) >= sample(before, replies) + 1
    assert sample(text, "briefbot_reply_latency_seconds_count") >= 1
    assert "briefbot_outbox_depth 0.0" in text
    for name in (
        "briefbot_telegram_429_total",
        "briefbot_telegram_403_total",
        "briefbot_documents_ingested_total",
        "briefbot_fetch_errors_total",
    ):
        assert re.search(rf"^{name} ", text, re.MULTILINE), name


async def test_outbox_depth_counts_pending_rows(settings: Settings, db: Database) -> None:
    from storage.repositories.outbox import OutboxRepo

    with db.session() as session:
        OutboxRepo(session).add_digest(
            subscription_id=None, chat_id=5, thread_id=0, parts=["a", "b"],
            trigger="manual", document_count=1, fact_count=0,
        )  # fmt: skip
    port = free_port()
    async with (
        running_bot(settings.model_copy(update={"metrics_port": port}), db),
        httpx.AsyncClient(timeout=5) as client,
    ):
        text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    assert "briefbot_outbox_depth 2.0" in text


async def test_healthz_says_503_when_the_database_does_not_answer(
    settings: Settings, db: Database, monkeypatch
) -> None:
    def refuse(_db: Database) -> None:
        raise OSError("connection refused\nsecond line")

    port = free_port()
    async with (
        running_bot(settings.model_copy(update={"metrics_port": port}), db),
        httpx.AsyncClient(timeout=10) as client,
    ):
        monkeypatch.setattr("bot.health_server._ping", refuse)
        answer = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert answer.status_code == 503
    assert answer.text == "database unavailable: connection refused\n"


async def test_webhook_server_serves_healthz_and_metrics(settings: Settings, db: Database) -> None:
    fake = FakeTelegram(token=TOKEN).start()
    port = free_port()
    options = webhook_options(f"https://127.0.0.1:{port}/tg/hook", f"127.0.0.1:{port}", SECRET)
    app = build_application(
        settings.model_copy(update={"telegram_base_url": fake.base_url}), db, token=TOKEN,
        jobs=False,
    )  # fmt: skip
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_webhook(**options.kwargs())  # run_webhook's order: server, then start
    await app.start()
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            posted = await client.post(
                f"http://127.0.0.1:{port}/tg/hook",
                json=update(1, "/proposals"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            await fake.wait_for_messages(1, chat_id=77)
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            scraped = await client.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        fake.stop()
    assert posted.status_code == 200
    assert health.status_code == 200 and health.text == "ok\n"
    assert sample(scraped.text, "briefbot_updates_handled_total", '{outcome="ok"}') >= 1
