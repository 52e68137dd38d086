"""Fixtures for the content tests: callers of each role and small authoring helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import unique_email


@dataclass
class Caller:
    user_id: str
    role: str
    headers: dict[str, str]


def caller(client: Any, role: str) -> Caller:
    """A signed-in caller with this role (an access token as the API issues them)."""
    user_id = str(uuid.uuid4())
    token = client.app.state.tokens.issue(user_id, role, unique_email(role))
    return Caller(user_id, role, {"Authorization": f"Bearer {token}"})


def slug(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def admin(client: Any) -> Caller:
    return caller(client, "admin")


@pytest.fixture
def instructor(client: Any) -> Caller:
    return caller(client, "instructor")


@pytest.fixture
def learner(client: Any) -> Caller:
    return caller(client, "learner")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


def create_topic(client: Any, who: Caller, **fields: Any) -> str:
    body = {"name": "Topic " + uuid.uuid4().hex[:6], "slug": slug("topic"), **fields}
    return str(ok(client.post("/v1/topics", json=body, headers=who.headers), 201)["id"])


def approve(client: Any, admin: Caller, kind: str, item_id: str) -> None:
    ok(client.post(f"/v1/admin/content/{kind}/{item_id}/approve", json={}, headers=admin.headers))


def problem_body(topic_id: str | None = None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "slug": slug("problem"),
        "title": "Problem " + uuid.uuid4().hex[:6],
        "description_markdown": "Add two numbers.",
        "difficulty": 1,
        "topic_ids": [topic_id] if topic_id else [],
        "tags": ["math"],
        "time_limit_ms": 1000,
        "memory_limit_kb": 131072,
        "test_cases": [
            {"input": "1 2", "expected_output": "3", "is_sample": True, "explanation": "1+2"},
            {"input": "40 2", "expected_output": "42-hidden-output", "points": 10},
        ],
        "starter_code": {"python": "a, b = map(int, input().split())\n"},
    }
    body.update(fields)
    return body


def create_problem(client: Any, who: Caller, topic_id: str | None = None, **fields: Any) -> str:
    response = client.post(
        "/v1/problems", json=problem_body(topic_id, **fields), headers=who.headers
    )
    return str(ok(response, 201)["id"])


def published_topic(client: Any, admin: Caller, **fields: Any) -> str:
    topic_id = create_topic(client, admin, **fields)
    approve(client, admin, "topic", topic_id)
    return topic_id
