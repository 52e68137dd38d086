"""The model-backed reviewer: prompt from facts, parse and validate JSON, fall back offline."""

from __future__ import annotations

import time
from typing import Any

import msgspec

from ai import prompts
from ai.breaker import CircuitBreaker
from ai.openai_client import AIUnavailableError, ChatClient
from ai.review.model import (
    DIMENSIONS,
    CodeSuggestion,
    Complexity,
    FailedTest,
    JudgeFacts,
    Review,
    Reviewer,
    ReviewRequest,
    Scores,
)
from ai.review.scoring import overall

# Part of the budget kept back so the offline fallback still finishes inside it.
FALLBACK_RESERVE_S = 1.0  # offline p99 is ~50 ms idle, but a busy host stretches it
MAX_STATEMENT_CHARS = 4000
MAX_OUTPUT_CHARS = 2000
MAX_SUGGESTED_LINES = 8
MAX_ITEMS = 10
MAX_TEXT = 600


class _ModelScores(msgspec.Struct):
    correctness: float
    efficiency: float
    code_quality: float
    best_practices: float
    security: float


class _ModelSuggestion(msgspec.Struct):
    line_start: int
    line_end: int
    message: str
    category: str = "code_quality"
    suggested_code: str | None = None


class _ModelComplexity(msgspec.Struct):
    time: str
    space: str
    explanation: str = ""


class ModelReview(msgspec.Struct):
    """The JSON the model must return; unknown keys are ignored, missing required keys reject."""

    scores: _ModelScores
    summary: str
    complexity_analysis: _ModelComplexity
    strengths: list[str] = []
    improvements: list[str] = []
    code_suggestions: list[_ModelSuggestion] = []
    overall_score: float | None = None


class InvalidModelReviewError(ValueError):
    """The model's reply is not a usable review."""


class OpenAIReviewer:
    """Asks an OpenAI-compatible model for a review; any failure yields the fallback's review."""

    def __init__(
        self,
        api_key: str,
        base_url: str | None,
        model: str,
        fallback: Reviewer,
        timeout_s: float = 5.0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.chat = ChatClient(api_key, base_url, model, timeout_s, breaker)
        self.last_elapsed_s = 0.0

    def review(self, request: ReviewRequest) -> Review:
        started = time.monotonic()
        budget = max(0.1, self.timeout_s - FALLBACK_RESERVE_S)
        try:
            user = prompts.REVIEW_USER.format(payload=build_payload(request))
            content = self.chat.complete_json(prompts.REVIEW_SYSTEM, user, budget)
            return parse_review(content, request.code, f"openai:{self.chat.model}")
        except (AIUnavailableError, InvalidModelReviewError):
            return self.fallback.review(request)
        finally:
            self.last_elapsed_s = time.monotonic() - started


def build_payload(request: ReviewRequest) -> str:
    """The request as JSON for the model; hidden tests contribute their index and status only."""
    payload: dict[str, Any] = {
        "language": request.language,
        "problem_title": request.problem_title,
        "problem_statement": request.problem_statement[:MAX_STATEMENT_CHARS],
        "code_with_line_numbers": number_lines(request.code),
        "focus_areas": request.focus_areas,
        "solved_before": request.solved_before,
    }
    if request.judge is not None:
        payload["judge"] = judge_payload(request.judge)
    return msgspec.json.encode(payload).decode()


def judge_payload(judge: JudgeFacts) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "status": judge.status,
        "tests_passed": judge.tests_passed,
        "tests_total": judge.tests_total,
        "failed_tests": [failed_test_payload(t) for t in judge.failed_tests],
    }
    for name in ("runtime_ms", "memory_kb"):
        if getattr(judge, name) is not None:
            facts[name] = getattr(judge, name)
    if judge.compile_output:
        facts["compiler_or_runtime_output"] = judge.compile_output[:MAX_OUTPUT_CHARS]
    return facts


def failed_test_payload(test: FailedTest) -> dict[str, Any]:
    """Present fields of a failed test; data of hidden tests is never sent, even if present."""
    item: dict[str, Any] = {"index": test.index, "status": test.status, "is_sample": test.is_sample}
    if test.is_sample:
        for name in ("input", "expected", "actual"):
            if getattr(test, name) is not None:
                item[name] = getattr(test, name)
    return item


def number_lines(code: str) -> str:
    return "\n".join(f"{n:>4} | {line}" for n, line in enumerate(code.splitlines(), start=1))


def parse_review(content: str, code: str, reviewer: str) -> Review:
    """Decode and validate the model's JSON; scores are clamped to 0-100, lines to the code.

    Raises:
        InvalidModelReviewError: the reply is not JSON of the expected shape.
    """
    try:
        raw = msgspec.json.decode(content, type=ModelReview)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise InvalidModelReviewError(str(exc)) from exc
    if not raw.summary.strip():
        raise InvalidModelReviewError("empty summary")
    scores = Scores(**{name: _score(getattr(raw.scores, name)) for name in DIMENSIONS})
    complexity = raw.complexity_analysis
    return Review(
        overall_score=overall(scores),
        scores=scores,
        summary=raw.summary.strip()[: MAX_TEXT * 2],
        strengths=_texts(raw.strengths),
        improvements=_texts(raw.improvements),
        code_suggestions=_suggestions(raw.code_suggestions, code),
        complexity_analysis=Complexity(
            complexity.time[:40], complexity.space[:40], complexity.explanation[:MAX_TEXT]
        ),
        reviewer=reviewer,
    )


def _score(value: float) -> int:
    if value != value:  # NaN
        raise InvalidModelReviewError("score is NaN")
    return max(0, min(100, round(value)))


def _texts(items: list[str]) -> list[str]:
    return [item.strip()[:MAX_TEXT] for item in items if item.strip()][:MAX_ITEMS]


def _suggestions(items: list[_ModelSuggestion], code: str) -> list[CodeSuggestion]:
    total = max(1, len(code.splitlines()))
    kept = []
    for item in items[:MAX_ITEMS]:
        start, end = sorted((item.line_start, item.line_end))
        if start > total or end < 1 or not item.message.strip():
            continue
        snippet = item.suggested_code
        if snippet and len(snippet.splitlines()) > MAX_SUGGESTED_LINES:
            snippet = None  # long snippets drift towards full solutions
        category = item.category if item.category in DIMENSIONS else "code_quality"
        kept.append(
            CodeSuggestion(
                max(1, start), min(end, total), category, item.message[:MAX_TEXT], snippet
            )
        )
    return kept
