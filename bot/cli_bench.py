"""`briefbot bench`: run every benchmark (benchmarks/run_all.py) from the command line."""

from __future__ import annotations

import argparse

from bot.cli_common import fail, subcommand
from bot.settings import Settings


def _bench_args(p: argparse.ArgumentParser) -> None:
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    mode.add_argument("--growth", action="store_true", help="1×, 4×, 16× of three benchmarks")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    p.add_argument("--budget", type=float, help="seconds for the whole run (default 600)")


@subcommand("bench", "run the benchmarks and print their tables (about 10 minutes)", _bench_args)
def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from benchmarks.run_all import main as run_all
    except ModuleNotFoundError:
        return fail("the benchmarks come with the source tree: run this from a checkout")
    argv = ["--quick"] if args.quick else ["--growth"] if args.growth else []
    if args.only:
        argv += ["--only", *args.only]
    if args.budget is not None:
        argv += ["--budget", str(args.budget)]
    return run_all(argv)
