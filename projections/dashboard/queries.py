"""Dashboard and profile queries: today's streak, the 30-day chart, titles and recommendations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from domain.achievements import BY_CODE, Streak, award_id, level_for, local_day
from projections.dashboard.projector import ACCEPTED_KEEP, COLUMNS, UserRow


class DashboardUser(msgspec.Struct):
    id: UUID
    display_name: str
    level: str
    level_number: int
    xp: int
    xp_to_next_level: int


class DashboardStats(msgspec.Struct):
    total_submissions: int
    problems_solved: int
    problems_attempted: int
    quiz_attempts: int
    average_quiz_score: int
    interview_sessions_completed: int
    lessons_completed: int
    current_streak_days: int
    longest_streak_days: int


class ActivityDay(msgspec.Struct):
    date: date
    submissions: int
    xp_earned: int


class ActivityChart(msgspec.Struct):
    last_30_days: list[ActivityDay]


class EarnedAchievement(msgspec.Struct):
    id: UUID
    code: str
    name: str
    description: str
    icon_url: str
    xp: int
    rarity: str
    earned_at: datetime


class RecentActivity(msgspec.Struct, omit_defaults=True):
    type: str
    status: str
    timestamp: datetime
    id: UUID | None = None
    title: str | None = None
    problem_title: str | None = None
    score: int | None = None
    code: str | None = None


class Recommendation(msgspec.Struct):
    type: str
    id: UUID
    title: str
    reason: str


class Dashboard(msgspec.Struct):
    user: DashboardUser
    stats: DashboardStats
    activity_chart: ActivityChart
    achievements: list[EarnedAchievement]
    recent_activity: list[RecentActivity]
    recommended_next: list[Recommendation]


EMPTY_ROW = UserRow(user_id=UUID(int=0))


async def _one(conn: Any, sql: str, *params: Any) -> dict[str, Any] | None:
    cur = await conn.execute(sql, params)
    row = await cur.fetchone()
    return dict(row) if row is not None else None


async def _all(conn: Any, sql: str, *params: Any) -> list[dict[str, Any]]:
    cur = await conn.execute(sql, params)
    return [dict(r) for r in await cur.fetchall()]


async def user_row(conn: Any, user_id: UUID) -> UserRow:
    found = await _one(
        conn, f"SELECT {', '.join(COLUMNS)} FROM dashboard_users_view WHERE user_id = %s", user_id
    )
    return UserRow(**found) if found else replace(EMPTY_ROW, user_id=user_id)


async def display_name(conn: Any, user_id: UUID) -> dict[str, Any] | None:
    """Public account fields from the accounts read model (``users_view``)."""
    return await _one(
        conn,
        "SELECT display_name, bio, created_at, is_active FROM users_view WHERE id = %s",
        user_id,
    )


def today_for(row: UserRow, now: datetime | None = None) -> date:
    return local_day(now or datetime.now(UTC), row.timezone)


async def _statuses(conn: Any, user_id: UUID) -> tuple[int, int]:
    found = await _one(
        conn,
        "SELECT count(*) AS attempted, count(*) FILTER (WHERE status = 'solved') AS solved"
        " FROM user_problem_status_view WHERE user_id = %s",
        user_id,
    )
    return (found or {}).get("attempted", 0), (found or {}).get("solved", 0)


async def _stats(conn: Any, row: UserRow, today: date) -> DashboardStats:
    attempted, _ = await _statuses(conn, row.user_id)
    streak = Streak(row.last_active_day, row.streak_run, row.longest_streak)
    average = round(row.quiz_score_sum / row.quiz_attempts) if row.quiz_attempts else 0
    return DashboardStats(
        total_submissions=row.total_submissions,
        problems_solved=row.problems_solved,
        problems_attempted=attempted,
        quiz_attempts=row.quiz_attempts,
        average_quiz_score=average,
        interview_sessions_completed=row.interviews_completed,
        lessons_completed=row.lessons_completed,
        current_streak_days=streak.current(today),
        longest_streak_days=row.longest_streak,
    )


async def _chart(conn: Any, user_id: UUID, today: date) -> ActivityChart:
    start = today - timedelta(days=29)
    rows = await _all(
        conn,
        "SELECT day, submissions, xp FROM dashboard_activity_view"
        " WHERE user_id = %s AND day BETWEEN %s AND %s",
        user_id,
        start,
        today,
    )
    by_day = {r["day"]: r for r in rows}
    days = [start + timedelta(days=i) for i in range(30)]
    return ActivityChart(
        [
            ActivityDay(d, by_day[d]["submissions"], by_day[d]["xp"])
            if d in by_day
            else ActivityDay(d, 0, 0)
            for d in days
        ]
    )


async def list_achievements(conn: Any, user_id: UUID) -> list[EarnedAchievement]:
    rows = await _all(
        conn,
        "SELECT code, name, xp, earned_at FROM user_achievements_view WHERE user_id = %s"
        " ORDER BY earned_at DESC, code",
        user_id,
    )
    return [_earned_struct(user_id, r) for r in rows]


def _earned_struct(user_id: UUID, r: dict[str, Any]) -> EarnedAchievement:
    known = BY_CODE.get(r["code"])
    return EarnedAchievement(
        id=award_id(user_id, r["code"]),
        code=r["code"],
        name=r["name"],
        description=known.description if known else "",
        icon_url=known.icon_url if known else "",
        xp=r["xp"],
        rarity=known.rarity if known else "common",
        earned_at=r["earned_at"],
    )


RECENT_SQL = """
SELECT r.kind, r.ref_id, r.code, r.status, r.score, r.at,
    COALESCE(p.title, l.title, q.title) AS title
