"""Code review: the model, the offline and OpenAI reviewers, and the review cache key."""

from ai.review.cache_key import normalize_code, review_cache_key
from ai.review.model import (
    CodeSuggestion,
    Complexity,
    FailedTest,
    JudgeFacts,
    Review,
    Reviewer,
    ReviewRequest,
    Scores,
)
from ai.review.offline import OfflineReviewer
from ai.review.openai_reviewer import OpenAIReviewer

__all__ = [
    "CodeSuggestion",
    "Complexity",
    "FailedTest",
    "JudgeFacts",
    "OfflineReviewer",
    "OpenAIReviewer",
    "Review",
    "ReviewRequest",
    "Reviewer",
    "Scores",
    "normalize_code",
    "review_cache_key",
]
