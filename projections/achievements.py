"""The achievements policy: follows the log, keeps each learner's facts, asks for awards.

When a learner's facts first satisfy an achievement's criteria, the policy enqueues the job
``award_achievement(user_id, code)`` on the ``notifications`` queue before its tracking row
commits (at least once); the actor calls ``Achievements.award``, whose uuid5 aggregate makes
the award happen exactly once. A job rather than a direct command call keeps the policy off
the event-store lock and out of rebuilds (a replay re-derives facts, sends nothing), and lets
dramatiq retry a failed award.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from commands.context import acting
from domain.accounts import User
from domain.achievements import (
    AchievementAward,
    LearnerFacts,
    Streak,
    language_family,
    local_day,
    satisfied,
)
from domain.interviews import InterviewSession
from domain.progress import LessonCompletion
from domain.quizzes import QuizAttempt
from domain.submissions import Solve, Submission
from infra.broker import enqueue
from projections.dashboard.projector import bulk
from projections.runtime import Batch, Projector, Services

ACTOR, QUEUE = "award_achievement", "notifications"

DDL = (
    """CREATE TABLE IF NOT EXISTS achievement_facts (
        user_id uuid PRIMARY KEY, timezone text NOT NULL DEFAULT 'UTC',
        problems_solved int NOT NULL DEFAULT 0, hard_solved int NOT NULL DEFAULT 0,
        difficulties int[] NOT NULL DEFAULT '{}', languages text[] NOT NULL DEFAULT '{}',
        quizzes_passed int NOT NULL DEFAULT 0, perfect_quizzes int NOT NULL DEFAULT 0,
        lessons_completed int NOT NULL DEFAULT 0, last_day date, run int NOT NULL DEFAULT 0,
        longest_streak int NOT NULL DEFAULT 0, requested text[] NOT NULL DEFAULT '{}')""",
)


@dataclass
class Learner:
    """One row of ``achievement_facts``: the facts plus the awards already asked for."""

    user_id: UUID
    timezone: str = "UTC"
    facts: LearnerFacts = field(default_factory=LearnerFacts)
    streak: Streak = field(default_factory=Streak)
    requested: set[str] = field(default_factory=set)

    def update(self, **changes: Any) -> None:
        self.facts = replace(self.facts, **changes)

    def active(self, moment: Any) -> None:
        self.streak = self.streak.record(local_day(moment, self.timezone))
        self.update(longest_streak=self.streak.longest)

    def due(self) -> list[str]:
        """Codes newly satisfied (marked requested, so each is asked for once)."""
        new = [a.code for a in satisfied(self.facts) if a.code not in self.requested]
        self.requested.update(new)
        return new


def _registered(row: Learner, e: Any) -> None:
    row.timezone = e.timezone or "UTC"


def _submitted(row: Learner, e: Any) -> None:
    row.active(e.timestamp)


def _judged(row: Learner, e: Any) -> None:
    if e.status == "ACCEPTED":
        row.update(languages=row.facts.languages | {language_family(e.language)})


def _solved(row: Learner, e: Any) -> None:
    f = row.facts
    row.update(
        problems_solved=f.problems_solved + 1,
        hard_solved=f.hard_solved + int(e.difficulty >= 3),
        difficulties=f.difficulties | {int(e.difficulty)},
    )


def _lesson(row: Learner, e: Any) -> None:
    row.update(lessons_completed=row.facts.lessons_completed + 1)
    row.active(e.timestamp)


def _quiz(row: Learner, e: Any) -> None:
    f = row.facts
    row.update(
        quizzes_passed=f.quizzes_passed + int(e.passed),
        perfect_quizzes=f.perfect_quizzes + int(e.percentage >= 100),
    )
    row.active(e.timestamp)


def _earned(row: Learner, e: Any) -> None:
    row.requested.add(e.code)


HANDLERS: dict[type, Callable[[Learner, Any], None]] = {
    User.Registered: _registered,
    User.ProfileUpdated: _registered,
    Submission.Submitted: _submitted,
    Submission.Judged: _judged,
    Solve.Recorded: _solved,
    LessonCompletion.Completed: _lesson,
    QuizAttempt.Submitted: _quiz,
    AchievementAward.Earned: _earned,
    InterviewSession.Completed: _submitted,
}


def owners(event: Any) -> list[UUID]:
    if isinstance(event, User.Event):
        return [event.originator_id]
    if isinstance(event, InterviewSession.Completed):
        return list(event.participant_ids)
    return [event.user_id]


def fold(rows: dict[UUID, Learner], events: list[Any]) -> list[tuple[UUID, str]]:
    """Apply events in order; the (user, code) awards they newly make due."""
    due = []
    for event in events:
        for uid in owners(event):
            row = rows.setdefault(uid, Learner(uid))
            HANDLERS[type(event)](row, event)
            due += [(uid, code) for code in row.due()]
    return due


class AchievementsPolicy(Projector):
    """Turns learners' facts into ``award_achievement`` jobs (a dispatcher)."""

    name = "achievements"
    tables = ("achievement_facts",)
    ddl = DDL
    topics = tuple(HANDLERS)
    dispatcher = True

    def __init__(self, services: Services | None = None) -> None:
        super().__init__(services)
        self._batch: Batch | None = None
        self._events: list[Any] = []

    def _pending(self, batch: Batch) -> list[Any]:
        if self._batch is not batch:  # a new batch (or a retry after a rollback)
            self._batch, self._events = batch, []
        return self._events

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        if type(event) in HANDLERS:
            self._pending(batch).append(event)

    def finish(self, batch: Batch) -> None:
        events = self._pending(batch)
        if not events:
            return
        rows = load(batch.cursor, {uid for e in events for uid in owners(e)})
        due = fold(rows, events)
        store(batch.cursor, rows.values())
        self._events = []
        broker = self.services.broker
        if due and broker is not None and not batch.rebuilding:
            batch.before_commit(lambda: send(broker, due))


