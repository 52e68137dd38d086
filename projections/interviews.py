"""Interview read model (interview_sessions, interview_feedback) and its query functions."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg.types.json import Jsonb

from domain.interviews import INTERVIEWEE, INTERVIEWER, InterviewSession
from projections.runtime import Batch, Projector

ERASED_NAME = "Erased user"
UNKNOWN_NAME = "Unknown user"

DDL = (
    """CREATE TABLE IF NOT EXISTS interview_sessions (
        id uuid PRIMARY KEY,
        interviewee_id uuid NOT NULL,
        interviewer_id uuid NOT NULL,
        interview_type text NOT NULL,
        difficulty text NOT NULL,
        language text NOT NULL,
        status text NOT NULL,
        origin text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        started_at timestamptz,
        ended_at timestamptz,
        duration_min int NOT NULL,
        communication_mode text NOT NULL,
        recording_enabled boolean NOT NULL DEFAULT false,
        notes text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_interview_sessions_interviewee"
    " ON interview_sessions(interviewee_id, scheduled_at DESC)",
    "CREATE INDEX IF NOT EXISTS idx_interview_sessions_interviewer"
    " ON interview_sessions(interviewer_id, scheduled_at DESC)",
    """CREATE TABLE IF NOT EXISTS interview_feedback (
        session_id uuid NOT NULL,
        from_user_id uuid NOT NULL,
        to_user_id uuid NOT NULL,
        overall_rating int NOT NULL,
        communication_rating int,
        problem_solving_rating int,
        technical_knowledge_rating int,
        feedback_text text NOT NULL DEFAULT '',
        recommended_topics jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL,
        PRIMARY KEY (session_id, from_user_id))""",
    "CREATE INDEX IF NOT EXISTS idx_interview_feedback_to_user ON interview_feedback(to_user_id)",
)

INSERT_SESSION = """
INSERT INTO interview_sessions (id, interviewee_id, interviewer_id, interview_type, difficulty,
  language, status, origin, scheduled_at, started_at, duration_min, communication_mode, notes,
  created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"""

INSERT_FEEDBACK = """
INSERT INTO interview_feedback (session_id, from_user_id, to_user_id, overall_rating,
  communication_rating, problem_solving_rating, technical_knowledge_rating, feedback_text,
  recommended_topics, created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"""


class InterviewsProjector(Projector):
    """Sessions (matched ones start at once) and the feedback their participants gave."""

    name = "interviews"
    tables = ("interview_sessions", "interview_feedback")
    ddl = DDL
    topics = (
        InterviewSession.Matched,
        InterviewSession.Scheduled,
        InterviewSession.FeedbackGiven,
        InterviewSession.Completed,
    )

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _matched(self, event: InterviewSession.Matched, batch: Batch) -> None:
        self._insert(batch, event, "in_progress", "quick_match", event.scheduled_at)

    @apply.register
    def _scheduled(self, event: InterviewSession.Scheduled, batch: Batch) -> None:
        self._insert(batch, event, "scheduled", "scheduled", None)

    @apply.register
    def _feedback(self, event: InterviewSession.FeedbackGiven, batch: Batch) -> None:
        batch.cursor.execute(
            INSERT_FEEDBACK,
            (
                event.originator_id, event.from_user_id, event.to_user_id, event.overall_rating,
                event.communication_rating, event.problem_solving_rating,
                event.technical_knowledge_rating, event.feedback_text,
                Jsonb([str(t) for t in event.recommended_topics]), event.given_at,
            ),
        )  # fmt: skip

    @apply.register
    def _completed(self, event: InterviewSession.Completed, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE interview_sessions SET status = 'completed', ended_at = %s,"
            " started_at = COALESCE(started_at, scheduled_at) WHERE id = %s",
            (event.completed_at, event.originator_id),
        )

    @staticmethod
    def _insert(
        batch: Batch, e: Any, status: str, origin: str, started_at: datetime | None
    ) -> None:
        batch.cursor.execute(
            INSERT_SESSION,
            (
                e.originator_id, e.interviewee_id, e.interviewer_id, e.interview_type,
                e.difficulty, e.language, status, origin, e.scheduled_at, started_at,
                e.duration_min, e.communication_mode, e.notes, e.timestamp,
            ),
        )  # fmt: skip


# --- queries ---------------------------------------------------------------------------------


class Participant(msgspec.Struct):
    user_id: UUID
    role: str
    display_name: str


class SessionDetail(msgspec.Struct):
    id: UUID
    status: str
    interview_type: str
    difficulty: str
    language: str
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    duration_min: int
    communication_mode: str
    notes: str
    participants: list[Participant]
    workspace_url: str
    recording_enabled: bool


class MentorCard(msgspec.Struct):
    id: UUID
    display_name: str
    rating: float | None
    expertise: list[str]


class FeedbackSummary(msgspec.Struct):
    overall_rating: int
    has_detailed_feedback: bool


class MyInterview(msgspec.Struct):
    session_id: UUID
    interview_type: str
    role: str
    mentor_id: UUID
    mentor_name: str
    scheduled_at: datetime
    duration_min: int
    status: str
    feedback_summary: FeedbackSummary | None


def shown_name(raw: str | None) -> str:
    """A display name as others see it: erased accounts show as erased, never blank."""
    if raw is None:
        return UNKNOWN_NAME
    return raw or ERASED_NAME


async def has_table(conn: Any, name: str) -> bool:
    cur = await conn.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (name,))
    row = await cur.fetchone()
    return bool(row and row["present"])


