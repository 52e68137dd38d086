"""The learning profile: per-topic proficiency (0–100), weak and strong topics, current level.

Proficiency of a topic = base · recency. base is the weighted mean of the evidence present:
problems (weight 0.55, always counted) = 100·(1 − e^(−(easy + 2·medium + 4·hard)/6)); quizzes
(0.35, when the learner took one in the topic) = the mean quiz percentage; lessons (0.10, when
any was completed) = min(100, 25·lessons). recency = 0.5 + 0.5·2^(−d/30), d = days between the
topic's last practice and the learner's latest activity (not the wall clock: the view stays a
pure function of the log, so a rebuild equals the live view)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from domain.achievements import AchievementAward, Streak, level_for, local_day
from domain.progress import LessonCompletion
from domain.quizzes import QuizAttempt
from domain.submissions import Solve
from projections.dashboard.projector import bulk
from projections.runtime import Batch, Projector, Services

WEAK_BELOW, STRONG_FROM, LISTED = 50, 70, 5
DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}

DDL = (
    """CREATE TABLE IF NOT EXISTS learning_topic_facts (
        user_id uuid NOT NULL, topic_id uuid NOT NULL, easy int NOT NULL DEFAULT 0,
        medium int NOT NULL DEFAULT 0, hard int NOT NULL DEFAULT 0,
        quiz_attempts int NOT NULL DEFAULT 0, quiz_pct_sum bigint NOT NULL DEFAULT 0,
        lessons int NOT NULL DEFAULT 0, last_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, topic_id))""",
    """CREATE TABLE IF NOT EXISTS user_learning_profiles_view (
        user_id uuid PRIMARY KEY, xp bigint NOT NULL DEFAULT 0,
        current_level text NOT NULL DEFAULT 'beginner', level int NOT NULL DEFAULT 1,
        topics jsonb NOT NULL DEFAULT '[]', weak_topics jsonb NOT NULL DEFAULT '[]',
        strong_topics jsonb NOT NULL DEFAULT '[]', learning_preferences jsonb NOT NULL DEFAULT '{}',
        last_activity_at timestamptz, updated_at timestamptz)""",
)

UPSERT_FACTS = """
INSERT INTO learning_topic_facts AS t
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::int[], %s::int[], %s::int[], %s::int[],
    %s::bigint[], %s::int[], %s::timestamptz[])
ON CONFLICT (user_id, topic_id) DO UPDATE SET easy = t.easy + excluded.easy,
    medium = t.medium + excluded.medium, hard = t.hard + excluded.hard,
    quiz_attempts = t.quiz_attempts + excluded.quiz_attempts,
    quiz_pct_sum = t.quiz_pct_sum + excluded.quiz_pct_sum, lessons = t.lessons + excluded.lessons,
    last_at = GREATEST(t.last_at, excluded.last_at)"""

UPSERT_PROFILE = """
INSERT INTO user_learning_profiles_view SELECT u, xp, cl, lv, t::jsonb, w::jsonb, s::jsonb,
    p::jsonb, la, ua FROM ({rows}) AS x(u, xp, cl, lv, t, w, s, p, la, ua)
ON CONFLICT (user_id) DO UPDATE SET xp = excluded.xp, current_level = excluded.current_level,
    level = excluded.level, topics = excluded.topics, weak_topics = excluded.weak_topics,
    strong_topics = excluded.strong_topics, learning_preferences = excluded.learning_preferences,
    last_activity_at = excluded.last_activity_at, updated_at = excluded.updated_at"""
PROFILE_TYPES = ("uuid", "bigint", "text", "int", "text", "text", "text", "text", "timestamptz",
                 "timestamptz")  # fmt: skip


@dataclass
class TopicFacts:
    """What a learner did in one topic (one row of ``learning_topic_facts``)."""

    user_id: UUID
    topic_id: UUID
    easy: int = 0
    medium: int = 0
    hard: int = 0
    quiz_attempts: int = 0
    quiz_pct_sum: int = 0
    lessons: int = 0
    last_at: datetime = datetime(1970, 1, 1, tzinfo=UTC)

    def solved(self, difficulty: int) -> None:
        if difficulty >= 3:
            self.hard += 1
        elif difficulty == 2:
            self.medium += 1
        else:
            self.easy += 1

    def touch(self, at: datetime) -> None:
        self.last_at = max(self.last_at, at)


def proficiency(facts: TopicFacts, reference: datetime) -> int:
    """The topic's proficiency 0–100 (see the module docstring for the formula)."""
    weighted = facts.easy + 2 * facts.medium + 4 * facts.hard
    parts = [(0.55, 100 * (1 - math.exp(-weighted / 6)))]
    if facts.quiz_attempts:
        parts.append((0.35, facts.quiz_pct_sum / facts.quiz_attempts))
    if facts.lessons:
        parts.append((0.10, min(100.0, 25.0 * facts.lessons)))
    base = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    days = max((reference - facts.last_at).total_seconds() / 86400, 0.0)
    recency = 0.5 + 0.5 * 0.5 ** (days / 30)
    return max(0, min(100, round(base * recency)))