def send(broker: Any, due: list[tuple[UUID, str]]) -> None:
    for user_id, code in due:
        enqueue(broker, QUEUE, ACTOR, user_id=str(user_id), code=code)


COLUMNS = ("user_id, timezone, problems_solved, hard_solved, difficulties, languages,"
           " quizzes_passed, perfect_quizzes, lessons_completed, last_day, run, longest_streak,"
           " requested")  # fmt: skip


def load(cursor: Cursor[DictRow], ids: set[UUID]) -> dict[UUID, Learner]:
    cursor.execute(f"SELECT {COLUMNS} FROM achievement_facts WHERE user_id = ANY(%s)", (list(ids),))
    return {r["user_id"]: _learner(r) for r in cursor.fetchall()}


def _learner(r: dict[str, Any]) -> Learner:
    facts = LearnerFacts(
        problems_solved=r["problems_solved"], hard_solved=r["hard_solved"],
        difficulties=frozenset(r["difficulties"]), languages=frozenset(r["languages"]),
        quizzes_passed=r["quizzes_passed"], perfect_quizzes=r["perfect_quizzes"],
        lessons_completed=r["lessons_completed"], longest_streak=r["longest_streak"],
    )  # fmt: skip
    streak = Streak(r["last_day"], r["run"], r["longest_streak"])
    return Learner(r["user_id"], r["timezone"], facts, streak, set(r["requested"]))


def _array(values: Any) -> str:
    """A PostgreSQL array literal of plain words or numbers (codes, languages, difficulties)."""
    return "{" + ",".join(str(v) for v in sorted(values)) + "}"


def _row(x: Learner) -> tuple[Any, ...]:
    f, last_day = x.facts, x.streak.last_day
    return (x.user_id, x.timezone, f.problems_solved, f.hard_solved, _array(f.difficulties),
            _array(f.languages), f.quizzes_passed, f.perfect_quizzes, f.lessons_completed,
            last_day, x.streak.run, x.streak.longest, _array(x.requested))  # fmt: skip


NAMES = [c.strip() for c in COLUMNS.split(",")]
TYPES = ("uuid", "text", "int", "int", "text", "text", "int", "int", "int", "date", "int", "int",
         "text")  # fmt: skip
UPSERT = (
    f"INSERT INTO achievement_facts ({COLUMNS}) SELECT u, z, ps, hs, d::int[], l::text[], qp, pq,"
    " lc, ld, r, ls, rq::text[] FROM ({rows}) AS x(u, z, ps, hs, d, l, qp, pq, lc, ld, r, ls, rq)"
    " ON CONFLICT (user_id) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in NAMES[1:])
)


def store(cursor: Cursor[DictRow], rows: Any) -> None:
    bulk(cursor, UPSERT, TYPES, [_row(x) for x in rows])


def award_actor(container: Any) -> Callable[[str, str], None]:
    """The job: award one achievement to one learner (a no-op when already earned)."""

    def award_achievement(user_id: str, code: str) -> None:
        with acting("system:achievements"):
            container.achievements.award(UUID(user_id), code)

    return award_achievement
