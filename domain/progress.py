"""A learner's completion of a lesson: XP once, on the first completion.

XP by the lesson's difficulty: beginner 50, intermediate 75, advanced 100.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

PROGRESS_NAMESPACE = uuid.UUID("2d3c0a54-8f0e-4b8e-9d2b-1e55c0de1e55")
LESSON_XP = {"beginner": 50, "intermediate": 75, "advanced": 100}


def lesson_xp(difficulty: str) -> int:
    return LESSON_XP.get(difficulty, LESSON_XP["beginner"])


def completion_id(user_id: UUID, lesson_id: UUID) -> UUID:
    return uuid.uuid5(PROGRESS_NAMESPACE, f"lesson:{user_id}:{lesson_id}")


class LessonCompletion(Aggregate):
    """One per learner and lesson (id = completion_id): its existence means completed."""

    @event("Completed")
    def __init__(
        self,
        id: UUID,
        user_id: UUID,
        lesson_id: UUID,
        topic_id: UUID,
        xp: int,
        time_spent_sec: int,
        completed_at: datetime,
    ) -> None:
        self.user_id, self.lesson_id, self.topic_id = user_id, lesson_id, topic_id
        self.xp, self.time_spent_sec, self.completed_at = xp, time_spent_sec, completed_at

    @classmethod
    def complete(
        cls,
        user_id: UUID,
        lesson_id: UUID,
        topic_id: UUID,
        difficulty: str,
        time_spent_sec: int,
        completed_at: datetime,
    ) -> LessonCompletion:
        return cls(
            id=completion_id(user_id, lesson_id),
            user_id=user_id,
            lesson_id=lesson_id,
            topic_id=topic_id,
            xp=lesson_xp(difficulty),
            time_spent_sec=max(time_spent_sec, 0),
            completed_at=completed_at,
        )
