"""`briefbot chat --demo`: the console with a sample feed on loopback, as an admin, on a
throw-away database, so /addsource, /fetch, /latest, /digest and /review work offline."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.settings import Settings

ChatCommand = Callable[[argparse.Namespace, Settings], int]


def demo_settings(settings: Settings, user_id: int, folder: Path) -> Settings:
    """Loopback sources allowed (for the demo only), the console user an admin, and a
    database of its own."""
    return settings.model_copy(
        update={
            "allow_private_urls": True,
            "admin_ids": frozenset({*settings.admin_ids, user_id}),
            "database_url": f"sqlite:///{folder / 'demo.sqlite3'}",
        }
    )


def run_demo_chat(args: argparse.Namespace, settings: Settings, chat: ChatCommand) -> int:
    from bot.demo import DemoFeedServer, demo_intro

    with tempfile.TemporaryDirectory(prefix="briefbot-demo-") as folder, DemoFeedServer() as feed:
        print(demo_intro(feed.feed_url), file=sys.stdout, flush=True)
        args.demo = False
        return chat(args, demo_settings(settings, args.user_id, Path(folder)))