def topic_entries(facts: Iterable[TopicFacts]) -> list[dict[str, Any]]:
    """Each topic's proficiency and evidence, strongest first."""
    rows = list(facts)
    if not rows:
        return []
    reference = max(f.last_at for f in rows)
    entries = [
        {
            "topic_id": str(f.topic_id),
            "proficiency": proficiency(f, reference),
            "problems_solved": f.easy + f.medium + f.hard,
            "quiz_average": round(f.quiz_pct_sum / f.quiz_attempts) if f.quiz_attempts else None,
            "lessons_completed": f.lessons,
            "last_practiced_at": f.last_at.isoformat(),
        }
        for f in rows
    ]
    return sorted(entries, key=lambda e: (-e["proficiency"], e["topic_id"]))


def weak_and_strong(entries: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    brief = [{"topic_id": e["topic_id"], "proficiency_score": e["proficiency"]} for e in entries]
    weak = sorted((b for b in brief if b["proficiency_score"] < WEAK_BELOW),
                  key=lambda b: (b["proficiency_score"], b["topic_id"]))[:LISTED]  # fmt: skip
    strong = [b for b in brief if b["proficiency_score"] >= STRONG_FROM][:LISTED]
    return weak, strong


def preferences(facts: Iterable[TopicFacts]) -> dict[str, Any]:
    """The difficulty the learner solves most (ties: the harder), as a preference."""
    totals = {1: 0, 2: 0, 3: 0}
    for f in facts:
        totals[1], totals[2], totals[3] = (
            totals[1] + f.easy,
            totals[2] + f.medium,
            totals[3] + f.hard,
        )
    best = max(totals, key=lambda d: (totals[d], d)) if any(totals.values()) else 1
    return {"preferred_difficulty": DIFFICULTY_NAMES[best]}


@dataclass
class Fold:
    facts: dict[tuple[UUID, UUID], TopicFacts] = field(default_factory=dict)
    xp: dict[UUID, int] = field(default_factory=dict)
    last: dict[UUID, datetime] = field(default_factory=dict)

    def topic(self, user: UUID, topic: UUID, at: datetime) -> TopicFacts:
        key = (user, topic)
        if key not in self.facts:
            self.facts[key] = TopicFacts(user, topic, last_at=at)
        self.facts[key].touch(at)
        return self.facts[key]

    def earn(self, user: UUID, xp: int, at: datetime) -> None:
        self.xp[user] = self.xp.get(user, 0) + xp
        self.last[user] = max(self.last.get(user, at), at)


class LearningProfileProjector(Projector):
    """``user_learning_profiles_view`` (read by the AI learning path) and its topic facts."""

    name = "learning_profile"
    tables = ("learning_topic_facts", "user_learning_profiles_view")
    ddl = DDL
    topics = (Solve.Recorded, LessonCompletion.Completed, QuizAttempt.Submitted,
              AchievementAward.Earned)  # fmt: skip

    def __init__(self, services: Services | None = None) -> None:
        super().__init__(services)
        self._batch: Batch | None = None
        self._fold = Fold()

    def _pending(self, batch: Batch) -> Fold:
        if self._batch is not batch:  # a new batch (or a retry after a rollback)
            self._batch, self._fold = batch, Fold()
        return self._fold

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _(self, e: Solve.Recorded, batch: Batch) -> None:
        fold = self._pending(batch)
        for topic in e.topic_ids:
            fold.topic(e.user_id, topic, e.timestamp).solved(e.difficulty)
        fold.earn(e.user_id, e.xp, e.timestamp)

    @apply.register
    def _(self, e: LessonCompletion.Completed, batch: Batch) -> None:
        fold = self._pending(batch)
        fold.topic(e.user_id, e.topic_id, e.timestamp).lessons += 1
        fold.earn(e.user_id, e.xp, e.timestamp)

    @apply.register
    def _(self, e: QuizAttempt.Submitted, batch: Batch) -> None:
        fold = self._pending(batch)
        facts = fold.topic(e.user_id, e.topic_id, e.timestamp)
        facts.quiz_attempts += 1
        facts.quiz_pct_sum += e.percentage
        fold.earn(e.user_id, e.xp, e.timestamp)

    @apply.register
    def _(self, e: AchievementAward.Earned, batch: Batch) -> None:
        self._pending(batch).earn(e.user_id, e.xp, e.timestamp)

    def finish(self, batch: Batch) -> None:
        fold = self._pending(batch)
        if not fold.xp:
            return
        _store_facts(batch.cursor, fold.facts.values())
        _store_profiles(batch.cursor, fold)
        self._fold = Fold()


def _store_facts(cursor: Cursor[DictRow], facts: Iterable[TopicFacts]) -> None:
    rows = [list(vars(f).values()) for f in facts]
    if rows:
        cursor.execute(UPSERT_FACTS, [list(col) for col in zip(*rows, strict=True)])


def _store_profiles(cursor: Cursor[DictRow], fold: Fold) -> None:
    users = list(fold.xp)
    cursor.execute(
        "SELECT user_id, xp, last_activity_at FROM user_learning_profiles_view"
        " WHERE user_id = ANY(%s)",
        (users,),
    )
    known = {r["user_id"]: r for r in cursor.fetchall()}
    cursor.execute("SELECT * FROM learning_topic_facts WHERE user_id = ANY(%s)", (users,))
    by_user: dict[UUID, list[TopicFacts]] = {}
    for r in cursor.fetchall():
        by_user.setdefault(r["user_id"], []).append(TopicFacts(**r))
    rows = [_profile_row(u, fold, known.get(u), by_user.get(u, [])) for u in users]
    bulk(cursor, UPSERT_PROFILE, PROFILE_TYPES, rows)


def _profile_row(
    user: UUID, fold: Fold, known: dict[str, Any] | None, facts: list[TopicFacts]
) -> tuple[Any, ...]:
    xp = (known["xp"] if known else 0) + fold.xp[user]
    last = max(filter(None, (known["last_activity_at"] if known else None, fold.last[user])))
    level = level_for(xp)
    entries = topic_entries(facts)
    weak, strong = weak_and_strong(entries)
    return (user, xp, level.title.lower(), level.number, _json(entries), _json(weak),
            _json(strong), _json(preferences(facts)), last, last)  # fmt: skip


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# --- the query the AI learning path uses --------------------------------------------------


class TopicProficiency(msgspec.Struct):
    topic_id: UUID
    name: str
    proficiency: int
    problems_solved: int
    quiz_average: int | None
    lessons_completed: int
    last_practiced_at: datetime


class LearningProfile(msgspec.Struct):
    user_id: UUID
    current_level: str
    level: int
    xp: int
    topics: list[TopicProficiency]
    weak_topics: list[TopicProficiency]
    strong_topics: list[TopicProficiency]
    learning_preferences: dict[str, Any]
    current_streak_days: int
    longest_streak_days: int
    last_activity_date: date | None


PROFILE_SQL = """
SELECT p.*, d.timezone, d.last_active_day, d.streak_run, d.longest_streak
FROM user_learning_profiles_view p LEFT JOIN dashboard_users_view d ON d.user_id = p.user_id
WHERE p.user_id = %s"""


async def _topic_names(conn: Any, ids: list[str]) -> dict[str, str]:
    cur = await conn.execute("SELECT id, name FROM topics WHERE id = ANY(%s::uuid[])", (ids,))
    return {str(r["id"]): r["name"] for r in await cur.fetchall()}


async def get_learning_profile(
    conn: Any, user_id: UUID, now: datetime | None = None
) -> LearningProfile:
    """The learner's profile (a beginner's empty profile before any activity)."""
    row = await (await conn.execute(PROFILE_SQL, (user_id,))).fetchone()
    if row is None:
        return LearningProfile(user_id, "beginner", 1, 0, [], [], [], {}, 0, 0, None)
    names = await _topic_names(conn, [t["topic_id"] for t in row["topics"]])
    topics = [msgspec.convert(t | {"name": names.get(t["topic_id"], "")}, TopicProficiency)
              for t in row["topics"]]  # fmt: skip
    by_id = {str(t.topic_id): t for t in topics}
    streak = Streak(row["last_active_day"], row["streak_run"] or 0, row["longest_streak"] or 0)
    today = local_day(now or datetime.now(UTC), row["timezone"])
    return LearningProfile(
        user_id=user_id, current_level=row["current_level"], level=row["level"], xp=row["xp"],
        topics=topics, weak_topics=[by_id[w["topic_id"]] for w in row["weak_topics"]],
        strong_topics=[by_id[s["topic_id"]] for s in row["strong_topics"]],
        learning_preferences=row["learning_preferences"],
        current_streak_days=streak.current(today), longest_streak_days=streak.longest,
        last_activity_date=row["last_active_day"],
    )  # fmt: skip
