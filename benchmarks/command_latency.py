"""Command latency: the real Application against the fake Bot API on loopback.

A generated database (1,000 proposals, 5,000 actors, 10,000 facts, 100,000 documents at
--scale 1) is cached under benchmarks/.cache/. 20 users send 200 mixed commands, each user
waiting for its answer and pausing like a person before the next; latency is measured from
the moment the update is queued at the fake Bot API to the moment the first sendMessage of
the answer arrives there. Prints p50/p95/p99/max per command kind and overall.

    PYTHONPATH=. python benchmarks/command_latency.py [--scale 1|4|16] [--commands 200]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.dataset import Size, generate
from bot.app import build_application
from bot.bootstrap import prepare_database
from bot.settings import load_settings
from storage.db import MIGRATIONS_DIR, Database
from tests.support.fake_telegram import FakeTelegram, RateLimits

CACHE = Path(__file__).parent / ".cache"
DATASET_VERSION = 2  # bump when benchmarks/dataset.py changes what it writes
TOKEN = "123456:" + "B" * 35
TARGET_P95_MS = 100.0
APOLOGY = "something went wrong on my side"
RATE_LIMIT = os.environ.get("BENCH_RATE_LIMITER", "1") == "1"


def schema_fingerprint() -> str:
    """Changes whenever a migration file does, so a cached database never has an old schema
    (the initial migration is still rewritten in place before the first release)."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS_DIR.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def cached_database(scale: float) -> tuple[str, float]:
    """The generated database for this size (built once, then reused); build seconds or 0."""
    size = Size.scaled(scale)
    path = CACHE / f"latency-v{DATASET_VERSION}-{schema_fingerprint()}-{size.key}.sqlite3"
    if path.exists():
        return f"sqlite:///{path}", 0.0
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for leftover in CACHE.glob(tmp.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    db = prepare_database(load_settings(database_url=f"sqlite:///{tmp}"))
    with db.session() as session:
        generate(session, size)
    with db.engine.connect() as conn:  # fold the WAL into the file before it is renamed
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    tmp.rename(path)
    return f"sqlite:///{path}", time.perf_counter() - started


@dataclass
class Sample:
    kind: str
    ms: float


def command_mix(rng: random.Random, size: Size) -> tuple[str, str]:
    """(kind, text) of one command, weighted roughly like real use."""
    p, a = rng.randint(1, size.proposals), rng.randint(1, size.actors)
    choices = [
        ("proposals", "/proposals", 3),
        ("proposal", f"/proposal {p}", 4),
        ("proposal", rng.choice(["/proposal art5", "/proposal air support"]), 1),
        ("actors", "/actors", 2),
        ("actor", rng.choice(["/actor meloni", "/actor zelensky", f"/actor alias {a - a % 2}"]), 3),
        ("compare", f"/compare {p} {rng.randint(1, size.proposals)}", 3),
        ("compare", "/compare 1 2", 1),
        (
            "search",
            "/search "
            + rng.choice(
                [
                    "meloni",
                    "air support",
                    "sanctions troops",
                    "ceasefire",
                    "nato membership",
                    "kalomer",
                ]
            ),
            4,
        ),
        ("latest", "/latest", 2),
        ("timeline", rng.choice(["/timeline", f"/timeline {p}"]), 2),
        ("help", rng.choice(["/help", "/start"]), 1),
    ]
    kinds = [c for c in choices for _ in range(c[2])]
    kind, text, _w = rng.choice(kinds)
    return kind, text


async def user(
    fake: FakeTelegram,
    chat_id: int,
    commands: list[tuple[str, str]],
    rng: random.Random,
    out: list[Sample],
    pause: tuple[float, float],
) -> None:
    await asyncio.sleep(rng.uniform(0, pause[1]))  # users do not all start at once
    for kind, text in commands:
        before = len(fake.messages_to(chat_id))
        queued = time.monotonic()
        fake.push_text(chat_id, text)
        deadline = queued + 30
        while len(sent := fake.messages_to(chat_id)) <= before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer to {text!r}; rejected: {fake.rejected[-3:]!r}")
            await asyncio.sleep(0.001)
        out.append(Sample(kind, (sent[before].received_at - queued) * 1000))
        await asyncio.sleep(rng.uniform(*pause))


async def run(
    url: str, size: Size, n_commands: int, n_users: int, pause: tuple[float, float], seed: int
) -> tuple[list[Sample], int]:
    fake = FakeTelegram(token=TOKEN, limits=RateLimits()).start()
    settings = load_settings(database_url=url, telegram_base_url=fake.base_url)
    db = Database(settings.database_url)
    db.upgrade()  # a cached database built before a new migration gets it here
    app = build_application(settings, db, token=TOKEN, jobs=False, rate_limit=RATE_LIMIT)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    rng = random.Random(seed)
    per_user = [
        [command_mix(rng, size) for _ in range(n_commands // n_users)] for _ in range(n_users)
    ]
    samples: list[Sample] = []
    try:
        # a warm server: the first call of each kind compiles statements and loads catalogues
        for k in range(30):  # one chat each: a chat may get about one message a second
            warm = [command_mix(random.Random(seed - k), size)]
            await user(fake, 4000 + k, warm, random.Random(0), [], (0.0, 0.0))
        await asyncio.gather(
            *(
                user(fake, 5000 + i, cmds, random.Random(seed + i), samples, pause)
                for i, cmds in enumerate(per_user)
            )
        )
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        fake.stop()
        db.dispose()
    if fake.too_many_requests:
        print(f"warning: the fake Bot API answered 429 {fake.too_many_requests} times")
    # a fast apology is not a fast answer: the error handler's reply fails the run
    failed = sum(APOLOGY in m.plain_text for m in fake.messages)
    return samples, failed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def table(samples: list[Sample]) -> str:
    kinds = sorted({s.kind for s in samples})
    rows = [(k, [s.ms for s in samples if s.kind == k]) for k in kinds]
    rows.append(("ALL", [s.ms for s in samples]))
    lines = [f"{'command':<10} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  (ms)"]
    for kind, values in rows:
        lines.append(
            f"{kind:<10} {len(values):>4} {statistics.median(values):>7.1f} "
            f"{percentile(values, 95):>7.1f} {percentile(values, 99):>7.1f} {max(values):>7.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data size: 1, 4 or 16 × base")
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(2.0, 4.0),
        metavar=("MIN", "MAX"),
        help="seconds a user waits between commands (replies of several messages must stay "
        "under Telegram's ~1 message/s per chat, or 429s pause every request)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    size = Size.scaled(args.scale)
    url, built = cached_database(args.scale)
    samples, failed = asyncio.run(
        run(url, size, args.commands, args.users, tuple(args.pause), args.seed)
    )
    p95 = percentile([s.ms for s in samples], 95)
    print(
        f"command latency, scale {args.scale:g}: {size.proposals} proposals, {size.actors} "
        f"actors, {size.facts} facts, {size.documents} documents"
        + (f" (generated in {built:.1f} s)" if built else " (cached database)")
    )
    print(
        f"{len(samples)} commands from {args.users} users; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}; load "
        f"average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other processes skew tails)"
    )
    print(table(samples))
    if failed:
        print(f"FAILED: {failed} replies were the error handler's apology (see the log above)")
    verdict = "meets" if p95 < TARGET_P95_MS else "MISSES"
    print(f"overall p95 {p95:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")
    return 0 if p95 < TARGET_P95_MS and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
