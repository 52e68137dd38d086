"""Catalogue reads under load: GET /problems (filtered, page 1) and GET /problems/{id} beside
/v1/health, against one uvicorn server started by this script, in the same run.

    python bench/catalog_reads.py [--problems 100] [--clients 50] [--requests 4000] [--workers 1]

Creates a scratch database (on CODEQUEST_BENCH_PG, default the local server) and claims a free
Redis DB index, writes the problems through the content command service (and approves them),
lets the catalogue projection catch up, then starts uvicorn on a loopback port. Each endpoint
gets ``--requests`` requests from ``--clients`` threads with keep-alive connections, after a
warm-up; prints p50/p99 latency and requests/s per endpoint.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commands.content import Actor, ProblemFields, TestInput  # noqa: E402
from commands.context import acting  # noqa: E402
from infra.container import build_container, start_projections  # noqa: E402
from infra.settings import load_settings  # noqa: E402

SERVER = os.environ.get("CODEQUEST_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("CODEQUEST_BENCH_REDIS", "redis://127.0.0.1:6379")
LIMITS = (
    "global=100000000/minute,login=100000/minute,submission=100000/minute,"
    "ai=100000/minute,run=100000/minute"
)
TAGS = ["array", "hash-table", "sorting", "graph", "dp", "string", "math", "tree"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def scratch_database() -> Iterator[str]:
    name = f"cq_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(SERVER) | {"dbname": name}
    try:
        yield psycopg.conninfo.make_conninfo(**info)
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_redis() -> Iterator[str]:
    """A Redis DB index claimed the way the test suite claims one, flushed before and after."""
    admin = redis.Redis.from_url(f"{REDIS}/0")
    token = uuid.uuid4().hex
    for index in range(15, 0, -1):
        if admin.set(f"codequest:test-db-claim:{index}", token, nx=True, ex=3600):
            break
    else:
        raise RuntimeError("no free Redis DB index")
    url = f"{REDIS}/{index}"
    redis.Redis.from_url(url).flushdb()
    try:
        yield url
    finally:
        redis.Redis.from_url(url).flushdb()
        if admin.get(f"codequest:test-db-claim:{index}") == token.encode():
            admin.delete(f"codequest:test-db-claim:{index}")


def environment(pg: str, rd: str, data_dir: str) -> dict[str, str]:
    return {
        "CODEQUEST_DATA_DIR": data_dir,
        "CODEQUEST_DATABASE_URL": pg,
        "CODEQUEST_REDIS_URL": rd,
        "CODEQUEST_INLINE_WORKERS": "0",
        "CODEQUEST_RATE_LIMITS": LIMITS,
        "CODEQUEST_LOG_LEVEL": "WARNING",
        "CODEQUEST_LOG_FORMAT": "json",
        "CODEQUEST_JWT_SECRET": "bench-secret-" + uuid.uuid4().hex,
        "CODEQUEST_ENCRYPTION_KEY": "bench-key-" + uuid.uuid4().hex,
    }


def populate(env: dict[str, str], count: int) -> list[str]:
    """Problems written through the command service, approved, and projected."""
    container = build_container(load_settings(env), hash_rounds=4)
    group = start_projections(container, only=["catalog"])
    admin = Actor(uuid.uuid4(), "admin")
    rng = random.Random(7)
    ids, position = [], 0
    with acting(str(admin.user_id)):
        for i in range(count):
            fields = ProblemFields(
                slug=f"bench-problem-{i}",
                title=f"Bench problem {i}",
                description_markdown=f"Problem {i}: read numbers and print their sum.\n" * 20,
                difficulty=1 + i % 3,
                tags=rng.sample(TAGS, 3),
                hints=[{"level": 1, "text": "Think."}, {"level": 2, "text": "Harder."}],
                starter_code={"python3.10": "print(sum(map(int, input().split())))\n"},
            )
            tests = [TestInput("1 2", "3", is_sample=True)] + [
                TestInput(f"{j} {j}", str(2 * j)) for j in range(10)
            ]
            written = container.content.create_problem(admin, fields, tests)
            position = container.content.approve(admin, "problem", written.id).position
            ids.append(str(written.id))
    if not group.wait(position, timeout=120, names=["catalog"]):
        raise RuntimeError("the catalogue projection did not catch up")
    group.stop()
    container.close()
    return ids


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[str]:
    argv = [
        sys.executable, "-m", "uvicorn", "api.app:create_app_from_env", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--no-access-log", "--workers", str(workers),
    ]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(15)


def drive(base: str, paths: list[str], clients: int, total: int) -> dict[str, float]:
    """``total`` requests over ``clients`` keep-alive threads; latency per request."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors = [0]
    per_client = total // clients

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(per_client):
                start = time.perf_counter()
                response = http.get(rng.choice(paths))
                mine.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "rps": len(latencies) / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with scratch_database() as pg, scratch_redis() as rd, tempfile.TemporaryDirectory() as tmp:
        env = environment(pg, rd, tmp)
        started = time.perf_counter()
        ids = populate(env, args.problems)
        print(f"populated {len(ids)} problems in {time.perf_counter() - started:.1f}s")
        cases = {
            "GET /v1/health": ["/v1/health"],
            "GET /v1/problems?difficulty=2&tags=array&limit=20": [
                "/v1/problems?difficulty=2&tags=array&limit=20"
            ],
            "GET /v1/problems/{id}": [f"/v1/problems/{i}" for i in ids],
        }
        with server(env, _free_port(), args.workers) as base:
            for paths in cases.values():
                drive(base, paths, args.clients, min(args.requests, 1000))  # warm-up, fills caches
            results = {
                name: drive(base, paths, args.clients, args.requests)
                for name, paths in cases.items()
            }
        _print(results, args)


def _print(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\n{args.clients} concurrent clients, {args.requests} requests per endpoint,"
        f" uvicorn --workers {args.workers}, {os.cpu_count()} CPUs\n"
    )
    print("| endpoint | p50 ms | p99 ms | req/s | errors |\n|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| `{name}` | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['rps']:.0f} | {r['errors']} |"
        )


if __name__ == "__main__":
    main()
