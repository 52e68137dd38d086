"""The learner dashboard and public profile: per-learner stats, activity days, recent activity.

Stored facts only (a pure function of the log): counters, XP, activity per local calendar day
(the learner's time zone at the time of the event), the streak run ending on the last active
day, the newest activity rows and earned achievements. "Current streak", the 30-day window and
recommendations depend on today's date and are computed at query time (``queries``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from domain.accounts import User
from domain.achievements import AchievementAward, Streak, local_day
from domain.interviews import InterviewSession
from domain.progress import LessonCompletion
from domain.quizzes import QuizAttempt
from domain.submissions import Solve, Submission
from projections.runtime import Batch, Projector, Services

CACHE_TTL_S = 300
RECENT_KEEP, ACCEPTED_KEEP = 20, 10

DDL = (
    """CREATE TABLE IF NOT EXISTS dashboard_users_view (
        user_id uuid PRIMARY KEY, timezone text NOT NULL DEFAULT 'UTC', joined_at timestamptz,
        xp bigint NOT NULL DEFAULT 0, total_submissions int NOT NULL DEFAULT 0,
        judged_submissions int NOT NULL DEFAULT 0, accepted_submissions int NOT NULL DEFAULT 0,
        problems_solved int NOT NULL DEFAULT 0, quiz_attempts int NOT NULL DEFAULT 0,
        quiz_score_sum bigint NOT NULL DEFAULT 0, lessons_completed int NOT NULL DEFAULT 0,
        interviews_completed int NOT NULL DEFAULT 0, last_active_day date,
        streak_run int NOT NULL DEFAULT 0, longest_streak int NOT NULL DEFAULT 0,
        last_active_at timestamptz, version bigint NOT NULL DEFAULT 0)""",
    "CREATE INDEX IF NOT EXISTS dashboard_users_active ON dashboard_users_view (last_active_at)",
    """CREATE TABLE IF NOT EXISTS dashboard_activity_view (
        user_id uuid NOT NULL, day date NOT NULL, submissions int NOT NULL DEFAULT 0,
        xp int NOT NULL DEFAULT 0, PRIMARY KEY (user_id, day))""",
    """CREATE TABLE IF NOT EXISTS dashboard_recent_view (
        user_id uuid NOT NULL, position bigint NOT NULL, kind text NOT NULL, ref_id uuid,
        code text, status text, score int, submission_id uuid, language text, runtime_ms int,
        at timestamptz NOT NULL, PRIMARY KEY (user_id, position))""",
    """CREATE TABLE IF NOT EXISTS user_achievements_view (
        user_id uuid NOT NULL, code text NOT NULL, name text NOT NULL, xp int NOT NULL,
        earned_at timestamptz NOT NULL, PRIMARY KEY (user_id, code))""",
    """CREATE TABLE IF NOT EXISTS dashboard_completions_view (
        user_id uuid NOT NULL, kind text NOT NULL, ref_id uuid NOT NULL,
        PRIMARY KEY (user_id, kind, ref_id))""",
    """CREATE TABLE IF NOT EXISTS platform_hourly_view (
        hour timestamptz PRIMARY KEY, submissions int NOT NULL DEFAULT 0)""",
)


@dataclass
class UserRow:
    """One row of ``dashboard_users_view`` (column order = field order)."""

    user_id: UUID
    timezone: str = "UTC"
    joined_at: datetime | None = None
    xp: int = 0
    total_submissions: int = 0
    judged_submissions: int = 0
    accepted_submissions: int = 0
    problems_solved: int = 0
    quiz_attempts: int = 0
    quiz_score_sum: int = 0
    lessons_completed: int = 0
    interviews_completed: int = 0
    last_active_day: date | None = None
    streak_run: int = 0
    longest_streak: int = 0
    last_active_at: datetime | None = None
    version: int = 0

    def active(self, at: datetime) -> None:
        """A learning action at ``at``: extends the streak by the learner's calendar day."""
        streak = Streak(self.last_active_day, self.streak_run, self.longest_streak)
        streak = streak.record(local_day(at, self.timezone))
        self.last_active_day, self.streak_run = streak.last_day, streak.run
        self.longest_streak = streak.longest
        self.last_active_at = max(filter(None, (self.last_active_at, at)))


