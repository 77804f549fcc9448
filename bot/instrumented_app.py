"""PTB's Application with metrics: each update counted and timed, /healthz and /metrics served.

Once started, the health endpoints join the webhook server when there is one (same port as
Telegram's posts), and get their own server on METRICS_PORT when it is set (polling mode, or
a port the webhook's proxy does not expose).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot import health_server, metrics
from storage.db import Database
from storage.repositories.outbox import OutboxRepo


def pending_outbox_rows(db: Database) -> int:
    with db.session() as session:
        return OutboxRepo(session).count_by_state().get("pending", 0)


class InstrumentedApplication(Application):  # type: ignore[type-arg]
    _health: Any = None  # the METRICS_PORT server, when running
    _on_webhook = False

    async def process_update(self, update: object) -> None:
        await metrics.timed_update(super().process_update(update))

    async def start(self) -> None:
        await super().start()
        try:
            deps = self.bot_data.deps
        except (AttributeError, RuntimeError):  # not wired (bot.app.build_application wires)
            return
        metrics.watch_outbox(lambda: pending_outbox_rows(deps.db))
        webhook = getattr(self.updater, "_httpd", None)
        if webhook is not None and not self._on_webhook:
            self._on_webhook = health_server.add_to_webhook_server(self, deps.db)
        port = deps.settings.metrics_port
        if port and self._health is None and port != getattr(webhook, "port", None):
            self._health = health_server.start_metrics_server(deps.db, port)

    async def stop(self) -> None:
        server, self._health = self._health, None
        if server is not None and hasattr(server, "stop"):
            server.stop()
        await super().stop()
