"""Per-learner content progress: lesson completions and quiz attempts (read tables)."""

from __future__ import annotations

from functools import singledispatchmethod

from psycopg.types.json import Jsonb

from domain.progress import LessonCompletion
from domain.quizzes import QuizAttempt
from projections.runtime import Batch, Projector

DDL = (
    """CREATE TABLE IF NOT EXISTS lesson_completions (
        user_id uuid NOT NULL,
        lesson_id uuid NOT NULL,
        topic_id uuid NOT NULL,
        xp int NOT NULL,
        time_spent_sec int NOT NULL DEFAULT 0,
        completed_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, lesson_id))""",
    """CREATE INDEX IF NOT EXISTS idx_lesson_completions_user
        ON lesson_completions(user_id, completed_at DESC)""",
    """CREATE TABLE IF NOT EXISTS quiz_attempts (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        quiz_id uuid NOT NULL,
        topic_id uuid NOT NULL,
        score int,
        total_points int,
        percentage int,
        passed boolean,
        xp int NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        submitted_at timestamptz,
        answers jsonb)""",
    """CREATE INDEX IF NOT EXISTS idx_quiz_attempts_user
        ON quiz_attempts(user_id, quiz_id, submitted_at DESC)""",
)


class LearnerContentProjector(Projector):
    name = "learner_content"
    tables = ("lesson_completions", "quiz_attempts")
    ddl = DDL
    topics = (LessonCompletion.Completed, QuizAttempt.Started, QuizAttempt.Submitted)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _(self, event: LessonCompletion.Completed, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO lesson_completions VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (user_id, lesson_id) DO NOTHING",
            (
                event.user_id,
                event.lesson_id,
                event.topic_id,
                event.xp,
                event.time_spent_sec,
                event.completed_at,
            ),
        )

    @apply.register
    def _(self, event: QuizAttempt.Started, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO quiz_attempts (id, user_id, quiz_id, topic_id, started_at, expires_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.user_id,
                event.quiz_id,
                event.topic_id,
                event.started_at,
                event.expires_at,
            ),
        )

    @apply.register
    def _(self, event: QuizAttempt.Submitted, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE quiz_attempts SET score = %s, total_points = %s, percentage = %s,"
            " passed = %s, xp = %s, submitted_at = %s, answers = %s WHERE id = %s",
            (
                event.score,
                event.max_score,
                event.percentage,
                event.passed,
                event.xp,
                event.submitted_at,
                Jsonb(event.answers),
                event.originator_id,
            ),
        )
