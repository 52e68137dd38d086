"""The `review_submission` actor: review one attempt (or reuse a review of identical code)."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

import msgspec
import structlog
from dramatiq.middleware import CurrentMessage

from ai.breaker import CircuitBreaker
from ai.dispatch import ACTOR, QUEUE
from ai.review import (
    FailedTest,
    JudgeFacts,
    OfflineReviewer,
    OpenAIReviewer,
    Review,
    Reviewer,
    ReviewRequest,
    review_cache_key,
)
from commands.context import acting
from commands.reviews import ReviewMaterial, VerdictFacts
from domain.reviews import AUTOMATIC
from projections.reviews import cache_key_name

log = structlog.get_logger()
MAX_RETRIES = 3
OPTIONS = {"max_retries": MAX_RETRIES, "min_backoff": 1_000, "max_backoff": 30_000}
MODEL_TIMEOUT_S = 5.0


def build_reviewer(settings: Any, breaker: CircuitBreaker | None = None) -> Reviewer:
    """The OpenAI reviewer (offline fallback) when a key is configured, else the offline one."""
    if not settings.openai_api_key:
        return OfflineReviewer()
    return OpenAIReviewer(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        model=settings.ai_model,
        fallback=OfflineReviewer(),
        timeout_s=MODEL_TIMEOUT_S,
        breaker=breaker or CircuitBreaker(),
    )


def reviewer_of(container: Any) -> Reviewer:
    """One reviewer (and breaker) per container; ``extra["ai_breaker"]`` may preset the breaker."""
    extra = container.extra
    if "ai_reviewer" not in extra:
        extra["ai_reviewer"] = build_reviewer(container.settings, extra.get("ai_breaker"))
    reviewer: Reviewer = extra["ai_reviewer"]
    return reviewer


def review_request(material: ReviewMaterial) -> ReviewRequest:
    return ReviewRequest(
        language=material.language,
        code=material.code,
        problem_title=material.problem_title,
        problem_statement=material.problem_statement,
        judge=judge_facts(material.verdict) if material.verdict else None,
        focus_areas=material.focus_areas,
        solved_before=material.solved_before,
    )


def judge_facts(verdict: VerdictFacts) -> JudgeFacts:
    """The verdict as the reviewer sees it: sample data only (hidden tests: index and status)."""
    failed = [
        FailedTest(t.index, t.status, t.is_sample, t.input, t.expected, t.actual)
        if t.is_sample
        else FailedTest(t.index, t.status, False)
        for t in verdict.failed_tests
    ]
    return JudgeFacts(
        status=verdict.status,
        tests_passed=verdict.tests_passed,
        tests_total=verdict.tests_total,
        runtime_ms=verdict.runtime_ms,
        memory_kb=verdict.memory_kb,
        compile_output=verdict.compile_output,
        failed_tests=failed,
    )


def cache_key(material: ReviewMaterial) -> str:
    """Identical normalised code of the same problem with the same verdict shares one review."""
    code_key = review_cache_key(str(material.problem_id), material.language, material.code)
    verdict = material.verdict
    facts = f"{verdict.status}:{verdict.tests_passed}/{verdict.tests_total}" if verdict else "-"
    return hashlib.sha256(f"{code_key}:{facts}".encode()).hexdigest()


def review_fields(review: Review, code: str) -> dict[str, Any]:
    """The Completed event's review fields, in section 3.6's shape."""
    lines = code.splitlines()
    return {
        "overall_score": review.overall_score,
        "dimensions": msgspec.structs.asdict(review.scores),
        "summary": review.summary,
        "strengths": list(review.strengths),
        "improvements": list(review.improvements),
        "code_suggestions": [
            {
                "line_start": s.line_start,
                "line_end": s.line_end,
                "category": s.category,
                "current_code": "\n".join(lines[s.line_start - 1 : s.line_end]),
                "suggested_code": s.suggested_code,
                "explanation": s.message,
            }
            for s in review.code_suggestions
        ],
        "complexity_analysis": {
            "time_complexity": review.complexity_analysis.time,
            "space_complexity": review.complexity_analysis.space,
            "explanation": review.complexity_analysis.explanation,
        },
    }


def reanchor(suggestions: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """Suggestions of an earlier review quoted from this code (comments may move lines)."""
    lines = code.splitlines()
    total = max(1, len(lines))
    anchored = []
    for s in suggestions:
        start = min(max(1, s["line_start"]), total)
        end = min(max(start, s["line_end"]), total)
        current = "\n".join(lines[start - 1 : end])
        anchored.append({**s, "line_start": start, "line_end": end, "current_code": current})
    return anchored


class Reviewing:
    """One delivery of one review job; every step is safe to repeat."""

    def __init__(self, container: Any, submission_id: UUID, review_id: UUID, last_try: bool):
        self.container, self.submission_id, self.review_id = container, submission_id, review_id
        self.last_try = last_try
        self.reviews = container.reviews
        self.log = log.bind(submission_id=str(submission_id), review_id=str(review_id))

    def run(self) -> None:
        if not self.reviews.open_by_id(self.submission_id, self.review_id):
            self.log.warning("review_unknown")
            return
        material: ReviewMaterial = self.reviews.material(self.review_id)
        if material.finished:
            return
        key = cache_key(material)
        if material.reason == AUTOMATIC and self.reuse(key, material.code):
            return
        try:
            started = time.monotonic()
            review = reviewer_of(self.container).review(review_request(material))
            elapsed_ms = round((time.monotonic() - started) * 1000)
        except Exception as exc:
            if not self.last_try:
                raise  # dramatiq retries with backoff
            self.log.exception("review_failed")
            self.reviews.fail(self.review_id, f"{type(exc).__name__}: {exc}")
            return
        fields = {**review_fields(review, material.code), "cache_key": key}
        self.reviews.complete(self.review_id, fields, review.reviewer, elapsed_ms)
        self.log.info("review_completed", reviewer=review.reviewer, ms=elapsed_ms)

    def reuse(self, key: str, code: str) -> bool:
        """Complete from an earlier review of identical code; False when there is none."""
        earlier = self.container.redis.get(cache_key_name(key))
        if earlier is None:
            return False
        earlier_id = UUID(earlier.decode() if isinstance(earlier, bytes) else earlier)
        result = self.reviews.completed_result(earlier_id) if earlier_id != self.review_id else None
        if result is None:
            return False
        reviewer = result.pop("reviewer")
        result["code_suggestions"] = reanchor(result["code_suggestions"], code)
        fields = {**result, "cache_key": key, "reused_from": earlier_id}
        self.reviews.complete(self.review_id, fields, reviewer, 0)
        self.log.info("review_reused", earlier=str(earlier_id))
        return True


def review_actor(container: Any) -> Callable[..., None]:
    """The job body bound to a container (its services, redis and reviewer)."""

    def review_submission(submission_id: str, review_id: str) -> None:
        """Review unless the review is finished (deliveries repeat)."""
        message = CurrentMessage.get_current_message()
        correlation = message.message_id if message is not None else uuid.uuid4().hex
        retries = int(message.options.get("retries", 0)) if message is not None else 0
        with acting("system:ai", correlation_id=correlation):
            Reviewing(container, UUID(submission_id), UUID(review_id), retries >= MAX_RETRIES).run()

    return review_submission


def actor_spec(container: Any) -> Any:
    """The ActorSpec to register (the broker's CurrentMessage gives the message id)."""
    from infra.broker import ActorSpec

    return ActorSpec(review_actor(container), ACTOR, QUEUE, dict(OPTIONS))
