"""The demo curriculum (`codequest seed-demo`): topics, lessons, problems, quizzes."""

from __future__ import annotations
