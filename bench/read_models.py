"""Read models under load: rebuild throughput, live lag, and GET /users/me/dashboard latency.

    python bench/read_models.py [--events 200000] [--users 2000] [--lag-seconds 20]
        [--lag-rate 40] [--clients 100] [--seconds 10] [--workers 2]

In one run, on a scratch database and a claimed Redis DB index:
1. generates a history of at least ``--events`` events through the real aggregates (learners,
   content, submissions with verdicts and solves, lessons, quizzes) spread over 60 days;
2. times a raw keyset ``SELECT`` of the whole log, then a rebuild from zero of each read model
   of the dashboard work (problem_stats, dashboard, leaderboard, learning_profile,
   achievements) through ``projections.runtime.rebuild``: events/s;
3. runs those projectors live while a writer commits a steady stream of submissions and
   verdicts, and measures the lag from each commit to the moment every view tracked it;
4. starts uvicorn (``--workers`` API processes, as ``codequest serve --workers N``) and
   drives ``GET /v1/users/me/dashboard`` with ``wrk`` from ``--clients`` keep-alive
   connections, every request a cache miss, then cache hits, beside ``/v1/health`` in the same
   run (see ``dashboards``; ``bench/http_reads.py`` runs this part alone).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from unittest.mock import patch

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalog_reads import (  # noqa: E402
    _free_port,
    environment,
    print_table,
    scratch_database,
    scratch_redis,
    serve,
    wrk,
)
from commands.app import CodeQuest  # noqa: E402
from domain.accounts import User  # noqa: E402
from domain.content import Lesson, Problem, ProblemSpec, Quiz, Topic  # noqa: E402
from domain.progress import LessonCompletion  # noqa: E402
from domain.quizzes import QuestionResult, QuizAttempt  # noqa: E402
from domain.submissions import Solve, Submission, Verdict, xp_for  # noqa: E402
from infra.eventstore import build_event_log  # noqa: E402
from infra.settings import load_settings  # noqa: E402
from projections.achievements import AchievementsPolicy  # noqa: E402
from projections.catalog import CatalogProjector  # noqa: E402
from projections.dashboard import DashboardProjector, cache_key  # noqa: E402
from projections.leaderboard import LeaderboardProjector  # noqa: E402
from projections.learning_profile import LearningProfileProjector  # noqa: E402
from projections.problem_stats import ProblemStatsProjector  # noqa: E402
from projections.runtime import ProjectionGroup, Services, rebuild  # noqa: E402
from projections.users import UsersProjector  # noqa: E402

MINE = (
    ProblemStatsProjector,
    DashboardProjector,
    LeaderboardProjector,
    LearningProfileProjector,
    AchievementsPolicy,
)
START = datetime(2026, 1, 5, 8, tzinfo=UTC)
LANGUAGES = ("python3.10", "cpp17", "java17", "javascript")
STATEMENT = {"description_markdown": "x", "input_format": "", "output_format": "",
             "constraints": "", "examples": []}  # fmt: skip
NOW: list[datetime] = [START]


def clock() -> datetime:
    return NOW[0]


class Generator:
    """Writes a realistic history in big saves (hundreds of aggregates per transaction)."""

    def __init__(self, app: CodeQuest, users: int, seed: int = 7) -> None:
        self.app, self.rng, self.admin = app, random.Random(seed), uuid.uuid4()
        self.pending: list[Any] = []
        self.events = 0
        self.users = [uuid.uuid4() for _ in range(users)]
        self.solved: set[tuple[uuid.UUID, uuid.UUID]] = set()

    def add(self, aggregate: Any, events: int) -> None:
        self.pending.append(aggregate)
        self.events += events
        if len(self.pending) >= 300:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.commit(*self.pending)
            self.pending = []

    def content(self) -> None:
        self.topics = [uuid.uuid4() for _ in range(10)]
        for i, tid in enumerate(self.topics):
            t = Topic(id=tid, by=self.admin, name=f"Topic {i}", slug=f"t{i}", description="",
                      icon_url=None, parent_id=None, order=i)  # fmt: skip
            t.publish(by=self.admin, notes="")
            self.add(t, 2)
        self.problems = []
        for i in range(200):
            p = Problem(id=uuid.uuid4(), by=self.admin, slug=f"p{i}", title=f"Problem {i}",
                        difficulty=1 + i % 3, topic_ids=[self.topics[i % 10]], tags=[],
                        statement=STATEMENT, spec=ProblemSpec().to_dict(), hints=[],
                        starter_code={}, is_premium=False, related_problem_ids=[])  # fmt: skip
            p.publish(by=self.admin, notes="")
            self.problems.append(p)
            self.add(p, 2)
        self.lessons = []
        for i in range(50):
            lesson = Lesson(id=uuid.uuid4(), by=self.admin, topic_id=self.topics[i % 10],
                            title=f"Lesson {i}", slug=f"l{i}", content_markdown="# x",
                            difficulty="beginner", estimated_time_min=10, order=i, examples=[],
                            exercises=[])  # fmt: skip
            lesson.publish(by=self.admin, notes="")
            self.lessons.append(lesson)
            self.add(lesson, 2)
        self.quizzes = []
        for i in range(20):
            q = Quiz(id=uuid.uuid4(), by=self.admin, topic_id=self.topics[i % 10], title=f"Q{i}",
                     description="", difficulty="beginner", time_limit_min=10, passing_score=60,
                     questions=[])  # fmt: skip
            q.publish(by=self.admin, notes="")
            self.quizzes.append(q)
            self.add(q, 2)

    def people(self) -> None:
        zones = ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin")
        for i, uid in enumerate(self.users):
            self.add(User(id=uid, email=f"{uid.hex[:12]}@bench.example", display_name=f"U{i}",
                          role="learner", password_hash="x", timezone=zones[i % 4]), 1)  # fmt: skip

    def submission(self, user: uuid.UUID) -> None:
        problem = self.rng.choice(self.problems)
        sub = Submission(id=uuid.uuid4(), user_id=user, problem_id=problem.id,
                         language=self.rng.choice(LANGUAGES), code_sha256="0" * 64,
                         code_length=10, contest_id=None, code="",
                         problem_title=problem.title)  # fmt: skip
        ok = self.rng.random() < 0.4
        first = ok and (user, problem.id) not in self.solved
        xp = xp_for(problem.difficulty) if first else 0
        sub.start(1)
        verdict = Verdict("ACCEPTED" if ok else "FAILED", 100 if ok else 0, 1, 1)
        sub.record_verdict(1, verdict, xp, first)
        self.add(sub, 3)
        if first:
            self.solved.add((user, problem.id))
            self.add(Solve(user_id=user, problem_id=problem.id, submission_id=sub.id,
                           difficulty=problem.difficulty, topic_ids=list(problem.topic_ids),
                           xp=xp), 1)  # fmt: skip

    def lesson(self, user: uuid.UUID, done: set[Any]) -> None:
        lesson = self.rng.choice(self.lessons)
        if (user, lesson.id) not in done:
            done.add((user, lesson.id))
            self.add(LessonCompletion.complete(user, lesson.id, lesson.topic_id, "beginner", 60,
                                               NOW[0]), 1)  # fmt: skip

    def quiz(self, user: uuid.UUID) -> None:
        quiz = self.rng.choice(self.quizzes)
        attempt = QuizAttempt(id=uuid.uuid4(), user_id=user, quiz_id=quiz.id,
                              topic_id=quiz.topic_id, started_at=NOW[0],
                              expires_at=NOW[0] + timedelta(hours=1),
                              question_ids=["q"])  # fmt: skip
        pct = self.rng.randint(20, 100)
        attempt.submit([QuestionResult("q", pct >= 50, pct, 100, "")], [], 60, 0, NOW[0])
        self.add(attempt, 2)

    def run(self, target: int) -> int:
        with patch("eventsourcing.domain.datetime_now_with_tzinfo", clock):
            self.content()
            self.people()
            done: set[Any] = set()
            step = timedelta(days=60) / max(target // 4, 1)
            while self.events < target:
                NOW[0] += step
                user, roll = self.rng.choice(self.users), self.rng.random()
                if roll < 0.85:
                    self.submission(user)
                elif roll < 0.93:
                    self.lesson(user, done)
                else:
                    self.quiz(user)
            self.flush()
        return self.events


def raw_select(url: str) -> tuple[int, float]:
    """Keyset pages of 500 rows of the whole log, as a projection reads them, undecoded."""
    started, rows, last = time.perf_counter(), 0, 0
    with psycopg.connect(url) as conn:
        while True:
            page = conn.execute(
                "SELECT notification_id, topic, state FROM codequest_events"
                " WHERE notification_id > %s ORDER BY notification_id LIMIT 500",
                (last,),
            ).fetchall()
            if not page:
                break
            rows, last = rows + len(page), page[-1][0]
    return rows, time.perf_counter() - started


def rebuilds(app: CodeQuest, services: Services, head: int) -> list[dict[str, Any]]:
    results = []
    for cls in MINE:
        started = time.perf_counter()
        applied = rebuild(app, cls, services)
        elapsed = time.perf_counter() - started
        results.append({"name": cls.name, "seconds": round(elapsed, 2), "applied": applied,
                        "log_events_per_s": round(head / elapsed),
                        "applied_per_s": round(applied / elapsed)})  # fmt: skip
        print(f"  rebuild {cls.name:<17} {elapsed:6.2f} s  {head / elapsed:9,.0f} log events/s"
              f"  ({applied:,} applied, {applied / elapsed:,.0f}/s)")  # fmt: skip
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * (len(ordered) - 1)), len(ordered) - 1)]


def live_lag(
    app: CodeQuest, services: Services, gen: Generator, seconds: float, rate: float, dsn: str
):
    """Commit submissions at ``rate``/s; lag = commit → every view's tracking row has it."""
    group = ProjectionGroup(app, list(MINE), services).start()
    views = [r.view for r in group.runners]
    commits: list[tuple[int, float]] = []
    seen: dict[int, float] = {}
    stop = threading.Event()

    # one statement reads every view's tracking row (a cheap probe: the watcher shares the
    # process with the runners it measures)
    probe = " UNION ALL ".join(
        f"SELECT notification_id FROM {v.tracking_table_name} WHERE application_name = 'codequest'"
        for v in views
    )
    conn = psycopg.connect(dsn, autocommit=True)

    def watch() -> None:
        while not stop.is_set() or len(seen) < len(commits):
            found = [row[0] for row in conn.execute(probe, prepare=True).fetchall()]
            low = min(found) if len(found) == len(views) else 0
            now = time.perf_counter()
            for position, _ in commits:
                if position <= low and position not in seen:
                    seen[position] = now
            time.sleep(0.001)
            if stop.is_set() and time.perf_counter() > stop_at[0] + 10:
                return

    stop_at = [0.0]
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    interval, deadline = 1.0 / rate, time.perf_counter() + seconds
    with patch("eventsourcing.domain.datetime_now_with_tzinfo", lambda: datetime.now(UTC)):
        while time.perf_counter() < deadline:
            tick = time.perf_counter()
            gen.submission(gen.rng.choice(gen.users))
            position = gen.app.commit(*gen.pending)
            gen.pending = []
            commits.append((position, time.perf_counter()))
            time.sleep(max(0.0, interval - (time.perf_counter() - tick)))
    stop_at[0] = time.perf_counter()
    stop.set()
    watcher.join(15)
    conn.close()
    group.stop()
    lags = [1000 * (seen[p] - t) for p, t in commits if p in seen]
    return {"commits": len(commits), "measured": len(lags),
            "p50_ms": round(statistics.median(lags), 1), "p99_ms": round(percentile(lags, 0.99), 1),
            "max_ms": round(max(lags), 1)}  # fmt: skip


