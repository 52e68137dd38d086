"""Scripted histories: events appended through the real aggregates at chosen times."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch
from uuid import UUID

from commands.app import CodeQuest
from domain.accounts import User
from domain.content import Lesson, Problem, ProblemSpec, Quiz, Topic
from domain.progress import LessonCompletion
from domain.quizzes import QuestionResult, QuizAttempt
from domain.submissions import Solve, Submission, Verdict, xp_for

STATEMENT = {
    "description_markdown": "Solve it.",
    "input_format": "",
    "output_format": "",
    "constraints": "",
    "examples": [],
}


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Every event triggered inside the block is stamped with ``moment``."""
    with patch("eventsourcing.domain.datetime_now_with_tzinfo", lambda: moment):
        yield


class History:
    """Builds a learner's history on one event log; each call commits at time ``at``."""

    def __init__(self, app: CodeQuest) -> None:
        self.app = app
        self.admin = uuid.uuid4()
        self.problems: dict[UUID, Problem] = {}
        self.lessons: dict[UUID, Lesson] = {}
        self.quizzes: dict[UUID, Quiz] = {}
        self._passes: set[tuple[UUID, UUID]] = set()

    def user(self, at: datetime, name: str = "Ada", timezone: str = "UTC") -> UUID:
        uid = uuid.uuid4()
        with clock(at):
            user = User(
                id=uid,
                email=f"{uid.hex[:10]}@example.com",
                display_name=name,
                role="learner",
                password_hash="x",
                timezone=timezone,
            )
        self.app.commit(user)
        return uid

    def move(self, at: datetime, user_id: UUID, timezone: str) -> int:
        user = self.app.load(user_id)
        with clock(at):
            user.update_profile(user.display_name, user.bio, timezone)
        return self.app.commit(user)

    def topic(self, at: datetime, name: str = "Arrays") -> UUID:
        tid = uuid.uuid4()
        with clock(at):
            topic = Topic(
                id=tid, by=self.admin, name=name, slug=f"t-{tid.hex[:8]}", description="",
                icon_url=None, parent_id=None, order=0,
            )  # fmt: skip
            topic.publish(by=self.admin, notes="")
        self.app.commit(topic)
        return tid

    def problem(self, at: datetime, topic_id: UUID, difficulty: int = 1, title: str = "") -> UUID:
        pid = uuid.uuid4()
        with clock(at):
            problem = Problem(
                id=pid, by=self.admin, slug=f"p-{pid.hex[:8]}", title=title or f"P {pid.hex[:4]}",
                difficulty=difficulty, topic_ids=[topic_id], tags=[], statement=STATEMENT,
                spec=ProblemSpec().to_dict(), hints=[], starter_code={}, is_premium=False,
                related_problem_ids=[],
            )  # fmt: skip
            problem.publish(by=self.admin, notes="")
        self.app.commit(problem)
        self.problems[pid] = problem
        return pid

    def lesson(self, at: datetime, topic_id: UUID, order: int = 1) -> UUID:
        lid = uuid.uuid4()
        with clock(at):
            lesson = Lesson(
                id=lid, by=self.admin, topic_id=topic_id, title=f"Lesson {order}",
                slug=f"l-{lid.hex[:8]}", content_markdown="# x", difficulty="beginner",
                estimated_time_min=10, order=order, examples=[], exercises=[],
            )  # fmt: skip
            lesson.publish(by=self.admin, notes="")
        self.app.commit(lesson)
        self.lessons[lid] = lesson
        return lid

    def quiz(self, at: datetime, topic_id: UUID) -> UUID:
        qid = uuid.uuid4()
        with clock(at):
            quiz = Quiz(
                id=qid, by=self.admin, topic_id=topic_id, title="Quiz", description="",
                difficulty="beginner", time_limit_min=10, passing_score=60, questions=[],
            )  # fmt: skip
            quiz.publish(by=self.admin, notes="")
        self.app.commit(quiz)
        self.quizzes[qid] = quiz
        return qid

    def submit(
        self,
        at: datetime,
        user_id: UUID,
        problem_id: UUID,
        status: str = "ACCEPTED",
        language: str = "python3.10",
        judged_after: timedelta | None = timedelta(seconds=1),
    ) -> UUID:
        """Submitted at ``at``, judged a second later (with the Solve on a first acceptance).

        ``judged_after=None`` commits the submission and its verdict together, so a running
        judge dispatcher finds the attempt already judged (the HTTP tests' shared log).
        """
        sid = uuid.uuid4()
        with clock(at):
            sub = Submission(
                id=sid, user_id=user_id, problem_id=problem_id, language=language,
                code_sha256=hashlib.sha256(sid.bytes).hexdigest(), code_length=10,
                contest_id=None, code="print(1)", problem_title=self.problems[problem_id].title,
            )  # fmt: skip
        if judged_after is None:
            return self.judge(at, sid, status, sub)
        self.app.commit(sub)
        return self.judge(at + judged_after, sid, status)

    def judge(self, at: datetime, submission_id: UUID, status: str, sub: Any = None) -> UUID:
        sub = sub or self.app.load(submission_id)
        problem = self.problems[sub.problem_id]
        solve_id = Solve.create_id(sub.user_id, sub.problem_id)
        first = status == "ACCEPTED" and self.app.find(solve_id) is None
        xp = xp_for(problem.difficulty) if first else 0
        solve = None
        with clock(at):
            sub.start(sub.attempt)
            points = 100 if status == "ACCEPTED" else 0
            sub.record_verdict(sub.attempt, Verdict(status, points, 1, 1), xp, first)
            if first:
                solve = Solve(
                    user_id=sub.user_id, problem_id=sub.problem_id, submission_id=sub.id,
                    difficulty=problem.difficulty, topic_ids=list(problem.topic_ids), xp=xp,
                )  # fmt: skip
        self.app.commit(sub, solve)
        return submission_id

    def rejudge(self, at: datetime, submission_id: UUID, status: str) -> UUID:
        sub = self.app.load(submission_id)
        with clock(at):
            sub.request_rejudge("admin")
        self.app.commit(sub)
        return self.judge(at, submission_id, status)

    def complete(self, at: datetime, user_id: UUID, lesson_id: UUID) -> int:
        lesson = self.lessons[lesson_id]
        with clock(at):
            done = LessonCompletion.complete(
                user_id, lesson_id, lesson.topic_id, "beginner", 300, at
            )
        return self.app.commit(done)

    def take_quiz(self, at: datetime, user_id: UUID, quiz_id: UUID, percentage: int) -> int:
        quiz = self.quizzes[quiz_id]
        with clock(at):
            attempt = QuizAttempt(
                id=uuid.uuid4(), user_id=user_id, quiz_id=quiz_id, topic_id=quiz.topic_id,
                started_at=at, expires_at=at + timedelta(hours=1), question_ids=["q"],
            )  # fmt: skip
            result = QuestionResult("q", percentage >= 50, percentage, 100, "")
            first_pass = percentage >= 60 and not self._passed(user_id, quiz_id)
            attempt.submit([result], [], 60, 30 if first_pass else 0, at)
        if first_pass:
            self._passes.add((user_id, quiz_id))
        return self.app.commit(attempt)

    def _passed(self, user_id: UUID, quiz_id: UUID) -> bool:
        return (user_id, quiz_id) in self._passes
