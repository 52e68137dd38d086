"""AI code review read model (ai_code_reviews_view), the review cache keys, and queries."""

from __future__ import annotations

import json
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from domain.reviews import AiReview, automatic_review_id
from domain.submissions import Submission
from projections.runtime import Batch, Projector

CACHE_TTL_S = 30 * 24 * 3600
REVIEW_STATUS = {"PROCESSING": "REVIEW_PENDING", "COMPLETE": "REVIEW_COMPLETE",
                 "FAILED": "REVIEW_FAILED"}  # fmt: skip
DDL = (
    """CREATE TABLE IF NOT EXISTS ai_code_reviews_view (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        user_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        attempt int NOT NULL,
        reason text NOT NULL DEFAULT 'automatic',
        focus_areas jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'PROCESSING'
            CHECK (status IN ('PROCESSING', 'COMPLETE', 'FAILED')),
        overall_score int CHECK (overall_score BETWEEN 0 AND 100),
        dimensions jsonb,
        summary text,
        strengths jsonb,
        improvements jsonb,
        code_suggestions jsonb,
        complexity_analysis jsonb,
        reviewer text,
        cache_key text,
        reused_from uuid,
        error text,
        processing_time_ms int,
        created_at timestamptz NOT NULL,
        generated_at timestamptz,
        seq bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_ai_reviews_submission"
    " ON ai_code_reviews_view (submission_id, seq DESC)",
    "CREATE INDEX IF NOT EXISTS idx_ai_reviews_status ON ai_code_reviews_view (status)",
)
INSERT = (
    "INSERT INTO ai_code_reviews_view (id, submission_id, user_id, problem_id, attempt, reason,"
    " focus_areas, created_at, seq) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def cache_key_name(cache_key: str) -> str:
    """The Redis key naming the review of identical code (see ``ai.review.review_cache_key``)."""
    return f"codequest:ai:review-cache:{cache_key}"


class ReviewsProjector(Projector):
    """One row per review; an automatic review shows PROCESSING from its verdict on."""

    name = "ai_reviews"
    tables = ("ai_code_reviews_view",)
    ddl = DDL
    topics = (Submission.Judged, AiReview.Requested, AiReview.Completed, AiReview.Failed)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _judged(self, event: Submission.Judged, batch: Batch) -> None:
        review_id = automatic_review_id(event.originator_id, event.attempt)
        batch.cursor.execute(
            INSERT + " ON CONFLICT (id) DO NOTHING",
            (review_id, event.originator_id, event.user_id, event.problem_id, event.attempt,
             "automatic", Jsonb([]), event.timestamp, batch.position),
        )  # fmt: skip

    @apply.register
    def _requested(self, event: AiReview.Requested, batch: Batch) -> None:
        batch.cursor.execute(
            INSERT + " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason,"
            " focus_areas = excluded.focus_areas",
            (event.originator_id, event.submission_id, event.user_id, event.problem_id,
             event.attempt, event.reason, Jsonb(event.focus_areas), event.timestamp,
             batch.position),
        )  # fmt: skip

    @apply.register
    def _completed(self, event: AiReview.Completed, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE ai_code_reviews_view SET status = 'COMPLETE', overall_score = %s,"
            " dimensions = %s, summary = %s, strengths = %s, improvements = %s,"
            " code_suggestions = %s, complexity_analysis = %s, reviewer = %s, cache_key = %s,"
            " reused_from = %s, processing_time_ms = %s, generated_at = %s WHERE id = %s",
            (event.overall_score, Jsonb(event.dimensions), event.summary,
             Jsonb(event.strengths), Jsonb(event.improvements), Jsonb(event.code_suggestions),
             Jsonb(event.complexity_analysis), event.reviewer, event.cache_key or None,
             event.reused_from, event.duration_ms, event.timestamp, event.originator_id),
        )  # fmt: skip
        if event.cache_key and event.reused_from is None:
            self._remember(event.cache_key, event.originator_id, batch)
        self._announce(event.originator_id, batch)

    @apply.register
    def _failed(self, event: AiReview.Failed, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE ai_code_reviews_view SET status = 'FAILED', error = %s, generated_at = %s"
            " WHERE id = %s",
            (event.error, event.timestamp, event.originator_id),
        )
        self._announce(event.originator_id, batch)

    def _remember(self, cache_key: str, review_id: UUID, batch: Batch) -> None:
        redis = self.services.redis
        if redis is not None:
            batch.after_commit(
                lambda: redis.set(cache_key_name(cache_key), str(review_id), ex=CACHE_TTL_S)
            )

    def _announce(self, review_id: UUID, batch: Batch) -> None:
        """Tell live subscribers of the submission (best effort, never during a rebuild)."""
        redis = self.services.redis
        if redis is None or batch.rebuilding:
            return
        batch.cursor.execute(
            "SELECT submission_id, status, overall_score FROM ai_code_reviews_view WHERE id = %s",
            (review_id,),
        )
        row = batch.cursor.fetchone()
        if row is None:
            return
        message = json.dumps(
            {
                "type": "ai_review:complete",
                "review_id": str(review_id),
                "submission_id": str(row["submission_id"]),
                "status": row["status"],
                "overall_score": row["overall_score"],
            }
        )
        batch.after_commit(lambda: _publish(redis, f"submission:{row['submission_id']}", message))

    def rebuild_redis(self, cursor: Cursor[DictRow]) -> None:
        redis = self.services.redis
        if redis is None:
            return
        cursor.execute(
            "SELECT id, cache_key FROM ai_code_reviews_view"
            " WHERE status = 'COMPLETE' AND cache_key IS NOT NULL AND reused_from IS NULL"
        )
        for row in cursor.fetchall():
            redis.set(cache_key_name(row["cache_key"]), str(row["id"]), ex=CACHE_TTL_S)


def _publish(redis: Any, channel: str, message: str) -> None:
    try:
        redis.publish(channel, message)
    except Exception:  # live updates are best effort; the review is in the log
        return


# --- queries ---------------------------------------------------------------------------------


class CodeSuggestionBody(msgspec.Struct):
    line_start: int
    line_end: int
    category: str
    current_code: str
    suggested_code: str | None
    explanation: str


class ComplexityBody(msgspec.Struct):
    time_complexity: str
    space_complexity: str
    explanation: str


class Dimensions(msgspec.Struct):
    correctness: int
    efficiency: int
    code_quality: int
    best_practices: int
    security: int


class ReviewBody(msgspec.Struct):
    """Section 3.6's review; fields other than the ids and status are null until COMPLETE."""

    id: UUID
    submission_id: UUID
    status: str
    reason: str
    focus_areas: list[str]
    overall_score: int | None
    dimensions: Dimensions | None
    summary: str | None
    strengths: list[str]
    improvements: list[str]
    code_suggestions: list[CodeSuggestionBody]
    complexity_analysis: ComplexityBody | None
    reviewer: str | None
    processing_time_ms: int | None
    error: str | None
    requested_at: datetime
    generated_at: datetime | None


def _body(row: dict[str, Any]) -> ReviewBody:
    return msgspec.convert(
        {
            **row,
            "requested_at": row["created_at"],
            "strengths": row["strengths"] or [],
            "improvements": row["improvements"] or [],
            "code_suggestions": row["code_suggestions"] or [],
        },
        ReviewBody,
        from_attributes=False,
        strict=False,
    )


async def get_latest_review(conn: Any, submission_id: UUID) -> ReviewBody | None:
    """The submission's newest review (of any attempt), or None."""
    cur = await conn.execute(
        "SELECT * FROM ai_code_reviews_view WHERE submission_id = %s ORDER BY seq DESC LIMIT 1",
        (submission_id,),
    )
    row = await cur.fetchone()
    return _body(row) if row else None


async def get_review(conn: Any, review_id: UUID) -> ReviewBody | None:
    cur = await conn.execute("SELECT * FROM ai_code_reviews_view WHERE id = %s", (review_id,))
    row = await cur.fetchone()
    return _body(row) if row else None


async def get_review_status(conn: Any, submission_id: UUID) -> str | None:
    """REVIEW_PENDING, REVIEW_COMPLETE or REVIEW_FAILED for the newest review, else None."""
    cur = await conn.execute(
        "SELECT status FROM ai_code_reviews_view WHERE submission_id = %s"
        " ORDER BY seq DESC LIMIT 1",
        (submission_id,),
    )
    row = await cur.fetchone()
    return REVIEW_STATUS[row["status"]] if row else None


async def review_scores(conn: Any, submission_ids: list[UUID]) -> dict[UUID, int]:
    """The newest COMPLETE review's overall score of each submission (for list views)."""
    cur = await conn.execute(
        "SELECT DISTINCT ON (submission_id) submission_id, overall_score"
        " FROM ai_code_reviews_view WHERE submission_id = ANY(%s) AND status = 'COMPLETE'"
        " ORDER BY submission_id, seq DESC",
        (submission_ids,),
    )
    return {r["submission_id"]: r["overall_score"] for r in await cur.fetchall()}


async def average_review_seconds(conn: Any) -> float | None:
    """Mean seconds from request (or verdict) to a COMPLETE review; None before any review."""
    cur = await conn.execute(
        "SELECT avg(extract(epoch FROM generated_at - created_at))::float8 AS s"
        " FROM ai_code_reviews_view WHERE status = 'COMPLETE'"
    )
    row = await cur.fetchone()
    value = row["s"] if row else None
    return float(value) if value is not None else None
