"""Submissions and solves: one verdict per judging attempt, XP once per learner and problem."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import Difficulty, DomainError

NAMESPACE = uuid.UUID("3f7c9a52-1d2e-4b8f-9c61-7a5e2b0d4c13")
FINAL_STATUSES = frozenset({"ACCEPTED", "FAILED", "ERROR", "TIMEOUT", "COMPILATION_ERROR"})
# XP for a learner's first ACCEPTED submission of a problem, by the problem's difficulty.
XP_BY_DIFFICULTY = {Difficulty.EASY: 10, Difficulty.MEDIUM: 25, Difficulty.HARD: 50}


class VerdictAlreadyRecordedError(DomainError):
    """This attempt already has its final verdict."""


class StaleAttemptError(DomainError):
    """The attempt is not the submission's current one (a rejudge superseded it)."""


class InvalidVerdictError(DomainError):
    """The status is not a final verdict, or the points are out of 0–100."""


@dataclass(frozen=True)
class Verdict:
    """What the judge decided for one attempt (per-test rows hold only shareable data)."""

    status: str
    points: int
    tests_passed: int
    tests_total: int
    runtime_ms: int = 0
    memory_kb: int = 0
    compile_output: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)


def xp_for(difficulty: int) -> int:
    """XP of a first solve: Easy 10, Medium 25, Hard 50."""
    return XP_BY_DIFFICULTY[Difficulty(difficulty)]


class Submission(Aggregate):
    """A learner's code for a problem; every attempt is judged at most once."""

    @event("Submitted")
    def __init__(
        self,
        id: UUID,
        user_id: UUID,
        problem_id: UUID,
        language: str,
        code_sha256: str,
        code_length: int,
        contest_id: UUID | None,
        code: str,
        problem_title: str = "",
    ) -> None:
        self.user_id = user_id
        self.problem_id = problem_id
        self.language = language
        self.code_sha256 = code_sha256
        self.code_length = code_length
        self.contest_id = contest_id
        self.code = code
        self.problem_title = problem_title
        self.attempt = 1
        self.started: set[int] = set()
        self.verdicts: dict[int, str] = {}

    @property
    def status(self) -> str:
        if self.attempt in self.verdicts:
            return self.verdicts[self.attempt]
        return "RUNNING" if self.attempt in self.started else "PENDING"

    def is_judged(self, attempt: int) -> bool:
        return attempt in self.verdicts

    def start(self, attempt: int) -> bool:
        """Mark the attempt RUNNING; False (no event) when it is already running.

        Raises:
            StaleAttemptError: the attempt was superseded by a rejudge.
            VerdictAlreadyRecordedError: the attempt is already judged.
        """
        self._check_open(attempt)
        if attempt in self.started:
            return False
        self._started(attempt)
        return True

    @event("Started")
    def _started(self, attempt: int) -> None:
        self.started.add(attempt)

    def record_verdict(self, attempt: int, verdict: Verdict, xp: int, first_solve: bool) -> None:
        """Record the attempt's one final verdict, with the XP it earned (0 unless first solve).

        Raises:
            StaleAttemptError: the attempt was superseded by a rejudge.
            VerdictAlreadyRecordedError: the attempt is already judged.
            InvalidVerdictError: not a final status, or points outside 0–100.
        """
        self._check_open(attempt)
        if verdict.status not in FINAL_STATUSES:
            raise InvalidVerdictError(f"not a final verdict: {verdict.status!r}")
        if not 0 <= verdict.points <= 100:
            raise InvalidVerdictError("points must be within 0-100")
        self._judged(
            attempt=attempt,
            user_id=self.user_id,
            problem_id=self.problem_id,
            language=self.language,
            xp=xp,
            first_solve=first_solve,
            **asdict(verdict),
        )

    @event("Judged")
    def _judged(
        self,
        attempt: int,
        user_id: UUID,
        problem_id: UUID,
        language: str,
        status: str,
        points: int,
        tests_passed: int,
        tests_total: int,
        runtime_ms: int,
        memory_kb: int,
        xp: int,
        first_solve: bool,
        compile_output: str,
        results: list[dict[str, Any]],
    ) -> None:
        self.verdicts[attempt] = status

    def request_rejudge(self, requested_by: str) -> int:
        """Open the next attempt; a verdict for an older attempt is refused from now on."""
        self._rejudge_requested(attempt=self.attempt + 1, requested_by=requested_by)
        return self.attempt

    @event("RejudgeRequested")
    def _rejudge_requested(self, attempt: int, requested_by: str) -> None:
        self.attempt = attempt

    def _check_open(self, attempt: int) -> None:
        if attempt != self.attempt:
            raise StaleAttemptError(f"attempt {attempt} is not current (now {self.attempt})")
        if attempt in self.verdicts:
            raise VerdictAlreadyRecordedError(f"attempt {attempt} already has a verdict")


class Solve(Aggregate):
    """A learner's first ACCEPTED submission of a problem; exists at most once per pair."""

    @staticmethod
    def create_id(user_id: UUID, problem_id: UUID) -> UUID:
        return uuid.uuid5(NAMESPACE, f"solve:{user_id}:{problem_id}")

    @event("Recorded")
    def __init__(
        self,
        user_id: UUID,
        problem_id: UUID,
        submission_id: UUID,
        difficulty: int,
        topic_ids: list[UUID],
        xp: int,
    ) -> None:
        self.user_id = user_id
        self.problem_id = problem_id
        self.submission_id = submission_id
        self.difficulty = difficulty
        self.topic_ids = list(topic_ids)
        self.xp = xp
