"""The content catalogue read model: topics, lessons, problems, test cases, quizzes.

Hidden test text arrives sealed in the events and stays sealed here (``*_encrypted``);
only samples are stored in clear. After each commit the projector deletes the Redis cache
keys of every row it changed (``problem:{id}``, ``lesson:{id}``, ``topics:tree``) and, before
the commit, raises ``catalog:position`` so a query that read older rows cannot refill a key
(see ``cache_fill``).
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from functools import singledispatchmethod
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from domain.content import Lesson, Problem, Quiz, Topic
from projections.problem_stats import DDL as STATS_DDL
from projections.runtime import Batch, Projector

T = TypeVar("T")
TREE_KEY = "topics:tree"
POSITION_KEY = "catalog:position"
CACHE_TTL_S = 3600
RAISE_POSITION = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1"""
FILL_IF_CURRENT = """
if tonumber(redis.call('GET', KEYS[2]) or '0') > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1"""

DDL = (
    """CREATE TABLE IF NOT EXISTS topics (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL,
        description text NOT NULL DEFAULT '',
        icon_url text,
        parent_topic_id uuid,
        display_order int NOT NULL DEFAULT 0,
        created_by uuid,
        instructor_ids uuid[] NOT NULL DEFAULT '{}',
        is_published boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_topics_parent ON topics(parent_topic_id)",
    """CREATE TABLE IF NOT EXISTS lessons (
        id uuid PRIMARY KEY,
        topic_id uuid NOT NULL,
        title text NOT NULL,
        slug text NOT NULL,
        content_markdown text NOT NULL,
        difficulty text NOT NULL,
        estimated_time_min int NOT NULL,
        display_order int NOT NULL DEFAULT 0,
        created_by uuid,
        is_published boolean NOT NULL DEFAULT false,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_lessons_topic ON lessons(topic_id, display_order, id)",
    """CREATE TABLE IF NOT EXISTS problems (
        id uuid PRIMARY KEY,
        slug text NOT NULL,
        title text NOT NULL,
        description_markdown text NOT NULL,
        difficulty smallint NOT NULL,
        time_limit_ms int NOT NULL,
        memory_limit_mb int NOT NULL,
        input_format text NOT NULL DEFAULT '',
        output_format text NOT NULL DEFAULT '',
        constraints text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}',
        topic_ids uuid[] NOT NULL DEFAULT '{}',
        related_problem_ids uuid[] NOT NULL DEFAULT '{}',
        created_by uuid,
        is_published boolean NOT NULL DEFAULT false,
        is_premium boolean NOT NULL DEFAULT false,
        metadata jsonb NOT NULL DEFAULT '{}',
        search_text text NOT NULL DEFAULT '',
        search tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_problems_difficulty ON problems(difficulty)",
    "CREATE INDEX IF NOT EXISTS idx_problems_created ON problems(created_at, id)",
    "CREATE INDEX IF NOT EXISTS idx_problems_tags ON problems USING gin(tags)",
    "CREATE INDEX IF NOT EXISTS idx_problems_search ON problems USING gin(search)",
    """CREATE TABLE IF NOT EXISTS topic_problems (
        topic_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        PRIMARY KEY (topic_id, problem_id))""",
    "CREATE INDEX IF NOT EXISTS idx_topic_problems_problem ON topic_problems(problem_id)",
    """CREATE TABLE IF NOT EXISTS problem_starter_code (
        problem_id uuid NOT NULL,
        language_id text NOT NULL,
        code text NOT NULL,
        PRIMARY KEY (problem_id, language_id))""",
    """CREATE TABLE IF NOT EXISTS test_cases (
        problem_id uuid NOT NULL,
        id text NOT NULL,
        name text NOT NULL DEFAULT '',
        is_sample boolean NOT NULL,
        sample_input text,
        sample_output text,
        input_encrypted text,
        expected_output_encrypted text,
        explanation text NOT NULL DEFAULT '',
        points int NOT NULL,
        group_name text,
        display_order int NOT NULL DEFAULT 0,
        created_by uuid,
        updated_by uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (problem_id, id))""",
    """CREATE TABLE IF NOT EXISTS quizzes (
        id uuid PRIMARY KEY,
        topic_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        difficulty text NOT NULL,
        time_limit_min int NOT NULL,
        passing_score int NOT NULL,
        question_count int NOT NULL DEFAULT 0,
        total_points int NOT NULL DEFAULT 0,
        created_by uuid,
        is_published boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_quizzes_topic ON quizzes(topic_id)",
    """CREATE TABLE IF NOT EXISTS quiz_questions (
        quiz_id uuid NOT NULL,
        id text NOT NULL,
        question_text text NOT NULL,
        question_type text NOT NULL,
        options jsonb NOT NULL DEFAULT '[]',
        correct_answer jsonb NOT NULL,
        explanation text NOT NULL DEFAULT '',
        points int NOT NULL,
        display_order int NOT NULL,
        PRIMARY KEY (quiz_id, id))""",
    *STATS_DDL[:2],  # problem_stats owns them; the catalogue LEFT JOINs them
)

UPSERT_TOPIC = """
INSERT INTO topics (id, name, slug, description, icon_url, parent_topic_id, display_order,
    created_by, created_at, updated_at)
VALUES (%(id)s, %(name)s, %(slug)s, %(description)s, %(icon_url)s, %(parent_id)s, %(order)s,
    %(by)s, %(at)s, %(at)s)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, slug = excluded.slug,
    description = excluded.description, icon_url = excluded.icon_url,
    parent_topic_id = excluded.parent_topic_id, display_order = excluded.display_order,
    updated_at = excluded.updated_at"""

UPSERT_LESSON = """
INSERT INTO lessons (id, topic_id, title, slug, content_markdown, difficulty, estimated_time_min,
    display_order, created_by, metadata, created_at, updated_at)
VALUES (%(id)s, %(topic_id)s, %(title)s, %(slug)s, %(content_markdown)s, %(difficulty)s,
    %(estimated_time_min)s, %(order)s, %(by)s, %(metadata)s, %(at)s, %(at)s)
ON CONFLICT (id) DO UPDATE SET topic_id = excluded.topic_id, title = excluded.title,
    slug = excluded.slug, content_markdown = excluded.content_markdown,
    difficulty = excluded.difficulty, estimated_time_min = excluded.estimated_time_min,
    display_order = excluded.display_order, metadata = excluded.metadata,
    updated_at = excluded.updated_at"""

UPSERT_PROBLEM = """
INSERT INTO problems (id, slug, title, description_markdown, difficulty, time_limit_ms,
    memory_limit_mb, input_format, output_format, constraints, tags, topic_ids,
    related_problem_ids, created_by, is_premium, metadata, search_text, created_at, updated_at)
VALUES (%(id)s, %(slug)s, %(title)s, %(description_markdown)s, %(difficulty)s,
    %(time_limit_ms)s, %(memory_limit_mb)s, %(input_format)s, %(output_format)s,
    %(constraints)s, %(tags)s, %(topic_ids)s, %(related_problem_ids)s, %(by)s, %(is_premium)s,
    %(metadata)s, %(search_text)s, %(at)s, %(at)s)
ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, title = excluded.title,
    description_markdown = excluded.description_markdown, difficulty = excluded.difficulty,
    time_limit_ms = excluded.time_limit_ms, memory_limit_mb = excluded.memory_limit_mb,
    input_format = excluded.input_format, output_format = excluded.output_format,
    constraints = excluded.constraints, tags = excluded.tags, topic_ids = excluded.topic_ids,
    related_problem_ids = excluded.related_problem_ids, is_premium = excluded.is_premium,
    metadata = excluded.metadata, search_text = excluded.search_text,
    updated_at = excluded.updated_at"""

UPSERT_TEST = """
INSERT INTO test_cases (problem_id, id, name, is_sample, sample_input, sample_output,
    input_encrypted, expected_output_encrypted, explanation, points, group_name, display_order,
    created_by, updated_by, created_at, updated_at)
VALUES (%(problem_id)s, %(test_id)s, %(name)s, %(is_sample)s, %(sample_input)s,
    %(sample_output)s, %(input_encrypted)s, %(expected_output_encrypted)s, %(explanation)s,
    %(points)s, %(group)s, %(order)s, %(by)s, %(by)s, %(at)s, %(at)s)
ON CONFLICT (problem_id, id) DO UPDATE SET name = excluded.name, is_sample = excluded.is_sample,
    sample_input = excluded.sample_input, sample_output = excluded.sample_output,
    input_encrypted = excluded.input_encrypted,
    expected_output_encrypted = excluded.expected_output_encrypted,
    explanation = excluded.explanation, points = excluded.points,
    group_name = excluded.group_name, display_order = excluded.display_order,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at"""

UPSERT_QUIZ = """
INSERT INTO quizzes (id, topic_id, title, description, difficulty, time_limit_min, passing_score,
    question_count, total_points, created_by, created_at, updated_at)
VALUES (%(id)s, %(topic_id)s, %(title)s, %(description)s, %(difficulty)s, %(time_limit_min)s,
    %(passing_score)s, %(question_count)s, %(total_points)s, %(by)s, %(at)s, %(at)s)
ON CONFLICT (id) DO UPDATE SET topic_id = excluded.topic_id, title = excluded.title,
    description = excluded.description, difficulty = excluded.difficulty,
    time_limit_min = excluded.time_limit_min, passing_score = excluded.passing_score,
    question_count = excluded.question_count, total_points = excluded.total_points,
    updated_at = excluded.updated_at"""

INSERT_QUESTIONS = """
INSERT INTO quiz_questions (quiz_id, id, question_text, question_type, options, correct_answer,
    explanation, points, display_order)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"""

PUBLISH = {
    "topic": "UPDATE topics SET is_published = true, updated_at = %s WHERE id = %s",
    "lesson": "UPDATE lessons SET is_published = true, updated_at = %s WHERE id = %s",
    "problem": "UPDATE problems SET is_published = true, updated_at = %s WHERE id = %s",
    "quiz": "UPDATE quizzes SET is_published = true, updated_at = %s WHERE id = %s",
}


def _base(event: Any) -> dict[str, Any]:
    return {"id": event.originator_id, "by": event.by, "at": event.timestamp}


class CatalogProjector(Projector):
    """Every content read table, and the cache keys derived from them."""

    name = "catalog"
    tables = (
        "topics",
        "lessons",
        "problems",
        "topic_problems",
        "problem_starter_code",
        "test_cases",
        "quizzes",
        "quiz_questions",
    )
    ddl = DDL
    topics = (
        Topic.Created,
        Topic.Updated,
        Topic.InstructorsAssigned,
        Topic.Published,
        Lesson.Created,
        Lesson.Updated,
        Lesson.Published,
        Problem.Created,
        Problem.Updated,
        Problem.Published,
        Problem.TestCaseAdded,
        Problem.TestCaseReplaced,
        Problem.TestCaseRemoved,
        Quiz.Created,
        Quiz.Updated,
        Quiz.Published,
    )

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    def finish(self, batch: Batch) -> None:
        redis = self.services.redis
        if batch.invalidations and redis is not None:
            position = batch.position
            batch.before_commit(lambda: redis.eval(RAISE_POSITION, 1, POSITION_KEY, position))

    def rebuild_redis(self, cursor: Cursor[DictRow]) -> None:
        redis = self.services.redis
        if redis is None:
            return
        for pattern in ("problem:*", "lesson:*"):
            keys = list(redis.scan_iter(match=pattern, count=500))
            if keys:
                redis.delete(*keys)
        redis.delete(TREE_KEY)

    # -- topics ---------------------------------------------------------------

    @apply.register
    def _(self, event: Topic.Created | Topic.Updated, batch: Batch) -> None:
        row = _base(event) | {
            "name": event.name,
            "slug": event.slug,
            "description": event.description,
            "icon_url": event.icon_url,
            "parent_id": event.parent_id,
            "order": event.order,
        }
        batch.cursor.execute(UPSERT_TOPIC, row)
        batch.invalidate(TREE_KEY)

    @apply.register
    def _(self, event: Topic.InstructorsAssigned, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE topics SET instructor_ids = %s, updated_at = %s WHERE id = %s",
            (list(event.instructor_ids), event.timestamp, event.originator_id),
        )

    @apply.register
    def _(self, event: Topic.Published, batch: Batch) -> None:
        batch.cursor.execute(PUBLISH["topic"], (event.timestamp, event.originator_id))
        batch.invalidate(TREE_KEY)

    # -- lessons --------------------------------------------------------------

    @apply.register
    def _(self, event: Lesson.Created | Lesson.Updated, batch: Batch) -> None:
        row = _base(event) | {
            "topic_id": event.topic_id,
            "title": event.title,
            "slug": event.slug,
            "content_markdown": event.content_markdown,
            "difficulty": event.difficulty,
            "estimated_time_min": event.estimated_time_min,
            "order": event.order,
            "metadata": Jsonb({"examples": event.examples, "exercises": _plain(event.exercises)}),
        }
        batch.cursor.execute(UPSERT_LESSON, row)
        batch.invalidate(TREE_KEY, f"lesson:{event.originator_id}")

    @apply.register
    def _(self, event: Lesson.Published, batch: Batch) -> None:
        batch.cursor.execute(PUBLISH["lesson"], (event.timestamp, event.originator_id))
        batch.invalidate(TREE_KEY, f"lesson:{event.originator_id}")

    # -- problems -------------------------------------------------------------

    @apply.register
    def _(self, event: Problem.Created | Problem.Updated, batch: Batch) -> None:
        pid = event.originator_id
        statement, spec = event.statement, event.spec
        row = _base(event) | {
            "slug": event.slug,
            "title": event.title,
            "description_markdown": statement["description_markdown"],
            "difficulty": event.difficulty,
            "time_limit_ms": spec["time_limit_ms"],
            "memory_limit_mb": spec["memory_limit_mb"],
            "input_format": statement["input_format"],
            "output_format": statement["output_format"],
            "constraints": statement["constraints"],
            "tags": list(event.tags),
            "topic_ids": list(event.topic_ids),
            "related_problem_ids": list(event.related_problem_ids),
            "is_premium": event.is_premium,
            "metadata": Jsonb(
                {"hints": event.hints, "examples": statement["examples"], "spec": spec}
            ),
            "search_text": " ".join(
                [event.title, " ".join(event.tags), statement["description_markdown"]]
            ),
        }
        cur = batch.cursor
        cur.execute(UPSERT_PROBLEM, row)
        cur.execute("DELETE FROM topic_problems WHERE problem_id = %s", (pid,))
        for topic_id in dict.fromkeys(event.topic_ids):
            cur.execute("INSERT INTO topic_problems VALUES (%s, %s)", (topic_id, pid))
        cur.execute("DELETE FROM problem_starter_code WHERE problem_id = %s", (pid,))
        for language, code in event.starter_code.items():
            cur.execute(
                "INSERT INTO problem_starter_code VALUES (%s, %s, %s)", (pid, language, code)
            )
        self._invalidate_problem(pid, batch)

    @apply.register
    def _(self, event: Problem.Published, batch: Batch) -> None:
        batch.cursor.execute(PUBLISH["problem"], (event.timestamp, event.originator_id))
        self._invalidate_problem(event.originator_id, batch)

    @apply.register
    def _(self, event: Problem.TestCaseAdded | Problem.TestCaseReplaced, batch: Batch) -> None:
        sample = event.is_sample
        row = {
            "problem_id": event.originator_id,
            "test_id": event.test_id,
            "name": event.name,
            "is_sample": sample,
            "sample_input": event.input if sample else None,
            "sample_output": event.expected_output if sample else None,
            "input_encrypted": None if sample else event.input,
            "expected_output_encrypted": None if sample else event.expected_output,
            "explanation": event.explanation,
            "points": event.points,
            "group": event.group,
            "order": event.order,
            "by": event.by,
            "at": event.timestamp,
        }
        batch.cursor.execute(UPSERT_TEST, row)
        batch.invalidate(f"problem:{event.originator_id}")

    @apply.register
    def _(self, event: Problem.TestCaseRemoved, batch: Batch) -> None:
        batch.cursor.execute(
            "DELETE FROM test_cases WHERE problem_id = %s AND id = %s",
            (event.originator_id, event.test_id),
        )
        batch.invalidate(f"problem:{event.originator_id}")

    def _invalidate_problem(self, problem_id: UUID, batch: Batch) -> None:
        """This problem's key, and the keys of problems that list it as related."""
        batch.cursor.execute(
            "SELECT id FROM problems WHERE related_problem_ids @> ARRAY[%s]::uuid[]", (problem_id,)
        )
        referrers = [f"problem:{r['id']}" for r in batch.cursor.fetchall()]
        batch.invalidate(TREE_KEY, f"problem:{problem_id}", *referrers)

    # -- quizzes --------------------------------------------------------------

    @apply.register
    def _(self, event: Quiz.Created | Quiz.Updated, batch: Batch) -> None:
        questions = event.questions
        row = _base(event) | {
            "topic_id": event.topic_id,
            "title": event.title,
            "description": event.description,
            "difficulty": event.difficulty,
            "time_limit_min": event.time_limit_min,
            "passing_score": event.passing_score,
            "question_count": len(questions),
            "total_points": sum(int(q.get("points", 10)) for q in questions),
        }
        cur = batch.cursor
        cur.execute(UPSERT_QUIZ, row)
        cur.execute("DELETE FROM quiz_questions WHERE quiz_id = %s", (event.originator_id,))
        for order, q in enumerate(questions):
            cur.execute(INSERT_QUESTIONS, _question_row(event.originator_id, q, order))
        batch.invalidate(TREE_KEY)

    @apply.register
    def _(self, event: Quiz.Published, batch: Batch) -> None:
        batch.cursor.execute(PUBLISH["quiz"], (event.timestamp, event.originator_id))
        batch.invalidate(TREE_KEY)


def _question_row(quiz_id: UUID, q: dict[str, Any], order: int) -> tuple[Any, ...]:
    correct = {
        "option_ids": q.get("correct_option_ids", []),
        "accepted_answers": q.get("accepted_answers", []),
        "case_sensitive": bool(q.get("case_sensitive", False)),
    }
    return (
        quiz_id,
        q["id"],
        q["question_text"],
        q["question_type"],
        Jsonb(q.get("options", [])),
        Jsonb(correct),
        q.get("explanation", ""),
        int(q.get("points", 10)),
        order,
    )


def _plain(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-ready copies (UUIDs as strings)."""
    return [{k: str(v) if isinstance(v, UUID) else v for k, v in item.items()} for item in items]


# -- read DTOs ------------------------------------------------------------------


class TopicStats(msgspec.Struct):
    total_lessons: int = 0
    total_problems: int = 0
    total_quizzes: int = 0


class TopicNode(msgspec.Struct):
    id: UUID
    name: str
    slug: str
    description: str
    icon_url: str | None
    parent_id: UUID | None
    order: int
    is_published: bool
    stats: TopicStats
    children: list[TopicNode] = msgspec.field(default_factory=list)


class LessonBrief(msgspec.Struct):
    id: UUID
    title: str
    slug: str
    difficulty: str
    order: int
    estimated_time_min: int
    is_published: bool


class ProblemBrief(msgspec.Struct):
    id: UUID
    title: str
    slug: str
    difficulty: int
    acceptance_rate: float
    is_published: bool


class QuizBrief(msgspec.Struct):
    id: UUID
    title: str
    difficulty: str
    question_count: int
    is_published: bool


class TopicDetail(msgspec.Struct):
    id: UUID
    name: str
    slug: str
    description: str
    icon_url: str | None
    parent_id: UUID | None
    order: int
    is_published: bool
    instructor_ids: list[UUID]
    children: list[TopicNode]
    lessons: list[LessonBrief]
    problems: list[ProblemBrief]
    quizzes: list[QuizBrief]


class LessonSummary(msgspec.Struct):
    id: UUID
    title: str
    slug: str
    topic_id: UUID
    difficulty: str
    estimated_time_min: int
    order: int
    has_completed: bool
    is_published: bool
    created_at: datetime


class LessonProgress(msgspec.Struct):
    completed: bool = False
    completed_at: datetime | None = None
    time_spent_sec: int = 0


class LessonDetail(msgspec.Struct):
    id: UUID
    title: str
    slug: str
    topic_id: UUID
    content_markdown: str
    difficulty: str
    estimated_time_min: int
    order: int
    examples: list[dict[str, Any]]
    exercises: list[dict[str, Any]]
    is_published: bool
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    next_lesson_id: UUID | None = None
    prev_lesson_id: UUID | None = None
    progress: LessonProgress | None = None


class ProblemSummary(msgspec.Struct):
    id: UUID
    slug: str
    title: str
    difficulty: int
    acceptance_rate: float
    total_submissions: int
    total_accepted: int
    tags: list[str]
    topic_ids: list[UUID]
    user_status: str
    is_premium: bool
    is_published: bool
    created_at: datetime


class SampleTest(msgspec.Struct):
    input: str
    output: str
    explanation: str


class RelatedProblem(msgspec.Struct):
    id: UUID
    title: str
    difficulty: int
    is_published: bool


class UserProgress(msgspec.Struct):
    status: str = "not_attempted"
    solved: bool = False


class ProblemDetail(msgspec.Struct):
    id: UUID
    slug: str
    title: str
    description_markdown: str
    difficulty: int
    time_limit_ms: int
    memory_limit_kb: int
    memory_limit_mb: int
    input_format: str
    output_format: str
    constraints: str
    examples: list[dict[str, Any]]
    tags: list[str]
    topic_ids: list[UUID]
    sample_test_cases: list[SampleTest]
    hints: list[dict[str, Any]]
    related_problems: list[RelatedProblem]
    starter_code: dict[str, str]
    is_premium: bool
    is_published: bool
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    acceptance_rate: float = 0.0
    total_submissions: int = 0
    total_accepted: int = 0
    user_progress: UserProgress | None = None


class QuizSummary(msgspec.Struct):
    id: UUID
    title: str
    topic_id: UUID
    difficulty: str
    question_count: int
    time_limit_min: int
    passing_score: int
    is_published: bool
    attempts: int
    best_score: int | None


class AttemptBrief(msgspec.Struct):
    attempt_id: UUID
    score: int
    total_points: int
    percentage: int
    passed: bool
    completed_at: datetime


class QuizDetail(msgspec.Struct):
    id: UUID
    title: str
    description: str
    topic_id: UUID
    difficulty: str
    time_limit_min: int
    passing_score: int
    question_count: int
    total_points: int
    is_published: bool
    user_attempts: list[AttemptBrief]


class Page(msgspec.Struct):
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


class ProblemQuery(msgspec.Struct):
    topic_id: UUID | None = None
    difficulty: int | None = None
    status: str | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    q: str | None = None
    sort_by: str = "created_at"
    order: str = "desc"
    page: int = 1
    limit: int = 20
    cursor: str | None = None


class ProblemPage(msgspec.Struct):
    items: list[ProblemSummary]
    total: int
    next_cursor: str | None
    has_more: bool


class BadCursorError(ValueError):
    """The cursor is not one this listing issued (or was issued for another sort)."""


# -- cache ----------------------------------------------------------------------


async def _seen_position(conn: Any) -> int:
    cur = await conn.execute(
        "SELECT notification_id FROM catalog_tracking WHERE application_name = 'codequest'"
    )
    row = await cur.fetchone()
    return int(row["notification_id"]) if row else 0


async def cache_fill(
    pool: Any, redis: Any, key: str, load: Callable[[Any], Awaitable[Any]], kind: type[T]
) -> T | None:
    """Read-through cache: a hit, or ``load`` from the view and SET unless the view moved on
    (``catalog:position`` above what this reader saw means its rows may be stale)."""
    raw = await redis.get(key)
    if raw is not None:
        return msgspec.json.decode(raw, type=kind)
    async with pool.connection() as conn:
        seen = await _seen_position(conn)
        value = await load(conn)
    if value is None:
        return None
    await redis.eval(
        FILL_IF_CURRENT, 2, key, POSITION_KEY, msgspec.json.encode(value), seen, CACHE_TTL_S
    )
    return value  # type: ignore[no-any-return]


async def current_position(redis: Any) -> int:
    """``catalog:position``: raised by the projector before it commits any content change."""
    raw = await redis.get(POSITION_KEY)
    return int(raw) if raw else 0


class SharedAnswers:
    """Finished catalogue answers that every anonymous caller shares, kept in this process.

    An answer is served only while ``catalog:position`` is still the value it was read at (the
    projector raises it before it commits a content change, so the change drops the answer in
    every process at once) and for at most ``ttl_s`` seconds: the statistics it carries move
    with every verdict (``problem_stats_view`` raises no position) and are at most that old.
    The least recently used answers go first beyond ``size``.

    ``position()`` reads ``catalog:position`` for a request. Concurrent requests share reads:
    a request waits for a read that starts after it arrived (never one already on its way), so
    it sees every change committed before it came, with one Redis round trip per batch of
    requests instead of one per request.
    """

    def __init__(self, ttl_s: float = 1.0, size: int = 1024, reader: Any = None) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._reader = reader  # reads the position (any client with ``get``) if given
        self._items: OrderedDict[Hashable, tuple[int, float, Any]] = OrderedDict()
        self._waiting: asyncio.Future[int] | None = None  # for the next read
        self._reading: asyncio.Task[None] | None = None
        self._loading: dict[Hashable, tuple[int, asyncio.Future[Any]]] = {}
        self.reads = self.loads = 0

    async def position(self, redis: Any) -> int:
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
            if self._reading is None:
                self._reading = asyncio.ensure_future(self._read(self._reader or redis))
        return await asyncio.shield(self._waiting)

    async def _read(self, redis: Any) -> None:
        try:
            while self._waiting is not None:
                waiting, self._waiting = self._waiting, None
                self.reads += 1
                try:
                    waiting.set_result(await current_position(redis))
                except Exception as exc:
                    waiting.set_exception(exc)
        finally:
            self._reading = None

    def get(self, key: Hashable, position: int) -> Any | None:
        item = self._items.get(key)
        if item is None:
            return None
        seen, expires, value = item
        if seen != position or time.monotonic() > expires:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    async def load(
        self, key: Hashable, position: int, load: Callable[[], Awaitable[tuple[Any, bool]]]
    ) -> Any:
        """``load()``'s value (kept when it says so); concurrent misses of ``key`` at the same
        position wait for the one load already on its way instead of running their own."""
        running = self._loading.get(key)
        if running is not None and running[0] == position:
            return await asyncio.shield(running[1])
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._loading[key] = (position, future)
        self.loads += 1
        try:
            value, keep = await load()
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(exc)
                future.exception()  # retrieved here: waiters, if any, get it too
            raise
        finally:
            if self._loading.get(key, (0, None))[1] is future:
                del self._loading[key]
        if keep:
            self.put(key, position, value)
        future.set_result(value)
        return value

    def put(self, key: Hashable, position: int, value: Any) -> None:
        self._items[key] = (position, time.monotonic() + self.ttl_s, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


# -- topics ---------------------------------------------------------------------

TOPICS_SQL = """
SELECT t.id, t.name, t.slug, t.description, t.icon_url, t.parent_topic_id AS parent_id,
    t.display_order AS "order", t.is_published,
    (SELECT count(*) FROM lessons l WHERE l.topic_id = t.id AND (l.is_published OR %(staff)s))
        AS total_lessons,
    (SELECT count(*) FROM topic_problems tp JOIN problems p ON p.id = tp.problem_id
        WHERE tp.topic_id = t.id AND (p.is_published OR %(staff)s)) AS total_problems,
    (SELECT count(*) FROM quizzes q WHERE q.topic_id = t.id AND (q.is_published OR %(staff)s))
        AS total_quizzes
FROM topics t WHERE (t.is_published OR %(staff)s) {extra}
ORDER BY t.display_order, t.name, t.id"""


def _node(row: dict[str, Any]) -> TopicNode:
    stats = TopicStats(
        row.pop("total_lessons"), row.pop("total_problems"), row.pop("total_quizzes")
    )
    return TopicNode(stats=stats, **row)


def build_tree(rows: list[dict[str, Any]]) -> list[TopicNode]:
    """Nest topics under their parents (a topic whose parent is hidden is left out) and roll
    each subtree's counts up into its root's stats."""
    nodes = {r["id"]: _node(dict(r)) for r in rows}
    roots = []
    for node in nodes.values():
        if node.parent_id is None:
            roots.append(node)
        elif node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    for root in roots:
        _roll_up(root, set())
    return roots


def _roll_up(node: TopicNode, seen: set[UUID]) -> TopicStats:
    seen.add(node.id)
    for child in node.children:
        if child.id not in seen:
            sub = _roll_up(child, seen)
            node.stats.total_lessons += sub.total_lessons
            node.stats.total_problems += sub.total_problems
            node.stats.total_quizzes += sub.total_quizzes
    return node.stats


async def _load_tree(conn: Any, staff: bool) -> list[TopicNode]:
    rows = await (await conn.execute(TOPICS_SQL.format(extra=""), {"staff": staff})).fetchall()
    return build_tree(rows)


async def topic_tree(pool: Any, redis: Any, staff: bool) -> list[TopicNode]:
    """The published tree from ``topics:tree`` (staff, who see drafts, read it uncached)."""
    if staff:
        async with pool.connection() as conn:
            return await _load_tree(conn, True)
    tree = await cache_fill(pool, redis, TREE_KEY, lambda c: _load_tree(c, False), list[TopicNode])
    return tree or []


TOPIC_LESSONS = """
SELECT id, title, slug, difficulty, display_order AS "order", estimated_time_min, is_published
FROM lessons WHERE topic_id = %(id)s AND (is_published OR %(staff)s)
ORDER BY display_order, created_at, id"""
TOPIC_PROBLEMS = """
SELECT p.id, p.title, p.slug, p.difficulty, COALESCE(s.acceptance_rate, 0)::float8
    AS acceptance_rate, p.is_published
FROM topic_problems tp JOIN problems p ON p.id = tp.problem_id
LEFT JOIN problem_stats_view s ON s.problem_id = p.id
WHERE tp.topic_id = %(id)s AND (p.is_published OR %(staff)s)
ORDER BY p.difficulty, p.title, p.id"""
TOPIC_QUIZZES = """
SELECT id, title, difficulty, question_count, is_published FROM quizzes
WHERE topic_id = %(id)s AND (is_published OR %(staff)s) ORDER BY created_at, id"""


async def get_topic(pool: Any, topic_id: UUID, staff: bool) -> TopicDetail | None:
    args = {"id": topic_id, "staff": staff}
    async with pool.connection() as conn:
        row = await (
            await conn.execute(
                "SELECT id, name, slug, description, icon_url, parent_topic_id AS parent_id,"
                ' display_order AS "order", is_published, instructor_ids FROM topics'
                " WHERE id = %(id)s AND (is_published OR %(staff)s)",
                args,
            )
        ).fetchone()
        if row is None:
            return None
        children = await (
            await conn.execute(
                TOPICS_SQL.format(extra="AND t.parent_topic_id = %(id)s"),
                args,
            )
        ).fetchall()
        lessons = await (await conn.execute(TOPIC_LESSONS, args)).fetchall()
        problems = await (await conn.execute(TOPIC_PROBLEMS, args)).fetchall()
        quizzes = await (await conn.execute(TOPIC_QUIZZES, args)).fetchall()
    return TopicDetail(
        **row,
        children=[_node(dict(c)) for c in children],
        lessons=[LessonBrief(**r) for r in lessons],
        problems=[ProblemBrief(**r) for r in problems],
        quizzes=[QuizBrief(**r) for r in quizzes],
    )


async def topic_exists(pool: Any, topic_id: UUID, staff: bool) -> bool:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT 1 FROM topics WHERE id = %s AND (is_published OR %s)", (topic_id, staff)
        )
        return await cur.fetchone() is not None


# -- lessons --------------------------------------------------------------------

LESSONS_WHERE = """
FROM lessons l
LEFT JOIN lesson_completions c ON c.lesson_id = l.id AND c.user_id = %(user)s
WHERE (l.is_published OR %(staff)s)
  AND (%(topic)s::uuid IS NULL OR l.topic_id = %(topic)s)
  AND (%(difficulty)s::text IS NULL OR l.difficulty = %(difficulty)s)"""


async def list_lessons(
    pool: Any,
    user_id: UUID | None,
    staff: bool,
    page: Page,
    topic_id: UUID | None = None,
    difficulty: str | None = None,
) -> tuple[list[LessonSummary], int]:
    args = {"user": user_id, "staff": staff, "topic": topic_id, "difficulty": difficulty}
    select = (
        "SELECT l.id, l.title, l.slug, l.topic_id, l.difficulty, l.estimated_time_min,"
        ' l.display_order AS "order", c.user_id IS NOT NULL AS has_completed, l.is_published,'
        " l.created_at"
    )
    order = (
        " ORDER BY l.topic_id, l.display_order, l.created_at, l.id"
        " LIMIT %(limit)s OFFSET %(offset)s"
    )
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                select + LESSONS_WHERE + order, args | {"limit": page.limit, "offset": page.offset}
            )
        ).fetchall()
        total = await (await conn.execute("SELECT count(*) AS n" + LESSONS_WHERE, args)).fetchone()
    return [LessonSummary(**r) for r in rows], int(total["n"])


async def _load_lesson(conn: Any, lesson_id: UUID) -> LessonDetail | None:
    row = await (
        await conn.execute(
            "SELECT id, title, slug, topic_id, content_markdown, difficulty, estimated_time_min,"
            ' display_order AS "order", metadata, is_published, created_by, created_at,'
            " updated_at FROM lessons WHERE id = %s",
            (lesson_id,),
        )
    ).fetchone()
    if row is None:
        return None
    meta = row.pop("metadata")
    return LessonDetail(
        **row, examples=meta.get("examples", []), exercises=meta.get("exercises", [])
    )


LESSON_AROUND = """
SELECT
  (SELECT n.id FROM lessons n WHERE n.topic_id = l.topic_id AND (n.is_published OR %(staff)s)
     AND (n.display_order, n.created_at, n.id) > (l.display_order, l.created_at, l.id)
     ORDER BY n.display_order, n.created_at, n.id LIMIT 1) AS next_id,
  (SELECT n.id FROM lessons n WHERE n.topic_id = l.topic_id AND (n.is_published OR %(staff)s)
     AND (n.display_order, n.created_at, n.id) < (l.display_order, l.created_at, l.id)
     ORDER BY n.display_order DESC, n.created_at DESC, n.id DESC LIMIT 1) AS prev_id,
  c.completed_at, c.time_spent_sec
FROM lessons l
LEFT JOIN lesson_completions c ON c.lesson_id = l.id AND c.user_id = %(user)s
WHERE l.id = %(id)s"""


async def get_lesson(
    pool: Any, redis: Any, lesson_id: UUID, user_id: UUID | None, staff: bool
) -> LessonDetail | None:
    """The lesson (cached as ``lesson:{id}``) with the caller's neighbours and progress."""
    lesson = await cache_fill(
        pool, redis, f"lesson:{lesson_id}", lambda c: _load_lesson(c, lesson_id), LessonDetail
    )
    if lesson is None or not (lesson.is_published or staff):
        return None
    async with pool.connection() as conn:
        around = await (
            await conn.execute(LESSON_AROUND, {"id": lesson_id, "user": user_id, "staff": staff})
        ).fetchone()
    if around is None:
        return None
    done = around["completed_at"] is not None
    progress = LessonProgress(done, around["completed_at"], around["time_spent_sec"] or 0)
    return msgspec.structs.replace(
        lesson,
        next_lesson_id=around["next_id"],
        prev_lesson_id=around["prev_id"],
        progress=progress,
    )


# -- problems -------------------------------------------------------------------

SORT_KEYS = {
    "created_at": "p.created_at",
    "difficulty": "p.difficulty::int",
    "acceptance_rate": "COALESCE(s.acceptance_rate, 0)::float8",
    "title": "p.title",
}
SORT_CASTS = {
    "created_at": "timestamptz",
    "difficulty": "int",
    "acceptance_rate": "float8",
    "title": "text",
}
PROBLEM_SELECT = """
SELECT p.id, p.slug, p.title, p.difficulty,
    COALESCE(s.acceptance_rate, 0)::float8 AS acceptance_rate,
    COALESCE(s.total_submissions, 0) AS total_submissions,
    COALESCE(s.total_accepted, 0) AS total_accepted, p.tags, p.topic_ids,
    COALESCE(u.status, 'not_attempted') AS user_status, p.is_premium, p.is_published,
    p.created_at, {key} AS sort_key"""
PROBLEM_FROM = """
FROM problems p
LEFT JOIN problem_stats_view s ON s.problem_id = p.id
LEFT JOIN user_problem_status_view u ON u.problem_id = p.id AND u.user_id = %(user)s"""


def _problem_filters(query: ProblemQuery, staff: bool) -> tuple[list[str], dict[str, Any]]:
    where = ["(p.is_published OR %(staff)s)"]
    args: dict[str, Any] = {"staff": staff}
    if query.topic_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM topic_problems tp WHERE tp.problem_id = p.id"
            " AND tp.topic_id = %(topic)s)"
        )
        args["topic"] = query.topic_id
    if query.difficulty is not None:
        where.append("p.difficulty = %(difficulty)s")
        args["difficulty"] = query.difficulty
    if query.status == "not_attempted":
        where.append("(u.status IS NULL OR u.status = 'not_attempted')")
    elif query.status is not None:
        where.append("u.status = %(status)s")
        args["status"] = query.status
    if query.tags:
        where.append("p.tags @> %(tags)s::text[]")
        args["tags"] = list(query.tags)
    if query.q:
        where.append(
            "(p.title ILIKE %(like)s OR p.search @@ websearch_to_tsquery('english', %(q)s))"
        )
        args["q"] = query.q
        args["like"] = (
            "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    return where, args


def encode_cursor(query: ProblemQuery, key: Any, row_id: UUID) -> str:
    value = key.isoformat() if isinstance(key, datetime) else key
    payload = {"s": query.sort_by, "o": query.order, "k": value, "id": str(row_id)}
    return base64.urlsafe_b64encode(msgspec.json.encode(payload)).decode().rstrip("=")


def decode_cursor(query: ProblemQuery, token: str) -> tuple[Any, UUID]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = msgspec.json.decode(raw, type=dict[str, Any])
        key, row_id = payload["k"], UUID(payload["id"])
    except (ValueError, KeyError, TypeError, msgspec.DecodeError):
        raise BadCursorError("the cursor is not valid") from None
    if payload.get("s") != query.sort_by or payload.get("o") != query.order:
        raise BadCursorError("the cursor was issued for another sort order")
    return key, row_id


async def list_problems(
    pool: Any, query: ProblemQuery, user_id: UUID | None, staff: bool
) -> ProblemPage:
    """Filtered, sorted problems; keyset pages when a cursor is given, else page/limit."""
    async with pool.connection() as conn:
        return await _problem_page(conn, query, user_id, staff)


async def shared_problem_page(
    pool: Any,
    redis: Any,
    answers: SharedAnswers,
    query: ProblemQuery,
    finish: Callable[[ProblemPage], T],
) -> T:
    """``finish(page)`` of the page an anonymous caller sees (every row ``not_attempted``),
    from ``answers`` while it is current (see ``SharedAnswers``). Not for the ``status``
    filter, which depends on the caller."""
    assert query.status is None
    key = ("problems", msgspec.json.encode(query))
    position = await answers.position(redis)
    found: T | None = answers.get(key, position)
    if found is not None:
        return found

    async def load() -> tuple[T, bool]:
        async with pool.connection() as conn:
            seen = await _seen_position(conn)
            page = await _problem_page(conn, query, None, False)
        return finish(page), seen >= position  # else a change is being committed: don't keep

    return await answers.load(key, position, load)  # type: ignore[no-any-return]


async def user_statuses(pool: Any, user_id: UUID, problem_ids: list[UUID]) -> dict[UUID, str]:
    """The caller's status of each of these problems that is not ``not_attempted``."""
    if not problem_ids:
        return {}
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "SELECT problem_id, status FROM user_problem_status_view"
                " WHERE user_id = %s AND problem_id = ANY(%s)",
                (user_id, problem_ids),
            )
        ).fetchall()
    return {r["problem_id"]: r["status"] for r in rows if r["status"] != "not_attempted"}


def with_statuses(items: list[ProblemSummary], statuses: dict[UUID, str]) -> list[ProblemSummary]:
    return [
        msgspec.structs.replace(p, user_status=statuses[p.id]) if p.id in statuses else p
        for p in items
    ]


async def _problem_page(
    conn: Any, query: ProblemQuery, user_id: UUID | None, staff: bool
) -> ProblemPage:
    key = SORT_KEYS[query.sort_by]
    direction = "DESC" if query.order == "desc" else "ASC"
    where, args = _problem_filters(query, staff)
    args["user"] = user_id
    count_sql = "SELECT count(*) AS n" + PROBLEM_FROM + " WHERE " + " AND ".join(where)
    page_where = list(where)
    if query.cursor:
        after, after_id = decode_cursor(query, query.cursor)
        op = "<" if direction == "DESC" else ">"
        page_where.append(
            f"({key}, p.id) {op} (%(after)s::{SORT_CASTS[query.sort_by]}, %(after_id)s)"
        )
        args |= {"after": after, "after_id": after_id}
        offset = 0
    else:
        offset = (query.page - 1) * query.limit
    sql = (
        PROBLEM_SELECT.format(key=key)
        + PROBLEM_FROM
        + " WHERE "
        + " AND ".join(page_where)
        + f" ORDER BY {key} {direction}, p.id {direction} LIMIT %(limit)s OFFSET %(offset)s"
    )
    if not query.cursor:  # page mode: the total comes with the rows (one round trip)
        sql = sql.replace(" AS sort_key", " AS sort_key, count(*) OVER () AS full_count", 1)
    rows = await (
        await conn.execute(sql, args | {"limit": query.limit + 1, "offset": offset})
    ).fetchall()
    if rows and not query.cursor:
        total = int(rows[0]["full_count"])
    else:
        total = int((await (await conn.execute(count_sql, args)).fetchone())["n"])
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor(query, rows[-1]["sort_key"], rows[-1]["id"]) if has_more else None
    hidden = ("sort_key", "full_count")
    items = [ProblemSummary(**{k: v for k, v in r.items() if k not in hidden}) for r in rows]
    return ProblemPage(items, total, cursor, has_more)


async def _load_problem(conn: Any, problem_id: UUID) -> ProblemDetail | None:
    row = await (
        await conn.execute(
            "SELECT id, slug, title, description_markdown, difficulty, time_limit_ms,"
            " memory_limit_mb, input_format, output_format, constraints, tags, topic_ids,"
            " related_problem_ids, is_premium, is_published, created_by, created_at, updated_at,"
            " metadata FROM problems WHERE id = %s",
            (problem_id,),
        )
    ).fetchone()
    if row is None:
        return None
    samples = await (
        await conn.execute(
            "SELECT sample_input AS input, sample_output AS output, explanation FROM test_cases"
            " WHERE problem_id = %s AND is_sample ORDER BY display_order, id",
            (problem_id,),
        )
    ).fetchall()
    code = await (
        await conn.execute(
            "SELECT language_id, code FROM problem_starter_code WHERE problem_id = %s",
            (problem_id,),
        )
    ).fetchall()
    related = await (
        await conn.execute(
            "SELECT id, title, difficulty, is_published FROM problems WHERE id = ANY(%s)"
            " ORDER BY difficulty, title",
            (row.pop("related_problem_ids"),),
        )
    ).fetchall()
    meta = row.pop("metadata")
    return ProblemDetail(
        **row,
        memory_limit_kb=row["memory_limit_mb"] * 1024,
        examples=meta.get("examples", []),
        hints=sorted(meta.get("hints", []), key=lambda h: h.get("level", 0)),
        sample_test_cases=[SampleTest(**s) for s in samples],
        starter_code={c["language_id"]: c["code"] for c in code},
        related_problems=[RelatedProblem(**r) for r in related],
    )


PROBLEM_LIVE = """
SELECT COALESCE(s.acceptance_rate, 0)::float8 AS acceptance_rate,
    COALESCE(s.total_submissions, 0) AS total_submissions,
    COALESCE(s.total_accepted, 0) AS total_accepted, u.status
FROM (SELECT %(id)s::uuid AS id) x
LEFT JOIN problem_stats_view s ON s.problem_id = x.id
LEFT JOIN user_problem_status_view u ON u.problem_id = x.id AND u.user_id = %(user)s"""


async def get_problem(
    pool: Any, redis: Any, problem_id: UUID, user_id: UUID | None, staff: bool
) -> ProblemDetail | None:
    """The problem (cached as ``problem:{id}``) with live statistics and the caller's status."""
    problem = await cache_fill(
        pool, redis, f"problem:{problem_id}", lambda c: _load_problem(c, problem_id), ProblemDetail
    )
    if problem is None or not (problem.is_published or staff):
        return None
    async with pool.connection() as conn:
        live = await (
            await conn.execute(PROBLEM_LIVE, {"id": problem_id, "user": user_id})
        ).fetchone()
    status = live.pop("status") or "not_attempted"
    related = [r for r in problem.related_problems if r.is_published or staff]
    return msgspec.structs.replace(
        problem,
        **live,
        related_problems=related,
        user_progress=UserProgress(status, status == "solved") if user_id else None,
    )


async def shared_problem(
    pool: Any,
    redis: Any,
    answers: SharedAnswers,
    problem_id: UUID,
    finish: Callable[[ProblemDetail], T],
) -> T | None:
    """``finish(problem)`` of the published problem as an anonymous caller sees it (no
    ``user_progress``), from ``answers`` while it is current (see ``SharedAnswers``)."""
    key = ("problem", problem_id)
    position = await answers.position(redis)
    found: T | None = answers.get(key, position)
    if found is not None:
        return found

    async def load() -> tuple[T | None, bool]:
        problem = await get_problem(pool, redis, problem_id, None, False)
        return (None, False) if problem is None else (finish(problem), True)

    return await answers.load(key, position, load)  # type: ignore[no-any-return]


async def user_status(pool: Any, user_id: UUID, problem_id: UUID) -> UserProgress:
    status = (await user_statuses(pool, user_id, [problem_id])).get(problem_id, "not_attempted")
    return UserProgress(status, status == "solved")


# -- quizzes --------------------------------------------------------------------

QUIZZES_WHERE = """
FROM quizzes q
WHERE (q.is_published OR %(staff)s)
  AND (%(topic)s::uuid IS NULL OR q.topic_id = %(topic)s)
  AND (%(difficulty)s::text IS NULL OR q.difficulty = %(difficulty)s)"""
QUIZZES_SELECT = """
SELECT q.id, q.title, q.topic_id, q.difficulty, q.question_count, q.time_limit_min,
    q.passing_score, q.is_published,
    (SELECT count(*) FROM quiz_attempts a WHERE a.quiz_id = q.id AND a.user_id = %(user)s
        AND a.submitted_at IS NOT NULL) AS attempts,
    (SELECT max(a.percentage) FROM quiz_attempts a WHERE a.quiz_id = q.id
        AND a.user_id = %(user)s AND a.submitted_at IS NOT NULL) AS best_score"""


async def list_quizzes(
    pool: Any,
    user_id: UUID | None,
    staff: bool,
    page: Page,
    topic_id: UUID | None = None,
    difficulty: str | None = None,
) -> tuple[list[QuizSummary], int]:
    args = {"user": user_id, "staff": staff, "topic": topic_id, "difficulty": difficulty}
    order = " ORDER BY q.created_at, q.id LIMIT %(limit)s OFFSET %(offset)s"
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                QUIZZES_SELECT + QUIZZES_WHERE + order,
                args | {"limit": page.limit, "offset": page.offset},
            )
        ).fetchall()
        total = await (await conn.execute("SELECT count(*) AS n" + QUIZZES_WHERE, args)).fetchone()
    return [QuizSummary(**r) for r in rows], int(total["n"])


async def get_quiz(
    pool: Any, quiz_id: UUID, user_id: UUID | None, staff: bool
) -> QuizDetail | None:
    async with pool.connection() as conn:
        row = await (
            await conn.execute(
                "SELECT id, title, description, topic_id, difficulty, time_limit_min,"
                " passing_score, question_count, total_points, is_published FROM quizzes"
                " WHERE id = %s AND (is_published OR %s)",
                (quiz_id, staff),
            )
        ).fetchone()
        if row is None:
            return None
        attempts = await (
            await conn.execute(
                "SELECT id AS attempt_id, score, total_points, percentage, passed,"
                " submitted_at AS completed_at FROM quiz_attempts WHERE quiz_id = %s"
                " AND user_id = %s AND submitted_at IS NOT NULL ORDER BY submitted_at DESC",
                (quiz_id, user_id),
            )
        ).fetchall()
    return QuizDetail(**row, user_attempts=[AttemptBrief(**a) for a in attempts])
