"""Learner progress use cases: completing a lesson (XP on the first completion only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import NotFoundError
from commands.ports import Clock
from domain.content import Lesson
from domain.progress import LessonCompletion, completion_id


@dataclass(frozen=True)
class Completion:
    lesson_id: UUID
    completed_at: datetime
    time_spent_sec: int
    xp_earned: int
    position: int


class Progress:
    def __init__(self, app: CodeQuest, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def complete_lesson(
        self, user_id: UUID, lesson_id: UUID, time_spent_sec: int, *, see_drafts: bool = False
    ) -> Completion:
        """Record the first completion (with its XP); later calls answer it with 0 XP."""
        lesson = self.app.find(lesson_id)
        if not isinstance(lesson, Lesson) or not (lesson.published or see_drafts):
            raise NotFoundError("lesson not found")
        existing = self.app.find(completion_id(user_id, lesson_id))
        if existing is not None:
            return self._again(existing)
        done = LessonCompletion.complete(
            user_id, lesson_id, lesson.topic_id, lesson.difficulty, time_spent_sec, self.clock.now()
        )
        try:
            position = self.app.commit(done)
        except IntegrityError:  # a concurrent first completion won
            return self._again(self.app.load(done.id, "completion"))
        return Completion(lesson_id, done.completed_at, done.time_spent_sec, done.xp, position)

    def _again(self, done: LessonCompletion) -> Completion:
        return Completion(
            done.lesson_id, done.completed_at, done.time_spent_sec, 0, self.app.head()
        )
