"""``python -m bench [bus] [http] [docgen] [numbering] [options]``: run the benchmarks."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

from bench import archive, bus, docgen, exchange, http, numbering

BENCHMARKS: dict[str, Callable[[argparse.Namespace], bool]] = {
    "bus": bus.run,
    "http": http.run,
    "docgen": docgen.run,
    "numbering": numbering.run,
    "archive": archive.run,
    "exchange": exchange.run,
}

# `--smoke`: every benchmark once at a tiny size, to show that it still runs
# (`make test` does it); its figures mean nothing at this size.
SMOKE = {
    "repeat": 1,
    "n": 20,
    "latency_n": 5,
    "requests": 20,
    "gunicorn_requests": 20,
    "docgen_n": 2,
    "archive_n": 2,
    "archive_large_n": 1,
    "numbering_n": 10,
    "numbering_raw_n": 20,
    "numbering_clients": "1,2",
    "exchange_n": 5,
    "exchange_kb": 20,
}

_VERSIONS = (
    "kombu", "amqp", "sqlalchemy", "psycopg", "flask", "pydantic", "gunicorn", "docxtpl",
    "weasyprint",
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="vanthu's benchmarks: each prints its figures and a ratio against the "
        "raw library baseline measured in the same run.",
    )
    parser.add_argument(
        "benchmarks",
        nargs="*",
        metavar="BENCHMARK",
        help=f"which to run: {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs of each measurement, baseline and vanthu alternating; each figure shown is "
        "the best of them, since noise only ever slows a run down (2)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="each benchmark once at a tiny size: does it still run? (what make test does)",
    )
    bus.add_arguments(parser)
    http.add_arguments(parser)
    docgen.add_arguments(parser)
    archive.add_arguments(parser)
    numbering.add_arguments(parser)
    exchange.add_arguments(parser)
    return parser


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def header() -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cpus = f"{os.cpu_count()} CPUs" + (f" ({affinity} usable)" if affinity else "")
    return [
        f"vanthu benchmarks — {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpus}",
        "  ".join(f"{name} {_package_version(name)}" for name in _VERSIONS),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.benchmarks if name not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    chosen = list(dict.fromkeys(args.benchmarks)) or list(BENCHMARKS)
    if args.smoke:
        for name, value in SMOKE.items():
            setattr(args, name, value)
    # Warnings (a worker reconnecting, a handler failing) still reach stderr.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for line in header():
        print(line)
    ok = True
    for name in chosen:
        print()
        started = time.monotonic()
        ok = BENCHMARKS[name](args) and ok
        print(f"({name}: {time.monotonic() - started:.0f} s)")
        sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