FROM dashboard_recent_view r
LEFT JOIN problems p ON r.kind = 'submission' AND p.id = r.ref_id
LEFT JOIN lessons l ON r.kind = 'lesson' AND l.id = r.ref_id
LEFT JOIN quizzes q ON r.kind = 'quiz' AND q.id = r.ref_id
WHERE r.user_id = %s ORDER BY r.position DESC LIMIT %s"""


async def _recent(conn: Any, user_id: UUID, limit: int = 10) -> list[RecentActivity]:
    out = []
    for r in await _all(conn, RECENT_SQL, user_id, limit):
        title = r["title"] or (BY_CODE[r["code"]].name if r["code"] in BY_CODE else r["code"])
        item = RecentActivity(
            type=r["kind"], status=r["status"], timestamp=r["at"], id=r["ref_id"], title=title
        )
        if r["kind"] == "submission":
            item.problem_title = title
        if r["kind"] in ("quiz", "achievement"):
            item.score = r["score"]
        if r["kind"] == "achievement":
            item.code = r["code"]
        out.append(item)
    return out


PROBLEMS_NEXT = """
SELECT p.id, p.title, s.status FROM problems p
LEFT JOIN user_problem_status_view s ON s.problem_id = p.id AND s.user_id = %s
WHERE p.is_published AND NOT p.is_premium AND s.status IS DISTINCT FROM 'solved'
ORDER BY (s.status = 'attempted') IS TRUE DESC, abs(p.difficulty - %s), p.created_at, p.id
LIMIT 2"""

LESSONS_NEXT = """
WITH done AS (SELECT ref_id FROM dashboard_completions_view WHERE user_id = %s AND kind = 'lesson')
SELECT l.id, l.title, l.topic_id IN (SELECT topic_id FROM lessons WHERE id IN
    (SELECT ref_id FROM done)) AS started
