"""Quiz attempts graded on the server, and the first pass of a quiz that earns its XP.

XP on a learner's first pass of a quiz, by its difficulty: beginner 30, intermediate 45,
advanced 60. Later passes and any failed attempt earn 0.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

QUIZ_NAMESPACE = uuid.UUID("9b8c4d1e-6a7f-4e2b-8c3d-5f1a2b3c4d5e")
QUIZ_XP = {"beginner": 30, "intermediate": 45, "advanced": 60}
_SPACES = re.compile(r"\s+")


class AttemptClosedError(DomainError):
    """The attempt was already submitted."""


class AttemptExpiredError(DomainError):
    """The attempt's time limit has passed."""


def quiz_xp(difficulty: str) -> int:
    return QUIZ_XP.get(difficulty, QUIZ_XP["beginner"])


def pass_id(user_id: UUID, quiz_id: UUID) -> UUID:
    return uuid.uuid5(QUIZ_NAMESPACE, f"pass:{user_id}:{quiz_id}")


def normalise(text: str, case_sensitive: bool = False) -> str:
    """Trimmed, inner whitespace collapsed, case folded unless the question says otherwise."""
    squeezed = _SPACES.sub(" ", text).strip()
    return squeezed if case_sensitive else squeezed.casefold()


@dataclass(frozen=True)
class Answer:
    question_id: str
    option_ids: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    is_correct: bool
    points_earned: int
    points: int
    explanation: str


def is_correct(question: dict[str, Any], answer: Answer | None) -> bool:
    if answer is None:
        return False
    if question["question_type"] == "short_answer":
        if answer.text is None:
            return False
        sensitive = bool(question.get("case_sensitive", False))
        accepted = {normalise(a, sensitive) for a in question["accepted_answers"]}
        return normalise(answer.text, sensitive) in accepted
    return set(answer.option_ids) == set(question["correct_option_ids"]) and (
        len(answer.option_ids) == len(set(answer.option_ids))
    )


def grade(questions: list[dict[str, Any]], answers: dict[str, Answer]) -> list[QuestionResult]:
    """Each question's result; an unanswered question earns nothing."""
    results = []
    for q in questions:
        ok = is_correct(q, answers.get(q["id"]))
        points = int(q.get("points", 10))
        results.append(
            QuestionResult(q["id"], ok, points if ok else 0, points, q.get("explanation", ""))
        )
    return results


class QuizAttempt(Aggregate):
    @event("Started")
    def __init__(
        self,
        id: UUID,
        user_id: UUID,
        quiz_id: UUID,
        topic_id: UUID,
        started_at: datetime,
        expires_at: datetime,
        question_ids: list[str],
    ) -> None:
        self.user_id, self.quiz_id, self.topic_id = user_id, quiz_id, topic_id
        self.started_at, self.expires_at = started_at, expires_at
        self.question_ids = list(question_ids)
        self.submitted = False

    def submit(
        self,
        results: list[QuestionResult],
        answers: list[dict[str, Any]],
        passing_score: int,
        xp: int,
        now: datetime,
    ) -> None:
        if self.submitted:
            raise AttemptClosedError("this attempt was already submitted")
        if now > self.expires_at:
            raise AttemptExpiredError("this attempt's time limit has passed")
        score = sum(r.points_earned for r in results)
        max_score = sum(r.points for r in results)
        percentage = round(100 * score / max_score) if max_score else 0
        passed = percentage >= passing_score
        self._submitted(
            user_id=self.user_id,
            quiz_id=self.quiz_id,
            topic_id=self.topic_id,
            score=score,
            max_score=max_score,
            percentage=percentage,
            passed=passed,
            xp=xp if passed else 0,
            correct_answers=sum(1 for r in results if r.is_correct),
            total_questions=len(results),
            results=[asdict(r) for r in results],
            answers=answers,
            submitted_at=now,
        )

    @event("Submitted")
    def _submitted(
        self,
        user_id: UUID,
        quiz_id: UUID,
        topic_id: UUID,
        score: int,
        max_score: int,
        percentage: int,
        passed: bool,
        xp: int,
        correct_answers: int,
        total_questions: int,
        results: list[dict[str, Any]],
        answers: list[dict[str, Any]],
        submitted_at: datetime,
    ) -> None:
        self.submitted = True
        self.score, self.max_score, self.percentage = score, max_score, percentage
        self.passed, self.xp, self.results = passed, xp, results
        self.correct_answers, self.total_questions = correct_answers, total_questions
        self.submitted_at = submitted_at


class QuizPass(Aggregate):
    """A learner's first pass of a quiz (id = pass_id): saved with the attempt that earns XP."""

    @event("Recorded")
    def __init__(self, id: UUID, user_id: UUID, quiz_id: UUID, attempt_id: UUID, xp: int) -> None:
        self.user_id, self.quiz_id, self.attempt_id, self.xp = user_id, quiz_id, attempt_id, xp
