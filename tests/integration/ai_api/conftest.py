"""Helpers for the AI API tests: a list-sum problem, solutions, polling a review until final."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from tests.integration.submissions.conftest import auth, publish_problem, wait_until

SUM_LIST_TESTS = [
    ("3\n1 2 3\n", "6\n", True),
    ("4\n10 20 30 40\n", "100\n", False),
    ("1\n-5\n", "-5\n", False),
]
HIDDEN_MARKER = "100"  # the hidden test's expected output must never show up in a review
CLEAN = "n = int(input())\nnums = list(map(int, input().split()))\nprint(sum(nums))\n"
QUADRATIC = """def total(list):
    try:
        s = 0
        for i in range(len(list)):
            for j in range(len(list)):
                if i == j:
                    s += list[j]
        return s
    except:
        return 0


n = int(input())
print(total(list(map(int, input().split()))))
"""
WRONG = "n = int(input())\nnums = input().split()\nprint(len(nums))\n"
DIMENSIONS = ("correctness", "efficiency", "code_quality", "best_practices", "security")


@pytest.fixture(scope="session")
def sum_list_problem(container: Any) -> UUID:
    return publish_problem(container, SUM_LIST_TESTS)


def poll_review(client: Any, submission_id: str, token: str, timeout: float = 60.0) -> Any:
    """GET the submission's review until it is COMPLETE or FAILED; the response's data."""

    def final() -> Any:
        res = client.get(f"/v1/submissions/{submission_id}/ai-review", headers=auth(token))
        if res.status_code == 404:
            return None
        assert res.status_code == 200, res.text
        data = res.json()["data"]
        return data if data["status"] in ("COMPLETE", "FAILED") else None

    return wait_until(final, timeout, every=0.05)


def poll_review_id(client: Any, submission_id: str, token: str, review_id: str) -> Any:
    def done() -> Any:
        data = poll_review(client, submission_id, token)
        return data if data["id"] == review_id else None

    return wait_until(done, 60.0, every=0.05)


def assert_complete_review(review: dict[str, Any]) -> None:
    assert review["status"] == "COMPLETE", review
    assert 0 <= review["overall_score"] <= 100
    assert set(review["dimensions"]) == set(DIMENSIONS)
    assert all(0 <= review["dimensions"][d] <= 100 for d in DIMENSIONS)
    assert review["summary"].strip()
    assert isinstance(review["strengths"], list) and isinstance(review["improvements"], list)
    assert isinstance(review["code_suggestions"], list)
    for s in review["code_suggestions"]:
        assert 1 <= s["line_start"] <= s["line_end"]
        assert s["explanation"] and "current_code" in s
    complexity = review["complexity_analysis"]
    assert complexity["time_complexity"] and complexity["space_complexity"]
    assert complexity["explanation"]
    assert review["generated_at"] is not None
