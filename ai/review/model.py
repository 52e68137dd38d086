"""Review inputs and outputs: judge facts, the review request, the review and the Reviewer port."""

from __future__ import annotations

from typing import Protocol

import msgspec

DIMENSIONS = ("correctness", "efficiency", "code_quality", "best_practices", "security")
LANGUAGES = ("python3.10", "cpp17", "java17", "javascript")
JUDGE_STATUSES = ("ACCEPTED", "FAILED", "ERROR", "TIMEOUT", "COMPILATION_ERROR")


class FailedTest(msgspec.Struct):
    """One failed test; input, expected and actual are present only for sample tests."""

    index: int
    status: str
    is_sample: bool
    input: str | None = None
    expected: str | None = None
    actual: str | None = None


class JudgeFacts(msgspec.Struct):
    """What the judge observed: status is ACCEPTED|FAILED|ERROR|TIMEOUT|COMPILATION_ERROR."""

    status: str
    tests_passed: int
    tests_total: int
    runtime_ms: int | None = None
    memory_kb: int | None = None
    compile_output: str = ""
    failed_tests: list[FailedTest] = []


class ReviewRequest(msgspec.Struct):
    """A submission to review; language is python3.10|cpp17|java17|javascript."""

    language: str
    code: str
    problem_title: str = ""
    problem_statement: str = ""
    judge: JudgeFacts | None = None
    focus_areas: list[str] = []
    solved_before: bool = False


class Scores(msgspec.Struct):
    """The five review dimensions, each 0-100."""

    correctness: int
    efficiency: int
    code_quality: int
    best_practices: int
    security: int


class CodeSuggestion(msgspec.Struct):
    """A suggestion anchored to a 1-based inclusive line range of the submitted code."""

    line_start: int
    line_end: int
    category: str
    message: str
    suggested_code: str | None = None


class Complexity(msgspec.Struct):
    """Estimated time and space complexity, with the constructs that lead to it."""

    time: str
    space: str
    explanation: str


class Review(msgspec.Struct):
    """A finished review; reviewer is "offline" or "openai:<model>"."""

    overall_score: int
    scores: Scores
    summary: str
    strengths: list[str]
    improvements: list[str]
    code_suggestions: list[CodeSuggestion]
    complexity_analysis: Complexity
    reviewer: str


class Reviewer(Protocol):
    """Anything that turns a review request into a review."""

    def review(self, request: ReviewRequest) -> Review: ...