COLUMNS = [f.name for f in fields(UserRow)]


@dataclass
class Fold:
    """One batch of events folded into rows (pure: no database, tested on its own)."""

    users: dict[UUID, UserRow] = field(default_factory=dict)
    activity: dict[tuple[UUID, date], list[int]] = field(default_factory=dict)
    recent: list[tuple[Any, ...]] = field(default_factory=list)
    achievements: list[tuple[Any, ...]] = field(default_factory=list)
    completions: set[tuple[UUID, str, UUID]] = field(default_factory=set)
    hourly: dict[datetime, int] = field(default_factory=dict)

    def user(self, user_id: UUID) -> UserRow:
        if user_id not in self.users:
            self.users[user_id] = UserRow(user_id)
        return self.users[user_id]

    def day(self, row: UserRow, at: datetime, submissions: int = 0, xp: int = 0) -> None:
        counts = self.activity.setdefault((row.user_id, local_day(at, row.timezone)), [0, 0])
        counts[0] += submissions
        counts[1] += xp

    def xp(self, row: UserRow, at: datetime, xp: int) -> None:
        if xp:
            row.xp += xp
            self.day(row, at, xp=xp)

    def apply(self, position: int, event: Any) -> None:
        handler = HANDLERS.get(type(event))
        for user_id in owners(event) if handler else ():
            row = self.user(user_id)
            handler(self, row, position, event)  # type: ignore[misc]
            row.version = position


def owners(event: Any) -> list[UUID]:
    """The learners whose dashboards an event changes."""
    if isinstance(event, User.Event):
        return [event.originator_id]
    if isinstance(event, InterviewSession.Completed):
        return list(event.participant_ids)
    return [event.user_id]


