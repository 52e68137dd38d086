"""Problem statistics: submissions, accepted and acceptance rate per problem; per-learner status.

Counted from ``Submission.Judged``: a submission counts once however often it is rejudged (its
latest verdict decides whether it is accepted); a learner's status is ``attempted`` after any
verdict and ``solved`` after an ACCEPTED one (and stays solved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from domain.submissions import Submission
from projections.dashboard.projector import user_changed
from projections.runtime import Batch, Projector, Services

DDL = (
    """CREATE TABLE IF NOT EXISTS problem_stats_view (
        problem_id uuid PRIMARY KEY,
        total_submissions int NOT NULL DEFAULT 0,
        total_accepted int NOT NULL DEFAULT 0,
        acceptance_rate double precision NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS user_problem_status_view (
        user_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        status text NOT NULL,
        PRIMARY KEY (user_id, problem_id))""",
    """CREATE TABLE IF NOT EXISTS problem_stats_verdicts (
        submission_id uuid PRIMARY KEY,
        problem_id uuid NOT NULL,
        accepted boolean NOT NULL)""",
)

UPSERT_VERDICTS = """
INSERT INTO problem_stats_verdicts (submission_id, problem_id, accepted)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::bool[])
ON CONFLICT (submission_id) DO UPDATE SET accepted = excluded.accepted"""

UPSERT_STATS = """
INSERT INTO problem_stats_view AS t (problem_id, total_submissions, total_accepted, acceptance_rate)
SELECT p, s, a, COALESCE(a::float8 / NULLIF(s, 0), 0)
FROM unnest(%s::uuid[], %s::int[], %s::int[]) AS u(p, s, a)
ON CONFLICT (problem_id) DO UPDATE SET
    total_submissions = t.total_submissions + excluded.total_submissions,
    total_accepted = t.total_accepted + excluded.total_accepted,
    acceptance_rate = COALESCE((t.total_accepted + excluded.total_accepted)::float8
        / NULLIF(t.total_submissions + excluded.total_submissions, 0), 0)"""

UPSERT_STATUS = """
INSERT INTO user_problem_status_view AS t (user_id, problem_id, status)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::text[])
ON CONFLICT (user_id, problem_id) DO UPDATE SET status = CASE
    WHEN t.status = 'solved' OR excluded.status = 'solved' THEN 'solved' ELSE 'attempted' END"""


@dataclass
class _Fold:
    """One batch's verdicts folded into deltas (pure; tested without a database)."""

    verdicts: dict[UUID, tuple[UUID, bool]] = field(default_factory=dict)
    submissions: dict[UUID, int] = field(default_factory=dict)
    accepted: dict[UUID, int] = field(default_factory=dict)
    status: dict[tuple[UUID, UUID], str] = field(default_factory=dict)

    def judged(self, submission_id: UUID, user_id: UUID, problem_id: UUID, ok: bool) -> None:
        previous = self.verdicts.get(submission_id)
        if previous is None:
            self.submissions[problem_id] = self.submissions.get(problem_id, 0) + 1
            self.accepted[problem_id] = self.accepted.get(problem_id, 0) + int(ok)
        else:
            delta = int(ok) - int(previous[1])
            self.accepted[problem_id] = self.accepted.get(problem_id, 0) + delta
            self.submissions.setdefault(problem_id, 0)
        self.verdicts[submission_id] = (problem_id, ok)
        key = (user_id, problem_id)
        if ok or self.status.get(key) != "solved":
            self.status[key] = "solved" if ok else "attempted"


class ProblemStatsProjector(Projector):
    """``problem_stats_view`` and ``user_problem_status_view`` from verdicts."""

    name = "problem_stats"
    tables = ("problem_stats_view", "user_problem_status_view", "problem_stats_verdicts")
    ddl = DDL
    topics = (Submission.Judged,)

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
        """Events of no interest are ignored."""

    @apply.register
    def _(self, event: Submission.Judged, batch: Batch) -> None:
        self._pending(batch).append(event)

    def finish(self, batch: Batch) -> None:
        events = self._pending(batch)
        if not events:
            return
        fold = _Fold(verdicts=_load_verdicts(batch.cursor, {e.originator_id for e in events}))
        for e in events:
            fold.judged(e.originator_id, e.user_id, e.problem_id, e.status == "ACCEPTED")
        _store(batch.cursor, fold)
        user_changed(self.services, batch, {user for user, _ in fold.status})
        self._events = []


def _load_verdicts(cursor: Cursor[DictRow], ids: set[UUID]) -> dict[UUID, tuple[UUID, bool]]:
    cursor.execute(
        "SELECT submission_id, problem_id, accepted FROM problem_stats_verdicts"
        " WHERE submission_id = ANY(%s)",
        (list(ids),),
    )
    return {r["submission_id"]: (r["problem_id"], r["accepted"]) for r in cursor.fetchall()}


def _store(cursor: Cursor[DictRow], fold: _Fold) -> None:
    sids = list(fold.verdicts)
    cursor.execute(
        UPSERT_VERDICTS,
        (sids, [fold.verdicts[s][0] for s in sids], [fold.verdicts[s][1] for s in sids]),
    )
    pids = list(fold.submissions)
    cursor.execute(
        UPSERT_STATS, (pids, [fold.submissions[p] for p in pids], [fold.accepted[p] for p in pids])
    )
    keys = list(fold.status)
    cursor.execute(
        UPSERT_STATUS, ([k[0] for k in keys], [k[1] for k in keys], [fold.status[k] for k in keys])
    )


class ProblemStats(msgspec.Struct):
    problem_id: UUID
    total_submissions: int
    total_accepted: int
    acceptance_rate: float


async def get_problem_stats(conn: Any, problem_id: UUID) -> ProblemStats:
    """A problem's counters (zeros before its first verdict)."""
    cur = await conn.execute(
        "SELECT problem_id, total_submissions, total_accepted, acceptance_rate"
        " FROM problem_stats_view WHERE problem_id = %s",
        (problem_id,),
    )
    row = await cur.fetchone()
    if row is None:
        return ProblemStats(problem_id, 0, 0, 0.0)
    return msgspec.convert(dict(row), ProblemStats)


async def list_user_statuses(conn: Any, user_id: UUID) -> dict[UUID, str]:
    """``{problem_id: 'attempted' | 'solved'}``; problems absent are ``not_attempted``."""
    cur = await conn.execute(
        "SELECT problem_id, status FROM user_problem_status_view WHERE user_id = %s", (user_id,)
    )
    return {r["problem_id"]: r["status"] for r in await cur.fetchall()}
