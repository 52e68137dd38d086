from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from domain.submissions import Solve
from infra.settings import Settings, export_environ
from tests.conftest import REDIS_SERVER, make_database, make_settings
from tests.integration.submissions.conftest import publish_problem, view_row, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SLOW_ACCEPTED = "import time\ntime.sleep(0.5)\na, b = map(int, input().split())\nprint(a + b)\n"
TESTS = [(f"{i} 1\n", f"{i + 1}\n", i == 0) for i in range(8)]


@pytest.fixture
def spare_redis() -> Iterator[str]:
    """Another Redis DB index, so no in-process worker of the session sees these jobs."""
    admin = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    token = uuid.uuid4().hex
    index = next(
        i
        for i in list(range(15, 0, -1)) * 20
        if admin.set(f"codequest:test-db-claim:{i}", token, nx=True, ex=3600)
    )
    url = f"{REDIS_SERVER}/{index}"
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()
    admin.delete(f"codequest:test-db-claim:{index}")


@pytest.fixture
def isolated(tmp_path: Path, spare_redis: str) -> Iterator[tuple[Settings, Any]]:
    from infra.container import build_container, start_projections

    settings = make_settings(tmp_path, make_database(), spare_redis)
    container = build_container(settings, hash_rounds=4)
    group = start_projections(container, only=["submission_status", "judge_dispatch"])
    yield settings, container
    group.stop()
    container.close()


def start_worker_process(settings: Settings) -> subprocess.Popen[bytes]:
    env = {**os.environ, **export_environ(settings)}
    codequest = str(Path(sys.executable).with_name("codequest"))
    return subprocess.Popen(
        [codequest, "worker", "--queues", "code-execution"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def live_message(container: Any, sid: uuid.UUID) -> str:
    raw = container.redis.hget(f"submission:{sid}:live", "json")
    return raw.decode() if raw else ""


def test_a_worker_killed_mid_judging_loses_nothing_and_awards_once(
    isolated: tuple[Settings, Any],
) -> None:
    settings, container = isolated
    problem = publish_problem(container, TESTS, time_limit_ms=2000)
    user = uuid.uuid4()
    first = start_worker_process(settings)
    second = None
    try:
        sid = container.submissions.submit(user, problem, "python3.10", SLOW_ACCEPTED).submission_id
        # step: wait until the first worker is inside the tests, then kill it outright
        wait_until(lambda: "Running test case 3 of 8" in live_message(container, sid), 60)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = time.monotonic()
        row = view_row(settings.database_url or "", sid)
        assert row is not None and row["verdict"] is None
        # step: another worker picks the job up again once the broker sees the dead heartbeat
        second = start_worker_process(settings)
        row = wait_until(
            lambda: (r := view_row(settings.database_url or "", sid)) and r["verdict"] and r, 90
        )
        print(f"judged again {time.monotonic() - killed_at:.1f} s after the kill")
        assert (row["verdict"], row["points"], row["xp"], row["first_solve"]) == (
            "ACCEPTED",
            100,
            10,
            True,
        )
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(20)
    topics = [e.topic for e in container.log.recorder.select_events(sid)]
    assert topics.count("domain.submissions:Submission.Judged") == 1
    assert topics.count("domain.submissions:Submission.Started") == 1
    solve = container.log.load(Solve.create_id(user, problem))
    assert (solve.submission_id, solve.xp) == (sid, 10)
    judged = [
        container.log.mapper.to_domain_event(e) for e in container.log.recorder.select_events(sid)
    ]
    assert sum(getattr(e, "xp", 0) for e in judged) == 10
