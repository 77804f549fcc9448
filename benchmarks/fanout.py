"""Fan-out benchmark: one digest to N subscribers against a fake Bot API enforcing the limits.

The fake (tests/support/fake_telegram.py) enforces 30 messages/s overall, 1/s per private
chat and 20/min per group, answering 429 beyond them. All its limits, and the bot's pacing,
may be multiplied by --scale to keep the run short: the floor is then N / (30 × scale) s.
The bot runs in its own process (the whole Application: long polling, command handlers and
the delivery worker), so its peak RSS is its own; while it fans out, this script sends
/proposals every --every seconds as a user and times the replies.

    PYTHONPATH=. python benchmarks/fanout.py --subscribers 10000 --scale 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fanout_table import delivery_counts, limit_rows, print_rows, ratio_row  # noqa: E402
from tests.support.fake_telegram import FakeTelegram, RateLimits  # noqa: E402
from tests.support.fanout_setup import prepare_fanout  # noqa: E402

USER_CHAT = 9_000_000_001  # a person using the bot during the fan-out (not a subscriber)


def time_commands(fake: FakeTelegram, every: float, done: threading.Event) -> list[float]:
    """Send /proposals every `every` s until `done`; latencies from push to reply (a command
    still unanswered when the bot process exits is not counted)."""
    latencies: list[float] = []
    while not done.is_set():
        before = len(fake.messages_to(USER_CHAT))
        sent_at = time.monotonic()
        fake.push_text(USER_CHAT, "/proposals", user_id=USER_CHAT)
        while not done.is_set():
            replies = fake.messages_to(USER_CHAT)
            if len(replies) > before:
                latencies.append(replies[before].received_at - sent_at)
                break
            time.sleep(0.01)  # received_at times the reply; polling is only bookkeeping
        done.wait(every)
    return latencies


def run(subscribers: int, scale: float, every: float, group_share: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'fanout.sqlite3'}"
        chats = prepare_fanout(database_url, subscribers, group_share)
        with FakeTelegram(limits=RateLimits(scale=scale)) as fake:
            fake.register_chat(USER_CHAT, "private")
            bot = subprocess.Popen(
                [sys.executable, "-m", "tests.support.delivery_process", "--app",
                 "--database-url", database_url, "--base-url", fake.base_url,
                 "--scale", str(scale)],
                cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""}, text=True,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            fake.wait_for_messages_sync(1, timeout=60)  # the fan-out has begun
            done = threading.Event()
            latencies: list[float] = []
            timer = threading.Thread(
                target=lambda: latencies.extend(time_commands(fake, every, done))
            )
            timer.start()
            out, err = bot.communicate(timeout=3600)
            done.set()
            timer.join()
            if bot.returncode != 0:
                raise SystemExit(f"bot process failed:\n{err[-3000:]}")
            stats = json.loads(out.strip().splitlines()[-1])
            digests = [m for m in fake.messages if m.chat_id != USER_CHAT]
            rejected_429 = fake.too_many_requests
    received = Counter(m.chat_id for m in digests)
    span = digests[-1].received_at - digests[0].received_at if digests else 0.0
    floor = subscribers / (30 * scale)
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
    return {
        "subscribers": subscribers,
        "scale": scale,
        "floor_s": floor,
        "wall_s": stats["elapsed"],
        "send_span_s": span,
        "ratio": stats["elapsed"] / floor,
        **delivery_counts(chats, received),
        "429s": rejected_429,
        "429_pct": 100.0 * rejected_429 / max(1, len(digests)),
        "peak_rss_mb": stats["peak_rss_mb"],
        "commands": len(latencies),
        "p50_ms": 1000 * statistics.median(ordered) if ordered else float("nan"),
        "p95_ms": 1000 * p95,
        "max_ms": 1000 * max(ordered) if ordered else float("nan"),
    }


def print_table(result: dict[str, object]) -> None:
    rows = [
        ("subscribers", f"{result['subscribers']}", ""),
        *limit_rows(result),
        ("wall time", f"{result['wall_s']:.1f} s", "queuing + sending, until the outbox is empty"),
        ("  first→last message", f"{result['send_span_s']:.1f} s", ""),
        ratio_row(result),
        ("delivered / missing", f"{result['delivered']} / {result['missing']}", ""),
        ("duplicates", f"{result['duplicates']}", "target 0"),
        ("429 answers", f"{result['429s']} ({result['429_pct']:.2f}%)", "target ≤ 1%"),
        ("peak RSS (bot)", f"{result['peak_rss_mb']:.0f} MB", "target < 200 MB"),
        ("/proposals during fan-out", f"{result['commands']}", ""),
        ("  p50 / p95 / max", f"{result['p50_ms']:.0f} / {result['p95_ms']:.0f} / "
                              f"{result['max_ms']:.0f} ms", ""),
    ]  # fmt: skip
    print_rows(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--subscribers", type=int, default=10_000)
    p.add_argument("--scale", type=float, default=10.0)
    p.add_argument("--every", type=float, default=1.0, help="seconds between /proposals")
    p.add_argument("--group-share", type=float, default=0.1, help="share of group chats")
    args = p.parse_args()
    print_table(run(args.subscribers, args.scale, args.every, args.group_share))


if __name__ == "__main__":
    main()
