"""Webhook mode options: `briefbot run --webhook URL --listen HOST:PORT --secret TOKEN`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.settings import SettingsError

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class WebhookOptions:
    url: str  # the public HTTPS URL Telegram posts to
    listen: str
    port: int
    url_path: str
    secret: str

    def kwargs(self) -> dict[str, Any]:
        """Arguments for Application.run_webhook / Updater.start_webhook."""
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "secret_token": self.secret,
            "webhook_url": self.url,
        }


def webhook_options(url: str, listen: str, secret: str | None) -> WebhookOptions:
    """Validate the three options; every problem is one SettingsError line."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"--webhook must be a full URL such as https://bot.example.org/hook, not {url!r}"
        )
    host, sep, port_text = listen.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"--listen must be HOST:PORT such as 0.0.0.0:8443, not {listen!r}")
    if not secret:
        raise SettingsError("--secret is required in webhook mode (or set WEBHOOK_SECRET)")
    if not _SECRET_RE.match(secret):
        raise SettingsError("--secret may use only A-Z, a-z, 0-9, _ and -, at most 256 characters")
    return WebhookOptions(
        url=url,
        listen=host.strip("[]"),
        port=int(port_text),
        url_path=parts.path.lstrip("/"),
        secret=secret,
    )
