"""Event append through our store vs a raw psycopg INSERT with the same batching, in one run.

    python bench/event_append.py [--events 3000] [--batch 1 100] [--rounds 3]

Creates a scratch database on CODEQUEST_BENCH_PG (default the local server), appends the same
number of events per case, and prints events/s (median of the rounds) side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from eventsourcing.domain import Aggregate, event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from infra.eventstore import build_event_log

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


class Probe(Aggregate):
    """A submission-sized event (ids, a language, a hash and a size)."""

    @event("Submitted")
    def __init__(
        self, user_id: uuid.UUID, problem_id: uuid.UUID, language: str, sha: str, size: int
    ) -> None:
        self.user_id, self.problem_id = user_id, problem_id


def _probe() -> Probe:
    return Probe(uuid.uuid4(), uuid.uuid4(), "python3.10", uuid.uuid4().hex * 2, 1234)


def bench_store(url: str, events: int, batch: int) -> float:
    app = build_event_log(url)
    start = time.perf_counter()
    for _ in range(events // batch):
        app.commit(*[_probe() for _ in range(batch)])
    elapsed = time.perf_counter() - start
    app.close()
    return events / elapsed


RAW_DDL = """CREATE TABLE IF NOT EXISTS raw_events (
  originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text NOT NULL,
  state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"""


def _raw_row() -> tuple[uuid.UUID, int, str, bytes]:
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-12-01T18:00:00+00:00"},
        "user_id": {"_type_": "uuid_hex", "_data_": uuid.uuid4().hex},
        "problem_id": {"_type_": "uuid_hex", "_data_": uuid.uuid4().hex},
        "language": "python3.10",
        "sha": uuid.uuid4().hex * 2,
        "size": 1234,
        "_meta": {"actor": "system", "correlation_id": ""},
    }
    return uuid.uuid4(), 1, "bench:Probe.Submitted", json.dumps(state).encode()


def bench_raw(url: str, events: int, batch: int) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(RAW_DDL)
        start = time.perf_counter()
        for _ in range(events // batch):
            rows = [_raw_row() for _ in range(batch)]
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                    "VALUES (%s, %s, %s, %s) RETURNING notification_id",
                    rows,
                    returning=True,
                )
        return events / (time.perf_counter() - start)


def median(fn: Callable[[], float], rounds: int) -> tuple[float, list[float]]:
    runs = [fn() for _ in range(rounds)]
    return statistics.median(runs), runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()
    name = f"cq_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(args.server)
    url = psycopg.conninfo.make_conninfo(**{**info, "dbname": name})
    try:
        print(f"{'case':<44} {'events/s':>10}   runs")
        for batch in args.batch:
            n = args.events if batch > 1 else max(args.events // 3, batch)
            cases = (
                (f"codequest store commit(), {batch} event(s)/tx", bench_store),
                (f"raw psycopg INSERT, {batch} row(s)/tx", bench_raw),
            )
            for label, fn in cases:
                med, runs = median(lambda f=fn, k=n, b=batch: f(url, k, b), args.rounds)
                print(f"{label:<44} {med:>10,.0f}   {', '.join(f'{r:,.0f}' for r in runs)}")
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
