"""Submission status read model (submissions_view, code_runs_view) and its query functions."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec

from domain.submissions import Submission
from projections.runtime import Batch, Projector

SUBMISSIONS_DDL = """
CREATE TABLE IF NOT EXISTS submissions_view (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL,
  problem_id UUID NOT NULL,
  problem_title TEXT NOT NULL DEFAULT '',
  contest_id UUID,
  language TEXT NOT NULL,
  code TEXT NOT NULL,
  code_sha256 TEXT NOT NULL,
  code_length INTEGER NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL,
  verdict TEXT,
  points INTEGER NOT NULL DEFAULT 0,
  passed BOOLEAN NOT NULL DEFAULT FALSE,
  tests_passed INTEGER,
  tests_total INTEGER,
  runtime_ms INTEGER,
  memory_kb INTEGER,
  xp INTEGER NOT NULL DEFAULT 0,
  first_solve BOOLEAN NOT NULL DEFAULT FALSE,
  compile_output TEXT,
  submitted_at TIMESTAMPTZ NOT NULL,
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
)
"""
CODE_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS code_runs_view (
  submission_id UUID NOT NULL,
  attempt INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  test_case_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  execution_time_ms INTEGER NOT NULL,
  memory_kb INTEGER NOT NULL,
  is_sample BOOLEAN NOT NULL,
  points INTEGER NOT NULL,
  points_earned INTEGER NOT NULL,
  input TEXT,
  expected_output TEXT,
  actual_output TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (submission_id, attempt, ordinal)
)
"""
RESET_ATTEMPT = (
    "attempt = %s, status = 'PENDING', verdict = NULL, points = 0, passed = FALSE,"
    " tests_passed = NULL, tests_total = NULL, runtime_ms = NULL, memory_kb = NULL, xp = 0,"
    " first_solve = FALSE, compile_output = NULL, started_at = NULL, completed_at = NULL"
)


class SubmissionStatusProjector(Projector):
    """One row per submission (its current attempt) and one per test run of each attempt."""

    name = "submission_status"
    tables = ("submissions_view", "code_runs_view")
    ddl = (
        SUBMISSIONS_DDL,
        "CREATE INDEX IF NOT EXISTS submissions_view_problem_user"
        " ON submissions_view (problem_id, user_id, submitted_at DESC)",
        "CREATE INDEX IF NOT EXISTS submissions_view_user"
        " ON submissions_view (user_id, submitted_at DESC)",
        CODE_RUNS_DDL,
    )
    topics = (
        Submission.Submitted,
        Submission.Started,
        Submission.Judged,
        Submission.RejudgeRequested,
    )

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _submitted(self, event: Submission.Submitted, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO submissions_view (id, user_id, problem_id, problem_title, contest_id,"
            " language, code, code_sha256, code_length, status, submitted_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'PENDING', %s)"
            " ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.user_id,
                event.problem_id,
                event.problem_title,
                event.contest_id,
                event.language,
                event.code,
                event.code_sha256,
                event.code_length,
                event.timestamp,
            ),
        )

    @apply.register
    def _started(self, event: Submission.Started, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE submissions_view SET status = 'RUNNING', started_at = %s"
            " WHERE id = %s AND attempt = %s AND verdict IS NULL",
            (event.timestamp, event.originator_id, event.attempt),
        )

    @apply.register
    def _judged(self, event: Submission.Judged, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE submissions_view SET status = %s, verdict = %s, points = %s, passed = %s,"
            " tests_passed = %s, tests_total = %s, runtime_ms = %s, memory_kb = %s, xp = %s,"
            " first_solve = %s, compile_output = %s, completed_at = %s"
            " WHERE id = %s AND attempt = %s",
            (
                event.status,
                event.status,
                event.points,
                event.status == "ACCEPTED",
                event.tests_passed,
                event.tests_total,
                event.runtime_ms,
                event.memory_kb,
                event.xp,
                event.first_solve,
                event.compile_output or None,
                event.timestamp,
                event.originator_id,
                event.attempt,
            ),
        )
        self._insert_runs(event, batch)

    def _insert_runs(self, event: Submission.Judged, batch: Batch) -> None:
        rows = [_run_row(event, ordinal, r) for ordinal, r in enumerate(event.results, 1)]
        if rows:
            batch.cursor.executemany(
                "INSERT INTO code_runs_view (submission_id, attempt, ordinal, test_case_id, name,"
                " status, execution_time_ms, memory_kb, is_sample, points, points_earned, input,"
                " expected_output, actual_output, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                rows,
            )

    @apply.register
    def _rejudge(self, event: Submission.RejudgeRequested, batch: Batch) -> None:
        batch.cursor.execute(
            f"UPDATE submissions_view SET {RESET_ATTEMPT} WHERE id = %s",
            (event.attempt, event.originator_id),
        )