def _registered(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.timezone, row.joined_at = e.timezone or "UTC", e.timestamp


def _profile(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.timezone = e.timezone or "UTC"


def _erased(f: Fold, row: UserRow, position: int, e: Any) -> None:
    """Nothing stored changes (names are read from users_view); the cached JSON must go."""


def _submitted(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.total_submissions += 1
    row.active(e.timestamp)
    f.day(row, e.timestamp, submissions=1)
    hour = e.timestamp.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    f.hourly[hour] = f.hourly.get(hour, 0) + 1


def _judged(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.judged_submissions += 1
    row.accepted_submissions += int(e.status == "ACCEPTED")
    f.recent.append(
        (row.user_id, position, "submission", e.problem_id, None, e.status, e.points,
         e.originator_id, e.language, e.runtime_ms, e.timestamp)
    )  # fmt: skip


def _solved(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.problems_solved += 1
    f.xp(row, e.timestamp, e.xp)


def _lesson(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.lessons_completed += 1
    row.active(e.timestamp)
    f.day(row, e.timestamp)
    f.xp(row, e.timestamp, e.xp)
    f.completions.add((row.user_id, "lesson", e.lesson_id))
    f.recent.append(
        (row.user_id, position, "lesson", e.lesson_id, None, "COMPLETED", None, None, None,
         None, e.timestamp)
    )  # fmt: skip


def _quiz(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.quiz_attempts += 1
    row.quiz_score_sum += e.percentage
    row.active(e.timestamp)
    f.day(row, e.timestamp)
    f.xp(row, e.timestamp, e.xp)
    if e.passed:
        f.completions.add((row.user_id, "quiz", e.quiz_id))
    status = "PASSED" if e.passed else "FAILED"
    f.recent.append(
        (row.user_id, position, "quiz", e.quiz_id, None, status, e.percentage, None, None,
         None, e.timestamp)
    )  # fmt: skip


def _earned(f: Fold, row: UserRow, position: int, e: Any) -> None:
    f.xp(row, e.timestamp, e.xp)
    f.achievements.append((row.user_id, e.code, e.name, e.xp, e.timestamp))
    f.recent.append(
        (row.user_id, position, "achievement", None, e.code, "EARNED", e.xp, None, None, None,
         e.timestamp)
    )  # fmt: skip


def _interview(f: Fold, row: UserRow, position: int, e: Any) -> None:
    row.interviews_completed += 1
    row.active(e.timestamp)
    f.day(row, e.timestamp)
    f.recent.append(
        (row.user_id, position, "interview", e.originator_id, None, "COMPLETED", None, None, None,
         None, e.timestamp)
    )  # fmt: skip


HANDLERS: dict[type, Callable[[Fold, UserRow, int, Any], None]] = {
    User.Registered: _registered,
    User.ProfileUpdated: _profile,
    User.Erased: _erased,
    Submission.Submitted: _submitted,
    Submission.Judged: _judged,
    Solve.Recorded: _solved,
    LessonCompletion.Completed: _lesson,
    QuizAttempt.Submitted: _quiz,
    AchievementAward.Earned: _earned,
    InterviewSession.Completed: _interview,
}


def cache_key(user_id: UUID | str) -> str:
    return f"user:{user_id}:dashboard"


def profile_key(user_id: UUID | str) -> str:
    return f"user:{user_id}:profile"


def generation_key(user_id: UUID | str) -> str:
    """Set after every change, so a reader that raced the change does not cache stale data."""
    return f"user:{user_id}:dashboard:gen"


def user_changed(services: Services, batch: Batch, user_ids: Iterable[UUID]) -> None:
    """Invalidate the cached dashboard and profile of these learners after the commit."""
    ids = set(user_ids)
    if batch.rebuilding:  # scratch tables: the live caches are not theirs to drop
        return
    for uid in ids:
        batch.invalidate(cache_key(uid), profile_key(uid))
    redis = services.redis
    if redis is None or not ids:
        return

    def bump() -> None:
        pipe = redis.pipeline(transaction=False)
        for uid in ids:
            pipe.set(generation_key(uid), batch.position, ex=CACHE_TTL_S * 2)
        pipe.execute()

    batch.after_commit(bump)


class DashboardProjector(Projector):
    """Every table behind ``GET /users/me/dashboard`` and ``GET /users/{id}/profile``."""

    name = "dashboard"
    tables = (
        "dashboard_users_view",
        "dashboard_activity_view",
        "dashboard_recent_view",
        "user_achievements_view",
        "dashboard_completions_view",
        "platform_hourly_view",
    )
    ddl = DDL
    topics = tuple(HANDLERS)

    def __init__(self, services: Services | None = None) -> None:
        super().__init__(services)
        self._batch: Batch | None = None
        self._events: list[tuple[int, Any]] = []

    def _pending(self, batch: Batch) -> list[tuple[int, Any]]:
        if self._batch is not batch:  # a new batch (or a retry after a rollback)
            self._batch, self._events = batch, []
        return self._events

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        if type(event) in HANDLERS:
            self._pending(batch).append((batch.position, event))

    def finish(self, batch: Batch) -> None:
        events = self._pending(batch)
        if not events:
            return
        fold = Fold()
        ids = {uid for _, e in events for uid in owners(e)}
        for row in load_users(batch.cursor, ids):
            fold.users[row.user_id] = row
        for position, event in events:
            fold.apply(position, event)
        store(batch.cursor, fold)
        user_changed(self.services, batch, fold.users)
        self._events = []


def load_users(cursor: Cursor[DictRow], ids: set[UUID]) -> list[UserRow]:
    cursor.execute(
        f"SELECT {', '.join(COLUMNS)} FROM dashboard_users_view WHERE user_id = ANY(%s)",
        (list(ids),),
    )
    return [UserRow(**row) for row in cursor.fetchall()]


USER_TYPES = ("uuid", "text", "timestamptz", "bigint", "int", "int", "int", "int", "int",
              "bigint", "int", "int", "date", "int", "int", "timestamptz", "bigint")  # fmt: skip
RECENT_TYPES = ("uuid", "bigint", "text", "uuid", "text", "text", "int", "uuid", "text", "int",
                "timestamptz")  # fmt: skip


def unnest(types: Sequence[str]) -> str:
    """``SELECT * FROM unnest(%s::t1[], ...)``: one statement writes a whole batch of rows."""
    return "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + ")"


def transpose(rows: Iterable[Sequence[Any]], width: int) -> list[list[Any]]:
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return columns


def bulk(cursor: Cursor[DictRow], sql: str, types: Sequence[str], rows: list[Any]) -> None:
    """Run ``sql`` (holding ``{rows}`` where the unnest goes) over all rows at once."""
    if rows:
        cursor.execute(sql.format(rows=unnest(types)), transpose(rows, len(types)), binary=True)


UPSERT_USER = (
    f"INSERT INTO dashboard_users_view ({', '.join(COLUMNS)}) {{rows}}"
    " ON CONFLICT (user_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
)


def newest(recent: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows the trim would keep anyway (fewer rows to write in a big batch)."""
    kept, counts = [], {}
    for row in sorted(recent, key=lambda r: r[1], reverse=True):
        accepted = row[2] == "submission" and row[5] == "ACCEPTED"
        n_all = counts[(row[0], None)] = counts.get((row[0], None), 0) + 1
        n_kind = counts[(row[0], accepted)] = counts.get((row[0], accepted), 0) + 1
        if n_all <= RECENT_KEEP or (accepted and n_kind <= ACCEPTED_KEEP):
            kept.append(row)
    return kept


def store(cursor: Cursor[DictRow], fold: Fold) -> None:
    users = [tuple(getattr(row, c) for c in COLUMNS) for row in fold.users.values()]
    bulk(cursor, UPSERT_USER, USER_TYPES, users)
    _store_activity(cursor, fold)
    if fold.recent:
        bulk(cursor, "INSERT INTO dashboard_recent_view {rows} ON CONFLICT DO NOTHING",
             RECENT_TYPES, newest(fold.recent))  # fmt: skip
        _trim_recent(cursor, {r[0] for r in fold.recent})
    bulk(cursor, "INSERT INTO user_achievements_view {rows} ON CONFLICT DO NOTHING",
         ("uuid", "text", "text", "int", "timestamptz"), fold.achievements)  # fmt: skip
    bulk(cursor, "INSERT INTO dashboard_completions_view {rows} ON CONFLICT DO NOTHING",
         ("uuid", "text", "uuid"), list(fold.completions))  # fmt: skip


def _store_activity(cursor: Cursor[DictRow], fold: Fold) -> None:
    bulk(
        cursor,
        "INSERT INTO dashboard_activity_view AS t {rows} ON CONFLICT (user_id, day) DO UPDATE"
        " SET submissions = t.submissions + excluded.submissions, xp = t.xp + excluded.xp",
        ("uuid", "date", "int", "int"),
        [(u, d, s, x) for (u, d), (s, x) in fold.activity.items()],
    )
    bulk(
        cursor,
        "INSERT INTO platform_hourly_view AS t {rows} ON CONFLICT (hour)"
        " DO UPDATE SET submissions = t.submissions + excluded.submissions",
        ("timestamptz", "int"),
        list(fold.hourly.items()),
    )


def _trim_recent(cursor: Cursor[DictRow], user_ids: set[UUID]) -> None:
    """Keep each learner's newest rows, and their newest accepted submissions for the profile."""
    cursor.execute(
        """DELETE FROM dashboard_recent_view d USING (
            SELECT user_id, position,
                row_number() OVER (PARTITION BY user_id ORDER BY position DESC) AS n_all,
                row_number() OVER (PARTITION BY user_id, (kind = 'submission'
                    AND status = 'ACCEPTED') ORDER BY position DESC) AS n_kind,
                (kind = 'submission' AND status = 'ACCEPTED') AS accepted
            FROM dashboard_recent_view WHERE user_id = ANY(%s)) x
        WHERE d.user_id = x.user_id AND d.position = x.position AND x.n_all > %s
            AND (NOT x.accepted OR x.n_kind > %s)""",
        (list(user_ids), RECENT_KEEP, ACCEPTED_KEEP),
    )
