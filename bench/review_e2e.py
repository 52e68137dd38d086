"""End to end, offline: a final verdict recorded → its AI review COMPLETE in the read model.

    python bench/review_e2e.py [--reviews 40] [--language python3.10]

Creates a scratch database on CODEQUEST_BENCH_PG (default the local server) and uses a free
Redis DB index, starts every projection runner and an `ai-review` worker in this process (no
API key: the offline reviewer), records verdicts through the submissions service one at a time
(the judge is bypassed: this measures dispatch → actor → review → projection), and prints p50,
p90 and p99 of (a) the time a client polling the view waits and (b) the stored Completed −
Judged event timestamps. Every code differs (no review-cache hits).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import redis
from psycopg.rows import dict_row

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commands.content import Actor, ProblemFields, TestInput
from domain.reviews import automatic_review_id
from domain.submissions import Verdict
from infra.container import build_container, start_projections, start_worker
from infra.logging import configure_logging
from infra.settings import load_settings

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"
ADMIN = Actor(user_id=uuid.UUID(int=1), role="admin")
CODE = "n = int(input())\nnums = list(map(int, input().split()))\nprint(sum(nums) + {i} - {i})\n"


def scratch_database() -> tuple[str, str]:
    name = f"cq_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, SERVER.rsplit("/", 1)[0] + f"/{name}"


def claim_redis() -> tuple[int, str]:
    admin = redis.Redis.from_url(f"{REDIS}/0")
    for index in range(15, 0, -1):
        if admin.set(f"codequest:test-db-claim:{index}", "bench", nx=True, ex=3600):
            redis.Redis.from_url(f"{REDIS}/{index}").flushdb()
            return index, f"{REDIS}/{index}"
    raise SystemExit("no free Redis DB index")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_complete(url: str, review_id: uuid.UUID, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT status, extract(epoch FROM generated_at - created_at) AS s"
                " FROM ai_code_reviews_view WHERE id = %s",
                (review_id,),
            ).fetchone()
            if row and row["status"] == "COMPLETE":
                return row
            time.sleep(0.002)
    raise SystemExit(f"review {review_id} not complete within {timeout}s")


def run(reviews: int, language: str) -> None:
    dbname, url = scratch_database()
    index, redis_url = claim_redis()
    env = {"CODEQUEST_DATA_DIR": tempfile.mkdtemp(), "CODEQUEST_DATABASE_URL": url,
           "CODEQUEST_REDIS_URL": redis_url, "CODEQUEST_LOG_LEVEL": "WARNING",
           "CODEQUEST_SANDBOX": "process"}  # fmt: skip
    settings = load_settings(env)
    configure_logging("console", "WARNING")
    container = build_container(settings, hash_rounds=4)
    projections = start_projections(container)
    worker = start_worker(container, queues=["ai-review"], threads=2)
    try:
        client_s, stored_s = measure(container, url, reviews, language)
    finally:
        worker.stop()
        projections.stop()
        container.close()
        redis.Redis.from_url(redis_url).flushdb()
        redis.Redis.from_url(f"{REDIS}/0").delete(f"codequest:test-db-claim:{index}")
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    for label, values in (("client-observed", client_s), ("stored Judged→Completed", stored_s)):
        print(f"{label:>24}: n={len(values)} {summary(values)}")


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    parts = [f"p{round(q * 100)}={percentile(ms, q):.0f} ms" for q in (0.5, 0.9, 0.99)]
    return " ".join([*parts, f"mean={statistics.mean(ms):.0f} ms"])


def measure(container, url: str, reviews: int, language: str) -> tuple[list[float], list[float]]:
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    fields = ProblemFields(slug, "List sum", "Print the sum of the list.", difficulty=1)
    tests = [TestInput("3\n1 2 3\n", "6\n", is_sample=True, points=10)]
    problem = container.content.create_problem(ADMIN, fields, tests).id
    container.content.approve(ADMIN, "problem", problem)
    wait_complete_warmup = 1  # the first review loads the analysers; not counted
    client_s, stored_s = [], []
    for i in range(reviews + wait_complete_warmup):
        sub = container.submissions.submit(uuid.uuid4(), problem, language, CODE.format(i=i))
        container.submissions.start_attempt(sub.submission_id, 1)
        status = "ACCEPTED" if i % 2 else "FAILED"
        verdict = Verdict(status, 100 if i % 2 else 0, i % 2, 1, runtime_ms=20, memory_kb=9000)
        started = time.perf_counter()
        container.submissions.record_verdict(sub.submission_id, 1, verdict)
        row = wait_complete(url, automatic_review_id(sub.submission_id, 1))
        if i >= wait_complete_warmup:
            client_s.append(time.perf_counter() - started)
            stored_s.append(float(row["s"]))
    return client_s, stored_s


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=40)
    parser.add_argument("--language", default="python3.10")
    args = parser.parse_args()
    run(args.reviews, args.language)
