"""The `judge_submission` actor: judge one attempt, publish progress, record the verdict once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import msgspec
import structlog
from dramatiq.middleware import CurrentMessage

from commands.context import acting
from domain.submissions import StaleAttemptError, Verdict, VerdictAlreadyRecordedError
from judge import grading
from judge.dispatch import ACTOR, QUEUE

log = structlog.get_logger()
LIVE_TTL_S = 300
MAX_RETRIES = 2
NOT_JUDGED = (StaleAttemptError, VerdictAlreadyRecordedError)


def channel(submission_id: UUID | str) -> str:
    """The Redis pub/sub channel of a submission's live updates (design section 7)."""
    return f"submission:{submission_id}"


def live_key(submission_id: UUID | str) -> str:
    """A hash with the latest live state, so a late subscriber starts from it."""
    return f"submission:{submission_id}:live"


class LivePublisher:
    """Publishes a submission's progress and keeps its latest state for 5 minutes."""

    def __init__(self, redis: Any, submission_id: UUID, attempt: int) -> None:
        self.redis, self.submission_id, self.attempt = redis, submission_id, attempt

    def send(self, status: str, message: str, progress: int, **extra: Any) -> None:
        final = status not in ("PENDING", "RUNNING")
        state = {
            "type": "submission:update",
            "submission_id": str(self.submission_id),
            "attempt": self.attempt,
            "status": status,
            "progress": progress,
            "message": message,
            "final": final,
            **extra,
        }
        payload = json.dumps(state)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(live_key(self.submission_id), mapping={"json": payload, "status": status})
        pipe.expire(live_key(self.submission_id), LIVE_TTL_S)
        pipe.publish(channel(self.submission_id), payload)
        try:
            pipe.execute()
        except Exception as exc:  # live updates are best effort; the verdict is in the log
            log.warning(
                "live_publish_failed", submission_id=str(self.submission_id), error=str(exc)
            )

    def progress(self, done: int, total: int) -> None:
        if done < total:
            self.send("RUNNING", f"Running test case {done + 1} of {total}...", 100 * done // total)

    def final(self, verdict: Verdict, xp: int) -> None:
        self.send(
            verdict.status,
            "Execution complete",
            100,
            verdict=verdict.status,
            points=verdict.points,
            passed=verdict.status == "ACCEPTED",
            tests_passed=verdict.tests_passed,
            tests_total=verdict.tests_total,
            xp_earned=xp,
        )


def test_names(tests: Sequence[grading.TestCase]) -> list[str]:
    names, samples, hidden = [], 0, 0
    for test in tests:
        if test.is_sample:
            samples += 1
            names.append(f"Sample Test {samples}")
        else:
            hidden += 1
            names.append(f"Test {hidden}")
    return names


def to_verdict(result: grading.JudgeResult, tests: Sequence[grading.TestCase]) -> Verdict:
    """The verdict as recorded: input/expected/actual output only for sample tests."""
    by_id = {t.id: t for t in tests}
    names = dict(zip((t.id for t in tests), test_names(tests), strict=True))
    rows = [_result_row(r, by_id[r.test_id], names[r.test_id]) for r in result.results]
    return Verdict(
        status=result.status,
        points=result.points,
        tests_passed=result.tests_passed,
        tests_total=result.tests_total,
        runtime_ms=result.runtime_ms,
        memory_kb=result.memory_kb,
        compile_output=result.compile_output,
        results=rows,
    )


def _result_row(r: grading.TestResult, test: grading.TestCase, name: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "test_case_id": r.test_id,
        "name": name,
        "status": r.status,
        "execution_time_ms": r.runtime_ms,
        "memory_kb": r.memory_kb,
        "is_sample": r.is_sample,
        "points": r.points,
        "points_earned": r.points_earned,
    }
    if r.is_sample:
        row.update(input=test.input, expected_output=test.expected_output)
        row["actual_output"] = r.actual_output
    return row


def judge_failure(tests_total: int, reason: str) -> Verdict:
    return Verdict("ERROR", 0, 0, tests_total, compile_output=reason)


def material(
    container: Any, problem_id: UUID
) -> tuple[grading.ProblemSpec, list[grading.TestCase]]:
    """The problem's spec and tests (hidden ones opened) as the grader's structs."""
    spec, tests = container.content.judge_material(problem_id)
    return (
        msgspec.convert(spec, grading.ProblemSpec, from_attributes=True),
        [msgspec.convert(t, grading.TestCase, from_attributes=True) for t in tests],
    )


class Judging:
    """One delivery of one job; every step is safe to repeat."""

    def __init__(self, container: Any, submission_id: UUID, attempt: int, last_try: bool) -> None:
        self.container, self.submission_id, self.attempt = container, submission_id, attempt
        self.last_try = last_try
        self.live = LivePublisher(container.redis, submission_id, attempt)
        self.log = log.bind(submission_id=str(submission_id), attempt=attempt)

    def run(self) -> None:
        # One load serves the job, its start and its verdict (a conflicting save reloads).
        handle = self.container.submissions.judging(self.submission_id)
        job = handle.job
        if job.attempt != self.attempt or job.judged:
            self.log.info("judge_skipped", current=job.attempt, judged=job.judged)
            return
        try:
            handle.start(self.attempt)
        except NOT_JUDGED:
            return
        self.live.send("RUNNING", "Running test cases...", 0)
        self.record(handle, self.grade(job))

    def grade(self, job: Any) -> Verdict:
        spec, tests = material(self.container, job.problem_id)
        try:
            sandbox = self.container.sandbox()
            result = grading.judge(sandbox, job.language, job.code, spec, tests, self.live.progress)
        except Exception as exc:
            if not self.last_try:
                raise  # dramatiq retries with backoff
            self.log.exception("judge_failed")
            return judge_failure(
                len(tests), f"The judge could not run this submission ({type(exc).__name__})."
            )
        return to_verdict(result, tests)

    def record(self, handle: Any, verdict: Verdict) -> None:
        try:
            recorded = handle.record_verdict(self.attempt, verdict)
        except NOT_JUDGED:
            self.log.info("verdict_already_recorded")
            return
        self.log.info("submission_judged", status=verdict.status, points=verdict.points)
        self.live.final(verdict, recorded.xp)


def judge_actor(container: Any) -> Callable[..., None]:
    """The job body bound to a container (its services, redis and sandbox)."""

    def judge_submission(submission_id: str, attempt: int) -> None:
        """Judge the attempt unless it is judged or superseded (deliveries repeat)."""
        message = CurrentMessage.get_current_message()
        correlation = message.message_id if message is not None else uuid.uuid4().hex
        retries = int(message.options.get("retries", 0)) if message is not None else 0
        with acting("system:judge", correlation_id=correlation):
            Judging(container, UUID(submission_id), attempt, retries >= MAX_RETRIES).run()

    return judge_submission


def actor_spec(container: Any) -> Any:
    """The ActorSpec to register (the broker's CurrentMessage gives the message id)."""
    from infra.broker import ActorSpec

    return ActorSpec(judge_actor(container), ACTOR, QUEUE, {"max_retries": MAX_RETRIES})