def _run_row(event: Submission.Judged, ordinal: int, r: dict[str, Any]) -> tuple[Any, ...]:
    sample = bool(r.get("is_sample"))
    return (
        event.originator_id,
        event.attempt,
        ordinal,
        str(r["test_case_id"]),
        str(r.get("name") or f"Test {ordinal}"),
        str(r["status"]),
        int(r.get("execution_time_ms", 0)),
        int(r.get("memory_kb", 0)),
        sample,
        int(r.get("points", 0)),
        int(r.get("points_earned", 0)),
        r.get("input") if sample else None,
        r.get("expected_output") if sample else None,
        r.get("actual_output") if sample else None,
        event.timestamp,
    )


# --- queries ---------------------------------------------------------------------------------


class ExecutionSummary(msgspec.Struct):
    total_test_cases: int
    passed_test_cases: int
    failed_test_cases: int
    max_execution_time_ms: int
    max_memory_kb: int


class TestResult(msgspec.Struct):
    __test__ = False
    test_case_id: str
    name: str
    status: str
    execution_time_ms: int
    memory_kb: int
    is_sample: bool
    points: int
    points_earned: int
    input: str | None = None
    expected_output: str | None = None
    actual_output: str | None = None


class SubmissionDetail(msgspec.Struct):
    """Section 3.5's body; ``verdict`` keeps the judge's result while ``status`` may move on."""

    id: UUID
    problem_id: UUID
    problem_title: str
    user_id: UUID
    contest_id: UUID | None
    language: str
    code: str
    status: str
    verdict: str | None
    attempt: int
    points: int
    passed: bool
    xp_earned: int
    first_solve: bool
    submitted_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    execution_summary: ExecutionSummary | None
    test_results: list[TestResult]
    compilation_output: str | None
    ai_review: dict[str, Any] | None = None


class SubmissionState(msgspec.Struct):
    """The little a live subscription needs: who owns it and where it stands."""

    id: UUID
    user_id: UUID
    attempt: int
    status: str
    verdict: str | None
    points: int
    passed: bool
    tests_passed: int | None
    tests_total: int | None


class SubmissionSummary(msgspec.Struct):
    id: UUID
    language: str
    status: str
    verdict: str | None
    points: int
    submitted_at: datetime
    execution_time_ms: int | None
    ai_review_score: int | None = None


class SubmissionCode(msgspec.Struct):
    user_id: UUID
    code: str
    language: str


STATE_COLUMNS = "id, user_id, attempt, status, verdict, points, passed, tests_passed, tests_total"


async def get_submission_state(pool: Any, submission_id: UUID) -> SubmissionState | None:
    row = await _one(
        pool, f"SELECT {STATE_COLUMNS} FROM submissions_view WHERE id = %s", submission_id
    )
    return msgspec.convert(row, SubmissionState) if row else None


