"""Awarding achievements: each learner earns each achievement at most once."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import NotFoundError
from domain.achievements import BY_CODE, AchievementAward, award_id


@dataclass(frozen=True)
class Awarded:
    award_id: UUID
    position: int
    created: bool


class Achievements:
    """Grants the achievements of the catalogue (called by the achievements policy's job)."""

    def __init__(self, app: CodeQuest) -> None:
        self.app = app

    def award(self, user_id: UUID, code: str) -> Awarded:
        """Record ``AchievementAward.Earned`` once; a repeat (or a lost race) changes nothing.

        Raises:
            NotFoundError: the code is not in the catalogue.
        """
        achievement = BY_CODE.get(code)
        if achievement is None:
            raise NotFoundError(f"achievement {code!r} not found")
        existing = award_id(user_id, code)
        if self.app.find(existing) is not None:
            return Awarded(existing, 0, created=False)
        award = AchievementAward(
            user_id=user_id, code=code, name=achievement.name, xp=achievement.xp
        )
        try:
            position = self.app.commit(award)
        except IntegrityError:  # another worker awarded it first
            return Awarded(existing, 0, created=False)
        return Awarded(award.id, position, created=True)
