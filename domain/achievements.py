"""Gamification rules: achievements and their criteria, the level curve, streaks, awards."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import Aggregate, event

AWARD_NAMESPACE = uuid.UUID("5b0f7c1e-2c4d-4f7e-9a51-6a0de3c2a001")
LANGUAGE_FAMILIES = ("python", "javascript", "java", "cpp")
LEVEL_STEP_XP = 50
TIERS = ((20, "Expert"), (10, "Advanced"), (5, "Intermediate"), (1, "Beginner"))


def award_id(user_id: uuid.UUID, code: str) -> uuid.UUID:
    """The one possible id of a learner's award of one achievement."""
    return uuid.uuid5(AWARD_NAMESPACE, f"{user_id}:{code}")


class AchievementAward(Aggregate):
    """A learner earned an achievement; the uuid5 id makes a second award a conflict."""

    @event("Earned")
    def __init__(self, user_id: uuid.UUID, code: str, name: str, xp: int) -> None:
        self.user_id = user_id
        self.code = code
        self.name = name
        self.xp = xp

    @staticmethod
    def create_id(user_id: uuid.UUID, code: str, **_: Any) -> uuid.UUID:
        return award_id(user_id, code)


# --- achievements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Achievement:
    """One achievement: criteria ``metric >= threshold`` over a learner's facts."""

    code: str
    name: str
    description: str
    metric: str
    threshold: int
    xp: int
    rarity: str

    @property
    def icon_url(self) -> str:
        return f"/static/achievements/{self.code}.svg"

    @property
    def criteria(self) -> dict[str, Any]:
        return {"type": self.metric, "threshold": self.threshold}


CATALOGUE: tuple[Achievement, ...] = (
    Achievement("first-blood", "First Blood", "Solved your first problem",
                "problems_solved", 1, 50, "common"),
    Achievement("problem-solver", "Problem Solver", "Solved 10 problems",
                "problems_solved", 10, 200, "rare"),
    Achievement("code-master", "Code Master", "Solved 100 problems",
                "problems_solved", 100, 1000, "epic"),
    Achievement("streak-7", "7 Day Streak", "Maintained a 7 day streak",
                "streak_days", 7, 150, "rare"),
    Achievement("streak-30", "30 Day Streak", "Maintained a 30 day streak",
                "streak_days", 30, 600, "epic"),
    Achievement("hard-hitter", "Hard Hitter", "Solved a Hard problem",
                "hard_solved", 1, 200, "rare"),
    Achievement("well-rounded", "Well Rounded", "Solved an Easy, a Medium and a Hard problem",
                "difficulties_solved", 3, 250, "rare"),
    Achievement("polyglot", "Polyglot", "Solved problems in Python, JavaScript, Java and C++",
                "languages_used", 4, 300, "epic"),
    Achievement("quiz-taker", "Quiz Taker", "Passed your first quiz",
                "quizzes_passed", 1, 50, "common"),
    Achievement("quiz-master", "Quiz Master", "Passed 10 quizzes",
                "quizzes_passed", 10, 250, "rare"),
    Achievement("perfect-score", "Perfect Score", "Scored 100% on a quiz",
                "perfect_quizzes", 1, 100, "rare"),
    Achievement("first-lesson", "First Steps", "Completed your first lesson",
                "lessons_completed", 1, 25, "common"),
    Achievement("bookworm", "Bookworm", "Completed 10 lessons",
                "lessons_completed", 10, 150, "rare"),
)  # fmt: skip

BY_CODE: dict[str, Achievement] = {a.code: a for a in CATALOGUE}


@dataclass(frozen=True)
class LearnerFacts:
    """What achievement criteria are measured on (kept by the achievements policy)."""

    problems_solved: int = 0
    hard_solved: int = 0
    difficulties: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    quizzes_passed: int = 0
    perfect_quizzes: int = 0
    lessons_completed: int = 0
    longest_streak: int = 0

    def metric(self, name: str) -> int:
        values = {
            "problems_solved": self.problems_solved,
            "hard_solved": self.hard_solved,
            "difficulties_solved": len(self.difficulties),
            "languages_used": len(self.languages & set(LANGUAGE_FAMILIES)),
            "quizzes_passed": self.quizzes_passed,
            "perfect_quizzes": self.perfect_quizzes,
            "lessons_completed": self.lessons_completed,
            "streak_days": self.longest_streak,
        }
        return values[name]


def satisfied(facts: LearnerFacts) -> list[Achievement]:
    """Every achievement whose criteria these facts meet, in catalogue order."""
    return [a for a in CATALOGUE if facts.metric(a.metric) >= a.threshold]


def language_family(language: str) -> str:
    """``python3.10`` → ``python``, ``cpp17``/``c++`` → ``cpp``, ``java17`` → ``java``."""
    lang = language.lower()
    if lang.startswith(("javascript", "js", "node")):
        return "javascript"
    if lang.startswith(("cpp", "c++", "g++")):
        return "cpp"
    if lang.startswith("java"):
        return "java"
    if lang.startswith(("python", "py")):
        return "python"
    return lang


# --- the level curve ----------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """A learner's level: number, tier title, and the XP still needed for the next level."""

    number: int
    title: str
    xp: int
    floor_xp: int
    next_xp: int

    @property
    def xp_to_next(self) -> int:
        return self.next_xp - self.xp


def level_threshold(number: int) -> int:
    """Total XP at which level ``number`` starts: 50·n·(n−1) (0, 100, 300, 600, 1000, …)."""
    return LEVEL_STEP_XP * number * (number - 1)


def level_number(xp: int) -> int:
    n = (1 + math.isqrt(1 + 8 * max(xp, 0) // LEVEL_STEP_XP)) // 2
    while level_threshold(n + 1) <= xp:
        n += 1
    while n > 1 and level_threshold(n) > xp:
        n -= 1
    return max(n, 1)


def tier(number: int) -> str:
    return next(title for start, title in TIERS if number >= start)


def level_for(xp: int) -> Level:
    n = level_number(xp)
    return Level(n, tier(n), xp, level_threshold(n), level_threshold(n + 1))


# --- streaks by the learner's calendar day --------------------------------------------------


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    """The time zone named, or UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, tz: str | None) -> date:
    """The calendar day ``moment`` falls on for a learner in time zone ``tz``."""
    return moment.astimezone(zone(tz)).date()


@dataclass(frozen=True)
class Streak:
    """The stored facts of a streak: the last active day and the run of days ending there."""

    last_day: date | None = None
    run: int = 0
    longest: int = 0

    def record(self, day: date) -> Streak:
        """Activity on ``day``: the next day extends the run, a gap starts a new one."""
        if self.last_day is None or day > self.last_day + timedelta(days=1):
            run = 1
        elif day == self.last_day + timedelta(days=1):
            run = self.run + 1
        else:
            return self  # same day, or an earlier one (after a time-zone change)
        return replace(self, last_day=day, run=run, longest=max(self.longest, run))

    def current(self, today: date) -> int:
        """The run still counts today if the learner was active today or yesterday."""
        if self.last_day is None or (today - self.last_day).days > 1:
            return 0
        return self.run


def streak_of(days: Iterable[date]) -> Streak:
    streak = Streak()
    for day in sorted(days):
        streak = streak.record(day)
    return streak
