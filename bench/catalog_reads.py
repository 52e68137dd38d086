"""Catalogue reads under load: GET /problems (filtered, page 1) and GET /problems/{id} beside
/v1/health, against one API server started by this script, in the same run.

    python bench/catalog_reads.py [--problems 100] [--clients 50] [--seconds 10] [--threads 2]
        [--workers 1] [--rounds 1]

Creates a scratch database (on CODEQUEST_BENCH_PG, default the local server) and claims a free
Redis DB index, writes the problems through the content command service (and approves them),
lets the catalogue projection catch up, then starts uvicorn on a loopback port. The load comes
from ``wrk`` (``--threads`` threads, ``--clients`` keep-alive connections, a closed loop, for
``--seconds`` per endpoint after a warm-up); the detail requests pick a random problem each.
Prints, per endpoint: requests/s, p50/p99 latency (wrk's own histogram), non-2xx answers and the
API processes' CPU time per request (user + system of uvicorn and its workers, from
/proc, divided by the requests wrk completed). ``--rounds`` repeats the three endpoints, one
after another, so health is always measured beside the others in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
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
def serve(
    env: dict[str, str], port: int, workers: int, extra: tuple[str, ...] = ()
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn on a loopback port, ready (``/v1/health`` answers); yields its URL and process."""
    argv = [
        sys.executable, "-m", "uvicorn", "api.app:create_app_from_env", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--no-access-log", "--no-server-header", "--workers", str(workers), *extra,
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
        if workers > 1:  # every worker up before the clock starts
            deadline = time.monotonic() + 60
            while len(psutil.Process(proc.pid).children(recursive=True)) < workers:
                if time.monotonic() > deadline:
                    raise RuntimeError("the workers did not start")
                time.sleep(0.1)
            time.sleep(2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(15)


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[str]:
    with serve(env, port, workers) as (base, _):
        yield base


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and every process under it (uvicorn's workers)."""
    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


WRK_SCRIPT = """
local paths = {%(paths)s}
local tokens = {%(tokens)s}
local once = %(once)s
local counter = 0
local answered = 0
local threads = {}

function setup(thread)
  -- a global of that thread's own Lua state (a chunk-level local would shadow it)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  id = id or 0
  math.randomseed(os.time() * 1000 + id)
  counter = 0
end

function request()
  local headers = {}
  local path, token
  if once then
    -- each thread walks its own slice of the tokens once (every request another user); the
    -- slices leave room for the requests still in flight when a thread has its answers
    local i = (id * (once + %(clients)d) + counter) %% #tokens + 1
    counter = counter + 1
    token = tokens[i]
    path = paths[1]
  else
    path = paths[math.random(#paths)]
    if #tokens > 0 then token = tokens[math.random(#tokens)] end
  end
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  answered = answered + 1
  if once and answered >= once then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non2xx\\": %%d, \\"socket_errors\\": %%d,"
    .. " \\"p50_us\\": %%d, \\"p90_us\\": %%d, \\"p99_us\\": %%d, \\"max_us\\": %%d,"
    .. " \\"bytes\\": %%d}\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.bytes))
end
"""


def _lua_list(items: list[str]) -> str:
    return ", ".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items)


def wrk(
    base: str,
    paths: list[str],
    *,
    pid: int,
    clients: int,
    threads: int = 2,
    seconds: float = 10,
    tokens: list[str] | None = None,
    once: int | None = None,
    until: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """One wrk run: ``clients`` connections over ``threads`` threads, a random path (and token)
    per request; ``once=n``: each thread has ``n`` answers, every request with the next token of
    its own slice (give ``threads * (n + clients)`` tokens), then stops; wrk is stopped
    (SIGINT) as soon as ``until()`` is true. Returns wrk's figures and the server's CPU per
    request."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    script = WRK_SCRIPT % {
        "paths": _lua_list(paths),
        "tokens": _lua_list(tokens or []),
        "once": str(once) if once else "false",
        "clients": clients,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        argv = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s",
                "-s", lua.name, base]  # fmt: skip
        cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while until is not None and proc.poll() is None and not until():
            time.sleep(0.05)
        if proc.poll() is None and until is not None:
            proc.send_signal(signal.SIGINT)  # wrk stops and prints what it measured
        out, err = proc.communicate()
        cpu, wall = cpu_seconds(pid) - cpu0, time.perf_counter() - wall0
        if proc.returncode != 0:
            raise RuntimeError(f"wrk failed: {err.strip() or out.strip()}")
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    r: dict[str, Any] = json.loads(line[4:])
    n = max(r["requests"], 1)
    return {
        "requests": r["requests"],
        "errors": r["non2xx"] + r["socket_errors"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50_ms": r["p50_us"] / 1000,
        "p90_ms": r["p90_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "max_ms": r["max_us"] / 1000,
        "cpu_us": 1e6 * cpu / n,
        "cpu_cores": cpu / wall,
        "bytes_per_response": r["bytes"] // n,  # headers included
    }


def print_table(results: list[tuple[str, dict[str, Any]]]) -> None:
    print(
        "| endpoint | req/s | p50 ms | p99 ms | max ms | API CPU µs/req | API cores | bytes/resp"
        " | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for name, r in results:
        print(
            f"| `{name}` | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |"
            f" {r['max_ms']:.0f} | {r['cpu_us']:.0f} | {r['cpu_cores']:.2f} |"
            f" {r['bytes_per_response']} | {r['errors']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--single", action="store_true", help="also one client per endpoint")
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
        results: list[tuple[str, dict[str, Any]]] = []
        with serve(env, _free_port(), args.workers) as (base, proc):
            for paths in cases.values():  # warm-up: connections, pools, caches
                wrk(base, paths, pid=proc.pid, clients=args.clients, seconds=2)
            for _ in range(args.rounds):
                for name, paths in cases.items():
                    r = wrk(base, paths, pid=proc.pid, clients=args.clients,
                            threads=args.threads, seconds=args.seconds)  # fmt: skip
                    results.append((name, r))
            if args.single:
                for name, paths in cases.items():
                    r = wrk(base, paths, pid=proc.pid, clients=1, threads=1, seconds=5)
                    results.append((name + " (1 client)", r))
        print(
            f"\nwrk -t{args.threads} -c{args.clients} -d{args.seconds:g}s per endpoint,"
            f" uvicorn --workers {args.workers}, {os.cpu_count()} CPUs\n"
        )
        print_table(results)


if __name__ == "__main__":
    main()
