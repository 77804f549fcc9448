"""Run every benchmark in sequence and print their tables, then one summary (`make bench`).

Each script runs in a fresh interpreter (its own imports, caches and memory), with a time
limit of its own and an overall budget of 10 minutes: a script that would start after the
budget is spent is skipped and said so. Peak memory is the largest resident set among the
script's processes, as the kernel reports it when the script ends (wait4).

    python -m benchmarks.run_all            the full set at the sizes the README quotes
    python -m benchmarks.run_all --quick    small sizes: a smoke run in about a minute
    python -m benchmarks.run_all --growth   command latency, ingest and fan-out at 1×, 4×, 16×
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.growth import GROWTH_NOTE, growth_runs, print_growth

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 600.0


@dataclass(frozen=True)
class Bench:
    name: str
    script: str  # file in benchmarks/
    args: tuple[str, ...] = ()
    timeout: float = 240.0


@dataclass
class Outcome:
    bench: Bench
    status: str  # ok | target missed | failed (rc N) | timed out | skipped | missing
    seconds: float = 0.0
    peak_mb: float = 0.0
    output: str = field(default="", repr=False)


# The full run (about 6 minutes on 2 cores) and a smoke run with the same scripts.
FULL = [
    Bench("linking quality", "linking_quality.py", timeout=60),
    Bench("linking training", "linking_training.py", timeout=120),
    Bench("command latency", "command_latency.py", timeout=180),
    Bench("ingest throughput", "ingest_throughput.py", timeout=120),
    Bench("fan-out", "fanout.py", ("--subscribers", "10000", "--scale", "10"), timeout=150),
    Bench("ingest scale", "ingest_scale.py", timeout=200),
    Bench("picture rendering", "picture_render.py", timeout=60),
]
QUICK = [
    Bench("linking quality", "linking_quality.py", ("--repeat", "1"), timeout=60),
    Bench("linking training", "linking_training.py", ("--documents", "300"), timeout=60),
    Bench(
        "command latency",
        "command_latency.py",
        ("--scale", "0.01", "--commands", "40"),
        timeout=90,
    ),
    Bench("ingest throughput", "ingest_throughput.py", ("--feeds", "20"), timeout=60),
    Bench("fan-out", "fanout.py", ("--subscribers", "300", "--scale", "10"), timeout=60),
    Bench("ingest scale", "ingest_scale.py", ("--feeds", "200"), timeout=60),
    Bench("picture rendering", "picture_render.py", ("--repeat", "3"), timeout=60),
]


def run_bench(bench: Bench, *, echo: bool = True, bench_dir: Path | None = None) -> Outcome:
    """Run one script, streaming its output; kill its process group at the time limit."""
    script = (bench_dir or ROOT / "benchmarks") / bench.script
    if not script.exists():
        return Outcome(bench, "missing")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(script), *bench.args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a timeout ends its helpers too
    )
    timed_out = threading.Event()

    def kill_group() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(bench.timeout, kill_group)
    timer.start()
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if echo:
            print(line, end="", flush=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    outcome = Outcome(
        bench,
        _status(proc.returncode, timed_out.is_set()),
        time.monotonic() - started,
        usage.ru_maxrss / 1024,  # KB on Linux
        "".join(lines),
    )
    return outcome


def _status(returncode: int, timed_out: bool) -> str:
    if timed_out:
        return "timed out"
    if returncode == 0:
        return "ok"
    # the scripts exit 1 when they ran fine but a target was missed (their table says which)
    return "target missed" if returncode == 1 else f"failed (rc {returncode})"


def run_sequence(
    benches: list[Bench], budget: float = BUDGET_SECONDS, **kw: object
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + budget
    for bench in benches:
        left = deadline - time.monotonic()
        if left < min(bench.timeout, 30.0):
            outcomes.append(Outcome(bench, "skipped"))
            print(f"\n### {bench.name}: skipped, {max(left, 0):.0f} s of the budget left")
            continue
        limited = Bench(bench.name, bench.script, bench.args, min(bench.timeout, left))
        print(f"\n### {bench.name}: {' '.join(['benchmarks/' + bench.script, *bench.args])}")
        outcomes.append(run_bench(limited, **kw))  # type: ignore[arg-type]
    return outcomes


def summary_table(outcomes: list[Outcome]) -> str:
    lines = [f"{'benchmark':<20}{'status':<16}{'time s':>8}{'peak MB':>9}"]
    for o in outcomes:
        lines.append(f"{o.bench.name:<20}{o.status:<16}{o.seconds:>8.1f}{o.peak_mb:>9.0f}")
    lines.append(f"{'total':<36}{sum(o.seconds for o in outcomes):>8.1f}")
    return "\n".join(lines)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    mode.add_argument("--growth", action="store_true", help="1×, 4×, 16× of three benchmarks")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="e.g. --only fanout ingest")
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS, help="seconds in all")
    args = parser.parse_args(argv)
    print(f"briefbot benchmarks on {machine()}")
    if args.growth:
        print(GROWTH_NOTE)
        runs = growth_runs()
        outcomes = run_sequence(_only(runs, args.only), args.budget, echo=False)
        print("\n## summary\n" + summary_table(outcomes))
        print_growth(outcomes)
    else:
        benches = _only(QUICK if args.quick else FULL, args.only)
        outcomes = run_sequence(benches, args.budget)
        print("\n## summary\n" + summary_table(outcomes))
    bad = [o for o in outcomes if o.status not in ("ok", "target missed")]
    return 1 if bad else 0


def _only(benches: list[Bench], names: list[str] | None) -> list[Bench]:
    if not names:
        return benches
    wanted = [n.lower().replace("-", "").replace("_", "") for n in names]
    return [
        b
        for b in benches
        if any(
            w in (b.name + b.script).replace("-", "").replace("_", "").replace(" ", "")
            for w in wanted
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
