"""`/healthz` and `/metrics` over HTTP: on PTB's webhook server, or on METRICS_PORT when polling.

Both are tornado handlers (tornado comes with PTB's webhooks extra). /healthz answers 200 `ok`
when the database answers a trivial query within a few seconds, else 503 with the reason in one
line; /metrics is the Prometheus text format of bot/metrics.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from telegram.ext import Application

from bot import metrics
from storage.db import Database

log = logging.getLogger(__name__)
DB_CHECK_TIMEOUT = 5.0


def _ping(db: Database) -> None:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, db: Database) -> None:
        self.db = db

    async def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        try:
            await asyncio.wait_for(asyncio.to_thread(_ping, self.db), DB_CHECK_TIMEOUT)
        except Exception as exc:
            self.set_status(503)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.finish(f"database unavailable: {first}\n")
            return
        self.finish("ok\n")


class MetricsHandler(tornado.web.RequestHandler):
    async def get(self) -> None:
        body = await asyncio.to_thread(metrics.scrape)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(body)


def routes(db: Database) -> list[Any]:
    return [
        (r"/healthz", HealthHandler, {"db": db}),
        (r"/metrics", MetricsHandler),
    ]


def add_to_webhook_server(app: Application, db: Database) -> bool:
    """Add the two routes to the tornado application behind PTB's running webhook server.

    PTB exposes no hook for extra routes, so this reaches into its server object; if a PTB
    release moves it, the bot still runs and says once that the endpoints are missing."""
    server = getattr(app.updater, "_httpd", None)
    tornado_app = getattr(getattr(server, "_http_server", None), "request_callback", None)
    if not isinstance(tornado_app, tornado.web.Application):
        log.warning("webhook server not found: /healthz and /metrics are not served")
        return False
    tornado_app.add_handlers(r".*", routes(db))
    return True


def start_metrics_server(db: Database, port: int, host: str = "0.0.0.0") -> Any:
    """A small server for polling mode on the running event loop; returns it (call `stop()`)."""
    server = tornado.web.Application(routes(db)).listen(port, address=host)
    log.info("serving /healthz and /metrics on %s:%d", host, port)
    return server
