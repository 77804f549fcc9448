"""Growth mode of run_all: command latency, ingest and fan-out at 1×, 4× and 16× size.

So that three sizes of three benchmarks fit in about 10 minutes on 2 cores, 1× is 1/16 of
the full benchmark and 16× is the full size the README quotes. Each run's time and memory
come from its own table (parsed) and, for memory, the kernel's peak RSS of its processes.
Growth is summarised as the exponent k in time ∝ size^k: k ≤ 1 is linear or better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.run_all import Bench, Outcome

FACTORS = (1, 4, 16)
GROWTH_NOTE = (
    "growth mode: 1× = 1/16 of the full benchmark, 16× = the full size "
    "(command latency: database of 1/16..1 × 100,000 documents, 60 commands; "
    "ingest: 12..200 feeds × 20 items; fan-out: 625..10,000 subscribers at limit scale ×10)"
)


@dataclass(frozen=True)
class Measure:
    what: str  # what the time column means
    time: Callable[[str], float | None]  # parsed from the script's output
    memory: Callable[[str], float | None]


def _number(pattern: str, group: int = 1) -> Callable[[str], float | None]:
    regex = re.compile(pattern, re.MULTILINE)

    def parse(output: str) -> float | None:
        match = regex.search(output)
        return float(match.group(group)) if match else None

    return parse


MEASURES = {
    "command latency": Measure(
        "p95 latency ms", _number(r"^ALL\s+\d+\s+[\d.]+\s+([\d.]+)"), lambda _o: None
    ),
    "ingest": Measure(
        "full pipeline s",
        _number(r"^Ingestor, full pipeline\s+([\d.]+)"),
        _number(r"^Ingestor, full pipeline\b.*?(\d+)\s*$"),  # the last column: peak RSS MB
    ),
    "fan-out": Measure(
        "wall time s", _number(r"wall time\s+([\d.]+) s"), _number(r"peak RSS \(bot\)\s+(\d+) MB")
    ),
}


def growth_runs() -> list[Bench]:
    from benchmarks.run_all import Bench

    runs = []
    for f in FACTORS:
        runs.append(
            Bench(
                f"command latency {f}×",
                "command_latency.py",
                ("--scale", f"{f / 16:g}", "--commands", "60"),
                timeout=120,
            )
        )
    for f in FACTORS:
        feeds = round(200 * f / 16)
        runs.append(Bench(f"ingest {f}×", "ingest_throughput.py", ("--feeds", str(feeds)), 90))
    for f in FACTORS:
        subscribers = 10_000 * f // 16
        args = ("--subscribers", str(subscribers), "--scale", "10")
        runs.append(Bench(f"fan-out {f}×", "fanout.py", args, timeout=120))
    return runs


def exponent(small: float | None, large: float | None, factor: float = 16) -> float | None:
    """k in value ∝ size^k between 1× and 16×."""
    if not small or not large or small <= 0 or large <= 0:
        return None
    return math.log(large / small) / math.log(factor)


def verdict(k: float | None) -> str:
    if k is None:
        return "n/a"
    if k <= 0.2:
        return f"k={k:.2f}: flat"
    if k <= 1.1:
        return f"k={k:.2f}: linear or better"
    return f"k={k:.2f}: WORSE than linear"


def growth_rows(outcomes: list[Outcome]) -> list[tuple[str, list[tuple[float | None, float]]]]:
    """(benchmark, [(time metric, peak MB) at 1×, 4×, 16×])."""
    rows = []
    for name, measure in MEASURES.items():
        points = []
        for f in FACTORS:
            found = [o for o in outcomes if o.bench.name == f"{name} {f}×"]
            if not found or found[0].status not in ("ok", "target missed"):
                points.append((None, 0.0))
                continue
            o = found[0]
            points.append((measure.time(o.output), measure.memory(o.output) or o.peak_mb))
        rows.append((name, points))
    return rows


def print_growth(outcomes: list[Outcome]) -> None:
    print("\n## growth (1× = 1/16 of the full size)")
    header = f"{'benchmark':<17}{'measure':<17}" + "".join(f"{f}×".rjust(10) for f in FACTORS)
    print(header + "  growth 1×→16×")
    for name, points in growth_rows(outcomes):
        measure = MEASURES[name]
        times = [t for t, _m in points]
        mems = [m for _t, m in points]
        print(
            f"{name:<17}{measure.what:<17}"
            + "".join(_cell(t) for t in times)
            + "  "
            + verdict(exponent(times[0], times[-1]))
        )
        print(
            f"{'':<17}{'peak RSS MB':<17}"
            + "".join(_cell(m or None, "{:.0f}") for m in mems)
            + "  "
            + verdict(exponent(mems[0] or None, mems[-1] or None))
        )


def _cell(value: float | None, fmt: str = "{:.1f}") -> str:
    return (fmt.format(value) if value is not None else "n/a").rjust(10)
