"""`briefbot health`: ask a running bot's /healthz (the Docker HEALTHCHECK uses it)."""

from __future__ import annotations

import argparse
import urllib.error
import urllib.request

from bot.cli_common import fail, subcommand
from bot.settings import Settings


def _health_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=None, help="default: http://127.0.0.1:METRICS_PORT/healthz")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the answer")


@subcommand("health", "exit 0 when the running bot's /healthz answers ok", _health_args)
def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    url = args.url
    if url is None:
        if not settings.metrics_port:
            return fail("METRICS_PORT is not set: give --url of the bot's /healthz")
        url = f"http://127.0.0.1:{settings.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as answer:
            body = answer.read(200).decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as exc:
        reason = exc.read(200).decode("utf-8", "replace").strip() or exc.reason
        return fail(f"unhealthy ({exc.code}): {reason}", 1)
    except (OSError, ValueError) as exc:
        return fail(f"no answer from {url}: {exc}", 1)
    print(body)
    return 0
