"""The demo curriculum (`codequest seed-demo`): topics, lessons, problems, quizzes."""

from __future__ import annotations

from commands.demo.lessons import LESSONS
from commands.demo.problems import PROBLEMS
from commands.demo.quizzes import QUIZZES
from commands.demo.seeding import SeedReport, seed
from commands.demo.topics import TOPICS

__all__ = ["LESSONS", "PROBLEMS", "QUIZZES", "TOPICS", "SeedReport", "seed"]