FROM lessons l WHERE l.is_published AND l.id NOT IN (SELECT ref_id FROM done)
ORDER BY started DESC, l.display_order, l.created_at, l.id LIMIT 1"""


async def recommended(conn: Any, user_id: UUID, level_number: int) -> list[Recommendation]:
    """An unsolved problem you attempted (or one near your level), then the next lesson."""
    target = 1 if level_number < 5 else 2 if level_number < 10 else 3
    out = [
        Recommendation(
            "problem", r["id"], r["title"],
            "Finish what you started" if r["status"] else "Next problem at your level",
        )
        for r in await _all(conn, PROBLEMS_NEXT, user_id, target)
    ]  # fmt: skip
    for r in await _all(conn, LESSONS_NEXT, user_id):
        reason = "Continue your topic" if r["started"] else "Start a new topic"
        out.append(Recommendation("lesson", r["id"], r["title"], reason))
    return out


async def get_dashboard(conn: Any, user_id: UUID, now: datetime | None = None) -> Dashboard:
    """Everything ``GET /users/me/dashboard`` shows (zeros for a learner with no activity)."""
    row = await user_row(conn, user_id)
    account = await display_name(conn, user_id) or {}
    today = today_for(row, now)
    level = level_for(row.xp)
    user = DashboardUser(
        user_id, account.get("display_name", ""), level.title, level.number, row.xp,
        level.xp_to_next,
    )  # fmt: skip
    return Dashboard(
        user=user,
        stats=await _stats(conn, row, today),
        activity_chart=await _chart(conn, user_id, today),
        achievements=await list_achievements(conn, user_id),
        recent_activity=await _recent(conn, user_id),
        recommended_next=await recommended(conn, user_id, level.number),
    )


class ProfileStats(msgspec.Struct):
    problems_solved: int
    total_submissions: int
    acceptance_rate: float


class Badge(msgspec.Struct):
    code: str
    name: str
    icon_url: str
    rarity: str


class AcceptedSubmission(msgspec.Struct):
    submission_id: UUID
    problem_id: UUID
    problem_title: str
    language: str
    runtime_ms: int | None
    accepted_at: datetime


class Profile(msgspec.Struct):
    id: UUID
    display_name: str
    avatar_url: str | None
    bio: str
    level: str
    level_number: int
    xp: int
    reputation: int
    joined_at: datetime
    stats: ProfileStats
    badges: list[Badge]
    recent_submissions: list[AcceptedSubmission]


ACCEPTED_SQL = """
SELECT r.submission_id, r.ref_id AS problem_id, COALESCE(p.title, '') AS problem_title,
    COALESCE(r.language, '') AS language, r.runtime_ms, r.at AS accepted_at
FROM dashboard_recent_view r LEFT JOIN problems p ON p.id = r.ref_id
WHERE r.user_id = %s AND r.kind = 'submission' AND r.status = 'ACCEPTED'
ORDER BY r.position DESC LIMIT %s"""


async def get_profile(conn: Any, user_id: UUID) -> Profile | None:
    """Public fields only (no e-mail, no code); None for an unknown or inactive account."""
    account = await display_name(conn, user_id)
    if account is None or not account["is_active"]:
        return None
    row = await user_row(conn, user_id)
    level = level_for(row.xp)
    rate = row.accepted_submissions / row.judged_submissions if row.judged_submissions else 0.0
    badges = [
        Badge(a.code, a.name, a.icon_url, a.rarity) for a in await list_achievements(conn, user_id)
    ]
    accepted = await _all(conn, ACCEPTED_SQL, user_id, ACCEPTED_KEEP)
    return Profile(
        id=user_id, display_name=account["display_name"], avatar_url=None, bio=account["bio"],
        level=level.title, level_number=level.number, xp=row.xp, reputation=row.xp,
        joined_at=row.joined_at or account["created_at"],
        stats=ProfileStats(row.problems_solved, row.total_submissions, round(rate, 4)),
        badges=badges,
        recent_submissions=[msgspec.convert(a, AcceptedSubmission) for a in accepted],
    )  # fmt: skip


async def tracked_version(conn: Any, user_id: UUID) -> int:
    found = await _one(conn, "SELECT version FROM dashboard_users_view WHERE user_id = %s", user_id)
    return int(found["version"]) if found else 0