async def names_of(conn: Any, user_ids: list[UUID]) -> dict[UUID, str]:
    """Shown names by user id (from the users view when it exists)."""
    found: dict[UUID, str | None] = dict.fromkeys(user_ids)
    if user_ids and await has_table(conn, "users_view"):
        cur = await conn.execute(
            "SELECT id, display_name FROM users_view WHERE id = ANY(%s)", (user_ids,)
        )
        found.update({r["id"]: r["display_name"] for r in await cur.fetchall()})
    return {uid: shown_name(name) for uid, name in found.items()}


def workspace_url(base: str, session_id: UUID) -> str:
    """The session's realtime workspace address (signalling itself is not served here)."""
    scheme, _, rest = base.partition("://")
    ws = "wss" if scheme == "https" else "ws"
    return f"{ws}://{rest.rstrip('/')}/v1/interviews/sessions/{session_id}"


async def get_session(
    pool: Any, session_id: UUID, viewer_id: UUID, base_url: str
) -> SessionDetail | None:
    """The session if the viewer takes part in it, else None (outsiders learn nothing)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT * FROM interview_sessions WHERE id = %s"
            " AND (interviewee_id = %s OR interviewer_id = %s)",
            (session_id, viewer_id, viewer_id),
        )
        row = await cur.fetchone()
        if row is None:
            return None
        names = await names_of(conn, [row["interviewee_id"], row["interviewer_id"]])
    participants = [
        Participant(row["interviewee_id"], INTERVIEWEE, names[row["interviewee_id"]]),
        Participant(row["interviewer_id"], INTERVIEWER, names[row["interviewer_id"]]),
    ]
    fields = {k: row[k] for k in SessionDetail.__struct_fields__ if k in row}
    return SessionDetail(
        **fields, participants=participants, workspace_url=workspace_url(base_url, session_id)
    )


async def get_mentor(pool: Any, mentor_id: UUID) -> MentorCard:
    """A mentor's card: name, average overall rating received as interviewer, topics taught."""
    async with pool.connection() as conn:
        names = await names_of(conn, [mentor_id])
        cur = await conn.execute(
            "SELECT avg(f.overall_rating)::float AS rating FROM interview_feedback f"
            " JOIN interview_sessions s ON s.id = f.session_id"
            " WHERE f.to_user_id = %s AND s.interviewer_id = %s",
            (mentor_id, mentor_id),
        )
        row = await cur.fetchone()
        expertise = await _expertise(conn, mentor_id)
    rating = row["rating"] if row else None
    return MentorCard(mentor_id, names[mentor_id], _round(rating), expertise)


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


async def _expertise(conn: Any, user_id: UUID) -> list[str]:
    if not await has_table(conn, "topics"):
        return []
    cur = await conn.execute(
        "SELECT name FROM topics WHERE is_published"
        " AND (created_by = %s OR %s = ANY(instructor_ids))"
        " ORDER BY display_order, name LIMIT 10",
        (user_id, user_id),
    )
    return [r["name"] for r in await cur.fetchall()]


async def mentor_candidates(pool: Any, at: datetime, limit: int = 50) -> list[UUID]:
    """Active instructors, the least booked from ``at`` on first (for automatic assignment)."""
    async with pool.connection() as conn:
        if not await has_table(conn, "users_view"):
            return []
        cur = await conn.execute(
            "SELECT u.id FROM users_view u LEFT JOIN interview_sessions s"
            " ON s.interviewer_id = u.id AND s.scheduled_at >= %s AND s.status <> 'completed'"
            " WHERE u.role = 'instructor' AND u.is_active"
            " GROUP BY u.id ORDER BY count(s.id), u.id LIMIT %s",
            (at, limit),
        )
        return [r["id"] for r in await cur.fetchall()]


MY_INTERVIEWS = """
SELECT s.id AS session_id, s.interview_type, s.interviewer_id AS mentor_id, s.scheduled_at,
  s.duration_min, s.status,
  CASE WHEN s.interviewee_id = %(me)s THEN 'interviewee' ELSE 'interviewer' END AS role,
  f.overall_rating,
  (f.feedback_text <> '' OR f.communication_rating IS NOT NULL
   OR f.problem_solving_rating IS NOT NULL OR f.technical_knowledge_rating IS NOT NULL) AS detailed,
  count(*) OVER () AS total
FROM interview_sessions s
LEFT JOIN interview_feedback f ON f.session_id = s.id AND f.to_user_id = %(me)s
WHERE s.interviewee_id = %(me)s OR s.interviewer_id = %(me)s
ORDER BY s.scheduled_at DESC, s.id
LIMIT %(limit)s OFFSET %(offset)s"""


async def list_my_interviews(
    pool: Any, user_id: UUID, limit: int, offset: int
) -> tuple[list[MyInterview], int]:
    """The user's sessions (either side), newest first, with the feedback they received."""
    async with pool.connection() as conn:
        cur = await conn.execute(MY_INTERVIEWS, {"me": user_id, "limit": limit, "offset": offset})
        rows = await cur.fetchall()
        names = await names_of(conn, list({r["mentor_id"] for r in rows}))
    total = int(rows[0]["total"]) if rows else 0
    return [_mine(r, names) for r in rows], total


def _mine(row: dict[str, Any], names: dict[UUID, str]) -> MyInterview:
    summary = None
    if row["overall_rating"] is not None:
        summary = FeedbackSummary(row["overall_rating"], bool(row["detailed"]))
    return MyInterview(
        row["session_id"], row["interview_type"], row["role"], row["mentor_id"],
        names[row["mentor_id"]], row["scheduled_at"], row["duration_min"], row["status"], summary,
    )  # fmt: skip
