from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from commands.achievements import Achievements
from domain.achievements import award_id
from projections.achievements import AchievementsPolicy
from projections.catalog import CatalogProjector
from projections.dashboard import DashboardProjector
from projections.leaderboard import LeaderboardProjector, list_leaders, xp_of
from projections.learning_profile import LearningProfileProjector, get_learning_profile
from projections.users import UsersProjector

SUNDAY_LATE = datetime(2026, 3, 8, 23, 59, tzinfo=UTC)  # last minute of 2026-W10
MONDAY_EARLY = datetime(2026, 3, 9, 0, 1, tzinfo=UTC)  # first minutes of 2026-W11


def zset(redis, key):
    return {m.decode(): xp_of(s) for m, s in redis.zrevrange(key, 0, -1, withscores=True)}


def test_weekly_board_rolls_over_at_the_utc_week_boundary(fresh):
    h = fresh.history
    topic = h.topic(SUNDAY_LATE)
    easy, medium = h.problem(SUNDAY_LATE, topic, 1), h.problem(SUNDAY_LATE, topic, 2)
    ada = h.user(SUNDAY_LATE)
    h.submit(SUNDAY_LATE - timedelta(seconds=30), ada, easy, "ACCEPTED")  # judged 23:59:31
    h.submit(MONDAY_EARLY, ada, medium, "ACCEPTED")
    fresh.catch_up(LeaderboardProjector(fresh.services()))
    r, a = fresh.redis, str(ada)
    assert zset(r, "leaderboard:global:weekly:2026-W10") == {a: 10}
    assert zset(r, "leaderboard:global:weekly:2026-W11") == {a: 25}
    assert zset(r, "leaderboard:global:monthly:2026-03") == {a: 35}
    assert zset(r, "leaderboard:global:all_time") == {a: 35}
    assert zset(r, f"leaderboard:topic:{topic}:weekly:2026-W11") == {a: 25}
    assert r.ttl("leaderboard:global:weekly:2026-W10") > 0
    assert r.ttl("leaderboard:global:all_time") == -1


def test_equal_points_rank_whoever_got_there_first(fresh):
    h = fresh.history
    topic = h.topic(SUNDAY_LATE)
    p1, p2 = h.problem(SUNDAY_LATE, topic, 1), h.problem(SUNDAY_LATE, topic, 1)
    late, early = h.user(SUNDAY_LATE, "Late"), h.user(SUNDAY_LATE, "Early")
    h.submit(MONDAY_EARLY, early, p1, "ACCEPTED")
    h.submit(MONDAY_EARLY + timedelta(minutes=1), late, p1, "ACCEPTED")
    h.submit(MONDAY_EARLY + timedelta(minutes=2), late, p2, "ACCEPTED")
    h.submit(MONDAY_EARLY + timedelta(minutes=3), early, p2, "ACCEPTED")  # ties again, later
    for cls in (UsersProjector, LeaderboardProjector):
        fresh.catch_up(cls(fresh.services()))
    top = query(fresh, leaders_now, "weekly", MONDAY_EARLY + timedelta(hours=1))
    assert [(e.user.display_name, e.points, e.rank) for e in top] == [
        ("Late", 20, 1),
        ("Early", 20, 2),
    ]
    fresh.redis.delete("leaderboard:global:weekly:2026-W11")  # Redis lost: the table answers
    again = query(fresh, leaders_now, "weekly", MONDAY_EARLY + timedelta(hours=1))
    assert [e.user.display_name for e in again] == ["Late", "Early"]


async def leaders_now(conn, redis_url, timeframe, now):
    import redis.asyncio as aredis

    client = aredis.Redis.from_url(redis_url)
    try:
        entries, _ = await list_leaders(client, conn, timeframe, None, 10, now)
    finally:
        await client.aclose()
    return entries


def query(fresh, fn, *args):
    async def go():
        conn = await psycopg.AsyncConnection.connect(fresh.url, autocommit=True)
        conn.row_factory = dict_row
        async with conn:
            if fn is leaders_now:
                url = fresh.redis.connection_pool.connection_kwargs
                return await fn(conn, f"redis://127.0.0.1:6379/{url['db']}", *args)
            return await fn(conn, *args)

    return asyncio.run(go())


def test_learning_profile_weak_and_strong_topics(fresh):
    h = fresh.history
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    arrays, graphs = h.topic(t0, "Arrays"), h.topic(t0, "Graphs")
    ada = h.user(t0)
    for i in range(4):
        pid = h.problem(t0, arrays, 3)
        h.submit(t0 + timedelta(hours=i), ada, pid, "ACCEPTED")
    quiz = h.quiz(t0, graphs)
    h.take_quiz(t0 + timedelta(days=1), ada, quiz, 40)
    for cls in (CatalogProjector, DashboardProjector, LearningProfileProjector):
        fresh.catch_up(cls(fresh.services()))
    profile = query(fresh, get_learning_profile, ada)
    assert profile.xp == 4 * 50 and profile.current_level == "beginner"
    by_name = {t.name: t for t in profile.topics}
    assert by_name["Arrays"].problems_solved == 4 and by_name["Graphs"].quiz_average == 40
    assert by_name["Arrays"].proficiency > 70 > 50 > by_name["Graphs"].proficiency
    assert [t.name for t in profile.strong_topics] == ["Arrays"]
    assert [t.name for t in profile.weak_topics] == ["Graphs"]
    assert profile.learning_preferences == {"preferred_difficulty": "hard"}
    assert profile.longest_streak_days == 2


def test_policy_asks_once_and_the_award_happens_exactly_once(fresh):
    h = fresh.history
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    topic = h.topic(t0)
    ada = h.user(t0)
    for i, lang in enumerate(["python3.10", "cpp17", "java17", "javascript"]):
        h.submit(t0 + timedelta(days=i), ada, h.problem(t0, topic, 1 + i % 3), "ACCEPTED", lang)
    policy = AchievementsPolicy(fresh.services())
    fresh.catch_up(policy)
    (row,) = fresh.rows("SELECT * FROM achievement_facts WHERE user_id = %s", ada)
    assert row["requested"] == ["first-blood", "hard-hitter", "polyglot", "well-rounded"]
    assert (row["problems_solved"], row["run"], row["longest_streak"]) == (4, 4, 4)
    # step: the award job runs twice and twice concurrently: one Earned event
    service = Achievements(fresh.app)
    assert service.award(ada, "polyglot").created
    assert not service.award(ada, "polyglot").created
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(service.award(ada, "first-blood")))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.created for r in results) == 1
    stored = fresh.app.recorder.select_events(award_id(ada, "first-blood"))
    assert len(stored) == 1
    fresh.catch_up(DashboardProjector(fresh.services()))
    (user,) = fresh.rows("SELECT xp FROM dashboard_users_view WHERE user_id = %s", ada)
    assert user["xp"] == 10 + 25 + 50 + 10 + 300 + 50  # four solves, polyglot, first blood
