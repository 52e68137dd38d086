"""Export throughput and peak memory vs a raw COPY of the same table, and audit verify speed.

    python bench/export_audit.py [--events 200000] [--small 20000] [--repeat 3] [--pg URL]

Fills a scratch database with ``--events`` events (batched commits of many aggregates, 1 %
of them ``User.Registered`` with sealed personal fields), builds the hash chain, then in one
run measures: a raw ``COPY (SELECT ...) TO STDOUT`` of the event table, ``events export`` of
the first ``--small`` events and of all of them (each in a fresh child process, for a clean
peak RSS), and ``audit verify``. The four runs take turns ``--repeat`` times and each reports
its fastest turn (the machine is shared: the fastest is the least disturbed), with the CPU
time of its process per event (PostgreSQL's share not included). The scratch database is
dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from typing import Any

import psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
COPY_SQL = (
    "COPY (SELECT notification_id, originator_id, originator_version, topic,"
    " convert_from(state, 'UTF8') FROM codequest_events ORDER BY notification_id) TO STDOUT"
)


def with_db(url: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    return psycopg.conninfo.make_conninfo(**{**info, "dbname": name})


def open_log(url: str) -> Any:
    from infra import audit, pii
    from infra.eventstore import build_event_log

    log = build_event_log(url, pool_size=2)
    audit.install_guards(url)
    keys = pii.SubjectKeys(url)
    keys.create_table()
    pii.attach(log, keys)
    return log


def fill(url: str, events: int, per_commit: int) -> float:
    """Append ``events`` events; returns the seconds taken."""
    from domain.accounts import User
    from domain.achievements import AchievementAward

    log = open_log(url)
    started, written = time.perf_counter(), 0
    while written < events:
        batch: list[Any] = []
        for i in range(min(per_commit, events - written)):
            user = uuid.uuid4()
            if i == 0:
                batch.append(User(id=user, email=f"{user.hex}@example.com",
                                  display_name=f"User {user.hex[:6]}", role="learner",
                                  password_hash="$2b$04$" + "x" * 53))  # fmt: skip
            else:
                batch.append(AchievementAward(user_id=user, code=f"c{i}", name="Streak", xp=10))
        log.commit(*batch)
        written += len(batch)
    log.close()
    return time.perf_counter() - started


def build_chain(url: str) -> float:
    from projections.audit_chain import AuditChainProjector
    from projections.runtime import Services, rebuild

    log = open_log(url)
    started = time.perf_counter()
    rebuild(log, AuditChainProjector, Services())
    log.close()
    return time.perf_counter() - started


def child(kind: str, url: str, limit: int) -> dict[str, Any]:
    """Run one measurement in this (fresh) process; peak RSS is this process's."""
    from infra import audit, pii

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = cpu_seconds()
    started = time.perf_counter()
    with open(os.devnull, "wb") as out:
        if kind == "copy":
            count = copy_raw(url, out)
        elif kind == "export":
            flt = audit.EventFilter(to_position=limit or None)
            keys = pii.SubjectKeys(url)
            count = audit.export(url, flt, out, keys=keys, secrets=audit.Secrets())
        else:
            count = audit.verify(url).count
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "events": count, "seconds": seconds, "per_s": count / seconds,
            "cpu_us": cpu / max(count, 1) * 1e6, "peak_rss_mb": peak / 1024,
            "baseline_rss_mb": baseline / 1024}  # fmt: skip


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def copy_raw(url: str, out: Any) -> int:
    lines = 0
    with psycopg.connect(url) as conn, conn.cursor().copy(COPY_SQL) as copy:
        for chunk in copy:
            out.write(chunk)
            lines += bytes(chunk).count(b"\n")
    return lines


def run_child(kind: str, url: str, limit: int = 0) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--child", kind, "--url", url, "--limit", str(limit)]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def position_of(url: str, nth: int) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT notification_id FROM codequest_events ORDER BY 1 OFFSET %s LIMIT 1",
            (nth - 1,),
        ).fetchone()
    return int(row[0]) if row else 0


def report(rows: list[dict[str, Any]], copy: dict[str, Any]) -> None:
    print(f"{'run':<16} {'events':>8} {'seconds':>8} {'events/s':>10} {'vs COPY':>8} "
          f"{'CPU us/ev':>10} {'peak RSS MB':>12}")  # fmt: skip
    for row in rows:
        ratio = row["per_s"] / copy["per_s"]
        print(f"{row['label']:<16} {row['events']:>8} {row['seconds']:>8.2f} "
              f"{row['per_s']:>10.0f} {ratio:>7.0%} {row['cpu_us']:>10.2f} "
              f"{row['peak_rss_mb']:>12.1f}")  # fmt: skip


def fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "peak_rss_mb": max(run["peak_rss_mb"] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--per-commit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("CODEQUEST_TEST_PG", SERVER))
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url, args.limit)))
        return
    name = f"cq_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_db(args.pg, name)
    try:
        measure(url, args)
    finally:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(url: str, args: argparse.Namespace) -> None:
    fill_s = fill(url, args.events, args.per_commit)
    print(f"filled {args.events} events in {fill_s:.1f} s ({args.events / fill_s:.0f}/s)")
    chain_s = build_chain(url)
    print(f"built the chain in {chain_s:.1f} s ({args.events / chain_s:.0f}/s)")
    runs = (
        ("raw COPY", "copy", 0),
        ("export (small)", "export", position_of(url, args.small)),
        ("export (all)", "export", 0),
        ("audit verify", "verify", 0),
    )
    turns: dict[str, list[dict[str, Any]]] = {}
    for _ in range(max(args.repeat, 1)):
        for label, kind, limit in runs:
            turns.setdefault(label, []).append(run_child(kind, url, limit))
    copy, small, full, verify = ({**fastest(done), "label": label} for label, done in turns.items())
    print(f"fastest of {max(args.repeat, 1)} turns each")
    report([copy, small, full, verify], copy)
    growth = full["peak_rss_mb"] - small["peak_rss_mb"]
    print(f"export peak RSS growth from {small['events']} to {full['events']} events: "
          f"{growth:+.1f} MB")  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
