"""benchmarks/run_all.py: time limits, budget, statuses, peak memory, growth summary."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from benchmarks.growth import exponent, growth_rows, growth_runs, verdict
from benchmarks.run_all import FULL, QUICK, Bench, Outcome, run_bench, run_sequence, summary_table

SCRIPTS = {
    "table.py": "print('ALL   10   1.0   2.5   3.0   4.0  (ms)')\n",
    "miss.py": "import sys\nprint('p95 MISSES the target')\nsys.exit(1)\n",
    "crash.py": "raise SystemExit(3)\n",
    "hang.py": "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print('started', flush=True)\ntime.sleep(60)\n",
    "memory.py": "block = bytearray(80 * 1024 * 1024)\nblock[::4096] = b'x' * len(block[::4096])\n",
}


@pytest.fixture
def bench_dir(tmp_path: Path) -> Path:
    for name, code in SCRIPTS.items():
        (tmp_path / name).write_text(code)
    return tmp_path


def test_statuses_output_and_peak_memory(bench_dir: Path) -> None:
    def run(script: str, timeout: float = 20) -> Outcome:
        return run_bench(Bench(script, script, timeout=timeout), echo=False, bench_dir=bench_dir)

    table = run("table.py")
    assert table.status == "ok" and "ALL   10" in table.output
    assert run("miss.py").status == "target missed"
    assert run("crash.py").status == "failed (rc 3)"
    assert run("absent.py").status == "missing"
    assert run("memory.py").peak_mb >= 80


def test_a_script_over_its_time_limit_is_killed_with_its_children(bench_dir: Path) -> None:
    started = time.monotonic()
    hung = run_bench(Bench("hang", "hang.py", timeout=1.0), echo=False, bench_dir=bench_dir)
    assert hung.status == "timed out" and "started" in hung.output
    assert time.monotonic() - started < 5, "the grandchild kept the pipe open"


def test_the_budget_skips_what_would_not_fit(bench_dir: Path) -> None:
    benches = [Bench("a", "table.py", timeout=5), Bench("b", "table.py", timeout=60)]
    outcomes = run_sequence(benches, budget=10, echo=False, bench_dir=bench_dir)
    assert [o.status for o in outcomes] == ["ok", "skipped"]
    assert "skipped" in summary_table(outcomes) and "total" in summary_table(outcomes)


def test_every_benchmark_script_of_every_mode_exists() -> None:
    here = Path(__file__).resolve().parents[2] / "benchmarks"
    scripts = {b.script for b in FULL + QUICK + growth_runs()}
    assert {s for s in scripts if not (here / s).exists()} == set()


def test_growth_exponent_and_verdict() -> None:
    assert exponent(1.0, 16.0) == pytest.approx(1.0)
    assert exponent(10.0, 10.0) == pytest.approx(0.0)
    assert verdict(exponent(1.0, 4.0)).endswith("linear or better")
    assert verdict(exponent(1.0, 64.0)).endswith("WORSE than linear")
    assert verdict(exponent(5.0, 5.5)).endswith("flat")
    assert verdict(None) == "n/a"


def test_growth_rows_parse_the_scripts_tables() -> None:
    def outcome(name: str, output: str, peak: float = 50.0) -> Outcome:
        return Outcome(Bench(name, "x.py"), "ok", 1.0, peak, output)

    ingest = "Ingestor, full pipeline   {t}   9.40    4000      417    4000          {m}\n"
    outcomes = [
        outcome("command latency 1×", "ALL         60    13.3   20.0   30.0   40.0\n", 150),
        outcome("command latency 16×", "ALL         60    14.0   22.0   30.0   40.0\n", 190),
        outcome("ingest 1×", ingest.format(t="0.60", m="120")),
        outcome("ingest 4×", ingest.format(t="2.40", m="140")),
        outcome("ingest 16×", ingest.format(t="9.59", m="174")),
        outcome("fan-out 1×", "wall time   2.5 s  x\npeak RSS (bot)   90 MB  x\n"),
    ]
    rows = dict(growth_rows(outcomes))
    assert rows["command latency"] == [(20.0, 150), (None, 0.0), (22.0, 190)]
    assert rows["ingest"] == [(0.6, 120.0), (2.4, 140.0), (9.59, 174.0)]
    assert rows["fan-out"][0] == (2.5, 90.0) and rows["fan-out"][2] == (None, 0.0)


def test_briefbot_bench_hands_its_options_to_run_all(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.run_all as run_all
    from bot.cli import main

    seen: list[list[str]] = []
    monkeypatch.setattr(run_all, "main", lambda argv: seen.append(argv) or 0)
    assert main(["bench", "--growth", "--only", "fanout", "--budget", "300"]) == 0
    assert main(["bench"]) == 0
    assert seen == [["--growth", "--only", "fanout", "--budget", "300.0"], []]
