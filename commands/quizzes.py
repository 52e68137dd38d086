"""Quiz attempts: start (questions without answers), submit (graded here), XP on a first pass."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidInputError,
    NotFoundError,
)
from commands.ports import Clock
from domain.content import Quiz
from domain.quizzes import (
    Answer,
    AttemptClosedError,
    AttemptExpiredError,
    QuestionResult,
    QuizAttempt,
    QuizPass,
    grade,
    pass_id,
    quiz_xp,
)

PUBLIC_QUESTION_KEYS = ("id", "question_text", "question_type", "options", "points")


@dataclass(frozen=True)
class StartedAttempt:
    attempt_id: UUID
    quiz_id: UUID
    started_at: datetime
    expires_at: datetime
    questions: list[dict[str, Any]]
    position: int


@dataclass(frozen=True)
class GradedAttempt:
    attempt_id: UUID
    quiz_id: UUID
    score: int
    total_points: int
    percentage: int
    correct_answers: int
    total_questions: int
    passed: bool
    xp_earned: int
    completed_at: datetime
    results: list[QuestionResult]
    position: int


def public_question(question: dict[str, Any]) -> dict[str, Any]:
    """A question as a learner sees it: never its correct answers or explanation."""
    shown = {k: question.get(k) for k in PUBLIC_QUESTION_KEYS}
    shown["options"] = [{"id": o["id"], "text": o["text"]} for o in question.get("options", [])]
    return shown


class Quizzes:
    def __init__(self, app: CodeQuest, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def start_attempt(
        self, user_id: UUID, quiz_id: UUID, *, see_drafts: bool = False
    ) -> StartedAttempt:
        quiz = self._quiz(quiz_id, see_drafts)
        if not quiz.questions:
            raise ConflictError("this quiz has no questions yet")
        now = self.clock.now()
        expires = now + timedelta(minutes=quiz.time_limit_min)
        attempt = QuizAttempt(
            id=uuid.uuid4(),
            user_id=user_id,
            quiz_id=quiz_id,
            topic_id=quiz.topic_id,
            started_at=now,
            expires_at=expires,
            question_ids=[q["id"] for q in quiz.questions],
        )
        position = self.app.commit(attempt)
        questions = [public_question(q) for q in quiz.questions]
        return StartedAttempt(attempt.id, quiz_id, now, expires, questions, position)

    def submit_attempt(
        self, user_id: UUID, attempt_id: UUID, answers: list[Answer]
    ) -> GradedAttempt:
        attempt = self._attempt(user_id, attempt_id)
        quiz = self._quiz(attempt.quiz_id, see_drafts=True)
        asked = [q for q in quiz.questions if q["id"] in set(attempt.question_ids)]
        by_id = self._check_answers(asked, answers)
        first_pass = self.app.find(pass_id(user_id, quiz.id)) is None
        try:
            attempt.submit(
                grade(asked, by_id),
                [_answer_record(a) for a in answers],
                quiz.passing_score,
                quiz_xp(quiz.difficulty) if first_pass else 0,
                self.clock.now(),
            )
        except AttemptClosedError as exc:
            raise ConflictError(str(exc)) from None
        except AttemptExpiredError as exc:
            raise GoneError(str(exc)) from None
        return self._commit(attempt, quiz)

    def _commit(self, attempt: QuizAttempt, quiz: Quiz) -> GradedAttempt:
        record = None
        if attempt.xp > 0:
            record = QuizPass(
                id=pass_id(attempt.user_id, quiz.id),
                user_id=attempt.user_id,
                quiz_id=quiz.id,
                attempt_id=attempt.id,
                xp=attempt.xp,
            )
        try:
            position = self.app.commit(attempt, record)
        except IntegrityError:
            raise ConflictError("this attempt was submitted concurrently; try again") from None
        return GradedAttempt(
            attempt.id,
            quiz.id,
            attempt.score,
            attempt.max_score,
            attempt.percentage,
            attempt.correct_answers,
            attempt.total_questions,
            attempt.passed,
            attempt.xp,
            attempt.submitted_at,
            grade_results(attempt),
            position,
        )

    def _quiz(self, quiz_id: UUID, see_drafts: bool) -> Quiz:
        quiz = self.app.find(quiz_id)
        if not isinstance(quiz, Quiz) or not (quiz.published or see_drafts):
            raise NotFoundError("quiz not found")
        return quiz

    def _attempt(self, user_id: UUID, attempt_id: UUID) -> QuizAttempt:
        attempt = self.app.find(attempt_id)
        if not isinstance(attempt, QuizAttempt):
            raise NotFoundError("quiz attempt not found")
        if attempt.user_id != user_id:
            raise ForbiddenError("this quiz attempt belongs to another learner")
        return attempt

    @staticmethod
    def _check_answers(asked: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Answer]:
        known = {q["id"] for q in asked}
        by_id: dict[str, Answer] = {}
        for answer in answers:
            if answer.question_id not in known:
                raise InvalidInputError(
                    f"question {answer.question_id} is not part of this attempt", field="answers"
                )
            if answer.question_id in by_id:
                raise InvalidInputError(
                    f"question {answer.question_id} is answered twice", field="answers"
                )
            by_id[answer.question_id] = answer
        return by_id


def grade_results(attempt: QuizAttempt) -> list[QuestionResult]:
    return [QuestionResult(**r) for r in attempt.results]


def _answer_record(answer: Answer) -> dict[str, Any]:
    return {
        "question_id": answer.question_id,
        "option_ids": list(answer.option_ids),
        "text": answer.text,
    }