async def get_submission_code(pool: Any, submission_id: UUID) -> SubmissionCode | None:
    row = await _one(
        pool, "SELECT user_id, code, language FROM submissions_view WHERE id = %s", submission_id
    )
    return msgspec.convert(row, SubmissionCode) if row else None


async def get_submission(pool: Any, submission_id: UUID) -> SubmissionDetail | None:
    """The submission with the test results of its current attempt (hidden data never)."""
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT * FROM submissions_view WHERE id = %s", (submission_id,))
        row = await cur.fetchone()
        if row is None:
            return None
        cur = await conn.execute(
            "SELECT * FROM code_runs_view WHERE submission_id = %s AND attempt = %s"
            " ORDER BY ordinal",
            (submission_id, row["attempt"]),
        )
        runs = await cur.fetchall()
    return _detail(row, runs)


def _detail(row: dict[str, Any], runs: list[dict[str, Any]]) -> SubmissionDetail:
    results = [msgspec.convert(r, TestResult) for r in runs]
    return SubmissionDetail(
        id=row["id"],
        problem_id=row["problem_id"],
        problem_title=row["problem_title"],
        user_id=row["user_id"],
        contest_id=row["contest_id"],
        language=row["language"],
        code=row["code"],
        status=row["status"],
        verdict=row["verdict"],
        attempt=row["attempt"],
        points=row["points"],
        passed=row["passed"],
        xp_earned=row["xp"],
        first_solve=row["first_solve"],
        submitted_at=row["submitted_at"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        execution_summary=_summary(row),
        test_results=results,
        compilation_output=row["compile_output"],
    )


def _summary(row: dict[str, Any]) -> ExecutionSummary | None:
    if row["tests_total"] is None:
        return None
    return ExecutionSummary(
        total_test_cases=row["tests_total"],
        passed_test_cases=row["tests_passed"],
        failed_test_cases=row["tests_total"] - row["tests_passed"],
        max_execution_time_ms=row["runtime_ms"] or 0,
        max_memory_kb=row["memory_kb"] or 0,
    )


async def list_problem_submissions(
    pool: Any,
    problem_id: UUID,
    user_id: UUID | None,
    status: str | None,
    page: int,
    limit: int,
) -> tuple[list[SubmissionSummary], int]:
    """A page of a problem's submissions (one user's unless ``user_id`` is None), newest first."""
    where, args = _filters(problem_id, user_id, status)
    async with pool.connection() as conn:
        cur = await conn.execute(f"SELECT count(*) AS n FROM submissions_view WHERE {where}", args)
        total = (await cur.fetchone())["n"]
        cur = await conn.execute(
            "SELECT id, language, status, verdict, points, submitted_at,"
            f" runtime_ms AS execution_time_ms FROM submissions_view WHERE {where}"
            " ORDER BY submitted_at DESC, id LIMIT %s OFFSET %s",
            (*args, limit, (page - 1) * limit),
        )
        rows = await cur.fetchall()
    return [msgspec.convert(r, SubmissionSummary) for r in rows], int(total)


def _filters(
    problem_id: UUID, user_id: UUID | None, status: str | None
) -> tuple[str, tuple[Any, ...]]:
    clauses, args = ["problem_id = %s"], [problem_id]
    if user_id is not None:
        clauses.append("user_id = %s")
        args.append(user_id)
    if status is not None:
        clauses.append("(status = %s OR verdict = %s)")
        args += [status, status]
    return " AND ".join(clauses), tuple(args)


async def list_problem_submission_ids(pool: Any, problem_id: UUID) -> list[UUID]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id FROM submissions_view WHERE problem_id = %s ORDER BY submitted_at",
            (problem_id,),
        )
        return [r["id"] for r in await cur.fetchall()]


async def _one(pool: Any, query: str, *args: Any) -> dict[str, Any] | None:
    async with pool.connection() as conn:
        cur = await conn.execute(query, args)
        row: dict[str, Any] | None = await cur.fetchone()
        return row