def _walked(misses: Callable[[], int], quiet_s: float = 0.3) -> Callable[[], bool]:
    """True once the server's miss count has moved and then stood still for ``quiet_s``: every
    wrk thread has walked its slice (wrk itself runs on to its ``-d`` when its threads stop)."""
    first = last = misses()
    since = time.monotonic()

    def done() -> bool:
        nonlocal last, since
        now = misses()
        if now != last:
            last, since = now, time.monotonic()
        return last > first and time.monotonic() - since >= quiet_s

    return done


def dashboards(
    env: dict[str, str],
    rd: str,
    users: list[uuid.UUID],
    clients: int,
    seconds: float = 10,
    workers: int = 1,
    threads: int = 2,
) -> dict[str, Any]:
    """``GET /v1/users/me/dashboard`` under ``wrk`` (``clients`` connections), beside
    ``/v1/health`` in the same run: every request a cache miss (each with the token of another
    learner whose cached dashboard was dropped), then cache hits (a random learner of those
    now cached, per request), then one client of each. Figures per phase from
    ``bench.catalog_reads.wrk``: req/s, p50/p99, API CPU µs per request."""
    from api.auth import TokenService
    from api.dashboard import MISSES

    issuer = TokenService(env["CODEQUEST_JWT_SECRET"])
    tokens = [issuer.issue(str(u), "learner", "") for u in users]
    cache = redis.Redis.from_url(rd)
    path = ["/v1/users/me/dashboard"]
    with serve(env, _free_port(), workers) as (base, proc):
        run = partial(wrk, base, pid=proc.pid, threads=threads)
        run(path, clients=clients, seconds=2, tokens=tokens[:200])  # warm-up: pools, scripts
        cache.delete(*[cache_key(u) for u in users])
        # every request another learner: each wrk thread walks its own slice once, then stops
        once = max(len(tokens) // threads - clients, 1)
        walked = _walked(lambda: int(cache.get(MISSES) or 0))
        miss = run(path, clients=clients, seconds=120, tokens=tokens, once=once, until=walked)
        pipe = cache.pipeline(transaction=False)
        for u in users:
            pipe.exists(cache_key(u))
        warm = [t for t, cached in zip(tokens, pipe.execute(), strict=True) if cached]
        hit = run(path, clients=clients, seconds=seconds, tokens=warm)  # the users now cached
        health = run(["/v1/health"], clients=clients, seconds=seconds)
        one_hit = run(path, clients=1, threads=1, seconds=5, tokens=warm)
        one_health = run(["/v1/health"], clients=1, threads=1, seconds=5)
    return {"miss": miss, "hit": hit, "health": health, "one_hit": one_hit,
            "one_health": one_health}  # fmt: skip


def print_dashboards(latency: dict[str, Any], clients: int) -> None:
    print_table([
        (f"dashboard, {clients} clients, cache miss", latency["miss"]),
        (f"dashboard, {clients} clients, cache hit", latency["hit"]),
        (f"/v1/health, {clients} clients (baseline)", latency["health"]),
        ("dashboard, 1 client, cache hit", latency["one_hit"]),
        ("/v1/health, 1 client (baseline)", latency["one_health"]),
    ])  # fmt: skip


@dataclass
class History:
    """A generated history on scratch servers: what every phase of these benchmarks needs."""

    pg: str
    rd: str
    env: dict[str, str]
    app: CodeQuest
    services: Services
    gen: Generator
    written: int
    seconds: float


@contextmanager
def generated_history(events: int, users: int) -> Iterator[History]:
    """``events`` events by ``users`` learners in a scratch database and Redis DB index."""
    with scratch_database() as pg, scratch_redis() as rd, tempfile.TemporaryDirectory() as tmp:
        env = environment(pg, rd, tmp)
        load_settings(env)
        app = build_event_log(pg, pool_size=4)
        services = Services(redis=redis.Redis.from_url(rd))
        gen = Generator(app, users)
        started = time.perf_counter()
        written = gen.run(events)
        seconds = time.perf_counter() - started
        with psycopg.connect(pg, autocommit=True) as conn:  # no autovacuum in the timed phases
            conn.execute("VACUUM (ANALYZE)")
        try:
            yield History(pg, rd, env, app, services, gen, written, seconds)
        finally:
            app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--lag-seconds", type=float, default=20)
    parser.add_argument("--lag-rate", type=float, default=40)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10, help="wrk time per phase")
    parser.add_argument(
        "--workers", type=int, default=2, help="API processes (codequest serve --workers N)"
    )
    args = parser.parse_args()
    with generated_history(args.events, args.users) as h:
        app, services, head = h.app, h.services, h.app.head()
        print(f"history: {h.written:,} events (head {head:,}) in {h.seconds:.1f} s")
        rows, seconds = raw_select(h.pg)
        print(f"  raw SELECT of the log        {seconds:6.2f} s  {rows / seconds:9,.0f} rows/s")
        results = rebuilds(app, services, head)
        total_s = sum(r["seconds"] for r in results)
        rate = 5 * head / total_s
        print(f"  all five, one after another  {total_s:6.2f} s  {rate:9,.0f} log events/s")
        for cls in (UsersProjector, CatalogProjector):  # for display names and titles
            rebuild(app, cls, services)
        lag = live_lag(app, services, h.gen, args.lag_seconds, args.lag_rate, h.pg)
        print(f"live lag at {args.lag_rate:.0f} commits/s: {lag}")
        latency = dashboards(h.env, h.rd, h.gen.users, args.clients, args.seconds, args.workers)
        phase = f"wrk -t2 -c{args.clients} -d{args.seconds:g}s per phase"
        print(f"{phase}, {args.workers} API processes")
        print_dashboards(latency, args.clients)


if __name__ == "__main__":
    main()
