"""Three `briefbot run` processes on one PostgreSQL share a fan-out: the pace against N/30 s.

The fake Bot API (tests/support/fake_telegram.py) enforces 30 messages/s overall, 1/s per
private chat and 20/min per group, answering 429 beyond them; its limits and the bots' pacing
are multiplied by --scale (FLOOD_LIMIT_SCALE), so the floor is N / (30 × scale) s. The wall
time runs from the first digest written to the last message received, as in
tests/e2e/test_many_processes.py (which judges delivery only). Besides the ratio it prints
where the time went: the wait before the first send, the gaps between sends, messages per
second, and who sent (the outbox rows' `claimed_by`).

PostgreSQL only (SQLite serves one process). The database at --database-url (default:
$TEST_DATABASE_URL) is emptied first. With a throw-away server:

    scripts/with_postgres.sh .venv/bin/python benchmarks/fanout_processes.py --subscribers 10000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from benchmarks.fanout_table import delivery_counts, limit_rows, print_rows, ratio_row  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Base, OutboxMessage  # noqa: E402
from tests.support.bot_processes import bot_env, start_bot, stop_bots  # noqa: E402
from tests.support.fake_telegram import FakeTelegram, RateLimits  # noqa: E402
from tests.support.fanout_setup import first_digest_at, prepare_fanout, wait_all_delivered  # noqa: E402

GAP = 0.05  # seconds: a pause between two sends longer than this is counted as a gap


def reset(database_url: str) -> None:
    db = Database(database_url)
    with db.engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.dispose()


def _senders(db: Database) -> dict[str, int]:
    with db.session() as session:
        rows = session.execute(
            select(OutboxMessage.claimed_by, func.count(OutboxMessage.id))
            .where(OutboxMessage.state == "sent")
            .group_by(OutboxMessage.claimed_by)
        )
        return {str(owner): n for owner, n in rows}


def run(
    subscribers: int, scale: float, processes: int, database_url: str, logs: Path | None = None
) -> dict[str, object]:
    reset(database_url)
    chats = prepare_fanout(database_url, subscribers)
    floor = subscribers / (30 * scale)
    db = Database(database_url)
    load = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory() as tmp_dir,
        FakeTelegram(limits=RateLimits(scale=scale)) as fake,
    ):
        env = bot_env(
            database_url, fake.base_url, FLOOD_LIMIT_SCALE=str(scale), LINKING_LABELS="none"
        )
        tmp = logs or Path(tmp_dir)
        tmp.mkdir(parents=True, exist_ok=True)
        spawned = time.monotonic()
        bots = [start_bot(env, tmp, tmp / f"bot{n}.log") for n in range(processes)]
        try:
            first_digest = first_digest_at(db, timeout=120)
            wait_all_delivered(fake, chats, timeout=max(120.0, floor * 8))
        finally:
            stop_bots(bots)
        messages = [m for m in fake.messages if m.method == "sendMessage"]
        rejected = fake.too_many_requests
    senders = _senders(db)
    db.dispose()
    received = Counter(m.chat_id for m in messages)
    times = sorted(m.received_at for m in messages)
    wall = times[-1] - first_digest if times else float("nan")
    gaps = [b - a for a, b in pairwise(times)]
    long_gaps = [g for g in gaps if g > GAP]
    per_second = Counter(int(t - first_digest) for t in times)
    return {
        "subscribers": subscribers,
        "processes": processes,
        "scale": scale,
        "floor_s": floor,
        "start_to_first_digest_s": first_digest - spawned,
        "first_digest_to_first_send_s": times[0] - first_digest if times else float("nan"),
        "send_span_s": times[-1] - times[0] if times else float("nan"),
        "wall_s": wall,
        "ratio": wall / floor,
        **delivery_counts(chats, received),
        "429s": rejected,
        "gap_p50_ms": 1000 * statistics.median(gaps) if gaps else float("nan"),
        "gaps_over_50ms": len(long_gaps),
        "gap_time_over_50ms_s": sum(long_gaps),
        "max_gap_s": max(gaps, default=0.0),
        "per_second": [per_second[k] for k in range(max(per_second, default=-1) + 1)],
        "senders": senders,
        "load_average": load,
        "cpus": os.cpu_count(),
    }


def print_table(r: dict[str, object]) -> None:
    rows = [
        ("processes / subscribers", f"{r['processes']} / {r['subscribers']}", ""),
        *limit_rows(r),
        ("start → first digest", f"{r['start_to_first_digest_s']:.1f} s", "not counted"),
        ("first digest → first send", f"{r['first_digest_to_first_send_s']:.2f} s", ""),
        ("first → last send", f"{r['send_span_s']:.1f} s", ""),
        ("wall (first digest → last)", f"{r['wall_s']:.1f} s", ""),
        ratio_row(r),
        ("missing / duplicates", f"{r['missing']} / {r['duplicates']}", "0 / ≤ 5"),
        ("429 answers", f"{r['429s']}", ""),
        ("gap between sends p50", f"{r['gap_p50_ms']:.1f} ms", ""),
        (f"gaps > {GAP * 1000:.0f} ms", f"{r['gaps_over_50ms']} ({r['gap_time_over_50ms_s']:.1f} s)",
         f"longest {r['max_gap_s']:.2f} s"),
        ("sent by", ", ".join(f"{n}" for n in sorted(r["senders"].values(), reverse=True)), ""),  # type: ignore[union-attr]
        ("load average at start", f"{r['load_average']:.1f} on {r['cpus']} CPUs", ""),
    ]  # fmt: skip
    print_rows(rows)
    print("messages per second:", " ".join(str(n) for n in r["per_second"]))  # type: ignore[attr-defined]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--subscribers", type=int, default=10_000)
    p.add_argument("--scale", type=float, default=10.0)
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    p.add_argument("--logs", type=Path, help="keep the bots' logs in this folder")
    p.add_argument("--json", action="store_true", help="print one JSON line instead")
    args = p.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit(
            "needs PostgreSQL: --database-url or TEST_DATABASE_URL (see the docstring)"
        )
    result = run(args.subscribers, args.scale, args.processes, args.database_url, args.logs)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
