"""AI code reviews: one per verdict (automatic) or per learner request; completed or failed once."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

REVIEW_NAMESPACE = uuid.UUID("8b1f3c2e-5a4d-4e7f-9b0c-2d6e1a7f3c59")
DIMENSIONS = ("correctness", "efficiency", "code_quality", "best_practices", "security")
AUTOMATIC = "automatic"
MANUAL = "manual"
REASONS = (AUTOMATIC, MANUAL)
FOCUS_AREAS = DIMENSIONS


class ReviewAlreadyFinishedError(DomainError):
    """The review is already complete or failed."""


class InvalidReviewError(DomainError):
    """A score is outside 0-100, a dimension is missing, or the reason is unknown."""


def automatic_review_id(submission_id: UUID, attempt: int) -> UUID:
    """The one automatic review of a judging attempt (deliveries repeat; the id does not)."""
    return uuid.uuid5(REVIEW_NAMESPACE, f"review:{submission_id}:{attempt}")


class AiReview(Aggregate):
    """A review of one submission attempt; PROCESSING until it is completed or failed."""

    @event("Requested")
    def __init__(
        self,
        id: UUID,
        submission_id: UUID,
        user_id: UUID,
        focus_areas: list[str],
        reason: str,
        problem_id: UUID,
        attempt: int,
    ) -> None:
        if reason not in REASONS:
            raise InvalidReviewError(f"reason must be one of {', '.join(REASONS)}")
        self.submission_id, self.user_id, self.problem_id = submission_id, user_id, problem_id
        self.focus_areas, self.reason, self.attempt = list(focus_areas), reason, attempt
        self.status = "PROCESSING"
        self.result: dict[str, Any] = {}
        self.error = ""

    @property
    def finished(self) -> bool:
        return self.status != "PROCESSING"

    def complete(self, result: dict[str, Any], reviewer: str, duration_ms: int) -> None:
        """Record the review's outcome (``result`` holds the review fields).

        Raises:
            ReviewAlreadyFinishedError: the review is complete or failed already.
            InvalidReviewError: a score is missing or outside 0-100.
        """
        self._check_open()
        _check_scores(result)
        self._completed(reviewer=reviewer, duration_ms=max(0, duration_ms), **result)

    @event("Completed")
    def _completed(
        self,
        overall_score: int,
        dimensions: dict[str, int],
        summary: str,
        strengths: list[str],
        improvements: list[str],
        code_suggestions: list[dict[str, Any]],
        complexity_analysis: dict[str, str],
        reviewer: str,
        duration_ms: int,
        cache_key: str = "",
        reused_from: UUID | None = None,
    ) -> None:
        self.status = "COMPLETE"
        self.result = {
            "overall_score": overall_score,
            "dimensions": dict(dimensions),
            "summary": summary,
            "strengths": list(strengths),
            "improvements": list(improvements),
            "code_suggestions": list(code_suggestions),
            "complexity_analysis": dict(complexity_analysis),
        }
        self.reviewer, self.duration_ms = reviewer, duration_ms

    def fail(self, error: str) -> None:
        """Give up on the review.

        Raises:
            ReviewAlreadyFinishedError: the review is complete or failed already.
        """
        self._check_open()
        self._failed(error=error[:500])

    @event("Failed")
    def _failed(self, error: str) -> None:
        self.status, self.error = "FAILED", error

    def _check_open(self) -> None:
        if self.finished:
            raise ReviewAlreadyFinishedError(f"review is already {self.status}")


def _check_scores(result: dict[str, Any]) -> None:
    dimensions = result.get("dimensions") or {}
    scores = [result.get("overall_score"), *(dimensions.get(d) for d in DIMENSIONS)]
    if any(not isinstance(s, int) or not 0 <= s <= 100 for s in scores):
        raise InvalidReviewError("scores must be integers within 0-100 for every dimension")
