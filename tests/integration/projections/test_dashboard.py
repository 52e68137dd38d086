from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from projections.catalog import CatalogProjector
from projections.dashboard import DashboardProjector, get_dashboard, get_profile
from projections.problem_stats import ProblemStatsProjector
from projections.users import UsersProjector

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def run_all(fresh):
    for cls in (UsersProjector, CatalogProjector, ProblemStatsProjector, DashboardProjector):
        fresh.catch_up(cls(fresh.services()))


def query(fresh, fn, *args, **kw):
    async def go():
        conn = await psycopg.AsyncConnection.connect(fresh.url, autocommit=True)
        conn.row_factory = dict_row
        async with conn:
            return await fn(conn, *args, **kw)

    return asyncio.run(go())


def user_row(fresh, uid):
    (row,) = fresh.rows("SELECT * FROM dashboard_users_view WHERE user_id = %s", uid)
    return row


def test_dashboard_after_a_scripted_history(fresh):
    h = fresh.history
    topic = h.topic(T0)
    easy, hard = h.problem(T0, topic, 1, "Two Sum"), h.problem(T0, topic, 3, "Hard One")
    lesson, quiz = h.lesson(T0, topic), h.quiz(T0, topic)
    ada = h.user(T0, "Ada")
    h.submit(T0, ada, easy, "FAILED")
    h.submit(T0 + timedelta(minutes=5), ada, easy, "ACCEPTED")
    h.submit(T0 + timedelta(minutes=9), ada, hard, "TIMEOUT")
    h.complete(T0 + timedelta(hours=1), ada, lesson)
    h.take_quiz(T0 + timedelta(days=1), ada, quiz, 80)
    h.take_quiz(T0 + timedelta(days=1, hours=1), ada, quiz, 40)
    run_all(fresh)
    row = user_row(fresh, ada)
    assert (row["total_submissions"], row["judged_submissions"], row["accepted_submissions"]) == (
        3,
        3,
        1,
    )
    assert (row["problems_solved"], row["lessons_completed"], row["quiz_attempts"]) == (1, 1, 2)
    assert row["xp"] == 10 + 50 + 30  # easy solve, beginner lesson, first quiz pass
    assert (row["streak_run"], row["longest_streak"]) == (2, 2)
    board = query(fresh, get_dashboard, ada, now=T0 + timedelta(days=2))
    assert board.user.display_name == "Ada" and board.user.xp == 90
    assert (board.user.level, board.user.level_number, board.user.xp_to_next_level) == (
        "Beginner",
        1,
        10,
    )
    s = board.stats
    assert (s.problems_solved, s.problems_attempted, s.average_quiz_score) == (1, 2, 60)
    assert (s.current_streak_days, s.longest_streak_days) == (2, 2)
    days = board.activity_chart.last_30_days
    assert len(days) == 30 and days[-1].date == date(2026, 3, 4)
    by_day = {d.date: d for d in days}
    assert (by_day[date(2026, 3, 2)].submissions, by_day[date(2026, 3, 2)].xp_earned) == (3, 60)
    assert by_day[date(2026, 3, 3)].xp_earned == 30
    kinds = [(a.type, a.status) for a in board.recent_activity]
    assert kinds[:3] == [("quiz", "FAILED"), ("quiz", "PASSED"), ("lesson", "COMPLETED")]
    assert ("submission", "ACCEPTED") in kinds
    assert board.recent_activity[-1].problem_title == "Two Sum"
    recommended = [(r.type, r.id) for r in board.recommended_next]
    assert recommended[0] == ("problem", hard)  # attempted, not solved
    assert all(r[1] != easy for r in recommended)
    profile = query(fresh, get_profile, ada)
    assert profile.stats.acceptance_rate == round(1 / 3, 4)
    assert [s.problem_title for s in profile.recent_submissions] == ["Two Sum"]
    assert not hasattr(profile, "email")


def test_streaks_across_midnight_in_two_time_zones(fresh):
    h = fresh.history
    topic = h.topic(T0)
    pid = h.problem(T0, topic)
    tokyo, london = h.user(T0, "Kei", "Asia/Tokyo"), h.user(T0, "Lou", "UTC")
    before = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    after = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # 00:30 the next day in Tokyo
    for uid in (tokyo, london):
        h.submit(before, uid, pid, "FAILED")
        h.submit(after, uid, pid, "FAILED")
    york = h.user(T0, "Ny", "America/New_York")
    h.submit(datetime(2026, 3, 3, 4, 30, tzinfo=UTC), york, pid, "FAILED")  # 23:30 EST
    h.submit(datetime(2026, 3, 3, 5, 30, tzinfo=UTC), york, pid, "FAILED")  # 00:30 EST
    run_all(fresh)
    runs = {u: user_row(fresh, u)["streak_run"] for u in (tokyo, london, york)}
    assert runs == {tokyo: 2, london: 1, york: 2}
    assert user_row(fresh, tokyo)["last_active_day"] == date(2026, 3, 3)
    # step: the current streak is computed against the learner's own today
    late = datetime(2026, 3, 4, 14, 59, tzinfo=UTC)  # 23:59 on the 4th in Tokyo: still alive
    assert query(fresh, get_dashboard, tokyo, now=late).stats.current_streak_days == 2
    gone = datetime(2026, 3, 4, 15, 1, tzinfo=UTC)  # 00:01 on the 5th in Tokyo: broken
    assert query(fresh, get_dashboard, tokyo, now=gone).stats.current_streak_days == 0
    assert query(fresh, get_dashboard, london, now=gone).stats.current_streak_days == 0
    assert query(fresh, get_dashboard, london, now=gone).stats.longest_streak_days == 1


def test_a_time_zone_change_applies_from_then_on(fresh):
    h = fresh.history
    pid = h.problem(T0, h.topic(T0))
    uid = h.user(T0, "Mo", "UTC")
    h.submit(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), uid, pid, "FAILED")
    h.move(datetime(2026, 3, 2, 21, 0, tzinfo=UTC), uid, "Asia/Tokyo")
    h.submit(datetime(2026, 3, 2, 22, 0, tzinfo=UTC), uid, pid, "FAILED")  # the 3rd in Tokyo
    run_all(fresh)
    row = user_row(fresh, uid)
    assert (row["timezone"], row["last_active_day"], row["streak_run"]) == (
        "Asia/Tokyo",
        date(2026, 3, 3),
        2,
    )
