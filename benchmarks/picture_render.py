"""Picture rendering: the /compare table and the /coverage chart (both Pillow).

Run: PYTHONPATH=. python benchmarks/picture_render.py [--repeat N]
A seeded dossier plus 30 days of generated articles (0-12 a day for each of the six
proposals, fixed seed) in a temporary SQLite database; each picture is drawn `repeat` times
per language with the cache emptied before each draw (every draw is a miss), alternating
English and Ukrainian and cycling through all 15 pairs for /compare. "first" is the first
draw in this process, imports and font loading included. Target: every draw < 500 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

TARGET_MS = 500.0


@dataclass
class Timings:
    name: str
    first_ms: float = 0.0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    cached_ms: float = 0.0
    size_kb: float = 0.0

    def p95(self) -> float:
        ordered = sorted(self.wall)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], bytes]) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, out


def build_database(folder: Path):  # type: ignore[no-untyped-def]
    from storage.db import Database
    from storage.dossier.seed import seed_default_dossier
    from storage.models import Document, DocumentProposal, Proposal

    db = Database(f"sqlite:///{folder / 'pictures.sqlite3'}")
    db.upgrade()
    rng = random.Random(7)
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with db.session() as session:
        seed_default_dossier(session)
        ids = [p.id for p in session.query(Proposal).order_by(Proposal.id)]
        n = 0
        for day in range(30):
            for pid in ids:
                for _ in range(rng.randint(0, 12)):
                    n += 1
                    doc = Document(url=f"https://example.org/{n}", title=f"Article {n}",
                                   published_at=today - timedelta(days=day))  # fmt: skip
                    session.add(doc)
                    session.flush()
                    session.add(DocumentProposal(document_id=doc.id, proposal_id=pid))
    return db, n


def measure(repeat: int) -> tuple[list[Timings], int]:
    from bot.i18n import get_translator
    from bot.render.compare_image import comparison_picture
    from bot.render.coverage import coverage_picture
    from bot.render.picture_cache import PICTURES
    from bot.services.compare import compare_proposals
    from bot.services.coverage import coverage
    from bot.services.localize import use_language

    with tempfile.TemporaryDirectory() as tmp:
        db, articles = build_database(Path(tmp))
        data: dict[str, list] = {"compare": [], "coverage": []}
        for language in ("en", "uk"):
            with use_language(language), db.session() as session:
                for left, right in itertools.combinations(range(1, 7), 2):
                    data["compare"].append((language, compare_proposals(session, left, right)))
                data["coverage"].append((language, coverage(session, 30, date.today())))
        db.dispose()
    draw = {
        "compare": lambda lang, d: comparison_picture(get_translator(lang), d),
        "coverage": lambda lang, d: coverage_picture(get_translator(lang), d),
    }
    results = []
    for name, label in (
        ("compare", "/compare table (Pillow)"),
        ("coverage", "/coverage chart (Pillow)"),
    ):
        t = Timings(label)
        items = itertools.cycle(
            [x for pair in zip(*(iter(i for i in data[name] if i[0] == lang) for lang in ("en", "uk")), strict=False) for x in pair]
        )  # fmt: skip
        for n in range(repeat * 2 + 1):
            language, item = next(items)
            PICTURES.clear()
            wall, cpu, png = timed(
                lambda render=draw[name], language=language, item=item: render(language, item)
            )
            if n == 0:
                t.first_ms = wall
                continue
            t.wall.append(wall)
            t.cpu.append(cpu)
            t.size_kb = len(png) / 1024
        t.cached_ms, _cpu, _png = timed(
            lambda render=draw[name], language=language, item=item: render(language, item)
        )
        results.append(t)
    return results, articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="draws per language")
    args = parser.parse_args(argv)
    results, articles = measure(args.repeat)
    print(
        f"picture rendering: {args.repeat} draws per language (en, uk), cache emptied before each;"
    )
    print(f"data: the default dossier, {articles} articles over 30 days")
    load = os.getloadavg()[0]
    print(
        f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times grow with it; CPU does not)"
    )
    print()
    head = ("picture", "first", "p50", "p95", "max", "CPU p50", "cached", "PNG", "target")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    missed = False
    for t in results:
        ok = max(t.wall) < TARGET_MS
        missed = missed or not ok
        print(
            f"| {t.name} | {t.first_ms:.0f} ms | {statistics.median(t.wall):.0f} ms | "
            f"{t.p95():.0f} ms | {max(t.wall):.0f} ms | {statistics.median(t.cpu):.0f} ms | "
            f"{t.cached_ms:.2f} ms | {t.size_kb:.0f} KB | < {TARGET_MS:.0f} ms {'✅' if ok else '❌'} |"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
