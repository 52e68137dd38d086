"""The reviews service: request a review, gather what a reviewer may see, record the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import ConflictError, InvalidInputError, NotFoundError
from domain.content import Problem
from domain.reviews import (
    AUTOMATIC,
    FOCUS_AREAS,
    MANUAL,
    AiReview,
    ReviewAlreadyFinishedError,
    automatic_review_id,
)
from domain.submissions import Solve, Submission

JUDGED: type[Any] = Submission.Judged  # type: ignore[attr-defined]
STATEMENT_PARTS = (
    ("description_markdown", ""),
    ("input_format", "Input: "),
    ("output_format", "Output: "),
    ("constraints", "Constraints: "),
)


@dataclass(frozen=True)
class Requested:
    review_id: UUID
    position: int


@dataclass(frozen=True)
class TestOutcome:
    """One failed test of the verdict; input/expected/actual only for sample tests."""

    __test__ = False
    index: int
    status: str
    is_sample: bool
    input: str | None = None
    expected: str | None = None
    actual: str | None = None


@dataclass(frozen=True)
class VerdictFacts:
    status: str
    tests_passed: int
    tests_total: int
    runtime_ms: int
    memory_kb: int
    compile_output: str
    failed_tests: list[TestOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewMaterial:
    """Everything a reviewer may see: never hidden test data."""

    review_id: UUID
    submission_id: UUID
    problem_id: UUID
    reason: str
    finished: bool
    language: str
    code: str
    problem_title: str
    problem_statement: str
    verdict: VerdictFacts | None
    focus_areas: list[str]
    solved_before: bool


def check_focus(focus_areas: list[str]) -> list[str]:
    """The focus areas, normalised and de-duplicated. Raises InvalidInputError."""
    areas = [a.strip().lower().replace(" ", "_") for a in focus_areas]
    unknown = [a for a in areas if a not in FOCUS_AREAS]
    if unknown:
        raise InvalidInputError(
            f"focus_areas must be among {', '.join(FOCUS_AREAS)}", field="focus_areas"
        )
    return list(dict.fromkeys(areas))


class Reviews:
    """Reviews on the one log: each is requested once and finishes once."""

    def __init__(self, app: CodeQuest) -> None:
        self.app = app

    def request(
        self, submission_id: UUID, user_id: UUID, focus_areas: list[str], see_all: bool = False
    ) -> Requested:
        """A (re-)review of the judged attempt, by its owner or staff; the dispatcher enqueues it.

        Raises:
            NotFoundError: no such submission, or another learner's.
            ConflictError: the current attempt has no verdict yet.
            InvalidInputError: an unknown focus area.
        """
        areas = check_focus(focus_areas)
        sub = self.app.find(submission_id)
        if not isinstance(sub, Submission) or (sub.user_id != user_id and not see_all):
            raise NotFoundError("submission not found")
        if not sub.is_judged(sub.attempt):
            raise ConflictError("the submission has not been judged yet")
        review = AiReview(
            id=uuid4(), submission_id=sub.id, user_id=user_id, focus_areas=areas,
            reason=MANUAL, problem_id=sub.problem_id, attempt=sub.attempt,
        )  # fmt: skip
        return Requested(review.id, self.app.commit(review))

    def open_automatic(self, submission_id: UUID, attempt: int) -> UUID:
        """The automatic review of a verdict, created on first delivery (idempotent)."""
        review_id = automatic_review_id(submission_id, attempt)
        if self.app.find(review_id) is not None:
            return review_id
        sub: Submission = self.app.load(submission_id, "submission")
        review = AiReview(
            id=review_id, submission_id=sub.id, user_id=sub.user_id, focus_areas=[],
            reason=AUTOMATIC, problem_id=sub.problem_id, attempt=attempt,
        )  # fmt: skip
        try:
            self.app.commit(review)
        except IntegrityError:
            pass  # a concurrent delivery opened it first
        return review_id

    def open_by_id(self, submission_id: UUID, review_id: UUID) -> bool:
        """Make sure the review exists: an automatic one is opened on its first delivery.

        Returns False when the id is neither a known review nor an automatic one of this
        submission (nothing to do).
        """
        if self.app.find(review_id) is not None:
            return True
        sub = self.app.find(submission_id)
        if not isinstance(sub, Submission):
            return False
        for attempt in range(sub.attempt, 0, -1):
            if automatic_review_id(submission_id, attempt) == review_id:
                self.open_automatic(submission_id, attempt)
                return True
        return False

    def material(self, review_id: UUID) -> ReviewMaterial:
        """What the reviewer gets for this review. Raises NotFoundError."""
        review: AiReview = self.app.load(review_id, "review")
        sub: Submission = self.app.load(review.submission_id, "submission")
        problem = self.app.find(sub.problem_id)
        title, statement = ("", "") if not isinstance(problem, Problem) else _statement(problem)
        solve = self.app.find(Solve.create_id(sub.user_id, sub.problem_id))
        return ReviewMaterial(
            review_id=review.id,
            submission_id=sub.id,
            problem_id=sub.problem_id,
            reason=review.reason,
            finished=review.finished,
            language=sub.language,
            code=sub.code,
            problem_title=title,
            problem_statement=statement,
            verdict=self.verdict(sub.id, review.attempt),
            focus_areas=list(review.focus_areas),
            solved_before=isinstance(solve, Solve) and solve.submission_id != sub.id,
        )

    def verdict(self, submission_id: UUID, attempt: int) -> VerdictFacts | None:
        """The judge's facts for the attempt, read from the submission's own events."""
        for stored in self.app.events.get(submission_id, desc=True):
            if isinstance(stored, JUDGED) and stored.attempt == attempt:
                return _facts(stored)
        return None

    def complete(
        self, review_id: UUID, result: dict[str, Any], reviewer: str, duration_ms: int
    ) -> int:
        """Record the outcome; the position, or 0 when the review had finished already."""
        review: AiReview = self.app.load(review_id, "review")
        try:
            review.complete(result, reviewer, duration_ms)
            return self.app.commit(review)
        except (ReviewAlreadyFinishedError, IntegrityError):
            return 0

    def fail(self, review_id: UUID, error: str) -> int:
        """Give up on the review; the position, or 0 when it had finished already."""
        review: AiReview = self.app.load(review_id, "review")
        try:
            review.fail(error)
            return self.app.commit(review)
        except (ReviewAlreadyFinishedError, IntegrityError):
            return 0

    def completed_result(self, review_id: UUID) -> dict[str, Any] | None:
        """The review fields of a COMPLETE review (to reuse for identical code), else None."""
        review = self.app.find(review_id)
        if not isinstance(review, AiReview) or review.status != "COMPLETE":
            return None
        return {**review.result, "reviewer": review.reviewer}

    def status(self, review_id: UUID) -> str:
        review: AiReview = self.app.load(review_id, "review")
        return review.status


def _statement(problem: Problem) -> tuple[str, str]:
    parts = []
    for key, label in STATEMENT_PARTS:
        text = str(problem.statement.get(key) or "").strip()
        if text:
            parts.append(f"{label}{text}")
    return problem.title, "\n\n".join(parts)


def _facts(judged: Any) -> VerdictFacts:
    failed = [_outcome(i, r) for i, r in enumerate(judged.results, 1) if r["status"] != "PASSED"]
    return VerdictFacts(
        status=judged.status,
        tests_passed=judged.tests_passed,
        tests_total=judged.tests_total,
        runtime_ms=judged.runtime_ms,
        memory_kb=judged.memory_kb,
        compile_output=judged.compile_output or "",
        failed_tests=failed,
    )


def _outcome(index: int, row: dict[str, Any]) -> TestOutcome:
    if not row.get("is_sample"):
        return TestOutcome(index, str(row["status"]), False)  # hidden: index and status only
    return TestOutcome(
        index, str(row["status"]), True,
        row.get("input"), row.get("expected_output"), row.get("actual_output"),
    )  # fmt: skip
