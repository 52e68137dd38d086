from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from eventsourcing.persistence import IntegrityError

from projections.achievements import AchievementsPolicy
from projections.dashboard import DashboardProjector
from projections.leaderboard import LeaderboardProjector
from projections.learning_profile import LearningProfileProjector
from projections.problem_stats import ProblemStatsProjector
from projections.runtime import Runner, Wakeup, _decode, process_batch, rebuild

ALL = (
    ProblemStatsProjector,
    DashboardProjector,
    LeaderboardProjector,
    LearningProfileProjector,
    AchievementsPolicy,
)
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # ISO week 2026-W10
MIDPOINT = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)


def script(h, until=None):
    """Three learners over two weeks, every kind of event; optionally only up to ``until``."""
    topic, other = h.topic(MONDAY, "Arrays"), h.topic(MONDAY, "Graphs")
    easy, medium = h.problem(MONDAY, topic, 1), h.problem(MONDAY, topic, 2)
    hard = h.problem(MONDAY, other, 3)
    lessons = [h.lesson(MONDAY, topic, i) for i in range(3)]
    quiz = h.quiz(MONDAY, other)
    ada, kei, lou = h.user(MONDAY, "Ada"), h.user(MONDAY, "Kei", "Asia/Tokyo"), h.user(MONDAY)
    steps = []
    for day in range(12):
        at = MONDAY + timedelta(days=day, hours=day % 5)
        problem = [easy, medium, hard][day % 3]
        verdict = "ACCEPTED" if day % 2 else "FAILED"
        language = ["python3.10", "cpp17", "java17", "javascript"][day % 4]
        steps.append((at, partial(h.submit, at, ada, problem, verdict, language)))
        later = at + timedelta(minutes=3)
        steps.append(
            (later, partial(h.submit, later, kei, easy, "ACCEPTED" if day > 2 else "TIMEOUT"))
        )
        if day < 3:
            steps.append((at, partial(h.complete, at, kei, lessons[day])))
        if day in (4, 9):
            steps.append((at, partial(h.take_quiz, at, lou, quiz, 50 + 5 * day)))
    for at, step in sorted(steps, key=lambda s: s[0]):
        if until is None or at <= until:
            step()
    return {
        "users": (ada, kei, lou),
        "topic": topic,
        "after": [s for s in steps if until and s[0] > until],
    }


def snapshot(fresh, cls, schema="public"):
    return {
        table: [r["j"] for r in fresh.rows(
            f"SELECT row_to_json(t)::text AS j FROM {schema}.{table} t ORDER BY 1")]
        for table in cls.tables
    }  # fmt: skip


def follow(fresh, projector, chunk=7):
    """Live following in small batches (boundaries unlike a rebuild's)."""
    view = fresh.view(type(projector))
    position = view.position()
    head = fresh.app.head()
    while position < head:
        notes = fresh.app.recorder.select_notifications(
            start=position, limit=chunk, stop=head, inclusive_of_start=False
        )
        upto = notes[-1].id
        process_batch(fresh.app, view, projector, list(_decode(fresh.app, notes)), upto)
        position = upto
    return view


def leaderboard_keys(redis):
    return {
        k.decode(): redis.zrange(k, 0, -1, withscores=True)
        for k in redis.scan_iter("leaderboard:*")
    }


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.name)
def test_rebuild_from_zero_equals_the_live_view(fresh, cls):
    script(fresh.history)
    follow(fresh, cls(fresh.services()))
    live = snapshot(fresh, cls)
    assert any(live.values())
    rebuild(fresh.app, cls, fresh.services(), into=f"rb_{cls.name}")
    assert snapshot(fresh, cls, f"rb_{cls.name}") == live


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.name)
def test_the_same_events_delivered_twice_change_nothing(fresh, cls):
    script(fresh.history)
    view = follow(fresh, cls(fresh.services()))
    before = snapshot(fresh, cls)
    notes = fresh.app.recorder.select_notifications(start=1, limit=10_000)
    with pytest.raises(IntegrityError):
        process_batch(
            fresh.app, view, cls(fresh.services()), list(_decode(fresh.app, notes)), notes[-1].id
        )
    assert snapshot(fresh, cls) == before


class Crash(Exception):
    pass


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.name)
def test_a_runner_killed_mid_batch_ends_with_identical_tables(fresh, cls):
    script(fresh.history)
    seen = []

    class Crashing(cls):
        def apply(self, event, batch):
            seen.append(event)
            if len(seen) == 15:  # the 15th event, in the middle of the second batch
                raise Crash("killed")
            return super().apply(event, batch)

    Crashing.name = cls.name
    runner = Runner(fresh.app, fresh.view(cls), Crashing(fresh.services()), Wakeup(None))
    with pytest.raises(Crash):
        follow_with(fresh, runner)
    # step: restart with a new process's projector; it resumes from the tracked position
    follow(fresh, cls(fresh.services()), chunk=11)
    rebuild(fresh.app, cls, fresh.services(), into=f"rb_{cls.name}")
    assert snapshot(fresh, cls) == snapshot(fresh, cls, f"rb_{cls.name}")


def follow_with(fresh, runner):
    view, projector = runner.view, runner.projector
    position, head = view.position(), fresh.app.head()
    while position < head:
        notes = fresh.app.recorder.select_notifications(
            start=position, limit=9, stop=head, inclusive_of_start=False
        )
        process_batch(fresh.app, view, projector, list(_decode(fresh.app, notes)), notes[-1].id)
        position = notes[-1].id


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.name)
def test_until_time_gives_the_view_as_it_was_then(fresh, cls):
    done = script(fresh.history, until=MIDPOINT)
    follow(fresh, cls(fresh.services()))
    then = snapshot(fresh, cls)
    for _, step in sorted(done["after"], key=lambda s: s[0]):
        step()
    follow(fresh, cls(fresh.services()))
    assert snapshot(fresh, cls) != then
    rebuild(fresh.app, cls, fresh.services(), until_time=MIDPOINT, into=f"rb_{cls.name}")
    assert snapshot(fresh, cls, f"rb_{cls.name}") == then


def test_a_swapped_rebuild_rewrites_the_same_redis_sorted_sets(fresh):
    script(fresh.history)
    follow(fresh, LeaderboardProjector(fresh.services()))
    live_table = snapshot(fresh, LeaderboardProjector)
    live = leaderboard_keys(fresh.redis)
    assert "leaderboard:global:weekly:2026-W10" in live
    fresh.redis.zadd("leaderboard:global:weekly:2026-W10", {"intruder": 1e18})
    fresh.redis.zadd("leaderboard:global:weekly:1999-W01", {"stale": 1.0})
    rebuild(fresh.app, LeaderboardProjector, fresh.services())
    assert snapshot(fresh, LeaderboardProjector) == live_table
    assert leaderboard_keys(fresh.redis) == live
