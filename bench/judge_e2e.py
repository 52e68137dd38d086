"""Judge end to end: POST /submissions → final verdict (pushed over SSE), latency and throughput.

    python bench/judge_e2e.py [--latency-runs 40] [--throughput 300] [--clients 8]
                              [--worker-threads 4] [--api-workers 1]

Runs the production layout on real servers: a scratch PostgreSQL database (on
CODEQUEST_BENCH_PG, default the local server), a claimed Redis DB index, and three processes
started here: `uvicorn api.app:create_app_from_env` (the API), `codequest worker --queues
code-execution` (dramatiq + the process sandbox) and `codequest project` (every projection and
dispatcher). Two phases in one run:

1. latency: one client, one submission at a time, of a 10-test Python solution; time from the
   start of the POST to the final verdict arriving on the submission's SSE stream (p50/p95);
2. throughput: ``--clients`` closed-loop clients submitting a trivial 1-test Python program
   (POST, then SSE until the verdict, then the next); completed verdicts per second over the
   whole phase, and the same end-to-end latency percentiles under that load.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.auth import TokenService  # noqa: E402
from commands.content import Actor, ProblemFields, TestInput  # noqa: E402
from infra.container import build_container  # noqa: E402
from infra.settings import load_settings  # noqa: E402

SERVER = os.environ.get("CODEQUEST_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("CODEQUEST_BENCH_REDIS", "redis://127.0.0.1:6379")
LIMITS = (
    "global=100000000/minute,login=100000/minute,submission=100000000/minute,"
    "ai=100000/minute,run=100000/minute"
)
SUM = "a, b = map(int, input().split())\nprint(a + b)\n"
TRIVIAL = "print(input())\n"
CODEQUEST = str(Path(sys.executable).with_name("codequest"))


def free_port() -> int:
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
    claim = "codequest:test-db-claim:{}"
    index = next((i for i in range(15, 0, -1) if admin.set(claim.format(i), token, nx=True, ex=3600)), None)  # fmt: skip  # noqa: E501
    if index is None:
        raise RuntimeError("no free Redis DB index")
    url = f"{REDIS}/{index}"
    redis.Redis.from_url(url).flushdb()
    try:
        yield url
    finally:
        redis.Redis.from_url(url).flushdb()
        admin.delete(claim.format(index))


def environment(pg: str, rd: str, data_dir: str) -> dict[str, str]:
    return {
        "CODEQUEST_DATA_DIR": data_dir,
        "CODEQUEST_DATABASE_URL": pg,
        "CODEQUEST_REDIS_URL": rd,
        "CODEQUEST_INLINE_WORKERS": "0",
        "CODEQUEST_SANDBOX": "process",
        "CODEQUEST_RATE_LIMITS": LIMITS,
        "CODEQUEST_LOG_LEVEL": "WARNING",
        "CODEQUEST_LOG_FORMAT": "json",
        "CODEQUEST_JWT_SECRET": "bench-secret-" + uuid.uuid4().hex,
        "CODEQUEST_ENCRYPTION_KEY": "bench-key-" + uuid.uuid4().hex,
    }


def populate(env: dict[str, str]) -> dict[str, str]:
    """Two published problems: a+b with 10 tests, and echo with 1 test."""
    container = build_container(load_settings(env), hash_rounds=4)
    admin = Actor(uuid.uuid4(), "admin")
    ten = [TestInput("1 2", "3", is_sample=True)] + [
        TestInput(f"{j} {j}", str(2 * j)) for j in range(9)
    ]
    problems = {}
    for name, tests in (("ten", ten), ("one", [TestInput("7", "7", is_sample=True)])):
        fields = ProblemFields(slug=f"bench-{name}", title=name, description_markdown=".",
                               difficulty=1, time_limit_ms=1000, memory_limit_mb=64)  # fmt: skip
        written = container.content.create_problem(admin, fields, tests)
        container.content.approve(admin, "problem", written.id)
        problems[name] = str(written.id)
    container.close()
    return problems


@contextmanager
def process(argv: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env})
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_healthy(base: str, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            codes = [p.poll() for p in procs]
            raise RuntimeError(f"the system did not start (exit codes {codes})")
        time.sleep(0.1)


def start_system(stack: ExitStack, env: dict[str, str], args: argparse.Namespace) -> str:
    port = free_port()
    api = [
        sys.executable, "-m", "uvicorn", "api.app:create_app_from_env", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--no-access-log", "--no-server-header", "--workers", str(args.api_workers),
    ]  # fmt: skip
    worker = [CODEQUEST, "worker", "--queues", "code-execution",
              "--threads", str(args.worker_threads)]  # fmt: skip
    procs = [
        stack.enter_context(process(argv, env)) for argv in (api, worker, [CODEQUEST, "project"])
    ]
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, procs)
    PIDS.update(zip(("api", "worker", "project"), (p.pid for p in procs), strict=True))
    PIDS["bench client"] = os.getpid()
    return base


PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its reaped children (the sandboxes), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(procs: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in procs.items()}


def submit_and_wait(http: httpx.Client, problem: str, code: str) -> tuple[float, str]:
    """POST, then follow the SSE stream to the verdict; (seconds, verdict)."""
    start = time.perf_counter()
    res = http.post("/v1/submissions", json={"problem_id": problem, "language": "python3.10",
                                             "code": code})  # fmt: skip
    if res.status_code != 202:
        raise RuntimeError(f"submit failed: {res.status_code} {res.text}")
    sid = res.json()["data"]["submission_id"]
    with http.stream("GET", f"/v1/submissions/{sid}/events", timeout=60) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and (message := json.loads(line[5:]))["final"]:
                return time.perf_counter() - start, str(message["verdict"])
    raise RuntimeError(f"stream of {sid} ended without a verdict")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def latency_phase(base: str, token: str, problem: str, runs: int) -> dict[str, Any]:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(3):
            submit_and_wait(http, problem, SUM)  # warm-up
        results = [submit_and_wait(http, problem, SUM) for _ in range(runs)]
    verdicts = {v for _, v in results}
    return {"verdicts": sorted(verdicts), **percentiles([t for t, _ in results])}


def throughput_phase(
    base: str, token: str, problem: str, total: int, clients: int
) -> dict[str, Any]:
    latencies: list[float] = []
    verdicts: set[str] = set()
    lock = threading.Lock()
    left = [total]

    def client() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                took, verdict = submit_and_wait(http, problem, TRIVIAL)
                with lock:
                    latencies.append(took)
                    verdicts.add(verdict)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu_before = cpu_snapshot(PIDS)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cpu_after = cpu_snapshot(PIDS)
    return {
        "cpu_ms_per_submission": {
            name: round(1000 * (cpu_after[name] - cpu_before[name]) / total, 1) for name in PIDS
        },
        "clients": clients,
        "verdicts": sorted(verdicts),
        "seconds": round(elapsed, 2),
        "verdicts_per_s": round(len(latencies) / elapsed, 1),
        **percentiles(latencies),
    }


def stages(env: dict[str, str]) -> dict[str, Any]:
    """Where the time went, from the stored events: queueing (Submitted → Started, i.e. the
    dispatcher, the broker and a free worker) and judging (Started → Judged)."""
    from domain.submissions import Submission

    container = build_container(load_settings(env), hash_rounds=4)
    seen: dict[Any, dict[str, float]] = {}
    notes = container.log.recorder.select_notifications(start=1, limit=1_000_000)
    for note in notes:
        event = container.log.mapper.to_domain_event(note)
        if isinstance(event, Submission.Submitted | Submission.Started | Submission.Judged):
            seen.setdefault(event.originator_id, {})[type(event).__name__] = (
                event.timestamp.timestamp()
            )
    container.close()
    rows = [r for r in seen.values() if len(r) == 3]
    return {
        "queue": percentiles([r["Started"] - r["Submitted"] for r in rows]),
        "judge": percentiles([r["Judged"] - r["Started"] for r in rows]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-runs", type=int, default=40)
    parser.add_argument("--throughput", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--worker-threads", type=int, default=4)
    parser.add_argument("--api-workers", type=int, default=1)
    args = parser.parse_args()
    with ExitStack() as stack:
        pg = stack.enter_context(scratch_database())
        rd = stack.enter_context(scratch_redis())
        env = environment(pg, rd, stack.enter_context(tempfile.TemporaryDirectory()))
        problems = populate(env)
        base = start_system(stack, env, args)
        token = TokenService(env["CODEQUEST_JWT_SECRET"]).issue(
            str(uuid.uuid4()), "learner", "b@x.io"
        )
        report: dict[str, Any] = {
            "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 1) for x in os.getloadavg()],
            "latency_10_tests": latency_phase(base, token, problems["ten"], args.latency_runs),
            "throughput_trivial": throughput_phase(
                base, token, problems["one"], args.throughput, args.clients
            ),
        }
        report["loadavg_at_end"] = [round(x, 1) for x in os.getloadavg()]
        report["stages_all_submissions"] = stages(env)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
