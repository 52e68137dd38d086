"""GET /v1/users/me/dashboard under wrk, beside /v1/health, on a small generated history.

    python bench/http_reads.py [--events 40000] [--users 3000] [--clients 100] [--seconds 10]
        [--workers 2] [--threads 2]

The dashboard phase of bench/read_models.py without its rebuild and lag phases: writes a
history through the real aggregates (bench.read_models.Generator), rebuilds the views the
dashboard reads, starts uvicorn and runs ``bench.read_models.dashboards``: a cache-miss phase
(every request another learner, their cached dashboards dropped first), a cache-hit phase and
``/v1/health`` in the same run, then one client of each. Prints req/s, p50/p99 and the API
processes' CPU µs per request.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.read_models import MINE, dashboards, generated_history, print_dashboards  # noqa: E402
from projections.catalog import CatalogProjector  # noqa: E402
from projections.runtime import rebuild  # noqa: E402
from projections.users import UsersProjector  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40_000)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--workers", type=int, default=2, help="API processes (codequest serve --workers N)"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    args = parser.parse_args()
    with generated_history(args.events, args.users) as h:
        started = time.perf_counter()
        for cls in (*MINE, UsersProjector, CatalogProjector):
            rebuild(h.app, cls, h.services)
        elapsed = h.seconds + time.perf_counter() - started
        print(f"history: {h.written:,} events, views rebuilt in {elapsed:.1f} s")
        latency = dashboards(
            h.env, h.rd, h.gen.users, args.clients, args.seconds, args.workers, args.threads
        )
        print(
            f"\nwrk -t{args.threads} -c{args.clients} -d{args.seconds:g}s per phase,"
            f" uvicorn --workers {args.workers}\n"
        )
        print_dashboards(latency, args.clients)


if __name__ == "__main__":
    main()
